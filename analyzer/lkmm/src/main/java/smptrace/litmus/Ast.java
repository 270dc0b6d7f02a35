package smptrace.litmus;

import java.util.List;
import smptrace.lkmm.Tag;

/**
 * The C litmus dialect as a tree, after linux-kernel.def's macros are expanded: every primitive
 * becomes a load, store, RMW, fence, lock operation or plain C. Parsed tests and programs built
 * with {@link LitmusBuilder} share it, so both go through the same decision procedure.
 */
public final class Ast {
    private Ast() {
    }

    // ---- expressions ------------------------------------------------------------------------------

    public sealed interface Expr permits Const, Name, Load, Unary, Binary, Rmw, TryLock, IsLocked {
    }

    public record Const(long value) implements Expr {
    }

    /** A register, or a shared location's name (which denotes its address). */
    public record Name(String name) implements Expr {
    }

    /** A load from the location {@code address} points to: plain {@code *p} or a marked load. */
    public record Load(Expr address, Tag tag) implements Expr {
    }

    public record Unary(String op, Expr operand) implements Expr {
    }

    public record Binary(String op, Expr left, Expr right) implements Expr {
    }

    /** How an atomic RMW computes its write and what it returns. */
    public enum RmwKind {
        /** xchg: writes the operand, returns the old value. */
        XCHG,
        /** cmpxchg: writes {@code operand2} if the old value equals {@code operand}; returns the old value. */
        CMPXCHG,
        /** atomic_OP: writes old OP operand, returns nothing (noreturn). */
        OP,
        /** atomic_OP_return: returns the new value. */
        OP_RETURN,
        /** atomic_fetch_OP: returns the old value. */
        FETCH_OP,
        /** atomic_OP_and_test: returns new value == 0. */
        OP_AND_TEST,
        /** atomic_add_negative: returns new value &lt; 0. */
        OP_NEGATIVE,
        /** atomic_add_unless(v, a, u): adds a unless the old value is u; returns whether it added. */
        ADD_UNLESS
    }

    /**
     * An atomic RMW on the location {@code address} points to. {@code op} is the arithmetic of the
     * OP kinds ("+", "-", "&amp;", "|", "^", "&amp;~"); {@code tag} is the .def annotation.
     */
    public record Rmw(RmwKind kind, String op, Tag tag, Expr address, Expr operand, Expr operand2) implements Expr {
    }

    /** spin_trylock(): 1 and a lock acquisition, or 0 and a failed attempt (LF). */
    public record TryLock(Expr address) implements Expr {
    }

    /** spin_is_locked(): 1 (RL) or 0 (RU). */
    public record IsLocked(Expr address) implements Expr {
    }

    // ---- statements -------------------------------------------------------------------------------

    public sealed interface Stmt permits Assign, Store, Eval, Fence, Lock, Unlock, If, While, SyncSrcu {
    }

    /** reg = expr (also a declaration with an initialiser). */
    public record Assign(String register, Expr value) implements Stmt {
    }

    /** A store to the location {@code address} points to: plain {@code *p = v} or a marked store. */
    public record Store(Expr address, Expr value, Tag tag) implements Stmt {
    }

    /** An expression evaluated for its effect, e.g. atomic_inc(v). */
    public record Eval(Expr expr) implements Stmt {
    }

    public record Fence(Tag tag) implements Stmt {
    }

    public record Lock(Expr address) implements Stmt {
    }

    public record Unlock(Expr address) implements Stmt {
    }

    public record If(Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {
    }

    /** while (condition) body: herd7 unrolls it {@link #UNROLL} times and cuts the paths that go on. */
    public record While(Expr condition, List<Stmt> body) implements Stmt {
        public static final int UNROLL = 2;
    }

    /** synchronize_srcu(ss): an SRCU grace period of the srcu_struct {@code address} points to. */
    public record SyncSrcu(Expr address) implements Stmt {
    }

    // ---- program ----------------------------------------------------------------------------------

    /** A parameter of a process: a shared location, with its C type as written ("int *", "spinlock_t *"). */
    public record Param(String type, String name) {
    }

    public record Thread(int id, List<Param> params, List<Stmt> body) {
    }

    /**
     * An initial value: an integer, or an address ({@code pointsTo} non-null): a location's name
     * ({@code x}, an array cell {@code a[1]}) or a location's name plus a byte offset ({@code a+4},
     * herd7's {@code a[4]} in a value position: herd7 does not scale an index there).
     * {@code thread} is -1 for a shared location, else the register's process. {@code type} is the
     * declared C type of a shared location ({@code "char"}, or null when none is written: herd7's
     * {@code int}); herd7 masks a location's final value to its type's size. {@code cell} is non-null
     * for the cells of an array ({@code int a[2] = {1, 2};} is two Inits named {@code a[0]} and
     * {@code a[1]}, the array's cells in order).
     */
    public record Init(int thread, String name, long value, String pointsTo, String type, Cell cell) {
        public Init(int thread, String name, long value, String pointsTo) {
            this(thread, name, value, pointsTo, null, null);
        }
    }

    /**
     * Cell {@code index} of the array {@code array} of {@code length} elements of {@code type}: at
     * byte offset {@code index * ArrayTypes.bytes(type)} from the array's address, as herd7 lays
     * arrays out (an int array's {@code a[1]} is {@code *(a + 4)} in a process).
     */
    public record Cell(String array, int index, int length) {
    }
}

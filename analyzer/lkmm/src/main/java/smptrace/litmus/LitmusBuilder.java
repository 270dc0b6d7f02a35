package smptrace.litmus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import smptrace.lkmm.Tag;

/**
 * Builds a litmus program in code (for the trace analyzer's seed-shaped predictions): threads of
 * ordered accesses, fences, RMWs, locks and dependencies, an initial state, and an outcome. The
 * result is an ordinary {@link LitmusTest}, decided by {@link LitmusDecider} exactly like a parsed
 * one and printable with {@link LitmusWriter}.
 *
 * <pre>{@code
 * LitmusTest sb = new LitmusBuilder("SB+mbs")
 *     .thread(t -> t.store("x", 1, Tag.ONCE).fence(Tag.MB).load("r0", "y", Tag.ONCE))
 *     .thread(t -> t.store("y", 1, Tag.ONCE).fence(Tag.MB).load("r0", "x", Tag.ONCE))
 *     .exists("0:r0=0 /\\ 1:r0=0")
 *     .build();
 * boolean allowed = new LitmusDecider().decide(sb).outcomeAllowed();   // false
 * }</pre>
 */
public final class LitmusBuilder {
    private final String name;
    private final List<Ast.Init> init = new ArrayList<>();
    private final List<Ast.Thread> threads = new ArrayList<>();
    private final Map<String, String> locationTypes = new LinkedHashMap<>();
    private Condition condition;

    public LitmusBuilder(String name) {
        this.name = name;
    }

    /** A shared int location with an initial value (locations start at 0 otherwise). */
    public LitmusBuilder init(String location, long value) {
        init.add(new Ast.Init(-1, location, value, null));
        locationTypes.putIfAbsent(location, "int *");
        return this;
    }

    /** A shared pointer location initialised to the address of {@code target}. */
    public LitmusBuilder initPointer(String location, String target) {
        init.add(new Ast.Init(-1, location, 0, target));
        locationTypes.put(location, "int **");
        locationTypes.putIfAbsent(target, "int *");
        return this;
    }

    /** Declares a spinlock_t location (spin_lock on an undeclared name declares it too). */
    public LitmusBuilder spinlock(String location) {
        locationTypes.put(location, "spinlock_t *");
        return this;
    }

    /** Adds the next process, P0, P1, ... */
    public LitmusBuilder thread(Consumer<ThreadBuilder> body) {
        ThreadBuilder tb = new ThreadBuilder();
        body.accept(tb);
        List<Ast.Param> params = new ArrayList<>();
        for (String l : tb.used) {
            String type = locationTypes.get(l);
            if (type == null) {
                type = tb.locks.contains(l) ? "spinlock_t *" : "int *";
                locationTypes.put(l, type);
            }
            params.add(new Ast.Param(type, l));
        }
        threads.add(new Ast.Thread(threads.size(), List.copyOf(params), List.copyOf(tb.body)));
        return this;
    }

    /** The outcome asked about, as a litmus proposition: "0:r0=1 /\ x=2". */
    public LitmusBuilder exists(String proposition) {
        return condition(new Condition(Condition.Quantifier.EXISTS, new LitmusParser().parseProposition(proposition),
            null));
    }

    public LitmusBuilder condition(Condition c) {
        this.condition = c;
        return this;
    }

    public LitmusTest build() {
        if (condition == null) {
            throw new IllegalStateException("no outcome: call exists(...) or condition(...)");
        }
        return new LitmusTest(name, List.copyOf(init), List.copyOf(threads), condition, null, "");
    }

    /**
     * The statements of one process, in program order. Locations are named by string; a register
     * named as an address ({@link #loadVia}) makes an address dependency, a register stored
     * ({@link #storeRegister}) a data dependency, and {@link #ifEquals} a control dependency.
     */
    public static final class ThreadBuilder {
        private final List<Ast.Stmt> body = new ArrayList<>();
        private final List<String> used = new ArrayList<>();
        private final List<String> locks = new ArrayList<>();

        private ThreadBuilder() {
        }

        private Ast.Name location(String l) {
            if (!used.contains(l)) {
                used.add(l);
            }
            return new Ast.Name(l);
        }

        /** r = READ_ONCE(*x) / smp_load_acquire(x) / *x, by tag (ONCE, ACQUIRE, PLAIN). */
        public ThreadBuilder load(String register, String location, Tag tag) {
            body.add(new Ast.Assign(register, new Ast.Load(location(location), checkLoadTag(tag))));
            return this;
        }

        /** r = READ_ONCE(*p) where p is a register holding an address: an address dependency. */
        public ThreadBuilder loadVia(String register, String pointerRegister, Tag tag) {
            body.add(new Ast.Assign(register, new Ast.Load(new Ast.Name(pointerRegister), checkLoadTag(tag))));
            return this;
        }

        /** WRITE_ONCE(*x, v) / smp_store_release(x, v) / *x = v, by tag (ONCE, RELEASE, PLAIN). */
        public ThreadBuilder store(String location, long value, Tag tag) {
            body.add(new Ast.Store(location(location), new Ast.Const(value), checkStoreTag(tag)));
            return this;
        }

        /** Stores the address of {@code target} (e.g. rcu_assign_pointer with tag RELEASE). */
        public ThreadBuilder storePointer(String location, String target, Tag tag) {
            body.add(new Ast.Store(location(location), location(target), checkStoreTag(tag)));
            return this;
        }

        /** Stores a register's value: a data dependency on the reads it came from. */
        public ThreadBuilder storeRegister(String location, String register, Tag tag) {
            body.add(new Ast.Store(location(location), new Ast.Name(register), checkStoreTag(tag)));
            return this;
        }

        public ThreadBuilder fence(Tag tag) {
            if (tag.isAccessTag() && tag != Tag.MB) {
                throw new IllegalArgumentException(tag + " is not a fence");
            }
            body.add(new Ast.Fence(tag));
            return this;
        }

        /** r = xchg{_relaxed,_acquire,_release}(x, v); tag MB is the fully ordered xchg(). */
        public ThreadBuilder xchg(String register, String location, long value, Tag tag) {
            body.add(new Ast.Assign(register, new Ast.Rmw(Ast.RmwKind.XCHG, null, checkRmwTag(tag), location(location),
                new Ast.Const(value), null)));
            return this;
        }

        /** r = cmpxchg{...}(x, old, new); a failing cmpxchg is only a read, with no ordering. */
        public ThreadBuilder cmpxchg(String register, String location, long expected, long value, Tag tag) {
            body.add(new Ast.Assign(register, new Ast.Rmw(Ast.RmwKind.CMPXCHG, null, checkRmwTag(tag),
                location(location), new Ast.Const(expected), new Ast.Const(value))));
            return this;
        }

        /** atomic_add(v, x) and friends: a non-value-returning (noreturn) RMW, op one of + - &amp; | ^ &amp;~. */
        public ThreadBuilder atomicOp(String op, long operand, String location) {
            body.add(new Ast.Eval(new Ast.Rmw(Ast.RmwKind.OP, op, Tag.NORETURN, location(location),
                new Ast.Const(operand), null)));
            return this;
        }

        /** r = atomic_fetch_OP{...}(v, x): returns the old value. */
        public ThreadBuilder atomicFetchOp(String register, String op, long operand, String location, Tag tag) {
            body.add(new Ast.Assign(register, new Ast.Rmw(Ast.RmwKind.FETCH_OP, op, checkRmwTag(tag),
                location(location), new Ast.Const(operand), null)));
            return this;
        }

        public ThreadBuilder lock(String lock) {
            locks.add(lock);
            body.add(new Ast.Lock(location(lock)));
            return this;
        }

        public ThreadBuilder unlock(String lock) {
            locks.add(lock);
            body.add(new Ast.Unlock(location(lock)));
            return this;
        }

        /** if (r == v) { then }: the branch's events are control-dependent on r's reads. */
        public ThreadBuilder ifEquals(String register, long value, Consumer<ThreadBuilder> then) {
            ThreadBuilder inner = new ThreadBuilder();
            then.accept(inner);
            for (String l : inner.used) {
                location(l);
            }
            locks.addAll(inner.locks);
            body.add(new Ast.If(new Ast.Binary("==", new Ast.Name(register), new Ast.Const(value)),
                List.copyOf(inner.body), List.of()));
            return this;
        }

        /** Any statement of the dialect; shared locations it names must be declared with {@link #uses}. */
        public ThreadBuilder stmt(Ast.Stmt s) {
            body.add(s);
            return this;
        }

        /** Makes a location a parameter of this process. */
        public ThreadBuilder uses(String location) {
            location(location);
            return this;
        }

        private static Tag checkLoadTag(Tag t) {
            if (t != Tag.ONCE && t != Tag.ACQUIRE && t != Tag.PLAIN) {
                throw new IllegalArgumentException("a load is ONCE, ACQUIRE or PLAIN, not " + t);
            }
            return t;
        }

        private static Tag checkStoreTag(Tag t) {
            if (t != Tag.ONCE && t != Tag.RELEASE && t != Tag.PLAIN) {
                throw new IllegalArgumentException("a store is ONCE, RELEASE or PLAIN, not " + t);
            }
            return t;
        }

        private static Tag checkRmwTag(Tag t) {
            if (t != Tag.ONCE && t != Tag.ACQUIRE && t != Tag.RELEASE && t != Tag.MB) {
                throw new IllegalArgumentException("an RMW is ONCE (relaxed), ACQUIRE, RELEASE or MB, not " + t);
            }
            return t;
        }
    }
}

package smptrace.litmus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Rel;
import smptrace.lkmm.Tag;

/**
 * Runs one process of a litmus program along every control-flow path, the way herd7's C semantics
 * builds a thread's event structure: each read returns any value its location can hold (a finite
 * domain computed by {@link LitmusDecider}), spin_trylock() and spin_is_locked() take both outcomes,
 * and dependencies follow values through registers. A branch condition's reads become {@code ctrl}
 * sources of every event inside the branch, and only those (herd7 does not extend ctrl past the if).
 */
final class ThreadInterpreter {

    /** Value plus the path-local reads it was computed from. */
    private record Val(long v, long deps) {
    }

    private static final class DeadPath extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadPath() {
            super(null, null, false, false);
        }
    }

    private final Ast.Thread thread;
    private final ProgramLayout layout;
    private final long[][] domains;
    private final Map<String, Long> registerInit;

    // choice odometer
    private final int[] choice = new int[Rel.MAX_EVENTS * 2];
    private final int[] arity = new int[Rel.MAX_EVENTS * 2];
    private int choices;
    private int cursor;

    // the path being built
    private int size;
    private final EventClass[] cls = new EventClass[Rel.MAX_EVENTS];
    private final Tag[] tag = new Tag[Rel.MAX_EVENTS];
    private final int[] loc = new int[Rel.MAX_EVENTS];
    private final long[] value = new long[Rel.MAX_EVENTS];
    private final long[] addrFrom = new long[Rel.MAX_EVENTS];
    private final long[] dataFrom = new long[Rel.MAX_EVENTS];
    private final long[] ctrlFrom = new long[Rel.MAX_EVENTS];
    private final int[] rmwPartner = new int[Rel.MAX_EVENTS];
    private long rmwInstr;
    private long ctrl;
    private final Map<String, Val> regs = new HashMap<>();

    ThreadInterpreter(Ast.Thread thread, ProgramLayout layout, long[][] domains, Map<String, Long> registerInit) {
        this.thread = thread;
        this.layout = layout;
        this.domains = domains;
        this.registerInit = registerInit;
    }

    /** Every path of the process, given the current value domains. */
    List<ThreadPath> paths() {
        List<ThreadPath> out = new ArrayList<>();
        choices = 0;
        while (true) {
            cursor = 0;
            size = 0;
            rmwInstr = 0;
            ctrl = 0;
            regs.clear();
            registerInit.forEach((k, v) -> regs.put(k, new Val(v, 0)));
            try {
                exec(thread.body());
                out.add(snapshot());
            } catch (DeadPath dead) {
                choices = cursor;
            }
            while (choices > 0 && choice[choices - 1] + 1 >= arity[choices - 1]) {
                choices--;
            }
            if (choices == 0) {
                return out;
            }
            choice[choices - 1]++;
        }
    }

    private int choose(int options) {
        if (options == 0) {
            throw new DeadPath();
        }
        if (cursor < choices) {
            return choice[cursor++];
        }
        if (choices == choice.length) {
            throw new UnsupportedLitmusException("more than " + choice.length + " choices in P" + thread.id());
        }
        choice[choices] = 0;
        arity[choices] = options;
        choices++;
        cursor++;
        return 0;
    }

    private ThreadPath snapshot() {
        Map<String, Long> finalRegs = new HashMap<>();
        regs.forEach((k, v) -> finalRegs.put(k, v.v()));
        return new ThreadPath(thread.id(), size, Arrays.copyOf(cls, size), Arrays.copyOf(tag, size),
            Arrays.copyOf(loc, size), Arrays.copyOf(value, size), Arrays.copyOf(addrFrom, size),
            Arrays.copyOf(dataFrom, size), Arrays.copyOf(ctrlFrom, size), Arrays.copyOf(rmwPartner, size),
            rmwInstr, finalRegs);
    }

    private int emit(EventClass c, Tag t, int l, long v, long addrDeps, long dataDeps) {
        if (size == Rel.MAX_EVENTS) {
            throw new UnsupportedLitmusException("more than " + Rel.MAX_EVENTS + " events in P" + thread.id());
        }
        cls[size] = c;
        tag[size] = t;
        loc[size] = l;
        value[size] = v;
        addrFrom[size] = addrDeps;
        dataFrom[size] = dataDeps;
        ctrlFrom[size] = ctrl;
        rmwPartner[size] = -1;
        return size++;
    }

    // ---- statements -------------------------------------------------------------------------------

    private void exec(List<Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            exec(s);
        }
    }

    private void exec(Ast.Stmt s) {
        if (s instanceof Ast.Assign a) {
            regs.put(a.register(), eval(a.value()));
        } else if (s instanceof Ast.Store st) {
            Val a = eval(st.address());
            Val v = eval(st.value());
            int l = dataLocation(a, "store");
            emit(EventClass.WRITE, st.tag(), l, v.v(), a.deps(), v.deps());
        } else if (s instanceof Ast.Eval e) {
            eval(e.expr());
        } else if (s instanceof Ast.Fence f) {
            emit(EventClass.FENCE, f.tag(), -1, 0, 0, 0);
        } else if (s instanceof Ast.Lock lk) {
            Val a = eval(lk.address());
            lock(lockLocation(a), a.deps());
        } else if (s instanceof Ast.Unlock u) {
            Val a = eval(u.address());
            emit(EventClass.UNLOCK, null, lockLocation(a), 0, a.deps(), 0);
        } else if (s instanceof Ast.If i) {
            Val c = eval(i.condition());
            long saved = ctrl;
            ctrl |= c.deps();
            exec(c.v() != 0 ? i.then() : i.otherwise());
            ctrl = saved;
        } else {
            throw new AssertionError(s);
        }
    }

    private void lock(int l, long addrDeps) {
        int r = emit(EventClass.LOCK_READ, null, l, 0, addrDeps, 0);
        int w = emit(EventClass.LOCK_WRITE, null, l, 0, addrDeps, 0);
        rmwPartner[r] = w;
    }

    // ---- expressions ------------------------------------------------------------------------------

    private Val eval(Ast.Expr e) {
        if (e instanceof Ast.Const c) {
            return new Val(c.value(), 0);
        } else if (e instanceof Ast.Name nm) {
            Val r = regs.get(nm.name());
            if (r != null) {
                return r;
            }
            int l = layout.index(nm.name());
            if (l >= 0) {
                return new Val(Values.pointer(l), 0);
            }
            return new Val(0, 0); // an undeclared register reads as 0, like herd7's uninitialised ones
        } else if (e instanceof Ast.Load ld) {
            Val a = eval(ld.address());
            int l = dataLocation(a, "load");
            long v = read(l);
            int r = emit(EventClass.READ, ld.tag(), l, v, a.deps(), 0);
            return new Val(v, 1L << r);
        } else if (e instanceof Ast.Unary u) {
            Val a = eval(u.operand());
            long v = switch (u.op()) {
                case "!" -> a.v() == 0 ? 1 : 0;
                case "~" -> ~a.v();
                default -> -a.v();
            };
            return new Val(v, a.deps());
        } else if (e instanceof Ast.Binary b) {
            Val l = eval(b.left());
            Val r = eval(b.right());
            return new Val(binary(b.op(), l.v(), r.v()), l.deps() | r.deps());
        } else if (e instanceof Ast.Rmw rmw) {
            return rmw(rmw);
        } else if (e instanceof Ast.TryLock t) {
            Val a = eval(t.address());
            int l = lockLocation(a);
            if (choose(2) == 0) {
                lock(l, a.deps());
                return new Val(1, 0);
            }
            emit(EventClass.LOCK_FAIL, null, l, 0, a.deps(), 0);
            return new Val(0, 0);
        } else if (e instanceof Ast.IsLocked il) {
            Val a = eval(il.address());
            int l = lockLocation(a);
            if (choose(2) == 0) {
                emit(EventClass.READ_LOCKED, null, l, 0, a.deps(), 0);
                return new Val(1, 0);
            }
            emit(EventClass.READ_UNLOCKED, null, l, 0, a.deps(), 0);
            return new Val(0, 0);
        }
        throw new AssertionError(e);
    }

    private long read(int l) {
        long[] d = domains[l];
        return d[choose(d.length)];
    }

    private Val rmw(Ast.Rmw x) {
        Val a = eval(x.address());
        Val op1 = x.operand() == null ? new Val(0, 0) : eval(x.operand());
        Val op2 = x.operand2() == null ? new Val(0, 0) : eval(x.operand2());
        int l = dataLocation(a, "RMW");
        long old = read(l);
        int r = emit(EventClass.READ, x.tag(), l, old, a.deps(), 0);
        long rBit = 1L << r;
        rmwInstr |= rBit;
        switch (x.kind()) {
            case XCHG: {
                write(r, l, x.tag(), op1.v(), a.deps(), op1.deps());
                return new Val(old, rBit);
            }
            case CMPXCHG: {
                if (old == op1.v()) {
                    // herd7 links the expected value to the write only by iico_control, which is
                    // not part of the cat's ctrl: no dependency (checked: LB+cmpxchg-old-ctrl)
                    write(r, l, x.tag(), op2.v(), a.deps(), op2.deps());
                }
                return new Val(old, rBit);
            }
            case ADD_UNLESS: {
                if (old != op2.v()) {
                    write(r, l, x.tag(), old + op1.v(), a.deps(), op1.deps() | rBit);
                    return new Val(1, 0);
                }
                return new Val(0, 0);
            }
            default: {
                long nv = binary(x.op(), old, op1.v());
                // herd7's build_atomic_op: the write's value flows from the read (iico data)
                write(r, l, x.tag(), nv, a.deps(), op1.deps() | rBit);
                long deps = rBit | op1.deps();
                return switch (x.kind()) {
                    case OP -> new Val(0, 0);
                    case OP_RETURN -> new Val(nv, deps);
                    case FETCH_OP -> new Val(old, rBit);
                    case OP_AND_TEST -> new Val(nv == 0 ? 1 : 0, deps);
                    case OP_NEGATIVE -> new Val(nv < 0 ? 1 : 0, deps);
                    default -> throw new AssertionError(x.kind());
                };
            }
        }
    }

    private void write(int r, int l, Tag t, long v, long addrDeps, long dataDeps) {
        int w = emit(EventClass.WRITE, t, l, v, addrDeps, dataDeps);
        rmwPartner[r] = w;
        rmwInstr |= 1L << w;
    }

    private int dataLocation(Val a, String what) {
        if (!Values.isPointer(a.v())) {
            throw new DeadPath(); // a value this path cannot really hold: only pointers are dereferenced
        }
        int l = Values.location(a.v());
        if (layout.isLock(l)) {
            throw new UnsupportedLitmusException("ordinary " + what + " of spinlock " + layout.name(l));
        }
        return l;
    }

    private int lockLocation(Val a) {
        if (!Values.isPointer(a.v())) {
            throw new DeadPath();
        }
        int l = Values.location(a.v());
        if (!layout.isLock(l)) {
            throw new UnsupportedLitmusException("spinlock operation on " + layout.name(l) + ", which is not a spinlock_t");
        }
        return l;
    }

    static long binary(String op, long a, long b) {
        try {
            return smptrace.litmus.CArith.binary(op, a, b);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new UnsupportedLitmusException(e.getMessage());
        }
    }
}

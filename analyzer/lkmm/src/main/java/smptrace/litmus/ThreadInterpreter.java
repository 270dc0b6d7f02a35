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
 * builds a thread's event structure: a read returns a fresh variable, a branch on a value not yet
 * known takes both arms (each under the constraint that the condition is true, resp. false), a
 * cmpxchg both outcomes, spin_trylock() and spin_is_locked() both results, and an access through a
 * computed address every location the address may name (under the constraint that it names it).
 * Dependencies follow values through registers. A branch condition's reads become {@code ctrl}
 * sources of every event inside the branch, and only those (herd7 does not extend ctrl past the if).
 */
final class ThreadInterpreter {

    /** A value and the path-local reads it was computed from. */
    private record Val(Sym v, long deps) {
    }

    private static final class DeadPath extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadPath() {
            super(null, null, false, false);
        }
    }

    private final Ast.Thread thread;
    private final ProgramLayout layout;
    private final Map<String, Sym> registerInit;

    // choice odometer
    private final int[] choice = new int[Rel.MAX_EVENTS * 4];
    private final int[] arity = new int[Rel.MAX_EVENTS * 4];
    private int choices;
    private int cursor;

    // the path being built
    private int size;
    private final EventClass[] cls = new EventClass[Rel.MAX_EVENTS];
    private final Tag[] tag = new Tag[Rel.MAX_EVENTS];
    private final int[] loc = new int[Rel.MAX_EVENTS];
    private final Sym[] value = new Sym[Rel.MAX_EVENTS];
    private final long[] addrFrom = new long[Rel.MAX_EVENTS];
    private final long[] dataFrom = new long[Rel.MAX_EVENTS];
    private final long[] ctrlFrom = new long[Rel.MAX_EVENTS];
    private final int[] rmwPartner = new int[Rel.MAX_EVENTS];
    private long rmwInstr;
    private long ctrl;
    private final List<Sym> constraints = new ArrayList<>();
    private final Map<String, Val> regs = new HashMap<>();

    ThreadInterpreter(Ast.Thread thread, ProgramLayout layout, Map<String, Sym> registerInit) {
        this.thread = thread;
        this.layout = layout;
        this.registerInit = registerInit;
    }

    /** Every path of the process. */
    List<ThreadPath> paths() {
        List<ThreadPath> out = new ArrayList<>();
        choices = 0;
        while (true) {
            cursor = 0;
            size = 0;
            rmwInstr = 0;
            ctrl = 0;
            regs.clear();
            constraints.clear();
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
            if (out.size() > 1 << 16) {
                throw new UnsupportedLitmusException("more than 65536 control-flow paths in P" + thread.id());
            }
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
        Map<String, Sym> finalRegs = new HashMap<>();
        regs.forEach((k, v) -> finalRegs.put(k, v.v()));
        return new ThreadPath(thread.id(), size, Arrays.copyOf(cls, size), Arrays.copyOf(tag, size),
            Arrays.copyOf(loc, size), Arrays.copyOf(value, size), Arrays.copyOf(addrFrom, size),
            Arrays.copyOf(dataFrom, size), Arrays.copyOf(ctrlFrom, size), Arrays.copyOf(rmwPartner, size),
            rmwInstr, finalRegs, constraints.toArray(new Sym[0]));
    }

    private int emit(EventClass c, Tag t, int l, Sym v, long addrDeps, long dataDeps) {
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

    /** Takes one truth value of {@code c}: directly if it is known, else both, each as a constraint. */
    private boolean decide(Sym c) {
        if (c.isConst()) {
            return c.value != 0;
        }
        boolean taken = choose(2) == 0;
        constraints.add(taken ? Sym.binary("!=", c, Sym.constant(0)) : Sym.binary("==", c, Sym.constant(0)));
        return taken;
    }

    // ---- statements -------------------------------------------------------------------------------

    private void exec(List<Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            exec(s);
        }
    }

    private void exec(Ast.Stmt s) {
        if (s instanceof Ast.Assign a) {
            Val v = eval(a.value());
            if (a.register() != null) {
                regs.put(a.register(), v);
            }
        } else if (s instanceof Ast.Store st) {
            Val a = eval(st.address());
            Val v = eval(st.value());
            int l = location(a, false, "store");
            emit(EventClass.WRITE, st.tag(), l, v.v(), a.deps(), v.deps());
        } else if (s instanceof Ast.Eval e) {
            eval(e.expr());
        } else if (s instanceof Ast.Fence f) {
            emit(EventClass.FENCE, f.tag(), -1, null, 0, 0);
        } else if (s instanceof Ast.SyncSrcu ss) {
            Val a = eval(ss.address());
            emit(EventClass.FENCE, Tag.SYNC_SRCU, location(a, false, "synchronize_srcu"), null, a.deps(), 0);
        } else if (s instanceof Ast.Lock lk) {
            Val a = eval(lk.address());
            lock(location(a, true, "spin_lock"), a.deps());
        } else if (s instanceof Ast.Unlock u) {
            Val a = eval(u.address());
            emit(EventClass.UNLOCK, null, location(a, true, "spin_unlock"), null, a.deps(), 0);
        } else if (s instanceof Ast.If i) {
            Val c = eval(i.condition());
            long saved = ctrl;
            boolean taken = decide(c.v());
            ctrl |= c.deps();
            exec(taken ? i.then() : i.otherwise());
            ctrl = saved;
        } else if (s instanceof Ast.While w) {
            long saved = ctrl;
            for (int n = 0; ; n++) {
                Val c = eval(w.condition());
                if (!decide(c.v())) {
                    break;
                }
                if (n >= Ast.While.UNROLL) {
                    throw new DeadPath(); // herd7's cut-off: a path that loops longer is not an execution
                }
                ctrl |= c.deps();
                exec(w.body());
            }
            ctrl = saved;
        } else {
            throw new AssertionError(s);
        }
    }

    private void lock(int l, long addrDeps) {
        int r = emit(EventClass.LOCK_READ, null, l, null, addrDeps, 0);
        int w = emit(EventClass.LOCK_WRITE, null, l, null, addrDeps, 0);
        rmwPartner[r] = w;
    }

    // ---- expressions ------------------------------------------------------------------------------

    private Val eval(Ast.Expr e) {
        if (e instanceof Ast.Const c) {
            return new Val(Sym.constant(c.value()), 0);
        } else if (e instanceof Ast.Name nm) {
            Val r = regs.get(nm.name());
            if (r != null) {
                return r;
            }
            int l = layout.index(nm.name());
            if (l >= 0) {
                return new Val(Sym.constant(layout.address(l)), 0);
            }
            return new Val(Sym.constant(0), 0); // an undeclared register reads as 0, like herd7's uninitialised ones
        } else if (e instanceof Ast.Load ld) {
            Val a = eval(ld.address());
            int l = location(a, false, "load");
            int r = emit(EventClass.READ, ld.tag(), l, null, a.deps(), 0);
            value[r] = Sym.var(r);
            return new Val(value[r], 1L << r);
        } else if (e instanceof Ast.Unary u) {
            Val a = eval(u.operand());
            return new Val(Sym.unary(u.op(), a.v()), a.deps());
        } else if (e instanceof Ast.Binary b) {
            Val l = eval(b.left());
            Val r = eval(b.right());
            return new Val(Sym.binary(b.op(), l.v(), r.v()), l.deps() | r.deps());
        } else if (e instanceof Ast.Rmw rmw) {
            return rmw(rmw);
        } else if (e instanceof Ast.TryLock t) {
            Val a = eval(t.address());
            int l = location(a, true, "spin_trylock");
            if (choose(2) == 0) {
                lock(l, a.deps());
                return new Val(Sym.constant(1), 0);
            }
            emit(EventClass.LOCK_FAIL, null, l, null, a.deps(), 0);
            return new Val(Sym.constant(0), 0);
        } else if (e instanceof Ast.IsLocked il) {
            Val a = eval(il.address());
            int l = location(a, true, "spin_is_locked");
            if (choose(2) == 0) {
                emit(EventClass.READ_LOCKED, null, l, null, a.deps(), 0);
                return new Val(Sym.constant(1), 0);
            }
            emit(EventClass.READ_UNLOCKED, null, l, null, a.deps(), 0);
            return new Val(Sym.constant(0), 0);
        }
        throw new AssertionError(e);
    }

    private Val rmw(Ast.Rmw x) {
        Val a = eval(x.address());
        Val op1 = x.operand() == null ? new Val(Sym.constant(0), 0) : eval(x.operand());
        Val op2 = x.operand2() == null ? new Val(Sym.constant(0), 0) : eval(x.operand2());
        int l = location(a, false, "RMW");
        int r = emit(EventClass.READ, x.tag(), l, null, a.deps(), 0);
        Sym old = Sym.var(r);
        value[r] = old;
        long rBit = 1L << r;
        rmwInstr |= rBit;
        switch (x.kind()) {
            case XCHG: {
                write(r, l, x.tag(), op1.v(), a.deps(), op1.deps());
                return new Val(old, rBit);
            }
            case CMPXCHG: {
                if (decide(Sym.binary("==", old, op1.v()))) {
                    // herd7 links the expected value to the write only by iico_control, which is
                    // not part of the cat's ctrl: no dependency (checked: LB+cmpxchg-old-ctrl)
                    write(r, l, x.tag(), op2.v(), a.deps(), op2.deps());
                }
                return new Val(old, rBit);
            }
            case ADD_UNLESS: {
                if (decide(Sym.binary("!=", old, op2.v()))) {
                    write(r, l, x.tag(), Sym.binary("+", old, op1.v()), a.deps(), op1.deps() | rBit);
                    return new Val(Sym.constant(1), 0);
                }
                return new Val(Sym.constant(0), 0);
            }
            default: {
                Sym nv = Sym.binary(x.op(), old, op1.v());
                // herd7's build_atomic_op: the write's value flows from the read (iico data)
                write(r, l, x.tag(), nv, a.deps(), op1.deps() | rBit);
                long deps = rBit | op1.deps();
                return switch (x.kind()) {
                    case OP -> new Val(Sym.constant(0), 0);
                    case OP_RETURN -> new Val(nv, deps);
                    case FETCH_OP -> new Val(old, rBit);
                    case OP_AND_TEST -> new Val(Sym.binary("==", nv, Sym.constant(0)), deps);
                    case OP_NEGATIVE -> new Val(Sym.binary("<", nv, Sym.constant(0)), deps);
                    default -> throw new AssertionError(x.kind());
                };
            }
        }
    }

    private void write(int r, int l, Tag t, Sym v, long addrDeps, long dataDeps) {
        int w = emit(EventClass.WRITE, t, l, v, addrDeps, dataDeps);
        rmwPartner[r] = w;
        rmwInstr |= 1L << w;
    }

    /**
     * The location an address value names. A known address names one location (a non-pointer
     * names none: the path is not an execution); an address computed from reads is, path by path,
     * each location it may name, under the constraint that it names it.
     */
    private int location(Val a, boolean lock, String what) {
        Sym s = a.v().simplified();
        int l;
        if (s.isConst()) {
            l = layout.locationAt(s.value);
            if (l < 0) {
                throw new DeadPath();
            }
        } else {
            int[] candidates = layout.pointerTargets(lock);
            l = candidates[choose(candidates.length)];
        }
        if (!a.v().isConst()) {
            constraints.add(Sym.binary("==", a.v(), Sym.constant(layout.address(l))));
        }
        if (layout.isLock(l) != lock) {
            if (lock) {
                throw new UnsupportedLitmusException(what + " on " + layout.name(l) + ", which is not a spinlock_t");
            }
            if (!s.isConst()) {
                throw new DeadPath();
            }
            throw new UnsupportedLitmusException("ordinary " + what + " of spinlock " + layout.name(l));
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

package smptrace.litmus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared locations of a litmus program: their names, indices, initial values, and which are
 * spinlocks (a spinlock_t parameter, or the argument of a spin_* call).
 */
final class ProgramLayout {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Boolean> lock = new ArrayList<>();
    private final List<Long> init = new ArrayList<>();
    /** Initial register values per thread. */
    final List<Map<String, Sym>> registerInit = new ArrayList<>();
    /** Locations whose address is a value somewhere (initial state, stored, compared, computed). */
    private final java.util.Set<Integer> addressTaken = new java.util.TreeSet<>();
    private int[] dataTargets;
    private int[] lockTargets;

    ProgramLayout(LitmusTest t) {
        for (Ast.Init i : t.init()) {
            if (i.thread() < 0) {
                add(i.name());
            }
            if (i.pointsTo() != null) {
                add(i.pointsTo());
            }
        }
        for (Ast.Thread th : t.threads()) {
            for (Ast.Param p : th.params()) {
                int l = add(p.name());
                if (p.type().contains("spinlock_t")) {
                    lock.set(l, true);
                }
            }
            markLocks(th.body());
            registerInit.add(new HashMap<>());
        }
        // herd7 gives locations named only in the condition their initial value 0
        addConditionLocations(t.condition().prop());
        if (t.condition().filter() != null) {
            addConditionLocations(t.condition().filter());
        }
        for (int l = 0; l < names.size(); l++) {
            init.add(0L);
        }
        for (Ast.Init i : t.init()) {
            long v = i.pointsTo() != null ? Values.pointer(index.get(i.pointsTo())) : i.value();
            if (i.thread() < 0) {
                init.set(index.get(i.name()), v);
            } else {
                if (i.thread() >= registerInit.size()) {
                    throw new LitmusSyntaxException("initial value for register of missing process P" + i.thread());
                }
                registerInit.get(i.thread()).put(i.name(), Sym.constant(v));
            }
            if (i.pointsTo() != null) {
                addressTaken.add(index.get(i.pointsTo()));
            }
        }
        for (Ast.Thread th : t.threads()) {
            takenInStmts(th.body());
        }
        List<Integer> data = new ArrayList<>();
        List<Integer> locks = new ArrayList<>();
        for (int l = 0; l < names.size(); l++) {
            if (lock.get(l)) {
                locks.add(l);
            } else if (addressTaken.contains(l)) {
                data.add(l);
            }
        }
        if (data.isEmpty()) {
            for (int l = 0; l < names.size(); l++) {
                if (!lock.get(l)) {
                    data.add(l);
                }
            }
        }
        dataTargets = data.stream().mapToInt(Integer::intValue).toArray();
        lockTargets = locks.stream().mapToInt(Integer::intValue).toArray();
        for (int l = 0; l < names.size(); l++) {
            if (lock.get(l) && init.get(l) != 0) {
                throw new UnsupportedLitmusException("spinlock " + names.get(l) + " initialised to a value");
            }
        }
    }

    private void addConditionLocations(Condition.Prop p) {
        if (p instanceof Condition.And a) {
            addConditionLocations(a.left());
            addConditionLocations(a.right());
        } else if (p instanceof Condition.Or o) {
            addConditionLocations(o.left());
            addConditionLocations(o.right());
        } else if (p instanceof Condition.Not n) {
            addConditionLocations(n.operand());
        } else if (p instanceof Condition.Same q) {
            if (q.thread() < 0) {
                add(q.name());
            }
            if (q.otherThread() < 0) {
                add(q.otherName());
            }
        } else if (p instanceof Condition.Atom a) {
            if (a.thread() < 0) {
                add(a.name());
            }
            if (a.pointsTo() != null) {
                add(a.pointsTo());
            }
        }
    }

    private int add(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        names.add(name);
        lock.add(false);
        index.put(name, names.size() - 1);
        return names.size() - 1;
    }

    private void markLocks(List<Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Lock l && l.address() instanceof Ast.Name n) {
                lock.set(add(n.name()), true);
            } else if (s instanceof Ast.Unlock u && u.address() instanceof Ast.Name n) {
                lock.set(add(n.name()), true);
            } else if (s instanceof Ast.If i) {
                markLocks(i.then());
                markLocks(i.otherwise());
            } else if (s instanceof Ast.While w) {
                markLocks(w.body());
            }
        }
    }

    /** The locations a computed address may name: spinlocks, or the data locations whose address is taken. */
    int[] pointerTargets(boolean lockOps) {
        return lockOps ? lockTargets : dataTargets;
    }

    private void takenInStmts(List<Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Assign a) {
                taken(a.value(), false);
            } else if (s instanceof Ast.Store st) {
                taken(st.address(), true);
                taken(st.value(), false);
            } else if (s instanceof Ast.Eval e) {
                taken(e.expr(), false);
            } else if (s instanceof Ast.If i) {
                taken(i.condition(), false);
                takenInStmts(i.then());
                takenInStmts(i.otherwise());
            } else if (s instanceof Ast.While w) {
                taken(w.condition(), false);
                takenInStmts(w.body());
            }
        }
    }

    /** Records location names used as values; a bare name in an address position is only an access. */
    private void taken(Ast.Expr e, boolean address) {
        if (e instanceof Ast.Name n) {
            Integer l = index.get(n.name());
            if (l != null && !address) {
                addressTaken.add(l);
            }
        } else if (e instanceof Ast.Load ld) {
            taken(ld.address(), true);
        } else if (e instanceof Ast.Unary u) {
            taken(u.operand(), false);
        } else if (e instanceof Ast.Binary b) {
            taken(b.left(), false);
            taken(b.right(), false);
        } else if (e instanceof Ast.Rmw r) {
            taken(r.address(), true);
            if (r.operand() != null) {
                taken(r.operand(), false);
            }
            if (r.operand2() != null) {
                taken(r.operand2(), false);
            }
        }
    }

    int size() {
        return names.size();
    }

    int index(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    String name(int l) {
        return names.get(l);
    }

    boolean isLock(int l) {
        return lock.get(l);
    }

    long init(int l) {
        return init.get(l);
    }
}

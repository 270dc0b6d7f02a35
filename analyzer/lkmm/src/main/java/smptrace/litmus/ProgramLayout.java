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
    final List<Map<String, Long>> registerInit = new ArrayList<>();

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
                registerInit.get(i.thread()).put(i.name(), v);
            }
        }
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

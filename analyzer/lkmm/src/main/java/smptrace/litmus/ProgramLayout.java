package smptrace.litmus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared locations of a litmus program: their names, indices, initial values, and which are
 * spinlocks (a spinlock_t parameter, or the argument of a spin_* call).
 *
 * <p>Memory is laid out as herd7 lays it out: each scalar location and each array is an object, and
 * an address is an object and a byte offset ({@link Values#pointer}). A location is one address
 * that is accessed or named: a scalar (offset 0), a cell of an array ({@code a[1]} of an int array is
 * offset 4, named {@code a[1]}), or an address that pointer arithmetic reaches outside any cell
 * ({@code x + 4}, {@code a + 1}, named {@code x+4}), which herd7 gives no initial write: such a
 * location is found while the processes run ({@link #locationAt}) and a read of it sees only the
 * writes to it.
 */
final class ProgramLayout {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Boolean> lock = new ArrayList<>();
    private final List<Long> init = new ArrayList<>();
    private final List<Boolean> hasInit = new ArrayList<>();
    private final List<String> type = new ArrayList<>();
    private final List<Integer> objectOf = new ArrayList<>();
    private final Map<Long, Integer> byAddress = new HashMap<>();
    private final List<String> objects = new ArrayList<>();
    private final List<Long> offsetOf = new ArrayList<>();
    /** Initial register values per thread. */
    final List<Map<String, Sym>> registerInit = new ArrayList<>();
    /** Objects whose address is a value somewhere (initial state, stored, compared, computed). */
    private final java.util.Set<Integer> addressTaken = new java.util.TreeSet<>();
    private int[] dataTargets;
    private int[] lockTargets;
    private int targetsFor = -1;

    ProgramLayout(LitmusTest t) {
        for (Ast.Init i : t.init()) {
            if (i.cell() != null) {
                cell(i);
            } else if (i.thread() < 0) {
                add(i.name());
            }
            if (i.pointsTo() != null) {
                addReference(i.pointsTo());
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
        for (Ast.Init i : t.init()) {
            long v = i.pointsTo() != null ? address(i.pointsTo()) : i.value();
            if (i.thread() < 0) {
                int l = index.get(i.name());
                init.set(l, v);
                if (i.type() != null) {
                    type.set(l, i.type());
                }
            } else {
                if (i.thread() >= registerInit.size()) {
                    throw new LitmusSyntaxException("initial value for register of missing process P" + i.thread());
                }
                registerInit.get(i.thread()).put(i.name(), Sym.constant(v));
            }
            if (i.pointsTo() != null) {
                addressTaken.add(Values.object(v));
            }
        }
        for (Ast.Thread th : t.threads()) {
            takenInStmts(th.body());
        }
        for (int l = 0; l < names.size(); l++) {
            if (lock.get(l) && init.get(l) != 0) {
                throw new UnsupportedLitmusException("spinlock " + names.get(l) + " initialised to a value");
            }
            if (lock.get(l) && offsetOf.get(l) != 0) {
                throw new UnsupportedLitmusException("spinlock " + names.get(l) + " in an array");
            }
        }
    }

    /** A cell of an array: its object is the array's, at the cell's byte offset. */
    private void cell(Ast.Init i) {
        Ast.Cell c = i.cell();
        Integer first = index.get(c.array());
        int object;
        if (first == null) {
            if (c.index() != 0) {
                throw new IllegalArgumentException("cells of " + c.array() + " out of order");
            }
            object = objects.size();
            objects.add(c.array());
        } else {
            object = objectOf.get(first);
        }
        int l = location(i.name(), object, (long) c.index() * CTypes.bytes(i.type()), true);
        if (c.index() == 0) {
            index.put(c.array(), l); // the array's name is its address, the address of its cell 0
        }
    }

    /** A reference as Ast.Init and Condition.Atom hold it: a location's name, or "name+k". */
    private void addReference(String ref) {
        int plus = ref.lastIndexOf('+');
        add(plus > 0 ? ref.substring(0, plus) : ref);
    }

    /** The address a reference names ("x", "a[1]", "x+4"). */
    long address(String ref) {
        Integer l = index.get(ref);
        if (l != null) {
            return address(l);
        }
        int plus = ref.lastIndexOf('+');
        if (plus > 0) {
            Integer b = index.get(ref.substring(0, plus));
            if (b != null) {
                try {
                    return address(b) + Long.parseLong(ref.substring(plus + 1));
                } catch (NumberFormatException e) {
                    // not an offset
                }
            }
        }
        throw new UnsupportedLitmusException("unknown location " + ref);
    }

    /** The address of location l. */
    long address(int l) {
        return Values.pointer(objectOf.get(l), offsetOf.get(l));
    }

    /**
     * The location at an address, found on first use for an address outside every cell (herd7 gives
     * it no initial write); -1 for a value that is no address of this program's memory, or that
     * points into a spinlock.
     */
    int locationAt(long address) {
        Integer l = byAddress.get(address);
        if (l != null) {
            return l;
        }
        if (!Values.isPointer(address) || Values.object(address) >= objects.size()) {
            return -1;
        }
        int object = Values.object(address);
        int base = index.get(objects.get(object));
        if (lock.get(base)) {
            return -1;
        }
        long off = Values.offset(address);
        return location(objects.get(object) + (off < 0 ? "" : "+") + off, object, off, false);
    }

    /** Whether the location has herd7's initial write (it is in the initial state, a parameter or the condition). */
    boolean hasInit(int l) {
        return hasInit.get(l);
    }

    /** The declared C type of a location, or null (herd7's int). */
    String type(int l) {
        return type.get(l);
    }

    /** A value as herd7 prints it: an integer, a location's name, "x+4" for an address into an object. */
    String render(long v) {
        if (Values.isPointer(v) && Values.object(v) < objects.size()) {
            long off = Values.offset(v);
            return objects.get(Values.object(v)) + (off == 0 ? "" : off > 0 ? "+" + off : Long.toString(off));
        }
        if (Values.isSymbolic(v)) {
            return "S" + Values.symbol(v);
        }
        return Long.toString(v);
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
                addReference(a.pointsTo());
            }
        }
    }

    private int add(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        int object = objects.size();
        objects.add(name);
        return location(name, object, 0, true);
    }

    private int location(String name, int object, long offset, boolean initialWrite) {
        names.add(name);
        lock.add(false);
        init.add(0L);
        hasInit.add(initialWrite);
        type.add(null);
        objectOf.add(object);
        offsetOf.add(offset);
        int l = names.size() - 1;
        index.put(name, l);
        byAddress.put(Values.pointer(object, offset), l);
        return l;
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

    /**
     * The locations a computed address may name: spinlocks, or the data locations of objects whose
     * address is taken (all data locations when none is).
     */
    int[] pointerTargets(boolean lockOps) {
        if (targetsFor != names.size()) {
            List<Integer> data = new ArrayList<>();
            List<Integer> locks = new ArrayList<>();
            for (int l = 0; l < names.size(); l++) {
                if (lock.get(l)) {
                    locks.add(l);
                } else if (addressTaken.contains(objectOf.get(l))) {
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
            targetsFor = names.size();
        }
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
                addressTaken.add(objectOf.get(l));
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

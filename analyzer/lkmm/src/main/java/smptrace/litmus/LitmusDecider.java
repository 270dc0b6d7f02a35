package smptrace.litmus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Execution;
import smptrace.lkmm.Judgement;
import smptrace.lkmm.LinuxKernelCat;
import smptrace.lkmm.Rel;
import smptrace.lkmm.Tag;

/**
 * Decides a litmus test the way herd7 does, with herd7's candidate executions and counts, but
 * built so that most inconsistent candidates are never completed.
 *
 * <p>Each process is run once per control-flow path with symbolic read values ({@link Sym},
 * {@link ThreadInterpreter}). For one path per process, the reads-from map is chosen read by read
 * and, after each choice, (a) the value equations it adds (the read's variable equals the value its
 * write stored) are solved and the path constraints checked, so a choice whose values contradict
 * the program stops there; (b) the LKMM is asked about the partial execution: rf so far and the
 * coherence edges that rf already forces (cos-opt.cat's obsco). Every LKMM axiom is an acyclicity
 * or emptiness check of a relation that only grows as rf and co grow (no axiom uses a difference
 * of rf- or co-dependent relations), so a partial execution the model forbids has no allowed
 * completion, and the whole subtree is skipped. The same check runs after each location's co order
 * is chosen. Complete candidates are judged by {@link LinuxKernelCat} and counted as herd7 counts
 * them: positive and negative executions of the condition's proposition, after the filter.
 *
 * <p>Values are solved exactly as herd7's solver does: equations between two variables merge them,
 * a variable equal to a computable value takes it, and an execution whose equations or constraints
 * stay unsolved (a computation on a value nothing determines) is not an execution; a variable that
 * nothing determines (out of thin air) stays symbolic and prints as {@code S<n>}.
 *
 * <p>Holds no state between calls; one instance may decide many tests, from one thread at a time
 * or several (each call allocates its own working state).
 */
public final class LitmusDecider {
    private final LinuxKernelCat model = new LinuxKernelCat();

    /** The deadline of a decision passed: the test is reported as timed out. */
    static final class Timeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Timeout() {
            super("timeout", null, false, false);
        }
    }

    /** Decides a test; anything outside the modelled subset comes back as an unsupported decision. */
    public Decision decide(LitmusTest test) {
        return decide(test, null, 0);
    }

    /** As {@link #decide(LitmusTest, Consumer, long)} with no time limit. */
    public Decision decide(LitmusTest test, Consumer<Map<String, String>> allowedOutcome) {
        return decide(test, allowedOutcome, 0);
    }

    /**
     * Decides a test and hands {@code allowedOutcome} each distinct final state of the executions
     * the model allows, before the filter is applied (for the engine cross-check: an outcome a JVM
     * run shows must be among them). The state maps {@code "P:reg"} to each register the process's
     * path assigned and every non-lock location's name to its final value; values are decimal, or
     * the name of the location a pointer points to. {@code timeoutMillis} &gt; 0 bounds the time
     * spent; past it the decision is {@link Decision.Verdict#TIMEOUT}.
     */
    public Decision decide(LitmusTest test, Consumer<Map<String, String>> allowedOutcome, long timeoutMillis) {
        try {
            Run r = new Run(test, timeoutMillis);
            r.allowedOutcome = allowedOutcome;
            return r.decide();
        } catch (UnsupportedLitmusException e) {
            return Decision.unsupported(test.name(), e.getMessage());
        } catch (Timeout e) {
            return Decision.timeout(test.name(), timeoutMillis);
        }
    }

    /**
     * The event skeleton of a test: its locations and, per process, every path that occurs in some
     * candidate execution whose values are consistent, with the value each read returns and the
     * registers at the end. Throws {@link UnsupportedLitmusException} where {@link #decide} would
     * say unsupported.
     */
    public ModelView view(LitmusTest test) {
        return new Run(test, 0).view();
    }

    /** The working state of one decision. */
    private final class Run {
        private final LitmusTest test;
        private final ProgramLayout layout;
        /** The number of locations, known once every process has run (pointer arithmetic finds some). */
        private int locations;
        private final long deadline;
        private Consumer<Map<String, String>> allowedOutcome;
        private final Set<String> outcomesSeen = new HashSet<>();

        private long positive;
        private long negative;
        private long candidates;
        private boolean dataRace;
        private boolean mixed;
        private long ticks;
        /** View mode: no model pruning; consistent paths are collected instead of judged. */
        private List<Map<String, ModelView.Path>> viewPaths;

        // the current combination of paths
        private ThreadPath[] chosen;
        private int n;
        private int[] offset;
        private EventClass[] cls;
        private Tag[] tag;
        private int[] thread;
        private int[] loc;
        private Sym[] val;
        private long rmwInstr;
        private long[] po;
        private long[] rmw;
        private long[] addr;
        private long[] data;
        private long[] ctrl;
        private int[] readers;
        private int[][] rfCandidates;
        private int[] rfChoice;
        private int[] lkwToLkr;
        private int[] critical; // LKW -> its UL, or -1 when unmatched
        private long[] poLocWrite; // per write: same-location writes po-before it
        private LinuxKernelCat.Prepared prepared;
        private Sym[] constraintSym;
        private int[] constraintOffset;
        private int[] writeOffset; // per event: the offset of its thread's variables

        // the value solver's state
        private int[] parent;
        private boolean[] known;
        private long[] value;

        Run(LitmusTest test, long timeoutMillis) {
            this.test = test;
            this.layout = new ProgramLayout(test);
            this.deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
        }

        private void tick() {
            if (deadline != 0 && (++ticks & 255) == 0 && System.nanoTime() > deadline) {
                throw new Timeout();
            }
        }

        ModelView view() {
            for (Ast.Thread th : test.threads()) {
                checkInstructionOrder(th.body());
            }
            List<List<ThreadPath>> paths = enumeratePaths();
            viewPaths = new ArrayList<>();
            for (int t = 0; t < paths.size(); t++) {
                viewPaths.add(new LinkedHashMap<>());
            }
            combine(paths);
            List<ModelView.Location> locs = new ArrayList<>();
            for (int l = 0; l < locations; l++) {
                boolean pointer = Values.isPointer(layout.init(l));
                boolean integer = !pointer && layout.init(l) != 0;
                for (Map<String, ModelView.Path> ps : viewPaths) {
                    for (ModelView.Path p : ps.values()) {
                        for (ModelView.Event e : p.events()) {
                            if (e.cls() == EventClass.WRITE && layout.name(l).equals(e.location())) {
                                boolean isPtr = layout.index(e.value()) >= 0;
                                pointer |= isPtr;
                                integer |= !isPtr && !e.value().equals("0");
                            }
                        }
                    }
                }
                locs.add(new ModelView.Location(layout.name(l), layout.isLock(l), render(layout.init(l)), pointer,
                    integer));
            }
            List<List<ModelView.Path>> out = new ArrayList<>();
            for (Map<String, ModelView.Path> ps : viewPaths) {
                out.add(List.copyOf(ps.values()));
            }
            return new ModelView(test.name(), List.copyOf(locs), List.copyOf(out));
        }

        private String render(long v) {
            return layout.render(v);
        }

        Decision decide() {
            for (Ast.Thread th : test.threads()) {
                checkInstructionOrder(th.body());
            }
            List<List<ThreadPath>> paths = enumeratePaths();
            combine(paths);
            return Decision.of(test.name(), positive, negative, dataRace, mixed, candidates);
        }

        /**
         * Every path of every process. A process that reaches an address outside every cell adds a
         * location; the processes run again until none does, so that an address computed from a read
         * in one process may name a location another process reaches by arithmetic.
         */
        private List<List<ThreadPath>> enumeratePaths() {
            while (true) {
                int before = layout.size();
                List<List<ThreadPath>> all = new ArrayList<>();
                for (Ast.Thread th : test.threads()) {
                    all.add(new ThreadInterpreter(th, layout, layout.registerInit.get(th.id())).paths());
                }
                if (layout.size() == before) {
                    locations = before;
                    refuseReadsOfNothing(all);
                    return all;
                }
            }
        }

        /**
         * herd7 refuses a test where a read of a location with no initial write (an address outside
         * every cell) has no write to it in some choice of the processes' paths ("mixed-size test
         * rejected"): a read at a known address, in a path with no write there, while every other
         * process has a path without a write there (or through a computed address).
         */
        private void refuseReadsOfNothing(List<List<ThreadPath>> all) {
            for (int t = 0; t < all.size(); t++) {
                for (ThreadPath p : all.get(t)) {
                    for (int i = 0; i < p.size; i++) {
                        int l = p.loc[i];
                        if (p.cls[i] != EventClass.READ || l < 0 || layout.hasInit(l) || p.addrFrom[i] != 0
                            || mayWrite(p, l)) {
                            continue;
                        }
                        boolean everyOtherMayMiss = true;
                        for (int u = 0; u < all.size() && everyOtherMayMiss; u++) {
                            if (u == t) {
                                continue;
                            }
                            boolean missing = false;
                            for (ThreadPath q : all.get(u)) {
                                missing |= !mayWrite(q, l);
                            }
                            everyOtherMayMiss = missing;
                        }
                        if (everyOtherMayMiss) {
                            throw new UnsupportedLitmusException("a read of " + layout.name(l) + " in P" + p.thread
                                + ", an address inside no location and written by no process (herd7: 'mixed-size"
                                + " test rejected')");
                        }
                    }
                }
            }
        }

        private boolean mayWrite(ThreadPath p, int l) {
            for (int i = 0; i < p.size; i++) {
                if (p.cls[i] == EventClass.WRITE && (p.loc[i] == l || p.addrFrom[i] != 0)) {
                    return true;
                }
            }
            return false;
        }

        // ---- herd7's po inside one instruction ------------------------------------------------

        /**
         * herd7 orders the events of one instruction only along its internal data and control
         * flow (po_iico). A load in an address or a stored value precedes the access; loads in
         * both operands of an operator, or in the operands of an RMW, are unordered, which this
         * front end does not represent.
         */
        private void checkInstructionOrder(List<Ast.Stmt> body) {
            for (Ast.Stmt s : body) {
                if (s instanceof Ast.Assign a) {
                    accesses(a.value());
                } else if (s instanceof Ast.Eval e) {
                    accesses(e.expr());
                } else if (s instanceof Ast.Store st) {
                    if (accesses(st.address()) > 0 && accesses(st.value()) > 0) {
                        throw new UnsupportedLitmusException("loads in both the address and the value of a store");
                    }
                } else if (s instanceof Ast.Lock lk) {
                    if (accesses(lk.address()) > 0) {
                        throw new UnsupportedLitmusException("a load inside a spin_lock argument");
                    }
                } else if (s instanceof Ast.Unlock u) {
                    if (accesses(u.address()) > 0) {
                        throw new UnsupportedLitmusException("a load inside a spin_unlock argument");
                    }
                } else if (s instanceof Ast.If i) {
                    accesses(i.condition());
                    checkInstructionOrder(i.then());
                    checkInstructionOrder(i.otherwise());
                } else if (s instanceof Ast.While w) {
                    accesses(w.condition());
                    checkInstructionOrder(w.body());
                }
            }
        }

        private int accesses(Ast.Expr e) {
            if (e instanceof Ast.Load l) {
                return 1 + accesses(l.address());
            } else if (e instanceof Ast.Binary b) {
                int x = accesses(b.left());
                int y = accesses(b.right());
                if (x > 0 && y > 0) {
                    throw new UnsupportedLitmusException("memory accesses in both operands of '" + b.op() + "'");
                }
                return x + y;
            } else if (e instanceof Ast.Unary u) {
                return accesses(u.operand());
            } else if (e instanceof Ast.Rmw r) {
                int ops = (r.operand() == null ? 0 : accesses(r.operand()))
                    + (r.operand2() == null ? 0 : accesses(r.operand2()));
                if (ops > 0) {
                    throw new UnsupportedLitmusException("a memory access inside the operands of an atomic RMW");
                }
                return 1 + accesses(r.address());
            } else if (e instanceof Ast.TryLock t) {
                if (accesses(t.address()) > 0) {
                    throw new UnsupportedLitmusException("a load inside a spin_trylock argument");
                }
                return 1;
            } else if (e instanceof Ast.IsLocked il) {
                if (accesses(il.address()) > 0) {
                    throw new UnsupportedLitmusException("a load inside a spin_is_locked argument");
                }
                return 1;
            }
            return 0;
        }

        // ---- combining processes ----------------------------------------------------------------

        private void combine(List<List<ThreadPath>> paths) {
            int threads = paths.size();
            chosen = new ThreadPath[threads];
            for (List<ThreadPath> ps : paths) {
                if (ps.isEmpty()) {
                    return; // a process with no possible path: no execution at all
                }
            }
            productOfPaths(paths, 0);
        }

        private void productOfPaths(List<List<ThreadPath>> paths, int t) {
            if (t == paths.size()) {
                layOut();
                return;
            }
            for (ThreadPath p : paths.get(t)) {
                chosen[t] = p;
                productOfPaths(paths, t + 1);
            }
        }

        // ---- one combination: events and static relations ---------------------------------------

        private void layOut() {
            tick();
            int total = locations;
            offset = new int[chosen.length];
            for (int t = 0; t < chosen.length; t++) {
                offset[t] = total;
                total += chosen[t].size;
            }
            if (total > Rel.MAX_EVENTS) {
                throw new UnsupportedLitmusException("more than " + Rel.MAX_EVENTS + " events in one execution");
            }
            n = total;
            cls = new EventClass[n];
            tag = new Tag[n];
            thread = new int[n];
            loc = new int[n];
            val = new Sym[n];
            writeOffset = new int[n];
            po = new long[n];
            rmw = new long[n];
            addr = new long[n];
            data = new long[n];
            ctrl = new long[n];
            rmwInstr = 0;
            for (int l = 0; l < locations; l++) {
                cls[l] = EventClass.INIT;
                thread[l] = -1;
                loc[l] = l;
                val[l] = Sym.constant(layout.init(l));
            }
            int constraints = 0;
            for (ThreadPath p : chosen) {
                constraints += p.constraints.length;
            }
            constraintSym = new Sym[constraints];
            constraintOffset = new int[constraints];
            int c = 0;
            for (int t = 0; t < chosen.length; t++) {
                ThreadPath p = chosen[t];
                int o = offset[t];
                long threadMask = 0;
                for (int i = 0; i < p.size; i++) {
                    threadMask |= 1L << (o + i);
                }
                for (int i = 0; i < p.size; i++) {
                    int e = o + i;
                    cls[e] = p.cls[i];
                    tag[e] = p.tag[i];
                    thread[e] = t;
                    loc[e] = p.loc[i];
                    val[e] = p.value[i];
                    writeOffset[e] = o;
                    po[e] = threadMask & ~((2L << e) - 1);
                    if (p.rmwPartner[i] >= 0) {
                        rmw[e] |= 1L << (o + p.rmwPartner[i]);
                    }
                    spread(p.addrFrom[i], o, e, addr);
                    spread(p.dataFrom[i], o, e, data);
                    spread(p.ctrlFrom[i], o, e, ctrl);
                }
                rmwInstr |= p.rmwInstr << o;
                for (Sym s : p.constraints) {
                    constraintSym[c] = s;
                    constraintOffset[c++] = o;
                }
            }
            if (!locksWellFormed()) {
                return;
            }
            poLocWrite = new long[n];
            for (int e = locations; e < n; e++) {
                if (cls[e] == EventClass.WRITE || cls[e] == EventClass.LOCK_WRITE) {
                    for (int f = locations; f < e; f++) {
                        if ((po[f] >>> e & 1) != 0 && loc[f] == loc[e] && cls[f] == cls[e]) {
                            poLocWrite[e] |= 1L << f;
                        }
                    }
                }
            }
            prepared = model.prepare(new Execution(cls, tag, thread, loc, new long[n], rmwInstr, po, new long[n],
                new long[n], rmw, addr, data, ctrl));
            parent = new int[n];
            known = new boolean[n];
            value = new long[n];
            rfRel = new long[n];
            source = new int[n];
            if (!rfCandidates()) {
                return;
            }
            if (!solve(0, false)) {
                return;
            }
            chooseRf(0);
        }

        private void spread(long from, int o, int e, long[] rel) {
            while (from != 0) {
                int j = Long.numberOfTrailingZeros(from);
                from &= from - 1;
                rel[o + j] |= 1L << e;
            }
        }

        /**
         * lock.cat's pairing: each UL closes the LKW just before it (po-loc), at most one LKW per
         * lock stays unmatched (it then comes last in co), and an unlock of a lock not held is
         * outside what the model handles.
         */
        private boolean locksWellFormed() {
            critical = new int[n];
            Arrays.fill(critical, -1);
            lkwToLkr = new int[n];
            Arrays.fill(lkwToLkr, -1);
            int[] unmatched = new int[locations];
            for (int e = locations; e < n; e++) {
                if (cls[e] == EventClass.LOCK_READ) {
                    lkwToLkr[Long.numberOfTrailingZeros(rmw[e])] = e;
                }
                if (cls[e] == EventClass.UNLOCK) {
                    int prev = -1;
                    for (int f = e - 1; f >= locations && thread[f] == thread[e]; f--) {
                        if (loc[f] == loc[e] && (cls[f] == EventClass.LOCK_WRITE || cls[f] == EventClass.UNLOCK)) {
                            prev = f;
                            break;
                        }
                    }
                    if (prev < 0 || cls[prev] != EventClass.LOCK_WRITE) {
                        throw new UnsupportedLitmusException("spin_unlock(" + layout.name(loc[e])
                            + ") without a matching spin_lock");
                    }
                    critical[prev] = e;
                }
            }
            for (int e = locations; e < n; e++) {
                if (cls[e] == EventClass.LOCK_WRITE && critical[e] < 0 && ++unmatched[loc[e]] > 1) {
                    return false; // lock.cat "unmatched-locks": a second holder would deadlock
                }
            }
            return true;
        }

        /** The writes each read may read from; false if some read has none. */
        private boolean rfCandidates() {
            List<Integer> rs = new ArrayList<>();
            for (int e = locations; e < n; e++) {
                EventClass c = cls[e];
                if (c == EventClass.READ || c == EventClass.LOCK_FAIL || c == EventClass.READ_LOCKED
                    || c == EventClass.READ_UNLOCKED) {
                    rs.add(e);
                }
            }
            readers = rs.stream().mapToInt(Integer::intValue).toArray();
            rfCandidates = new int[readers.length][];
            rfChoice = new int[readers.length];
            for (int k = 0; k < readers.length; k++) {
                int r = readers[k];
                List<Integer> c = new ArrayList<>();
                switch (cls[r]) {
                    case READ:
                        for (int w = 0; w < n; w++) {
                            if ((cls[w] == EventClass.INIT && layout.hasInit(loc[w]) || cls[w] == EventClass.WRITE)
                                && loc[w] == loc[r]
                                && !(thread[w] == thread[r] && w > r) && compatible(r, w)) {
                                c.add(w);
                            }
                        }
                        break;
                    case LOCK_FAIL:
                    case READ_LOCKED: {
                        // lock.cat rfi-lf: inside its own critical section it reads that section's LKW
                        int own = -1;
                        for (int f = r - 1; f >= locations && thread[f] == thread[r]; f--) {
                            if (loc[f] == loc[r] && (cls[f] == EventClass.LOCK_WRITE || cls[f] == EventClass.UNLOCK)) {
                                own = cls[f] == EventClass.LOCK_WRITE ? f : -1;
                                break;
                            }
                        }
                        if (own >= 0) {
                            c.add(own);
                        } else {
                            for (int w = locations; w < n; w++) {
                                if (cls[w] == EventClass.LOCK_WRITE && loc[w] == loc[r] && thread[w] != thread[r]) {
                                    c.add(w);
                                }
                            }
                        }
                        break;
                    }
                    case READ_UNLOCKED: {
                        // lock.cat possible-rf-ru: the last po-earlier UL, or an external UL or IW
                        for (int f = r - 1; f >= locations && thread[f] == thread[r]; f--) {
                            if (loc[f] == loc[r] && cls[f] == EventClass.UNLOCK) {
                                c.add(f);
                                break;
                            }
                        }
                        c.add(loc[r]);
                        for (int w = locations; w < n; w++) {
                            if (cls[w] == EventClass.UNLOCK && loc[w] == loc[r] && thread[w] != thread[r]) {
                                c.add(w);
                            }
                        }
                        break;
                    }
                    default:
                        throw new AssertionError(cls[r]);
                }
                if (c.isEmpty()) {
                    return false;
                }
                rfCandidates[k] = c.stream().mapToInt(Integer::intValue).toArray();
            }
            return true;
        }

        /** A read's own path constrains its value only through constraints; two constants must agree. */
        private boolean compatible(int r, int w) {
            return true;
        }

        // ---- values: herd7's solver ---------------------------------------------------------------

        private int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        /** Merges two variables; false when both are known and differ. */
        private boolean union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) {
                return true;
            }
            if (known[ra] && known[rb] && value[ra] != value[rb]) {
                return false;
            }
            if (known[ra] && !known[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[ra] = rb;
            return true;
        }

        private boolean assign(int v, long x) {
            int r = find(v);
            if (known[r]) {
                return value[r] == x;
            }
            known[r] = true;
            value[r] = x;
            return true;
        }

        private boolean unknown;
        private boolean divByZero;

        /** The value of {@code s} under the current solution; sets {@link #unknown} if it is not determined. */
        private long eval(Sym s, int off) {
            switch (s.kind) {
                case Sym.CONST:
                    return s.value;
                case Sym.VAR: {
                    int r = find(off + s.var);
                    if (!known[r]) {
                        unknown = true;
                        return 0;
                    }
                    return value[r];
                }
                case Sym.UNARY:
                    return Sym.unary(s.op, eval(s.a, off));
                default: {
                    long a = eval(s.a, off);
                    long b = eval(s.b, off);
                    if (unknown) {
                        return 0;
                    }
                    if ((s.op.equals("/") || s.op.equals("%")) && b == 0) {
                        divByZero = true;
                        return 0;
                    }
                    return ThreadInterpreter.binary(s.op, a, b);
                }
            }
        }

        /**
         * Solves the equations of reads 0..k-1 and checks the constraints. With {@code complete},
         * every equation and constraint must also be decided (herd7 rejects unsolved systems).
         */
        private boolean solve(int k, boolean complete) {
            for (int e = 0; e < n; e++) {
                parent[e] = e;
                known[e] = false;
            }
            for (int i = 0; i < k; i++) {
                int r = readers[i];
                if (cls[r] != EventClass.READ) {
                    continue;
                }
                int w = rfChoice[i];
                Sym s = val[w];
                if (s.kind == Sym.CONST) {
                    if (!assign(r, s.value)) {
                        return false;
                    }
                } else if (s.kind == Sym.VAR) {
                    if (!union(r, writeOffset[w] + s.var)) {
                        return false;
                    }
                }
            }
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = 0; i < k; i++) {
                    int r = readers[i];
                    if (cls[r] != EventClass.READ) {
                        continue;
                    }
                    int w = rfChoice[i];
                    Sym s = val[w];
                    if (s.kind == Sym.CONST || s.kind == Sym.VAR) {
                        continue;
                    }
                    unknown = false;
                    divByZero = false;
                    long x = eval(s, writeOffset[w]);
                    if (divByZero) {
                        return false;
                    }
                    if (unknown) {
                        continue;
                    }
                    int root = find(r);
                    if (known[root]) {
                        if (value[root] != x) {
                            return false;
                        }
                    } else {
                        known[root] = true;
                        value[root] = x;
                        changed = true;
                    }
                }
            }
            for (int c = 0; c < constraintSym.length; c++) {
                unknown = false;
                divByZero = false;
                long x = eval(constraintSym[c], constraintOffset[c]);
                if (divByZero) {
                    return false;
                }
                if (unknown) {
                    if (complete) {
                        return false;
                    }
                    continue;
                }
                if (x == 0) {
                    return false;
                }
            }
            if (complete) {
                for (int i = 0; i < k; i++) {
                    int r = readers[i];
                    if (cls[r] != EventClass.READ) {
                        continue;
                    }
                    Sym s = val[rfChoice[i]];
                    if (s.kind != Sym.CONST && s.kind != Sym.VAR) {
                        unknown = false;
                        eval(s, writeOffset[rfChoice[i]]);
                        if (unknown) {
                            return false; // an unsolved equation: herd7's when_unsolved
                        }
                    }
                }
            }
            return true;
        }

        /** A final value: known, or the symbolic value of a variable nothing determines. */
        private long finalValue(Sym s, int off) {
            if (s.kind == Sym.VAR) {
                int r = find(off + s.var);
                return known[r] ? value[r] : Values.symbolic(r);
            }
            unknown = false;
            long x = eval(s, off);
            if (unknown) {
                throw new UnsolvedValue();
            }
            return x;
        }

        // ---- rf, with pruning ------------------------------------------------------------------------

        private long[] rfRel;
        private int[] source;

        private void chooseRf(int k) {
            if (k == readers.length) {
                if (solve(k, true)) {
                    chooseCo();
                }
                return;
            }
            for (int w : rfCandidates[k]) {
                tick();
                rfChoice[k] = w;
                if (!solve(k + 1, false)) {
                    continue;
                }
                if (viewPaths == null && k + 1 < readers.length && !partialAllowed(k + 1)) {
                    continue;
                }
                chooseRf(k + 1);
            }
        }

        /** The rf relation of reads 0..k-1 (lock reads-from of LKRs excluded: co decides them). */
        private void buildRf(int k) {
            Arrays.fill(rfRel, 0);
            Arrays.fill(source, -1);
            for (int i = 0; i < k; i++) {
                rfRel[rfChoice[i]] |= 1L << readers[i];
                source[readers[i]] = rfChoice[i];
            }
        }

        /**
         * cos-opt.cat's obsco: the co edges coherence forces given rf and po. Fills mustPrecede;
         * false when a write would have to precede the initial write.
         */
        private boolean forcedCo() {
            mustPrecede = poLocWrite.clone();
            for (int a = locations; a < n; a++) {
                long later = po[a];
                while (later != 0) {
                    int b = Long.numberOfTrailingZeros(later);
                    later &= later - 1;
                    if (loc[a] != loc[b] || cls[a].isLockEvent() || cls[b].isLockEvent() || !cls[a].isMemory()
                        || !cls[b].isMemory()) {
                        continue;
                    }
                    boolean aw = cls[a] == EventClass.WRITE;
                    boolean bw = cls[b] == EventClass.WRITE;
                    int before = -1;
                    int after = -1;
                    if (!aw && bw) { // rw: rf ; po-loc
                        before = source[a];
                        after = b;
                    } else if (aw && !bw) { // wr: po-loc ; rf^-1
                        before = a;
                        after = source[b];
                    } else if (!aw) { // rr: rf ; po-loc ; rf^-1
                        before = source[a];
                        after = source[b];
                    }
                    if (before < 0 || after < 0 || before == after) {
                        continue;
                    }
                    if (after < locations) {
                        return false; // nothing goes co-before the initial write
                    }
                    if (before >= locations) {
                        mustPrecede[after] |= 1L << before;
                    }
                }
            }
            return true;
        }

        /** co as far as known: IW first, the orders of locations 0..done-1, forced edges elsewhere. */
        private long[] partialCo(int done) {
            long[] co = new long[n];
            for (int w = locations; w < n; w++) {
                long before = mustPrecede[w];
                while (before != 0) {
                    int b = Long.numberOfTrailingZeros(before);
                    before &= before - 1;
                    co[b] |= 1L << w;
                }
                if (cls[w] == EventClass.WRITE || cls[w] == EventClass.LOCK_WRITE || cls[w] == EventClass.UNLOCK) {
                    co[loc[w]] |= 1L << w;
                }
            }
            for (int l = 0; l < done; l++) {
                int[] order = coOrder[l];
                long later = 0;
                for (int i = order.length - 1; i >= 0; i--) {
                    co[order[i]] |= later;
                    later |= 1L << order[i];
                }
            }
            for (int w = locations; w < n; w++) {
                if (cls[w] == EventClass.LOCK_WRITE && critical[w] >= 0) {
                    co[w] |= 1L << critical[w]; // a critical section's UL follows its LKW
                }
            }
            return Rel.plus(co);
        }

        private boolean partialAllowed(int k) {
            buildRf(k);
            if (!forcedCo()) {
                return false;
            }
            long[] co = partialCo(0);
            if (!Rel.irreflexive(co)) {
                return false;
            }
            return model.judge(prepared, rfRel, co, false).allowed();
        }

        // ---- co -----------------------------------------------------------------------------------

        private long[] mustPrecede; // per write: writes that coherence forces before it
        private int[][] coWrites; // per location: its non-initial writes (LKW for locks)
        private int[][] coOrder; // per location: the order being built
        private int lastMultiLocation;

        private void chooseCo() {
            buildRf(readers.length);
            if (viewPaths != null) {
                recordViewPaths();
                return;
            }
            if (!forcedCo()) {
                return;
            }
            coWrites = new int[locations][];
            coOrder = new int[locations][];
            lastMultiLocation = -1;
            for (int l = 0; l < locations; l++) {
                List<Integer> ws = new ArrayList<>();
                for (int e = locations; e < n; e++) {
                    if (loc[e] == l && (cls[e] == EventClass.WRITE || cls[e] == EventClass.LOCK_WRITE)) {
                        ws.add(e);
                    }
                }
                coWrites[l] = ws.stream().mapToInt(Integer::intValue).toArray();
                coOrder[l] = new int[coWrites[l].length];
                if (coWrites[l].length > 1) {
                    lastMultiLocation = l;
                }
            }
            if (lastMultiLocation >= 0) {
                long[] co = partialCo(0);
                if (!Rel.irreflexive(co) || !model.judge(prepared, rfRel, co, false).allowed()) {
                    return;
                }
            }
            orderLocation(0, 0, 0);
        }

        /** Enumerates the linear extensions of mustPrecede, location by location. */
        private void orderLocation(int l, int placedCount, long placed) {
            if (l == locations) {
                judgeCandidate();
                return;
            }
            int[] ws = coWrites[l];
            if (placedCount == ws.length) {
                if (ws.length > 1 && l < lastMultiLocation) {
                    long[] co = partialCo(l + 1);
                    if (!Rel.irreflexive(co) || !model.judge(prepared, rfRel, co, false).allowed()) {
                        return;
                    }
                }
                orderLocation(l + 1, 0, 0);
                return;
            }
            for (int w : ws) {
                if ((placed >>> w & 1) != 0 || (mustPrecede[w] & ~placed) != 0) {
                    continue;
                }
                if (cls[w] == EventClass.LOCK_WRITE && critical[w] < 0 && placedCount != ws.length - 1) {
                    continue; // lock.cat co0: the unmatched LKW comes after every other LKW
                }
                coOrder[l][placedCount] = w;
                orderLocation(l, placedCount + 1, placed | 1L << w);
            }
        }

        private final class UnsolvedValue extends RuntimeException {
            private static final long serialVersionUID = 1L;

            UnsolvedValue() {
                super(null, null, false, false);
            }
        }

        private void judgeCandidate() {
            tick();
            long[] co = new long[n];
            long[] rf = rfRel.clone();
            int[] finalWrite = new int[locations];
            for (int l = 0; l < locations; l++) {
                // the co sequence: IW, then the writes; for a lock each LKW is followed by its UL
                int[] seq = new int[1 + 2 * coOrder[l].length];
                int k = 0;
                seq[k++] = l;
                for (int w : coOrder[l]) {
                    seq[k++] = w;
                    if (cls[w] == EventClass.LOCK_WRITE && critical[w] >= 0) {
                        seq[k++] = critical[w];
                    }
                }
                long later = 0;
                for (int i = k - 1; i >= 0; i--) {
                    co[seq[i]] = later;
                    later |= 1L << seq[i];
                }
                for (int i = 1; i < k; i++) {
                    int w = seq[i];
                    if (cls[w] == EventClass.LOCK_WRITE) {
                        // lock.cat: an LKR reads from the IW or UL immediately co-before its LKW
                        rf[seq[i - 1]] |= 1L << lkwToLkr[w];
                    }
                }
                finalWrite[l] = seq[k - 1];
            }
            candidates++;
            Judgement j = model.judge(prepared, rf, co, !dataRace);
            if (!j.allowed()) {
                return;
            }
            long[] finals = new long[locations];
            Map<String, Long>[] regs;
            try {
                for (int l = 0; l < locations; l++) {
                    int w = finalWrite[l];
                    finals[l] = cls[w] == EventClass.WRITE || cls[w] == EventClass.INIT
                        ? finalValue(val[w], writeOffset[w]) : 0;
                }
                regs = finalRegisters();
            } catch (UnsolvedValue e) {
                return; // a final value computed from an undetermined one: herd7 leaves the system unsolved
            }
            if (allowedOutcome != null) {
                reportOutcome(regs, finals);
            }
            Condition.FinalState state = new Condition.FinalState() {
                @Override
                public long value(int t, String name) {
                    if (t < 0) {
                        int l = layout.index(name);
                        if (l < 0) {
                            throw new UnsupportedLitmusException("condition on unknown location " + name);
                        }
                        if (layout.isLock(l)) {
                            throw new UnsupportedLitmusException("condition on the value of spinlock " + name);
                        }
                        return asStored(t, name, finals[l]);
                    }
                    if (t >= chosen.length) {
                        throw new UnsupportedLitmusException("condition on missing process P" + t);
                    }
                    Long v = regs[t].get(name);
                    return v == null ? 0 : v;
                }

                @Override
                public long asStored(int t, String name, long v) {
                    int l = t < 0 ? layout.index(name) : -1;
                    if (l < 0 || Values.isPointer(v) || Values.isSymbolic(v)) {
                        return v;
                    }
                    return CTypes.mask(layout.type(l), v);
                }
            };
            java.util.function.ToLongFunction<String> address = layout::address;
            Condition c = test.condition();
            if (c.filter() != null && !Condition.eval(c.filter(), state, address)) {
                return;
            }
            if (Condition.eval(c.prop(), state, address)) {
                positive++;
            } else {
                negative++;
            }
            dataRace |= j.dataRace();
            mixed |= j.mixedAccesses();
        }

        @SuppressWarnings("unchecked")
        private Map<String, Long>[] finalRegisters() {
            Map<String, Long>[] regs = new Map[chosen.length];
            for (int t = 0; t < chosen.length; t++) {
                Map<String, Long> m = new java.util.HashMap<>();
                for (Map.Entry<String, Sym> e : chosen[t].registers.entrySet()) {
                    m.put(e.getKey(), finalValue(e.getValue(), offset[t]));
                }
                regs[t] = m;
            }
            return regs;
        }

        private void reportOutcome(Map<String, Long>[] regs, long[] finals) {
            Map<String, String> outcome = new java.util.TreeMap<>();
            for (int t = 0; t < chosen.length; t++) {
                for (Map.Entry<String, Long> e : regs[t].entrySet()) {
                    outcome.put(t + ":" + e.getKey(), render(e.getValue()));
                }
            }
            for (int l = 0; l < locations; l++) {
                if (!layout.isLock(l)) {
                    outcome.put(layout.name(l), render(finals[l]));
                }
            }
            if (outcomesSeen.add(outcome.toString())) {
                allowedOutcome.accept(outcome);
            }
        }

        private void recordViewPaths() {
            Map<String, Long>[] regs;
            try {
                regs = finalRegisters();
            } catch (UnsolvedValue e) {
                return;
            }
            for (int t = 0; t < chosen.length; t++) {
                ThreadPath p = chosen[t];
                List<ModelView.Event> evs = new ArrayList<>();
                boolean symbolic = false;
                for (int i = 0; i < p.size; i++) {
                    String v = null;
                    if (p.cls[i] == EventClass.READ || p.cls[i] == EventClass.WRITE) {
                        long x;
                        try {
                            x = finalValue(p.value[i], offset[t]);
                        } catch (UnsolvedValue e) {
                            return;
                        }
                        symbolic |= Values.isSymbolic(x);
                        v = render(x);
                    }
                    evs.add(new ModelView.Event(p.cls[i], p.tag[i], p.loc[i] < 0 ? null : layout.name(p.loc[i]), v));
                }
                if (symbolic) {
                    return; // a value out of thin air: no run can show it
                }
                Map<String, String> r = new java.util.TreeMap<>();
                regs[t].forEach((k, v) -> r.put(p.thread + ":" + k, render(v)));
                ModelView.Path path = new ModelView.Path(p.thread, List.copyOf(evs), r);
                viewPaths.get(t).putIfAbsent(evs + " " + r, path);
            }
        }
    }
}

package smptrace.litmus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Execution;
import smptrace.lkmm.Judgement;
import smptrace.lkmm.LinuxKernelCat;
import smptrace.lkmm.Rel;
import smptrace.lkmm.Tag;

/**
 * Decides a litmus test the way herd7 does: it enumerates every candidate execution (one path per
 * process, an rf for every read, a co per location), keeps those {@link LinuxKernelCat} allows,
 * and counts how many satisfy the condition. Values are concrete: each location's possible values
 * are computed first as a fixpoint over what the processes can write, and a read returning a value
 * must then read from a write of exactly that value.
 *
 * <p>Holds no state between calls; one instance may decide many tests, from one thread at a time
 * or several (each call allocates its own working state).
 */
public final class LitmusDecider {
    private static final int MAX_VALUES = 64;
    private final LinuxKernelCat model = new LinuxKernelCat();

    /** Decides a test; anything outside the modelled subset comes back as an unsupported decision. */
    public Decision decide(LitmusTest test) {
        return decide(test, null);
    }

    /**
     * Decides a test and hands {@code allowedOutcome} the final state of every execution the model
     * allows, before the filter is applied (for the engine cross-check: an outcome a JVM run shows
     * must be among them). The state maps {@code "P:reg"} to each register the process's path
     * assigned and every non-lock location's name to its final value; values are decimal, or the
     * name of the location a pointer points to. The verdict is the same as {@link #decide(LitmusTest)}.
     */
    public Decision decide(LitmusTest test, java.util.function.Consumer<Map<String, String>> allowedOutcome) {
        try {
            Run r = new Run(test);
            r.allowedOutcome = allowedOutcome;
            return r.decide();
        } catch (UnsupportedLitmusException e) {
            return Decision.unsupported(test.name(), e.getMessage());
        }
    }

    /**
     * The event skeleton of a test: its locations and every control-flow path of every process,
     * with the value each read returns and the registers at the end, over the same value domains
     * the decision uses. Throws {@link UnsupportedLitmusException} where {@link #decide} would say
     * unsupported.
     */
    public ModelView view(LitmusTest test) {
        return new Run(test).view();
    }

    /** The working state of one decision. */
    private final class Run {
        private final LitmusTest test;
        private final ProgramLayout layout;
        private final int locations;
        private long[][] domains;

        private long positive;
        private long negative;
        private long candidates;
        private boolean dataRace;
        private boolean mixed;

        // the current combination of paths
        private ThreadPath[] chosen;
        private int n;
        private int[] offset;
        private EventClass[] cls;
        private Tag[] tag;
        private int[] thread;
        private int[] loc;
        private long[] value;
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

        Run(LitmusTest test) {
            this.test = test;
            this.layout = new ProgramLayout(test);
            this.locations = layout.size();
        }

        private java.util.function.Consumer<Map<String, String>> allowedOutcome;

        ModelView view() {
            for (Ast.Thread th : test.threads()) {
                checkInstructionOrder(th.body());
            }
            List<List<ThreadPath>> paths = enumeratePaths();
            List<ModelView.Location> locs = new ArrayList<>();
            for (int l = 0; l < locations; l++) {
                boolean pointer = Values.isPointer(layout.init(l));
                boolean integer = !pointer && layout.init(l) != 0;
                for (long v : domains[l]) {
                    pointer |= Values.isPointer(v);
                    integer |= !Values.isPointer(v) && v != 0;
                }
                locs.add(new ModelView.Location(layout.name(l), layout.isLock(l), render(layout.init(l)), pointer,
                    integer));
            }
            List<List<ModelView.Path>> out = new ArrayList<>();
            for (List<ThreadPath> ps : paths) {
                List<ModelView.Path> views = new ArrayList<>();
                for (ThreadPath p : ps) {
                    List<ModelView.Event> evs = new ArrayList<>();
                    for (int i = 0; i < p.size; i++) {
                        evs.add(new ModelView.Event(p.cls[i], p.tag[i], p.loc[i] < 0 ? null : layout.name(p.loc[i]),
                            p.cls[i] == EventClass.READ || p.cls[i] == EventClass.WRITE ? render(p.value[i]) : null));
                    }
                    views.add(new ModelView.Path(p.thread, List.copyOf(evs), renderRegisters(p)));
                }
                out.add(List.copyOf(views));
            }
            return new ModelView(test.name(), List.copyOf(locs), List.copyOf(out));
        }

        private String render(long v) {
            return Values.isPointer(v) ? layout.name(Values.location(v)) : Long.toString(v);
        }

        private Map<String, String> renderRegisters(ThreadPath p) {
            Map<String, String> m = new java.util.TreeMap<>();
            p.registers.forEach((k, v) -> m.put(p.thread + ":" + k, render(v)));
            return m;
        }

        Decision decide() {
            for (Ast.Thread th : test.threads()) {
                checkInstructionOrder(th.body());
            }
            List<List<ThreadPath>> paths = enumeratePaths();
            combine(paths);
            return Decision.of(test.name(), positive, negative, dataRace, mixed, candidates);
        }

        // ---- values ---------------------------------------------------------------------------

        /**
         * Runs every process with read values drawn from per-location domains, adding the values
         * written, until nothing new appears. A value chain in one execution uses each write at
         * most once, so more rounds than static writes cannot add a value any execution can have.
         */
        private List<List<ThreadPath>> enumeratePaths() {
            domains = new long[locations][];
            for (int l = 0; l < locations; l++) {
                domains[l] = new long[] {layout.init(l)};
            }
            int writeSites = 0;
            for (Ast.Thread th : test.threads()) {
                writeSites += countWriteSites(th.body());
            }
            for (int round = 0; ; round++) {
                List<List<ThreadPath>> all = new ArrayList<>();
                List<TreeSet<Long>> next = new ArrayList<>();
                for (int l = 0; l < locations; l++) {
                    TreeSet<Long> s = new TreeSet<>();
                    for (long v : domains[l]) {
                        s.add(v);
                    }
                    next.add(s);
                }
                for (Ast.Thread th : test.threads()) {
                    List<ThreadPath> ps = new ThreadInterpreter(th, layout, domains,
                        layout.registerInit.get(th.id())).paths();
                    all.add(ps);
                    for (ThreadPath p : ps) {
                        for (int i = 0; i < p.size; i++) {
                            if (p.cls[i] == EventClass.WRITE) {
                                next.get(p.loc[i]).add(p.value[i]);
                            }
                        }
                    }
                }
                if (round > writeSites) {
                    return all; // the domains of this round already hold every value an execution can have
                }
                boolean changed = false;
                for (int l = 0; l < locations; l++) {
                    if (next.get(l).size() != domains[l].length) {
                        changed = true;
                        if (next.get(l).size() > MAX_VALUES) {
                            throw new UnsupportedLitmusException("more than " + MAX_VALUES + " possible values for "
                                + layout.name(l));
                        }
                        domains[l] = next.get(l).stream().mapToLong(Long::longValue).toArray();
                    }
                }
                if (!changed) {
                    return all;
                }
            }
        }

        private int countWriteSites(List<Ast.Stmt> body) {
            int c = 0;
            for (Ast.Stmt s : body) {
                if (s instanceof Ast.Store) {
                    c++;
                } else if (s instanceof Ast.If i) {
                    c += countWriteSites(i.then()) + countWriteSites(i.otherwise());
                }
                c += rmwCount(s);
            }
            return c;
        }

        private int rmwCount(Ast.Stmt s) {
            if (s instanceof Ast.Assign a) {
                return rmwCount(a.value());
            } else if (s instanceof Ast.Eval e) {
                return rmwCount(e.expr());
            } else if (s instanceof Ast.Store st) {
                return rmwCount(st.value()) + rmwCount(st.address());
            } else if (s instanceof Ast.If i) {
                return rmwCount(i.condition());
            }
            return 0;
        }

        private int rmwCount(Ast.Expr e) {
            if (e instanceof Ast.Rmw r) {
                return 1 + rmwCount(r.address()) + (r.operand() == null ? 0 : rmwCount(r.operand()))
                    + (r.operand2() == null ? 0 : rmwCount(r.operand2()));
            } else if (e instanceof Ast.Binary b) {
                return rmwCount(b.left()) + rmwCount(b.right());
            } else if (e instanceof Ast.Unary u) {
                return rmwCount(u.operand());
            } else if (e instanceof Ast.Load l) {
                return rmwCount(l.address());
            }
            return 0;
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

        private int valueIndex(int l, long v) {
            return Arrays.binarySearch(domains[l], v);
        }

        /**
         * Chooses one path per process. Paths are grouped by the set of (location, value) pairs
         * they write; a path whose reads need a value no other chosen group writes (and that is
         * neither initial nor written earlier by itself) cannot be part of an execution.
         */
        private void combine(List<List<ThreadPath>> paths) {
            int threads = paths.size();
            List<List<BitSet>> keys = new ArrayList<>();
            List<Map<BitSet, List<ThreadPath>>> groups = new ArrayList<>();
            List<Map<ThreadPath, BitSet>> needs = new ArrayList<>();
            for (List<ThreadPath> ps : paths) {
                Map<BitSet, List<ThreadPath>> g = new LinkedHashMap<>();
                Map<ThreadPath, BitSet> nd = new java.util.IdentityHashMap<>();
                for (ThreadPath p : ps) {
                    BitSet provides = new BitSet();
                    BitSet need = new BitSet();
                    for (int i = 0; i < p.size; i++) {
                        int l = p.loc[i];
                        if (p.cls[i] == EventClass.WRITE) {
                            int vi = valueIndex(l, p.value[i]);
                            if (vi >= 0) { // a value outside the final domain is one no read can return
                                provides.set(l * MAX_VALUES + vi);
                            }
                        } else if (p.cls[i] == EventClass.READ && p.value[i] != layout.init(l)) {
                            boolean own = false;
                            for (int j = 0; j < i; j++) {
                                own |= p.cls[j] == EventClass.WRITE && p.loc[j] == l && p.value[j] == p.value[i];
                            }
                            if (!own) {
                                need.set(l * MAX_VALUES + valueIndex(l, p.value[i]));
                            }
                        }
                    }
                    g.computeIfAbsent(provides, k -> new ArrayList<>()).add(p);
                    nd.put(p, need);
                }
                groups.add(g);
                keys.add(new ArrayList<>(g.keySet()));
                needs.add(nd);
            }
            chosen = new ThreadPath[threads];
            int[] keyChoice = new int[threads];
            if (threads == 0) {
                return;
            }
            for (List<BitSet> k : keys) {
                if (k.isEmpty()) {
                    return; // a process with no possible path: no execution at all
                }
            }
            while (true) {
                List<List<ThreadPath>> usable = new ArrayList<>();
                boolean empty = false;
                for (int t = 0; t < threads; t++) {
                    BitSet available = new BitSet();
                    for (int u = 0; u < threads; u++) {
                        if (u != t) {
                            available.or(keys.get(u).get(keyChoice[u]));
                        }
                    }
                    List<ThreadPath> ok = new ArrayList<>();
                    for (ThreadPath p : groups.get(t).get(keys.get(t).get(keyChoice[t]))) {
                        BitSet need = (BitSet) needs.get(t).get(p).clone();
                        need.andNot(available);
                        if (need.isEmpty()) {
                            ok.add(p);
                        }
                    }
                    empty |= ok.isEmpty();
                    usable.add(ok);
                }
                if (!empty) {
                    productOfPaths(usable, 0);
                }
                int t = threads - 1;
                while (t >= 0 && keyChoice[t] + 1 >= keys.get(t).size()) {
                    keyChoice[t] = 0;
                    t--;
                }
                if (t < 0) {
                    return;
                }
                keyChoice[t]++;
            }
        }

        private void productOfPaths(List<List<ThreadPath>> usable, int t) {
            if (t == usable.size()) {
                layOut();
                return;
            }
            for (ThreadPath p : usable.get(t)) {
                chosen[t] = p;
                productOfPaths(usable, t + 1);
            }
        }

        // ---- one combination: events and static relations ---------------------------------------

        private void layOut() {
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
            value = new long[n];
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
                value[l] = layout.init(l);
            }
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
                    value[e] = p.value[i];
                    po[e] = threadMask & ~((2L << e) - 1);
                    if (p.rmwPartner[i] >= 0) {
                        rmw[e] |= 1L << (o + p.rmwPartner[i]);
                    }
                    spread(p.addrFrom[i], o, e, addr);
                    spread(p.dataFrom[i], o, e, data);
                    spread(p.ctrlFrom[i], o, e, ctrl);
                }
                rmwInstr |= p.rmwInstr << o;
            }
            if (!locksWellFormed()) {
                return;
            }
            // same-location writes po-before each write (obsco's ww)
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
            if (!rfCandidates()) {
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
                            if ((cls[w] == EventClass.INIT || cls[w] == EventClass.WRITE) && loc[w] == loc[r]
                                && value[w] == value[r] && !(thread[w] == thread[r] && w > r)) {
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

        private void chooseRf(int k) {
            if (k == readers.length) {
                chooseCo();
                return;
            }
            for (int w : rfCandidates[k]) {
                rfChoice[k] = w;
                chooseRf(k + 1);
            }
        }

        // ---- co -----------------------------------------------------------------------------------

        private long[] mustPrecede; // per write: writes that coherence forces before it
        private int[][] coWrites; // per location: its non-initial writes (LKW for locks)
        private int[][] coOrder; // per location: the order being built
        private long[] rfRel;

        private void chooseCo() {
            rfRel = new long[n];
            int[] source = new int[n];
            Arrays.fill(source, -1);
            for (int k = 0; k < readers.length; k++) {
                rfRel[rfChoice[k]] |= 1L << readers[k];
                source[readers[k]] = rfChoice[k];
            }
            // cos-opt.cat's obsco: the co edges coherence forces given rf and po
            mustPrecede = poLocWrite.clone();
            for (int a = locations; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    if ((po[a] >>> b & 1) == 0 || loc[a] != loc[b] || cls[a].isLockEvent() || cls[b].isLockEvent()) {
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
                    if (before < 0 || before == after) {
                        continue;
                    }
                    if (after < locations) {
                        return; // nothing goes co-before the initial write
                    }
                    if (before >= locations) {
                        mustPrecede[after] |= 1L << before;
                    }
                }
            }
            coWrites = new int[locations][];
            coOrder = new int[locations][];
            for (int l = 0; l < locations; l++) {
                List<Integer> ws = new ArrayList<>();
                for (int e = locations; e < n; e++) {
                    if (loc[e] == l && (cls[e] == EventClass.WRITE || cls[e] == EventClass.LOCK_WRITE)) {
                        ws.add(e);
                    }
                }
                coWrites[l] = ws.stream().mapToInt(Integer::intValue).toArray();
                coOrder[l] = new int[coWrites[l].length];
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

        private void judgeCandidate() {
            long[] co = new long[n];
            long[] rf = rfRel.clone();
            long[] finals = new long[locations];
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
                finals[l] = value[seq[k - 1]];
            }
            candidates++;
            Execution x = new Execution(cls, tag, thread, loc, value, rmwInstr, po, rf, co, rmw, addr, data, ctrl);
            Judgement j = model.judge(x);
            if (!j.allowed()) {
                return;
            }
            if (allowedOutcome != null) {
                Map<String, String> outcome = new java.util.TreeMap<>();
                for (ThreadPath p : chosen) {
                    outcome.putAll(renderRegisters(p));
                }
                for (int l = 0; l < locations; l++) {
                    if (!layout.isLock(l)) {
                        outcome.put(layout.name(l), render(finals[l]));
                    }
                }
                allowedOutcome.accept(outcome);
            }
            Condition.FinalState state = (t, name) -> {
                if (t < 0) {
                    int l = layout.index(name);
                    if (l < 0) {
                        throw new UnsupportedLitmusException("condition on unknown location " + name);
                    }
                    if (layout.isLock(l)) {
                        throw new UnsupportedLitmusException("condition on the value of spinlock " + name);
                    }
                    return finals[l];
                }
                if (t >= chosen.length) {
                    throw new UnsupportedLitmusException("condition on missing process P" + t);
                }
                Long v = chosen[t].registers.get(name);
                return v == null ? 0 : v;
            };
            java.util.function.ToLongFunction<String> address = name -> {
                int l = layout.index(name);
                if (l < 0) {
                    throw new UnsupportedLitmusException("condition names unknown location " + name);
                }
                return Values.pointer(l);
            };
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
    }
}

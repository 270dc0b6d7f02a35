package smptrace.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.EventSource;
import smptrace.trace.TraceException;
import smptrace.trace.TraceInfo;

/**
 * The second look at a trace, for reports: every event a finding names, found again by (thread, seq)
 * with its full context and its place in replay order, and the steps that lead to it that the
 * detectors do not list: the context's own earlier reads of the same location since its last write
 * to it (the check that read the lock free, the re-read of a busy-wait). Also the watchdog's records
 * with the last events of the stuck CPU. Names are rendered after the pass, when every object has
 * its kernel name. One pass; memory is bounded by the findings' contexts and locations.
 */
public final class Steps {
    /** Earlier reads kept per (context, location) before a finding's access. */
    static final int CHECKS = 3;
    /** Events kept per CPU before a watchdog record. */
    static final int LEAD_UP = 8;
    /** Events of a hang's waiting context kept before (and including) its busy-wait, each loop iteration folded into one. */
    static final int WAIT_LEAD_UP = 6;
    /** A step that repeats one of this many steps before it (same context, site, operation, location, value) is a loop iteration. */
    static final int LOOP_BODY = 4;

    /** One step of a witness: a copy of the event, its position in replay order, and its role. */
    public static final class Step {
        public final long pos;
        final Event e = new Event();
        /** "access" (an event the finding names) or "check" (an earlier read of the same location). */
        public final String role;
        /** The witness's note on this event, or null. */
        public String note;
        /** Filled in after the pass. */
        public EventRef ref;

        Step(long pos, Event src, String role) {
            this.pos = pos;
            this.e.copyFrom(src);
            this.role = role;
        }

        public long id() {
            return e.id();
        }

        /** Reads: the event id of the write read from, or -1 (initial value, or not a read). */
        public long rf() {
            return e.kind.reads() ? e.rfId : -1;
        }

        public EventKind kind() {
            return e.kind;
        }

        public int site() {
            return e.site;
        }

        /** "task9", "irq(cpu1)", "boot": the context, as EventRef names it. */
        public String context() {
            return ref.context();
        }
    }

    /** A watchdog record (STUCK) with the last events of its CPU before it. */
    public record Stuck(int cpu, String reason, Step record, List<Step> leadUp) { }

    /**
     * A context a {@code hang} finding names as busy-waiting, and how it got there: its waiting read, the
     * first read of the wait and how many reads the wait made ({@code reads}: the loop's iterations of that
     * read), the last write to the location it waits on before its waiting read (null: none recorded, the
     * initial value), and its own last events before the wait, oldest first, the wait's first read last
     * (a loop's iterations folded into the first: a step that repeats one of the {@link #LOOP_BODY} before it).
     * {@code spinning}: the detector found it busy-waiting on the location; false: the context the watchdog
     * stopped, in a loop that is no wait (a flush walking a cycle), {@code waiter} that loop's most-run read.
     */
    public record Wait(Step waiter, Step spinStart, int reads, Step lastWrite, List<Step> leadUp, boolean spinning) { }

    /** Sites of the program-order predecessors kept per recording stream, for call stacks. */
    static final int RECENT = 512;

    private final Map<Finding, List<Step>> steps = new IdentityHashMap<>();
    /** Per event a finding names: the sites of its context's earlier events, most recent first (see {@link #recent}). */
    private final Map<Long, int[]> recent = new HashMap<>();
    private final List<Stuck> stuck = new ArrayList<>();
    private final Map<Finding, List<Wait>> waits = new IdentityHashMap<>();
    private final TraceInfo info;

    private Steps(TraceInfo info) {
        this.info = info;
    }

    /** Without a second look (the trace is gone): each finding's events as the detector gave them. */
    public static Steps none(TraceInfo info) {
        return new Steps(info);
    }

    public List<Step> of(Finding f) {
        return steps.getOrDefault(f, List.of());
    }

    public boolean has(Finding f) {
        return steps.containsKey(f);
    }

    public List<Stuck> stuck() {
        return stuck;
    }

    /** The busy-waiting contexts of a {@code hang} finding, in the finding's order; empty for any other finding. */
    public List<Wait> waits(Finding f) {
        return waits.getOrDefault(f, List.of());
    }

    public TraceInfo info() {
        return info;
    }

    /**
     * The sites of the events its own context executed before event {@code id} (same recording stream and
     * context, most recent first, at most {@link #RECENT}), or an empty array: what the call stack of the
     * event is reconstructed from ({@link Words#stack}).
     */
    public int[] recent(long id) {
        int[] r = recent.get(id);
        return r == null ? new int[0] : r;
    }

    /** A small ring of event copies, reused. */
    private static final class Ring {
        final Event[] ev;
        final long[] pos;
        /** Per entry: how many times a loop ran it ({@link #fold}); 1 for a step that ran once. */
        final int[] reps;
        int n;
        int head;
        /** The location whose reads it holds (location indices are recycled when objects die). */
        long loc = Long.MIN_VALUE;

        Ring(int size) {
            ev = new Event[size];
            pos = new long[size];
            reps = new int[size];
            for (int i = 0; i < size; i++) {
                ev[i] = new Event();
            }
        }

        void add(Event e, long p) {
            ev[head].copyFrom(e);
            pos[head] = p;
            reps[head] = 1;
            head = (head + 1) % ev.length;
            n = Math.min(n + 1, ev.length);
        }

        /**
         * Adds {@code e} unless it repeats one of the last {@code body} entries (same context, site, operation,
         * location and value: another iteration of a loop), which then counts one more run; returns the entry's index.
         */
        /** The read by context {@code ctx} that a loop ran most often (the newest of equals), or -1. */
        int loopRead(int ctx) {
            int best = -1;
            for (int i = 1; i <= n; i++) {
                int k = (head - i + ev.length) % ev.length;
                if (ev[k].ctx == ctx && ev[k].kind.shape == EventKind.Shape.READ && (best < 0 || reps[k] > reps[best])) {
                    best = k;
                }
            }
            return best;
        }

        int fold(Event e, long p, int body) {
            for (int i = 1; i <= Math.min(body, n); i++) {
                int k = (head - i + ev.length) % ev.length;
                Event x = ev[k];
                if (x.ctx == e.ctx && x.site == e.site && x.kind == e.kind && x.loc == e.loc && x.value == e.value) {
                    reps[k]++;
                    return k;
                }
            }
            int k = head;
            add(e, p);
            return k;
        }

        /** Oldest first. */
        List<Step> snapshot(String role) {
            List<Step> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = (head - n + i + ev.length) % ev.length;
                l.add(new Step(pos[k], ev[k], role));
            }
            return l;
        }
    }

    /** Reads the source once and collects the steps of every finding. */
    public static Steps collect(EventSource src, List<Finding> findings) throws TraceException {
        Steps s = new Steps(src.info());
        Map<Long, List<Finding>> wanted = new HashMap<>();
        Map<Integer, Boolean> threads = new HashMap<>();
        for (Finding f : findings) {
            for (EventRef r : f.events) {
                if (r.thread() >= 0 && r.seq() >= 0) {
                    wanted.computeIfAbsent(Event.id(r.thread(), r.seq()), k -> new ArrayList<>()).add(f);
                    threads.put(r.thread(), Boolean.TRUE);
                }
            }
            s.steps.put(f, new ArrayList<>());
        }
        int maxThread = threads.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        // per wanted thread, per dense location index: the reads since the thread's last write there
        Ring[][] reads = new Ring[maxThread + 1][];
        for (int t : threads.keySet()) {
            reads[t] = new Ring[64];
        }
        Map<Integer, Ring> perCpu = new HashMap<>();
        // per wanted thread: the last RECENT events' (site, context), a ring
        int[][] recSite = new int[maxThread + 1][];
        int[][] recCtx = new int[maxThread + 1][];
        int[] recHead = new int[maxThread + 1];
        for (int t : threads.keySet()) {
            recSite[t] = new int[RECENT];
            recCtx[t] = new int[RECENT];
            java.util.Arrays.fill(recCtx[t], Integer.MIN_VALUE);
        }
        // a hang's waiters: per location the last write, per wanted thread its own recent steps (loops folded)
        boolean hang = findings.stream().anyMatch(f -> f.kind == Finding.Kind.HANG);
        Event[] lastW = hang ? new Event[256] : null;
        long[] lastWPos = hang ? new long[256] : null;
        Ring[] mine = hang ? new Ring[maxThread + 1] : null;
        if (hang) {
            for (int t : threads.keySet()) {
                mine[t] = new Ring(WAIT_LEAD_UP * 4);
            }
        }
        Event e = new Event();
        long pos = 0;
        // sources without dense location indices (in-memory ones) get them here
        smptrace.trace.LocationTable own = new smptrace.trace.LocationTable(1024);
        while (src.next(e)) {
            pos++;
            if (e.kind.isMemory() && e.locIndex < 0) {
                e.locIndex = own.indexOf(e.loc);
            }
            if (e.cpu >= 0) {
                Ring r = perCpu.get(e.cpu);
                if (r == null) {
                    r = new Ring(LEAD_UP);
                    perCpu.put(e.cpu, r);
                }
                if (e.kind == EventKind.STUCK) {
                    Step rec = new Step(pos, e, "stuck");
                    s.stuck.add(new Stuck((int) e.a, e.text, rec, r.snapshot("lead-up")));
                    // the CPU the watchdog names, if it is not the stream's own
                    Ring named = perCpu.get((int) e.a);
                    if (named != null && named != r) {
                        s.stuck.set(s.stuck.size() - 1, new Stuck((int) e.a, e.text, rec, named.snapshot("lead-up")));
                    }
                } else if (!simulatorStep(e, s.info)) {
                    r.add(e, pos);
                }
            } else if (e.kind == EventKind.STUCK) {
                s.stuck.add(new Stuck((int) e.a, e.text, new Step(pos, e, "stuck"), List.of()));
            }
            int t = e.thread;
            boolean mem = e.kind.isMemory() && e.locIndex >= 0 && t <= maxThread && reads[t] != null;
            List<Finding> fs = (t <= maxThread && reads[t] != null) ? wanted.get(e.id()) : null;
            int ownAt = -1;
            if (hang && t >= 0 && t <= maxThread && mine[t] != null && !simulatorStep(e, s.info) && e.kind != EventKind.STUCK) {
                ownAt = mine[t].fold(e, pos, LOOP_BODY);
            }
            if (fs != null && hang && e.kind.shape == EventKind.Shape.READ) { // a waiting read; the RMWs named are what led there
                for (Finding f : fs) {
                    if (f.kind == Finding.Kind.HANG) {
                        s.addWait(f, e, pos, mine[t], ownAt, lastW, lastWPos, true);
                    }
                }
            }
            if (fs != null && hang && e.kind == EventKind.STUCK && t >= 0 && t <= maxThread && mine[t] != null) {
                // the watchdog stopped a context that was not busy-waiting on a location (a flush walking a cycle):
                // that context is the stuck one, in the loop its last read belongs to
                for (Finding f : fs) {
                    int k = mine[t].loopRead(e.ctx);
                    if (f.kind == Finding.Kind.HANG && s.waits(f).isEmpty() && k >= 0) {
                        s.addWait(f, mine[t].ev[k], mine[t].pos[k], mine[t], k, lastW, lastWPos, false);
                    }
                }
            }
            if (hang && e.kind.writes() && e.locIndex >= 0) {
                if (e.locIndex >= lastW.length) {
                    lastW = java.util.Arrays.copyOf(lastW, Math.max(lastW.length * 2, e.locIndex + 1));
                    lastWPos = java.util.Arrays.copyOf(lastWPos, lastW.length);
                }
                if (lastW[e.locIndex] == null) {
                    lastW[e.locIndex] = new Event();
                }
                lastW[e.locIndex].copyFrom(e);
                lastWPos[e.locIndex] = pos;
            }
            if (fs != null) {
                if (!s.recent.containsKey(e.id())) {
                    int[] out = new int[RECENT];
                    int n = 0;
                    for (int i = 1; i <= RECENT; i++) {
                        int k = (recHead[t] - i + RECENT) % RECENT;
                        if (recCtx[t][k] == e.ctx && recSite[t][k] > 0) {
                            out[n++] = recSite[t][k];
                        }
                    }
                    s.recent.put(e.id(), java.util.Arrays.copyOf(out, n));
                }
                Ring ring = mem && e.locIndex < reads[t].length ? reads[t][e.locIndex] : null;
                if (ring != null && ring.loc != e.loc) {
                    ring = null; // the index belonged to a dead object's location
                }
                for (Finding f : fs) {
                    List<Step> l = s.steps.get(f);
                    if (ring != null && f.kind != Finding.Kind.HANG) { // a hang's re-reads are its wait (waits())
                        for (Step c : ring.snapshot("check")) {
                            if (l.stream().noneMatch(x -> x.id() == c.id())) {
                                l.add(c);
                            }
                        }
                    }
                    if (l.stream().noneMatch(x -> x.id() == e.id())) {
                        l.add(new Step(pos, e, "access"));
                    }
                }
            }
            if (t <= maxThread && recSite[t] != null && e.site > 0) {
                recSite[t][recHead[t]] = e.site;
                recCtx[t][recHead[t]] = e.ctx;
                recHead[t] = (recHead[t] + 1) % RECENT;
            }
            if (mem) {
                Ring[] rs = reads[t];
                if (e.locIndex >= rs.length) {
                    rs = java.util.Arrays.copyOf(rs, Math.max(rs.length * 2, e.locIndex + 1));
                    reads[t] = rs;
                }
                Ring held = rs[e.locIndex];
                if (held != null && held.loc != e.loc) {
                    held.n = 0; // a recycled index: the reads it held were of another location
                    held.loc = e.loc;
                }
                if (e.kind.writes()) {
                    if (held != null) {
                        held.n = 0;
                    }
                } else if (e.kind.reads()) {
                    Ring r = held;
                    if (r == null) {
                        r = new Ring(CHECKS);
                        r.loc = e.loc;
                        rs[e.locIndex] = r;
                    }
                    r.add(e, pos);
                }
            }
        }
        // names are complete now: render, order, attach the witness notes
        for (Map.Entry<Finding, List<Step>> x : s.steps.entrySet()) {
            List<Step> l = x.getValue();
            l.sort((a, b) -> Long.compare(a.pos, b.pos));
            for (Step st : l) {
                st.ref = EventRef.of(st.e, s.info);
                String n = note(x.getKey(), st);
                if (n != null || st.note == null) {
                    st.note = n;
                }
            }
        }
        for (Stuck st : s.stuck) {
            st.record().ref = EventRef.of(st.record().e, s.info);
            for (Step l : st.leadUp()) {
                l.ref = EventRef.of(l.e, s.info);
            }
        }
        return s;
    }

    /**
     * The simulator's own steps, which are no kernel code: its run-queue lock and task switches around every
     * scheduling point, a busy-wait's cpu_relax(). Preemption and interrupt state changes are kept (put_cpu(),
     * local_irq_restore() are the kernel's, recorded at the simulator's site).
     */
    static boolean simulatorStep(Event e, TraceInfo info) {
        switch (e.kind) {
            case CPU_RELAX: case TASK_ON_CPU: case TASK_OFF_CPU: case ALLOC: case NAME: case ROLE: case MARK:
                return true;
            case PREEMPT_DISABLE: case PREEMPT_ENABLE: case IRQ_DISABLE: case IRQ_ENABLE: case IRQ_ENTER: case IRQ_EXIT:
            case IPI_SEND: case STUCK:
                return false;
            default:
                break;
        }
        smptrace.trace.Site st = e.site > 0 && info != null ? info.site(e.site) : null;
        return st != null && st.className() != null && st.className().startsWith("smptrace.engine.sim.");
    }

    /** Records the waiting read {@code e} of hang finding {@code f}: its wait, the last write there, its lead-up. */
    private void addWait(Finding f, Event e, long pos, Ring mine, int at, Event[] lastW, long[] lastWPos, boolean spinning) {
        List<Step> l = steps.get(f);
        Step waiter = null;
        for (Step x : l) {
            if (x.id() == e.id()) {
                waiter = x;
            }
        }
        if (waiter == null) {
            waiter = new Step(pos, e, "access");
            l.add(waiter);
        }
        Step lastWrite = null;
        if (e.locIndex >= 0 && e.locIndex < lastW.length && lastW[e.locIndex] != null) {
            lastWrite = add(l, new Step(lastWPos[e.locIndex], lastW[e.locIndex], "last-write"));
        }
        List<Step> lead = new ArrayList<>();
        Step spin = waiter;
        int reads = 1;
        if (mine != null && at >= 0) {
            // the context's own steps, newest first, up to WAIT_LEAD_UP of them; the wait's folded read is the newest
            for (int i = 0, k = at; i < mine.n && lead.size() < WAIT_LEAD_UP; i++, k = (k - 1 + mine.ev.length) % mine.ev.length) {
                if (i > 0 && k == at || mine.ev[k].ctx != e.ctx) {
                    continue;
                }
                if (k == at) {
                    spin = add(l, new Step(mine.pos[k], mine.ev[k], "wait"));
                    reads = mine.reps[k];
                    lead.add(0, spin);
                } else {
                    Step st = add(l, new Step(mine.pos[k], mine.ev[k], "lead-up"));
                    if (mine.reps[k] > 1) {
                        st.note = "ran " + mine.reps[k] + " times (a loop)";
                    }
                    lead.add(0, st);
                }
            }
        }
        waits.computeIfAbsent(f, k -> new ArrayList<>()).add(new Wait(waiter, spin, reads, lastWrite, lead, spinning));
    }

    /** {@code st}, or the step of the same event already in {@code l}. */
    private static Step add(List<Step> l, Step st) {
        for (Step x : l) {
            if (x.id() == st.id()) {
                return x;
            }
        }
        l.add(st);
        return st;
    }

    /** The detector's note for this event: the text after "--" on the witness line that names "#thread.seq ". */
    private static String note(Finding f, Step st) {
        String tag = "#" + st.e.thread + "." + st.e.seq + " ";
        for (String w : f.witness) {
            int i = w.indexOf(tag);
            int d = w.lastIndexOf("-- ");
            if (i >= 0 && d > i) {
                return w.substring(d + 3).trim();
            }
        }
        if (st.role.equals("check")) {
            return "the same context read it earlier";
        }
        if (st.role.equals("last-write")) {
            return "the last write to the location a context waits on";
        }
        if (st.role.equals("wait")) {
            return "the wait's first read";
        }
        return null;
    }
}

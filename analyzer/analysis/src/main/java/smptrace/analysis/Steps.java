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

    /** Sites of the program-order predecessors kept per recording stream, for call stacks. */
    static final int RECENT = 512;

    private final Map<Finding, List<Step>> steps = new IdentityHashMap<>();
    /** Per event a finding names: the sites of its context's earlier events, most recent first (see {@link #recent}). */
    private final Map<Long, int[]> recent = new HashMap<>();
    private final List<Stuck> stuck = new ArrayList<>();
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
        int n;
        int head;
        /** The location whose reads it holds (location indices are recycled when objects die). */
        long loc = Long.MIN_VALUE;

        Ring(int size) {
            ev = new Event[size];
            pos = new long[size];
            for (int i = 0; i < size; i++) {
                ev[i] = new Event();
            }
        }

        void add(Event e, long p) {
            ev[head].copyFrom(e);
            pos[head] = p;
            head = (head + 1) % ev.length;
            n = Math.min(n + 1, ev.length);
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
                } else {
                    r.add(e, pos);
                }
            } else if (e.kind == EventKind.STUCK) {
                s.stuck.add(new Stuck((int) e.a, e.text, new Step(pos, e, "stuck"), List.of()));
            }
            int t = e.thread;
            boolean mem = e.kind.isMemory() && e.locIndex >= 0 && t <= maxThread && reads[t] != null;
            List<Finding> fs = (t <= maxThread && reads[t] != null) ? wanted.get(e.id()) : null;
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
                    if (ring != null) {
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
                st.note = note(x.getKey(), st);
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
        return null;
    }
}

package smptrace.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.LocationTable;
import smptrace.trace.EventSource;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceException;

/**
 * The pipeline: one pass over an {@link EventSource}; per event the happens-before engine joins,
 * every detector looks, the engine publishes; then each detector finishes. Returns the findings.
 * Instances are cheap and hold nothing between calls; analyse many traces in parallel with one
 * Analyzer per thread or per call.
 */
public final class Analyzer {
    private final Options options;
    private final Function<Analysis, List<Detector>> detectors;
    /** Told the number of events read so far, every 2^20 events (progress bars); null: nobody asks. */
    private java.util.function.LongConsumer progress;

    public Analyzer(Options options) {
        this(options, Analyzer::standardDetectors);
    }

    /** With a custom detector set (tests). */
    public Analyzer(Options options, Function<Analysis, List<Detector>> detectors) {
        this.options = options;
        this.detectors = detectors;
    }

    /** Reports progress (events read) every 2^20 events; returns this. */
    public Analyzer progress(java.util.function.LongConsumer p) {
        progress = p;
        return this;
    }

    /** The detectors of {@code smptrace analyze}, one per finding family. */
    public static List<Detector> standardDetectors(Analysis a) {
        List<Detector> l = new ArrayList<>();
        l.add(new DataRaceDetector());
        l.add(new CsdOwnershipDetector());
        l.add(new HotplugDetector());
        l.add(new PreemptionWindowDetector());
        l.add(new OrderingDetector());
        l.add(new UseAfterFreeDetector());
        l.add(new LivenessDetector());
        l.add(new CallbackOwnershipDetector());
        return l;
    }

    /** One event through the pipeline: happens-before joins, every detector looks, happens-before publishes. */
    private static void feed(Event e, Analysis a, Hb hb, Detector[] d, Detector[][] byKind, Standard std,
            LocationTable shared) {
        int li;
        if (e.kind.isMemory()) {
            li = shared != null && e.locIndex >= 0 ? e.locIndex : a.locs.indexOf(e.loc);
            a.locIndex = li;
            a.role = li >= 0 ? a.facts.role(li, e.loc) : 0;
        } else {
            li = -1;
            a.locIndex = -1;
            a.role = 0;
            if (e.kind == smptrace.trace.EventKind.KFREE) {
                free(e, a, hb, d, shared);
            }
        }
        hb.before(e, li);
        if (std != null) {
            std.onEvent(e, a);
        } else {
            for (Detector x : byKind[e.kind.ordinal()]) {
                x.onEvent(e, a);
            }
        }
        hb.after(e);
    }

    /** A KFREE, before the event itself is fed: the object dies, every per-location and per-object state kept for it goes. */
    private static void free(Event e, Analysis a, Hb hb, Detector[] d, LocationTable shared) {
        a.lifetimes.free(e, a, shared != null);
        for (int i = 0; i < a.lifetimes.freedCount(); i++) {
            int fl = a.lifetimes.freedLocation(i);
            hb.forget(fl);
            a.facts.forget(fl);
        }
        for (Detector x : d) {
            x.onFree((int) e.a, a);
        }
    }

    /**
     * The standard detector set, called by their own classes rather than through the interface (no interface
     * dispatch per detector and event): per event only the detectors that subscribe to its kind
     * ({@link Detector#kinds}), in the list's order, as the general path's per-kind arrays do.
     */
    private static final class Standard {
        private final DataRaceDetector dataRace;
        private final CsdOwnershipDetector csd;
        private final HotplugDetector hotplug;
        private final PreemptionWindowDetector preemption;
        private final OrderingDetector ordering;
        private final UseAfterFreeDetector useAfterFree;
        private final LivenessDetector liveness;
        private final CallbackOwnershipDetector callbacks;
        /** By kind (ordinal): bit i set when detector i (in the list's order) subscribes to the kind. */
        private final int[] subscribed;

        private Standard(Detector[] d) {
            dataRace = (DataRaceDetector) d[0];
            csd = (CsdOwnershipDetector) d[1];
            hotplug = (HotplugDetector) d[2];
            preemption = (PreemptionWindowDetector) d[3];
            ordering = (OrderingDetector) d[4];
            useAfterFree = (UseAfterFreeDetector) d[5];
            liveness = (LivenessDetector) d[6];
            callbacks = (CallbackOwnershipDetector) d[7];
            subscribed = new int[KINDS.length];
            for (int i = 0; i < d.length; i++) {
                for (EventKind k : d[i].kinds()) {
                    subscribed[k.ordinal()] |= 1 << i;
                }
            }
        }

        /** The typed set when d is exactly {@link #standardDetectors}' list, in its order; null otherwise. */
        static Standard of(Detector[] d) {
            if (d.length == 8 && d[0] instanceof DataRaceDetector && d[1] instanceof CsdOwnershipDetector
                    && d[2] instanceof HotplugDetector && d[3] instanceof PreemptionWindowDetector
                    && d[4] instanceof OrderingDetector && d[5] instanceof UseAfterFreeDetector
                    && d[6] instanceof LivenessDetector && d[7] instanceof CallbackOwnershipDetector) {
                return new Standard(d);
            }
            return null;
        }

        /** The detectors that subscribe to the event's kind, in the list's order. */
        void onEvent(Event e, Analysis a) {
            int m = subscribed[e.kind.ordinal()];
            if ((m & 1) != 0) {
                dataRace.onEvent(e, a);
            }
            if ((m & 2) != 0) {
                csd.onEvent(e, a);
            }
            if ((m & 4) != 0) {
                hotplug.onEvent(e, a);
            }
            if ((m & 8) != 0) {
                preemption.onEvent(e, a);
            }
            if ((m & 16) != 0) {
                ordering.onEvent(e, a);
            }
            if ((m & 32) != 0) {
                useAfterFree.onEvent(e, a);
            }
            if ((m & 64) != 0) {
                liveness.onEvent(e, a);
            }
            if ((m & 128) != 0) {
                callbacks.onEvent(e, a);
            }
        }
    }

    private static final EventKind[] KINDS = EventKind.values();

    /** Per kind (ordinal), the detectors of d that subscribe to it ({@link Detector#kinds}), in d's order. */
    static Detector[][] byKind(Detector[] d) {
        Detector[][] by = new Detector[KINDS.length][];
        List<Set<EventKind>> kinds = new ArrayList<>();
        for (Detector x : d) {
            kinds.add(x.kinds());
        }
        for (EventKind k : KINDS) {
            List<Detector> l = new ArrayList<>();
            for (int i = 0; i < d.length; i++) {
                if (kinds.get(i).contains(k)) {
                    l.add(d[i]);
                }
            }
            by[k.ordinal()] = l.toArray(new Detector[0]);
        }
        return by;
    }

    public AnalysisResult analyze(EventSource src) throws TraceException {
        smptrace.trace.TraceReader reader = src instanceof smptrace.trace.TraceReader r ? r : null;
        LocationTable shared = reader != null ? reader.locations() : null;
        Analysis a = new Analysis(src.info(), options, shared);
        List<Detector> ds = detectors.apply(a);
        Detector[] d = ds.toArray(new Detector[0]);
        Standard std = Standard.of(d);
        Detector[][] byKind = std == null ? byKind(d) : null;
        Event e = new Event();
        Hb hb = a.hb;
        long n = 0;
        long t0 = System.nanoTime();
        SpinFilter spins = new SpinFilter();
        java.util.function.LongConsumer tell = progress;
        while (true) {
            if (reader != null) {
                // the reader's own view of the event (no copy per event); nothing here changes or keeps it
                e = reader.nextView();
                if (e == null) {
                    break;
                }
            } else if (!src.next(e)) {
                break;
            }
            n++;
            if ((n & 0xfffff) == 0 && tell != null) {
                tell.accept(n);
            }
            smptrace.trace.EventKind k = e.kind;
            if (k != smptrace.trace.EventKind.R_COND && k != smptrace.trace.EventKind.CPU_RELAX) {
                // neither a condition read nor a cpu_relax(): the spin filter only ends the stream's wait (most events)
                Event held = spins.endWait(e.thread);
                if (held != null) {
                    feed(held, a, hb, d, byKind, std, shared);
                }
                feed(e, a, hb, d, byKind, std, shared);
                continue;
            }
            Event held = spins.heldBefore(e);
            if (held != null) {
                feed(held, a, hb, d, byKind, std, shared);
            }
            if (spins.skip(e)) {
                continue;
            }
            feed(e, a, hb, d, byKind, std, shared);
        }
        for (Event held : spins.drain()) {
            feed(held, a, hb, d, byKind, std, shared);
        }
        a.events = n;
        if (tell != null) {
            tell.accept(n);
        }
        for (Detector x : d) {
            x.finish(a);
        }
        long t1 = System.nanoTime();
        TraceEnd end = src.end();
        List<Finding> fs = a.findings();
        AcceptedRaces.kernel().apply(fs);
        fs.sort((x, y) -> {
            int c = Boolean.compare(!x.counts(), !y.counts());
            if (c == 0) {
                c = x.kind.compareTo(y.kind);
            }
            if (c == 0) {
                c = Boolean.compare(x.predicted, y.predicted);
            }
            return c != 0 ? c : x.fingerprint.compareTo(y.fingerprint);
        });
        return new AnalysisResult(src.info(), end, n, t1 - t0, fs, (int) Math.min(Integer.MAX_VALUE, a.locs.added()), hb.slots());
    }
}

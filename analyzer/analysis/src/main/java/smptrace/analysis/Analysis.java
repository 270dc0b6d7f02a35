package smptrace.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Event;
import smptrace.trace.LocationTable;
import smptrace.trace.TraceInfo;

/**
 * The state one analysis shares with its detectors: the trace's dictionaries, the happens-before
 * engine, the location index of the current event, kernel facts and the findings. One per trace;
 * nothing static, so traces can be analysed in parallel.
 */
public final class Analysis {
    final TraceInfo info;
    final Options options;
    final Hb hb = new Hb();
    final KernelFacts facts;
    /** Which objects are dead (KFREE events), and the locations of the one that died last. */
    final Lifetimes lifetimes = new Lifetimes();
    /** Dense location indices: the trace reader's own table when the source is one (no second lookup per event). */
    final LocationTable locs;
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    int locIndex = -1;
    /** The current event's location role ({@link KernelFacts#role(int, long)}), looked up once per event; 0 for non-memory events. */
    byte role;
    long events;

    Analysis(TraceInfo info, Options options, LocationTable sharedLocations) {
        this.locs = sharedLocations != null ? sharedLocations : new LocationTable(4096);
        this.info = info;
        this.options = options;
        this.facts = new KernelFacts(info);
    }

    public TraceInfo info() {
        return info;
    }

    public Hb hb() {
        return hb;
    }

    public Options options() {
        return options;
    }

    /** Dense index of the current event's location (-1 for non-memory events). */
    public int loc() {
        return locIndex;
    }

    EventRef ref(Event e) {
        return EventRef.of(e, info);
    }

    /** Adds a finding; the same fingerprint again only counts. Returns true if it was new. */
    boolean report(Finding f) {
        Finding old = findings.get(f.fingerprint);
        if (old != null) {
            old.occurrences++;
            return false;
        }
        findings.put(f.fingerprint, f);
        return true;
    }

    boolean known(String fingerprint) {
        return findings.containsKey(fingerprint);
    }

    List<Finding> findings() {
        return new ArrayList<>(findings.values());
    }
}

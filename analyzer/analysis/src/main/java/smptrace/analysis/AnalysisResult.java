package smptrace.analysis;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceInfo;

/** The outcome of analysing one trace. */
public record AnalysisResult(TraceInfo info, TraceEnd end, long events, long nanos, List<Finding> findings,
                             int locations, int contexts) {

    /** Findings that count (neither tolerated nor accepted kernel races). */
    public List<Finding> problems() {
        return findings.stream().filter(Finding::counts).toList();
    }

    /** Findings that are accepted kernel races (accepted-races file), reported separately. */
    public List<Finding> accepted() {
        return findings.stream().filter(f -> f.accepted() != null).toList();
    }

    /** The same result with only the findings whose fingerprint is not in {@code known} (analyze --baseline). */
    public AnalysisResult without(java.util.Set<String> known) {
        return new AnalysisResult(info, end, events, nanos,
                findings.stream().filter(f -> !known.contains(f.fingerprint)).toList(), locations, contexts);
    }

    public boolean clean() {
        return problems().isEmpty();
    }

    /** Per kind: {observed, predicted} counts of findings that count. */
    public Map<Finding.Kind, int[]> counts() {
        Map<Finding.Kind, int[]> m = new EnumMap<>(Finding.Kind.class);
        for (Finding f : problems()) {
            m.computeIfAbsent(f.kind, k -> new int[2])[f.predicted ? 1 : 0]++;
        }
        return m;
    }

    /**
     * Nothing was checked: the trace holds no memory access at all (no location), whatever it holds
     * besides (thread starts, control events). Such a trace is never "clean": the classes that made the
     * accesses were not in the agent's scope, or the program did not run.
     */
    public boolean checkedNothing() {
        return locations == 0;
    }

    /** What the trace holds: events, threads and the classes the agent instrumented with recorded sites. */
    public String recorded() {
        java.util.Set<String> classes = new java.util.TreeSet<>();
        for (smptrace.trace.Site s : info.sites()) {
            if (s != null && s.className() != null) {
                classes.add(s.className());
            }
        }
        return events + " event(s), " + info.threads().size() + " thread(s), " + classes.size()
                + " instrumented class(es) with recorded sites" + (classes.isEmpty() ? "" : " (" + String.join(", ",
                classes.stream().limit(5).toList()) + (classes.size() > 5 ? ", ..." : "") + ")");
    }

    public String patch() {
        return info.header("patch");
    }

    public String variant() {
        return info.header("variant");
    }
}

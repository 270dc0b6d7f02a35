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

    public String patch() {
        return info.header("patch");
    }

    public String variant() {
        return info.header("variant");
    }
}

package smptrace.analysis.batch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Finding;
import smptrace.analysis.Report;
import smptrace.analysis.ReportOptions;
import smptrace.analysis.Steps;
import smptrace.analysis.Words;

/**
 * What the merged report of many traces keeps of one trace's analysis: small, serialisable (a Spark
 * task returns it to the driver) and free of the reader's objects. {@code error} is non-null when the
 * trace could not be read; then there are no events and no findings. {@code sarif} is the trace's SARIF
 * results (a JSON array, {@link smptrace.analysis.SarifReport#results}) when they were asked for, else null.
 */
public record TraceSummary(String trace, String patch, String variant, long events, long nanos, String status, String error,
                           List<FindingSummary> findings, String sarif) implements Serializable {

    /**
     * One finding of one trace; {@code json} is the finding as {@code analyze --format json} prints it;
     * {@code accepted}: the accepted-races entry that lists it, or null (then it counts unless tolerated).
     */
    public record FindingSummary(String kind, String mode, String rule, boolean tolerated, String accepted, String fingerprint,
                                 String summary, int occurrences, String json) implements Serializable {
        /** Counts as a problem: neither tolerated nor an accepted kernel race (as analyze and patches count). */
        public boolean counts() {
            return !tolerated && accepted == null;
        }
    }

    public TraceSummary {
        findings = List.copyOf(findings);
    }

    public TraceSummary(String trace, String patch, String variant, long events, long nanos, String status, String error,
                        List<FindingSummary> findings) {
        this(trace, patch, variant, events, nanos, status, error, findings, null);
    }

    /** The same summary with the trace's SARIF results. */
    public TraceSummary withSarif(String results) {
        return new TraceSummary(trace, patch, variant, events, nanos, status, error, findings, results);
    }

    public static TraceSummary of(String trace, AnalysisResult r) {
        List<FindingSummary> fs = new ArrayList<>();
        for (Finding f : r.findings()) {
            fs.add(new FindingSummary(f.kind.id, f.mode(), f.rule, f.tolerated, f.accepted(), f.fingerprint,
                    Words.summary(f, Steps.none(r.info()), ReportOptions.defaults().kernel()), f.occurrences(),
                    Report.toJson(f, r, trace).toString()));
        }
        String status = r.end() == null || r.end().complete() ? "complete"
                : r.end().status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + r.end().detail();
        return new TraceSummary(trace, r.patch(), r.variant(), r.events(), r.nanos(), status, null, fs);
    }

    public static TraceSummary failed(String trace, String message) {
        return new TraceSummary(trace, null, null, 0, 0, "unreadable", message, List.of());
    }

    public boolean readable() {
        return error == null;
    }

    public boolean complete() {
        return "complete".equals(status);
    }

    /** Findings that count (neither tolerated nor accepted kernel races). */
    public long problems() {
        return findings.stream().filter(FindingSummary::counts).count();
    }

    public long accepted() {
        return findings.stream().filter(f -> f.accepted() != null).count();
    }

    public long tolerated() {
        return findings.stream().filter(FindingSummary::tolerated).count();
    }
}

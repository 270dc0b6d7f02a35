package smptrace.analysis;

import java.util.List;

final class DetectorTestSupport {
    private DetectorTestSupport() { }

    static List<Finding> of(AnalysisResult r, Finding.Kind k) {
        return r.findings().stream().filter(f -> f.kind == k).toList();
    }

    static List<Finding> counted(AnalysisResult r, Finding.Kind k) {
        return r.problems().stream().filter(f -> f.kind == k).toList();
    }
}

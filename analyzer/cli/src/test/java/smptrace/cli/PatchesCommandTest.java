package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Expectations;
import smptrace.analysis.Options;
import smptrace.trace.TraceReader;

/** A few rows of the verdict table, two seeds each (the full table is smptrace patches' job). */
class PatchesCommandTest {
    @Test
    void selectedRowsAgree(@TempDir Path tmp) throws Exception {
        List<String> want = List.of("001 before", "001 after (debug)", "002 no-mb-in-flush", "003 after",
                "003 put-cpu-before-lock", "004 online-check-outside-pinned");
        List<String> failures = new ArrayList<>();
        for (Expectations.Row row : Expectations.rows()) {
            if (!want.contains(row.patch() + " " + row.label())) {
                continue;
            }
            List<AnalysisResult> rs = new ArrayList<>();
            for (int seed = 1; seed <= 2; seed++) {
                Path dir = tmp.resolve(row.patch() + "-" + row.variant() + "-" + row.debug() + "-" + seed);
                PatchesCommand.record(row, seed, dir);
                try (TraceReader r = TraceReader.open(dir)) {
                    rs.add(new Analyzer(Options.defaults()).analyze(r));
                }
                PatchesCommand.delete(dir);
            }
            PatchesCommand.RowResult v = PatchesCommand.verdict(row, rs);
            if (!v.agree()) {
                failures.add(row.patch() + " " + row.label() + ": " + v.problems());
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertTrue(Files.exists(tmp));
    }
}

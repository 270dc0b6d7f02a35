package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset u = java.nio.charset.StandardCharsets.UTF_8;
        int code = new Main().run(args, new java.io.PrintStream(o, true, u), new java.io.PrintStream(e, true, u));
        return new Run(code, o.toString(u), e.toString(u));
    }

    @Test
    void tableFitsOneHundredTwentyColumnsSaysWhatTheAfterRowsTolerateKeepsProgressOffStdoutAndQuietPrintsNothing() throws Exception {
        Run r = run("patches", "--patch", "003", "--seeds", "2");
        assertEquals(0, r.code(), "exit " + r.code() + ": " + r.out() + r.err());
        for (String l : r.out().lines().toList()) {
            assertTrue(l.length() <= 120, "a line wider than 120 columns (" + l.length() + "): " + l);
        }
        // the "after" row says in words that what it found is clean or tolerated, never a bare count of races
        String after = r.out().lines().filter(l -> l.matches("\\s+after\\s.*")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(after.matches(".*found: clean(; tolerated in \\d+)?(; accepted in \\d+)?\\s*"), after);
        assertTrue(r.out().contains("tolerated in T = ") && r.out().contains("must show = "), "the legend says what the columns mean: " + r.out());
        // progress goes to stderr only (a plain line at most every 3 s when not a terminal: a run this short may show
        // none), never into the table
        assertFalse(r.out().contains("record + analyse"), r.out());
        Run q = run("patches", "--patch", "003", "--seeds", "2", "--quiet");
        assertTrue(q.code() == 0, q.out() + q.err());
        assertEquals("", q.out() + q.err(), "patches --quiet prints nothing when every variant agrees");
        // over many traces, one SARIF log: version 2.1.0, every result with its rule, location and fingerprint
        Run sarif = run("patches", "--patch", "003", "--seeds", "2", "--format", "sarif");
        assertEquals(0, sarif.code(), sarif.err());
        com.fasterxml.jackson.databind.JsonNode log = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sarif.out());
        assertEquals("2.1.0", log.get("version").asText());
        int results = 0;
        for (com.fasterxml.jackson.databind.JsonNode run : log.get("runs")) {
            for (com.fasterxml.jackson.databind.JsonNode res : run.get("results")) {
                results++;
                assertTrue(res.has("ruleId") && res.get("locations").size() > 0 && res.has("partialFingerprints"), res.toString());
            }
        }
        assertTrue(results > 0, sarif.out());
    }
}

package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceWriter;

/** {@code smptrace analyze} of many traces and directories of traces: one merged report. */
class AnalyzeManyTracesTest {
    /** Task 1 on CPU 0 writes obj.x, task 2 on CPU 1 reads it: a wr-race. */
    static void racyTrace(Path dir) throws Exception {
        try (TraceWriter w = new TraceWriter(dir, Map.of("scenario", "unit"))) {
            int site = w.addSite("smptrace.engine.smp.Smp", "f", "Smp.java", 10);
            int x = w.addField("smptrace.demo.Obj", "x", "I");
            int cls = w.addClass("smptrace.demo.Obj");
            int t0 = w.addThread("A", 1);
            int t1 = w.addThread("B", 2);
            BlockEncoder a = new BlockEncoder() { };
            a.control(EventKind.ALLOC, 0, 7, cls);
            a.control(EventKind.TASK_ON_CPU, 0, 1, 0);
            a.write(EventKind.W_PLAIN, site, Event.loc(7, x), 1, 1, 0);
            w.writeBlock(t0, 0, 3, a.buffer(), a.position());
            BlockEncoder b = new BlockEncoder() { };
            b.control(EventKind.TASK_ON_CPU, 0, 2, 1);
            b.read(EventKind.R_PLAIN, site + 0, Event.loc(7, x), 1, 1);
            w.writeBlock(t1, 0, 2, b.buffer(), b.position());
        }
    }

    @Test
    void aDirectoryOfTracesGivesOneReportWithTheTracesEachFindingIsIn(@TempDir Path dir) throws Exception {
        racyTrace(dir.resolve("night/r1"));
        racyTrace(dir.resolve("night/deeper/r2"));
        Files.createDirectories(dir.resolve("night/clean"));
        CliBadInputTest.validTrace(dir.resolve("night/clean"), true);
        CliBadInputTest.Run r = CliBadInputTest.cli("analyze", "--jobs", "2", dir.resolve("night").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().startsWith("# 3 traces"), r.out());
        assertTrue(r.out().contains("data-race [wr-race]") && r.out().contains("in 2 of 3 traces"), r.out());
        assertTrue(r.out().contains("summary: 3 traces, 2 with findings"), r.out());

        CliBadInputTest.Run j = CliBadInputTest.cli("analyze", "--format", "json", dir.resolve("night/r1").toString(),
                dir.resolve("night/clean/trace").toString());
        assertEquals(1, j.exit(), j.err());
        String[] lines = j.out().strip().split("\n");
        assertTrue(lines[0].contains("\"type\":\"trace\"") && lines[0].contains("\"problems\":1"), lines[0]);
        assertTrue(lines[1].contains("\"type\":\"trace\"") && lines[1].contains("\"problems\":0"), lines[1]);
        assertTrue(lines[lines.length - 1].contains("\"type\":\"summary\""), lines[lines.length - 1]);
    }

    @Test
    void manyTracesAsSarifAreOneLogWhoseResultsSayTheirTrace(@TempDir Path dir) throws Exception {
        racyTrace(dir.resolve("night/r1"));
        racyTrace(dir.resolve("night/r2"));
        Files.createDirectories(dir.resolve("night/clean"));
        CliBadInputTest.validTrace(dir.resolve("night/clean"), true);
        CliBadInputTest.Run r = CliBadInputTest.cli("analyze", "--format", "sarif", "--jobs", "2", dir.resolve("night").toString());
        assertEquals(1, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode log = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("2.1.0", log.get("version").asText());
        assertEquals(1, log.get("runs").size());
        com.fasterxml.jackson.databind.JsonNode results = log.get("runs").get(0).get("results");
        assertEquals(2, results.size(), r.out());
        java.util.Set<String> traces = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.databind.JsonNode res : results) {
            assertEquals("data-race", res.get("ruleId").asText());
            traces.add(Path.of(res.get("properties").get("trace").asText()).getFileName().toString());
        }
        assertEquals(java.util.Set.of("r1", "r2"), traces);
        CliBadInputTest.Run html = CliBadInputTest.cli("analyze", "--format", "html", dir.resolve("night").toString());
        assertEquals(2, html.exit());
        assertTrue(html.err().strip().lines().count() == 1 && html.err().contains("sarif"), html.err());
    }

    @Test
    void onlyCleanTracesExitZeroAndAnUnreadableOneExitsTwoAfterTheReport(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        CliBadInputTest.validTrace(dir.resolve("a"), true);
        CliBadInputTest.validTrace(dir.resolve("b"), true);
        CliBadInputTest.Run ok = CliBadInputTest.cli("analyze", dir.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("no findings in any trace"), ok.out());
        Path junk = dir.resolve("c/junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("20260101F.cq4"), "not a queue");
        CliBadInputTest.Run bad = CliBadInputTest.cli("analyze", dir.toString());
        assertEquals(2, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.out().contains("UNREADABLE"), bad.out());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}

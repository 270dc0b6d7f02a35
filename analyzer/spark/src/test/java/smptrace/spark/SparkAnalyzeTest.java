package smptrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.Options;
import smptrace.analysis.batch.BatchAnalysis;
import smptrace.analysis.batch.MergedReport;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceWriter;

/** The Spark job in Spark's local mode, embedded (no cluster): the same report as the one-machine analysis. */
class SparkAnalyzeTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(localConf());
    }

    static SparkConf localConf() {
        return new SparkConf().setMaster("local[2]").setAppName("smptrace-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    /** Task 1 on CPU 0 writes obj.x, task 2 on CPU 1 reads it; ordered by a release/acquire of obj.flag unless racy. */
    static void writeTrace(Path dir, boolean racy, int value) throws Exception {
        try (TraceWriter w = new TraceWriter(dir, Map.of("scenario", "unit", "patch", "900", "variant", racy ? "racy" : "ordered"))) {
            int site = w.addSite("smptrace.engine.smp.Smp", "f", "Smp.java", 10);
            int site2 = w.addSite("smptrace.engine.smp.Smp", "g", "Smp.java", 20);
            int x = w.addField("smptrace.demo.Obj", "x", "I");
            int flag = w.addField("smptrace.demo.Obj", "flag", "I");
            int cls = w.addClass("smptrace.demo.Obj");
            int t0 = w.addThread("A", 1);
            int t1 = w.addThread("B", 2);
            BlockEncoder a = new BlockEncoder() { };
            a.control(EventKind.ALLOC, 0, 7, cls);
            a.control(EventKind.TASK_ON_CPU, 0, 1, 0);
            a.write(EventKind.W_PLAIN, site, Event.loc(7, x), value, 1, 0);
            int na = 3;
            if (!racy) {
                a.write(EventKind.W_RELEASE, site, Event.loc(7, flag), 1, 1, 0);
                na++;
            }
            w.writeBlock(t0, 0, na, a.buffer(), a.position());
            BlockEncoder b = new BlockEncoder() { };
            b.control(EventKind.TASK_ON_CPU, 0, 2, 1);
            int nb = 1;
            if (!racy) {
                b.read(EventKind.R_ACQUIRE, site2, Event.loc(7, flag), 1, 1);
                nb++;
            }
            b.read(EventKind.R_PLAIN, site2, Event.loc(7, x), value, 1);
            nb++;
            w.writeBlock(t1, 0, nb, b.buffer(), b.position());
        }
    }

    @Test
    void theJobGivesTheReportTheOneMachineAnalysisGives(@TempDir Path dir) throws Exception {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Path t = dir.resolve("traces/run" + (i % 3)).resolve("seed" + i);
            writeTrace(t, i % 4 != 0, i);
        }
        dirs.add(dir.resolve("traces"));
        SparkAnalyze.Result r = SparkAnalyze.run(sc, dirs, dir.resolve("out"), Options.defaults());
        MergedReport local = new MergedReport(BatchAnalysis.analyseAll(BatchAnalysis.traces(dirs), Options.defaults(), 2, null));
        List<String> written = Files.readAllLines(r.jsonLines(), StandardCharsets.UTF_8);
        assertEquals(local.jsonLines().size(), written.size());
        for (int i = 0; i < written.size(); i++) {
            // the same report but for the trace names: the job names traces by absolute path
            assertEquals(local.jsonLines().get(i).replace(dir.toAbsolutePath().toString(), ""),
                    written.get(i).replace(dir.toAbsolutePath().toString(), ""));
        }
        assertEquals(9, r.report().traces().size());
        assertEquals(6, r.report().withProblems());
        MergedReport.Group race = r.report().groups().stream().filter(g -> g.kind.equals("data-race")).findFirst().orElseThrow();
        assertEquals(6, race.traces());
        assertTrue(written.get(written.size() - 1).contains("\"type\":\"summary\""));
        // the SARIF log: one result per racing pair of each racy trace, each saying which trace it is from
        com.fasterxml.jackson.databind.JsonNode sarif = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.sarif().toFile());
        assertEquals("2.1.0", sarif.get("version").asText());
        com.fasterxml.jackson.databind.JsonNode results = sarif.get("runs").get(0).get("results");
        assertEquals(6, results.size(), results.toString());
        java.util.Set<String> from = new java.util.HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode res : results) {
            assertEquals("data-race", res.get("ruleId").asText());
            assertEquals("data-race", sarif.get("runs").get(0).get("tool").get("driver").get("rules")
                    .get(res.get("ruleIndex").asInt()).get("id").asText());
            assertTrue(res.get("partialFingerprints").has("smptraceFinding/v1"));
            from.add(res.get("properties").get("trace").asText());
        }
        assertEquals(6, from.size());
    }

    @Test
    void badUsageAndAMissingPathAreExitTwoWithOneLine(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, SparkAnalyze.main(new String[] {dir.toString()}, o, e));
        assertEquals(2, SparkAnalyze.main(new String[] {"--bogus", "--out", dir.toString(), dir.toString()}, o, e));
        assertEquals(2, err.toString(StandardCharsets.UTF_8).strip().lines().count(), err.toString(StandardCharsets.UTF_8));
    }
}

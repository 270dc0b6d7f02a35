package smptrace.analysis.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.Options;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceException;
import smptrace.trace.TraceWriter;

class BatchAnalysisTest {
    /**
     * A two-task trace on disk: task 1 on CPU 0 writes obj.x, task 2 on CPU 1 reads it; with
     * {@code ordered} the write is a release and the read an acquire of a flag first (no race).
     */
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
    void directoriesStandForEveryTraceBelowThemInNameOrder(@TempDir Path dir) throws Exception {
        writeTrace(dir.resolve("night/b/t2"), true, 1);
        writeTrace(dir.resolve("night/a/t1"), false, 1);
        writeTrace(dir.resolve("night/a/t0"), true, 2);
        writeTrace(dir.resolve("single"), true, 3);
        List<Path> ts = BatchAnalysis.traces(List.of(dir.resolve("night"), dir.resolve("single")));
        assertEquals(List.of(dir.resolve("night/a/t0"), dir.resolve("night/a/t1"), dir.resolve("night/b/t2"), dir.resolve("single")), ts);
    }

    @Test
    void aPathWithNoTraceBelowItIsAOneLineError(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty/sub"));
        TraceException e = assertThrows(TraceException.class, () -> BatchAnalysis.traces(List.of(dir.resolve("empty"))));
        assertTrue(e.getMessage().startsWith("no trace under"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        TraceException m = assertThrows(TraceException.class, () -> BatchAnalysis.traces(List.of(dir.resolve("missing"))));
        assertTrue(m.getMessage().contains("does not exist"), m.getMessage());
    }

    @Test
    void theMergedReportCountsInHowManyTracesEachFingerprintAppears(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            writeTrace(dir.resolve("racy" + i), true, 10 + i); // values differ: the fingerprint must not
        }
        for (int i = 0; i < 2; i++) {
            writeTrace(dir.resolve("ordered" + i), false, 1);
        }
        List<TraceSummary> s = BatchAnalysis.analyseAll(BatchAnalysis.traces(List.of(dir)), Options.defaults(), 2, null);
        MergedReport r = new MergedReport(s);
        assertEquals(5, r.traces().size());
        assertEquals(3, r.withProblems());
        List<MergedReport.Group> races = r.groups().stream().filter(g -> g.kind.equals("data-race") && !g.tolerated).toList();
        assertEquals(1, races.size(), r.groups().stream().map(g -> g.fingerprint + " " + g.summary).toList().toString());
        assertEquals(3, races.get(0).traces());
        assertEquals(List.of(dir.resolve("racy0").toString(), dir.resolve("racy1").toString(), dir.resolve("racy2").toString()),
                races.get(0).examples());
        for (TraceSummary t : s) {
            assertEquals(t.trace().contains("racy") ? 1 : 0, t.problems(), t.trace());
            assertEquals(t.trace().contains("racy") ? 5 : 7, t.events(), t.trace());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        r.jsonLines(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(5 + r.groups().size() + 1, lines.length);
        assertTrue(lines[0].contains("\"type\":\"trace\""), lines[0]);
        assertTrue(lines[5].contains("\"type\":\"finding\"") && lines[5].contains("\"traces\":3"), lines[5]);
        assertTrue(lines[lines.length - 1].contains("\"withFindings\":3"), lines[lines.length - 1]);
    }

    @Test
    void anAcceptedKernelRaceIsListedButDoesNotCountAsAFinding() {
        // as analyze and patches count: an entry of accepted-races.txt is shown apart, never a problem
        TraceSummary.FindingSummary race = new TraceSummary.FindingSummary("data-race", "observed", "wr-race", false,
                "csd_lock_wait_getcpu-reads-u_flags", "fp1", "wr-race on per_cpu(csd_data, 1).u_flags", 1, "{}");
        TraceSummary.FindingSummary real = new TraceSummary.FindingSummary("lock-ownership-race", "observed", "R1", false,
                null, "fp2", "two contexts own per_cpu(csd_data, 1)", 1, "{}");
        TraceSummary onlyAccepted = new TraceSummary("a", "001", "after", 10, 1, "complete", null, List.of(race));
        TraceSummary withBug = new TraceSummary("b", "001", "before", 10, 1, "complete", null, List.of(race, real));
        MergedReport m = new MergedReport(List.of(onlyAccepted, withBug));
        assertEquals(0, onlyAccepted.problems());
        assertEquals(1, withBug.problems());
        assertEquals(1, m.withProblems());
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        m.text(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        String text = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("a: patch 001 variant after, 10 events: clean, 1 accepted kernel race(s)"), text);
        assertTrue(text.contains("(accepted: csd_lock_wait_getcpu-reads-u_flags)"), text);
        assertTrue(text.contains("1 with findings, 1 distinct findings"), text);
    }

    @Test
    void manyThreadsGiveTheSameSummariesAsOne(@TempDir Path dir) throws Exception {
        List<Path> ts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path t = dir.resolve("t" + i);
            writeTrace(t, i % 3 != 0, i);
            ts.add(t);
        }
        List<TraceSummary> one = BatchAnalysis.analyseAll(ts, Options.defaults(), 1, null);
        List<TraceSummary> many = BatchAnalysis.analyseAll(ts, Options.defaults(), 4, null);
        assertEquals(one.size(), many.size());
        for (int i = 0; i < one.size(); i++) {
            assertEquals(one.get(i).trace(), many.get(i).trace());
            assertEquals(one.get(i).findings(), many.get(i).findings());
            assertEquals(one.get(i).events(), many.get(i).events());
        }
        assertEquals(new MergedReport(one).jsonLines(), new MergedReport(many).jsonLines());
    }

    @Test
    void anUnreadableTraceIsReportedAndTheOthersAreStillAnalysed(@TempDir Path dir) throws Exception {
        writeTrace(dir.resolve("good"), true, 1);
        Path junk = dir.resolve("junk");
        Files.createDirectories(junk);
        Files.write(junk.resolve("20260101F.cq4"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        List<TraceSummary> s = BatchAnalysis.analyseAll(BatchAnalysis.traces(List.of(dir)), Options.defaults(), 2, null);
        MergedReport r = new MergedReport(s);
        assertEquals(1, r.unreadable());
        assertEquals(1, r.withProblems());
        TraceSummary bad = s.stream().filter(t -> !t.readable()).findFirst().orElseThrow();
        assertTrue(bad.trace().endsWith("junk"));
        assertFalse(bad.error().contains("\n"), bad.error());
    }
}

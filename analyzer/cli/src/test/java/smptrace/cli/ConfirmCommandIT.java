package smptrace.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.TraceReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code smptrace confirm}: the two predicted-only targets of docs/reproducers.md are confirmed by a
 * steered run whose trace shows the bug observed and replays event for event; bad inputs are refused
 * in one line; ordering violations give their litmus test; the fixed variants have nothing to confirm.
 */
class ConfirmCommandIT {
    static final String R1 = "6e610de5c9307487";
    static final String L4 = "f78ffba533508711";

    private static AnalysisResult analyze(Path t) throws Exception {
        try (TraceReader r = TraceReader.open(t)) {
            return new Analyzer(smptrace.analysis.Options.defaults()).analyze(r);
        }
    }

    private static Path record(Path dir, String name, String... args) {
        Path t = dir.resolve(name);
        String[] a = new String[args.length + 3];
        a[0] = "record";
        System.arraycopy(args, 0, a, 1, args.length);
        a[args.length + 1] = "--out";
        a[args.length + 2] = t.toString();
        CliBadInputTest.Run r = CliBadInputTest.cli(a);
        assertEquals(0, r.exit(), r.out() + r.err());
        return t;
    }

    private static void predictedOnlyIsConfirmedObservedAndReplays(Path dir, Path t, String fp) throws Exception {
        AnalysisResult before = analyze(t);
        Finding p = before.problems().stream().filter(f -> f.fingerprint.equals(fp)).findFirst().orElse(null);
        assertNotNull(p, fp + " in " + before.problems());
        assertTrue(p.predicted);
        assertFalse(before.problems().stream().anyMatch(f -> f.kind == p.kind && !f.predicted), "not observed before: " + before.problems());
        Path out = dir.resolve(t.getFileName() + "-confirmed");
        CliBadInputTest.Run c = CliBadInputTest.cli("confirm", t.toString(), "--finding", fp, "--out", out.toString());
        assertEquals(0, c.exit(), c.out() + c.err());
        assertTrue(c.out().contains("CONFIRMED"), c.out());
        AnalysisResult after = analyze(out);
        assertTrue(after.problems().stream().anyMatch(f -> f.kind == p.kind && !f.predicted),
                "the confirming trace shows " + p.kind.id + " observed: " + after.problems());
        try (TraceReader r = TraceReader.open(out)) {
            String steer = r.info().header("steer");
            assertNotNull(steer, "the header records the steering");
            assertTrue(steer.startsWith("meet;") || steer.startsWith("window;"), steer);
        }
        CliBadInputTest.Run rp = CliBadInputTest.cli("replay", out.toString());
        assertEquals(0, rp.exit(), rp.out() + rp.err());
        assertTrue(rp.out().contains("replays event for event"), rp.out());
    }

    @Test
    void aPredictedLockOwnershipRaceIsConfirmedByAMeetingOfItsTwoAcquirers(@TempDir Path dir) throws Exception {
        Path t = record(dir, "r1", "--patch", "001", "--variant", "plain-rmw-in-debug", "--schedule", "pct", "--seed", "1");
        predictedOnlyIsConfirmedObservedAndReplays(dir, t, R1);
    }

    @Test
    void aPredictedLostIpiIsConfirmedByAWindowAfterTheOnlineCheck(@TempDir Path dir) throws Exception {
        Path t = record(dir, "l4", "--patch", "004", "--variant", "online-check-outside-pinned", "--seed", "1");
        predictedOnlyIsConfirmedObservedAndReplays(dir, t, L4);
        try (TraceReader r = TraceReader.open(dir.resolve("l4-confirmed"))) {
            assertTrue(r.info().header("steer").startsWith("window;sender0@Smp.java:"), r.info().header("steer"));
        }
    }

    @Test
    void badInputIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path t = record(dir, "l4", "--patch", "004", "--variant", "online-check-outside-pinned", "--seed", "1");
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", t.toString(), "--finding", "0123456789abcdef",
                "--out", dir.resolve("x").toString()), "no finding 0123456789abcdef");
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", t.toString(), "--out", dir.resolve("x").toString()),
                "--finding");
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", t.toString(), "--finding", L4), "--out");
        Path demo = record(dir, "demo", "--scenario", "mp-demo", "--rounds", "20");
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", demo.toString(), "--finding", L4,
                "--out", dir.resolve("x").toString()), "no engine header");
        Path out = dir.resolve("confirmed");
        assertEquals(0, CliBadInputTest.cli("confirm", t.toString(), "--finding", L4, "--out", out.toString()).exit());
        String observed = analyze(out).problems().stream().filter(f -> !f.predicted).findFirst().orElseThrow().fingerprint;
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", out.toString(), "--finding", observed,
                "--out", dir.resolve("y").toString()), "already observed");
        CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", t.toString(), "--finding", L4, "--out", out.toString()),
                "exists");
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")), "nothing recorded on bad input");
    }

    @Test
    void anOrderingViolationCannotBeExecutedAndGivesItsLitmusTest(@TempDir Path dir) throws Exception {
        Path t = record(dir, "sb", "--patch", "002", "--variant", "no-mb-in-flush", "--seed", "1");
        Finding ov = analyze(t).problems().stream().filter(f -> f.kind == Finding.Kind.ORDERING_VIOLATION && f.predicted)
                .findFirst().orElseThrow();
        Path lit = dir.resolve("ov.litmus");
        CliBadInputTest.Run c = CliBadInputTest.cli("confirm", t.toString(), "--finding", ov.fingerprint, "--litmus-out", lit.toString());
        assertEquals(1, c.exit(), c.out() + c.err());
        assertTrue(c.out().contains("cannot happen on this JVM"), c.out());
        assertTrue(Files.readString(lit).contains(ov.fingerprint), "the test is named after the finding");
        CliBadInputTest.Run l = CliBadInputTest.cli("litmus", "--no-record", lit.toString());
        assertEquals(0, l.exit(), l.out() + l.err());
        assertTrue(l.out().contains("Sometimes"), l.out());
        CliBadInputTest.Run noFile = CliBadInputTest.cli("confirm", t.toString(), "--finding", ov.fingerprint);
        assertEquals(1, noFile.exit());
        assertTrue(noFile.out().contains("cannot be confirmed by execution"), noFile.out());
    }

    @Test
    void theFixedVariantsHaveNothingToConfirm(@TempDir Path dir) throws Exception {
        assertEquals(0, CliBadInputTest.cli("record", "--patch", "001", "--variant", "after", "--schedule", "pct", "--seed", "1",
                "--seeds", "4", "--quiet", "--out", dir.resolve("001").toString()).exit());
        assertEquals(0, CliBadInputTest.cli("record", "--patch", "004", "--variant", "after", "--seed", "1",
                "--seeds", "4", "--quiet", "--out", dir.resolve("004").toString()).exit());
        for (String p : List.of("001", "004")) {
            List<Path> ts;
            try (Stream<Path> s = Files.list(dir.resolve(p))) {
                ts = s.filter(Files::isDirectory).toList();
            }
            assertEquals(4, ts.size());
            for (Path t : ts) {
                List<Finding> predicted = analyze(t).problems().stream().filter(f -> f.predicted).toList();
                assertTrue(predicted.isEmpty(), t + ": " + predicted);
                CliBadInputTest.assertOneLineError(CliBadInputTest.cli("confirm", t.toString(), "--finding", p.equals("001") ? R1 : L4,
                        "--out", dir.resolve("x").toString()), "no finding");
            }
        }
    }
}

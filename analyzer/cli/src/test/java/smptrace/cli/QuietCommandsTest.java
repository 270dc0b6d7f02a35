package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 7: {@code --quiet} prints nothing on success and the whole report otherwise, for litmus and verify. */
class QuietCommandsTest {
    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new Main().run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private static final String LOCK_PLAIN = "C CSD-lock-plain\n\n(*\n * Result: %s\n *)\n\n{}\n\n"
            + "P0(int *u_flags)\n{\n\tint r0;\n\n\tr0 = smp_load_acquire(u_flags);\n\tif (r0 == 0)\n\t\tWRITE_ONCE(*u_flags, 1);\n}\n\n"
            + "P1(int *u_flags)\n{\n\tint r0;\n\n\tr0 = smp_load_acquire(u_flags);\n\tif (r0 == 0)\n\t\tWRITE_ONCE(*u_flags, 1);\n}\n\n"
            + "exists (0:r0=0 /\\ 1:r0=0)\n";

    @Test
    void litmusQuietPrintsNothingWhenEveryTestAgreesAndTheWholeTableWhenOneDisagrees(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("good.litmus");
        Files.writeString(good, String.format(LOCK_PLAIN, "Sometimes"));
        Run loud = run("litmus", "--no-record", good.toString());
        assertEquals(0, loud.code(), loud.err());
        assertTrue(loud.out().contains("CSD-lock-plain"), loud.out());
        Run q = run("litmus", "--no-record", "--quiet", good.toString());
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.out());
        assertEquals("", q.err());
        // the same test expecting the wrong verdict: the row and the summary are printed
        Path bad = tmp.resolve("bad.litmus");
        Files.writeString(bad, String.format(LOCK_PLAIN, "Never"));
        Run qb = run("litmus", "--no-record", "--quiet", bad.toString());
        assertEquals(1, qb.code(), qb.out() + qb.err());
        assertTrue(qb.out().contains("CSD-lock-plain") && qb.out().contains("disagree"), qb.out());
    }

    @Test
    void verifyQuietPrintsNothingWhenEveryBundleIsUnchangedAndTheReportOtherwise(@TempDir Path tmp) throws Exception {
        Path bundle = ReportsMustHoldTest.bundles().get(0);
        Run q = run("verify", "--quiet", bundle.toString());
        assertEquals(0, q.code(), q.out() + q.err());
        assertEquals("", q.out());
        assertEquals("", q.err());
        // a damaged copy (one trace file changed) is reported whole
        Path copy = tmp.resolve(bundle.getFileName().toString());
        try (java.util.stream.Stream<Path> s = Files.walk(bundle)) {
            for (Path p : s.toList()) {
                Path to = copy.resolve(bundle.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Files.writeString(copy.resolve("trace/schedule.txt"), "damaged\n");
        Run qd = run("verify", "--quiet", copy.toString());
        assertEquals(2, qd.code(), qd.out() + qd.err());
        assertTrue((qd.out() + qd.err()).contains(copy.getFileName().toString()), qd.out() + qd.err());
    }

    @Test
    void diffQuietPrintsNothingWhenTheFingerprintsAreTheSameAndTheWholeDiffOtherwise() {
        List<Path> bundles = ReportsMustHoldTest.bundles();
        Path a = bundles.get(0);
        Path b = bundles.get(bundles.size() - 1);
        Run loud = run("diff", a.toString(), a.toString());
        assertEquals(0, loud.code(), loud.out() + loud.err());
        assertFalse(loud.out().isEmpty(), "without --quiet, diff says what is unchanged");
        Run q = run("diff", "--quiet", a.toString(), a.toString());
        assertEquals(0, q.code(), q.out() + q.err());
        assertEquals("", q.out());
        assertEquals("", q.err());
        Run qd = run("diff", "--quiet", a.toString(), b.toString());
        assertEquals(1, qd.code(), qd.out() + qd.err());
        assertEquals(run("diff", a.toString(), b.toString()).out(), qd.out(), "a diff with --quiet is the whole diff");
    }
}

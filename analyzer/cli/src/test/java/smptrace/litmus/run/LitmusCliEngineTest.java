package smptrace.litmus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.cli.Main;

/**
 * {@code smptrace litmus} end to end through the CLI: the model's verdict, the engine runs with the
 * agent recording, and the cross-check of the trace against the model.
 */
class LitmusCliEngineTest {
    static final Path KERNEL = Path.of(System.getProperty("smptrace.shared", "../../../shared"), "litmus", "kernel");
    static final Path HOME = Path.of(System.getProperty("smptrace.home", "../..")).toAbsolutePath().normalize();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "litmus";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Main().run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static void assumeBuilt() {
        assumeTrue(Files.isRegularFile(HOME.resolve("agent/target/smptrace-agent.jar"))
            && Files.isRegularFile(HOME.resolve("engine/target/smptrace-engine.jar")),
            "agent and engine jars not built (mvn -q -o install -DskipTests -pl trace,engine,agent)");
    }

    static final String SB = "C SB\n(* Result: Sometimes *)\n{}\nP0(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n"
        + "\tr0 = READ_ONCE(*y);\n}\nP1(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*y, 1);\n"
        + "\tr0 = READ_ONCE(*x);\n}\nexists (0:r0=0 /\\ 1:r0=0)\n";

    @Test
    void theSharedKernelFolderAgrees35Of35WithEveryRunCrossChecked() {
        assumeTrue(Files.isDirectory(KERNEL), "no " + KERNEL);
        assumeBuilt();
        int rc = run(KERNEL.toString());
        assertEquals(0, rc, out() + err());
        assertTrue(out().contains("35 tests: 35 agree, 0 disagree"), out());
        assertTrue(out().contains("engine: 35 recorded (16 runs each), 0 cross-check failures, 0 not run"), out());
        assertEquals(35, out().lines().filter(l -> l.endsWith("  ok")).count(), out());
    }

    @Test
    void aWrongResultLineExitsOne(@TempDir Path dir) throws IOException {
        assumeBuilt();
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, SB.replace("Result: Sometimes", "Result: Never"));
        assertEquals(1, run(f.toString()));
        assertTrue(out().lines().anyMatch(l -> l.matches("SB\\s+Never\\s+Sometimes\\s+NO\\s.*  ok")), out());
    }

    @Test
    void anUnsupportedConstructIsARowAndTheRunGoesOn(@TempDir Path dir) throws IOException {
        assumeBuilt();
        Files.writeString(dir.resolve("a-loop.litmus"), "C a-loop\n(* Result: Never *)\n{}\nP0(int *x)\n{\n\tint r0;\n"
            + "\tfor (;;) { }\n}\nexists (x=1)\n");
        Files.writeString(dir.resolve("b-SB.litmus"), SB);
        assertEquals(1, run(dir.toString()));
        assertTrue(out().contains("unsupported: 'for' statements"), out());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("SB ") && l.contains("Sometimes") && l.endsWith("  ok")),
            out());
        assertTrue(out().contains("2 tests: 1 agree, 1 disagree"), out());
    }

    @Test
    void aPrimitiveTheEngineLacksIsNotRunButStillDecided(@TempDir Path dir) throws IOException {
        assumeBuilt();
        Path f = dir.resolve("aau.litmus");
        Files.writeString(f, "C aau\n(* Result: Always *)\n{}\nP0(atomic_t *v)\n{\n\tint r0;\n"
            + "\tr0 = atomic_add_unless(v, 1, 5);\n}\nexists (0:r0=1)\n");
        assertEquals(0, run(f.toString()), out() + err());
        assertTrue(out().contains("not run: no kernel primitive for atomic_add_unless"), out());
    }

    @Test
    void aMissingPathExitsTwoWithOneLine(@TempDir Path dir) {
        assertEquals(2, run(dir.resolve("missing.litmus").toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("missing.litmus"), err());
    }

    @Test
    void noPathIsAUsageError() {
        assertEquals(2, run());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void withoutTheAgentTheRecordingFailsInOneLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, SB);
        String old = System.getProperty("smptrace.home");
        System.setProperty("smptrace.home", dir.toString());
        try {
            assertEquals(2, run(f.toString()));
        } finally {
            if (old == null) {
                System.clearProperty("smptrace.home");
            } else {
                System.setProperty("smptrace.home", old);
            }
        }
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("smptrace-agent.jar is not built"), err());
        assertEquals("", out());
    }

    @Test
    void noRecordDecidesWithTheModelOnly(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, SB);
        assertEquals(0, run("--no-record", f.toString()));
        assertTrue(out().contains("not run (--no-record)"), out());
        assertTrue(out().contains("1 tests: 1 agree"), out());
    }

    @Test
    void theTraceCanBeKept(@TempDir Path dir) throws Exception {
        assumeBuilt();
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, SB);
        Path trace = dir.resolve("trace");
        assertEquals(0, run("--runs", "4", "--keep-trace", trace.toString(), f.toString()), out() + err());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("SB ") && l.contains("    4 ")), out());
        RecordedBatch b = RecordedBatch.read(trace);
        assertTrue(b.end().complete());
        assertEquals(0, b.strayEvents());
        // P0 of run 0: WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y)
        assertEquals(2, b.events(0, 0, 0).size(), b.events(0, 0, 0).toString());
    }
}

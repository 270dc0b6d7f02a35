package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit status and table of {@code smptrace litmus}. */
class LitmusCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path... paths) {
        return new LitmusCommand().run(List.of(paths), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void agreeingDirectoryExitsZeroAndPrintsOneRowPerTest() {
        assertEquals(0, run(LitmusCorpus.HANDWRITTEN));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("RCU+gp+rscs"), table);
        assertTrue(table.contains("agree"), table);
    }

    @Test
    void unreadablePathExitsTwoWithOneLineOnStderr(@TempDir Path dir) {
        assertEquals(2, run(dir.resolve("missing.litmus")));
        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void aWrongResultLineExitsOne(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, "C SB\n(* Result: Never *)\n{}\nP0(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n"
            + "\tr0 = READ_ONCE(*y);\n}\nP1(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*y, 1);\n"
            + "\tr0 = READ_ONCE(*x);\n}\nexists (0:r0=0 /\\ 1:r0=0)\n");
        assertEquals(1, run(f));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("NO"));
    }

    @Test
    void unsupportedConstructsAreReportedPerTestNotAsAVerdict(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("loop.litmus");
        Files.writeString(f, "C loop\n(* Result: Never *)\n{}\nP0(int *x)\n{\n\tint r0;\n"
            + "\tfor (;;) { }\n}\nexists (x=1)\n");
        assertEquals(1, run(f));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("unsupported: 'for' statements"),
            out.toString(StandardCharsets.UTF_8));
    }
}

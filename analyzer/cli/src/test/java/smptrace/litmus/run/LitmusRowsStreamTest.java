package smptrace.litmus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7: {@code litmus} with the engine prints each test's row as soon as its chunk is recorded and
 * checked, not after the whole folder: the engine gets chunks of 1, 2, 4, ... tests, and a chunk's rows are
 * out while the next chunk still records.
 */
class LitmusRowsStreamTest {

    private static String variant(String name, String first) {
        return LitmusCliEngineTest.SB.replace("C SB", "C " + name).replace("WRITE_ONCE(*x, 1);", "WRITE_ONCE(*x, " + first + ");");
    }

    @Test
    void theFirstTestsRowIsPrintedWhileTheEngineStillRecordsTheNextChunk(@TempDir Path dir) throws Exception {
        LitmusCliEngineTest.assumeBuilt();
        for (int i = 1; i <= 4; i++) {
            Files.writeString(dir.resolve("t" + i + ".litmus"), variant("SB" + i, String.valueOf(i)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        List<List<String>> chunks = new ArrayList<>();
        boolean[] firstRowBeforeSecondChunkRan = {false};
        LitmusRunCommand.EngineLauncher launcher = (program, results, traceDir) -> {
            List<String> tests = Files.readAllLines(program).stream().filter(l -> l.startsWith("test ")).toList();
            synchronized (chunks) {
                chunks.add(tests);
            }
            if (chunks.size() == 2) {
                // hold the second chunk until the first chunk's row is out (a guard, not a time limit: it fails below)
                for (int k = 0; k < 600 && !out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("SB1 ")); k++) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                firstRowBeforeSecondChunkRan[0] = out.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("SB1 "));
            }
            return TestLauncher.INSTANCE.run(program, results, traceDir);
        };
        int rc = new LitmusRunCommand().run(List.of(dir), LitmusRunCommand.Options.defaults(), launcher, ps, System.err);
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, table);
        // chunks of 1, 2, then the rest, in test order, numbered across the batch
        assertEquals(List.of(List.of("test 0 SB1"), List.of("test 1 SB2", "test 2 SB3"), List.of("test 3 SB4")), chunks, table);
        assertTrue(firstRowBeforeSecondChunkRan[0], "SB1's row was not printed before the second chunk ran:\n" + table);
        List<String> rows = table.lines().filter(l -> l.startsWith("SB")).toList();
        assertEquals(4, rows.size(), table);
        for (int i = 0; i < 4; i++) {
            assertTrue(rows.get(i).startsWith("SB" + (i + 1) + " ") && rows.get(i).endsWith("  ok"), table);
        }
        assertTrue(table.contains("engine: 4 recorded (16 runs each), 0 cross-check failures"), table);
    }

    @Test
    void withKeepTraceTheWholeBatchIsOneTrace(@TempDir Path dir) throws Exception {
        LitmusCliEngineTest.assumeBuilt();
        for (int i = 1; i <= 3; i++) {
            Files.writeString(dir.resolve("t" + i + ".litmus"), variant("SB" + i, String.valueOf(i)));
        }
        int[] calls = {0};
        LitmusRunCommand.EngineLauncher launcher = (program, results, traceDir) -> {
            calls[0]++;
            return TestLauncher.INSTANCE.run(program, results, traceDir);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path keep = dir.resolve("kept");
        int rc = new LitmusRunCommand().run(List.of(dir), new LitmusRunCommand.Options(true, 4, 1, keep), launcher,
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
        assertEquals(1, calls[0]);
        assertTrue(Files.isDirectory(keep));
    }
}

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.TraceReader;

/**
 * A format-2 trace (the archived 004 reproducer as recorded before ROLE events existed) is still read
 * and analysed: its queues and cpu_online_mask are found by the names that engine gave them.
 */
class Format2TraceTest {
    @Test
    void aFormat2TraceWithoutRolesStillShowsItsLostIpi(@TempDir Path dir) throws Exception {
        Path src = Path.of("src/test/resources/format2/004-ipi-to-offline");
        Path t = dir.resolve("t");
        Files.createDirectories(t);
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, t.resolve(f.getFileName()));
            }
        }
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals(2, r.info().formatVersion());
            AnalysisResult res = new Analyzer(Options.defaults()).analyze(r);
            assertTrue(res.problems().stream().anyMatch(f -> f.kind == Finding.Kind.LOST_IPI && !f.predicted),
                    res.findings().toString());
            assertTrue(res.problems().stream().anyMatch(f -> f.kind == Finding.Kind.LOST_IPI && f.predicted),
                    res.findings().toString());
        }
    }
}

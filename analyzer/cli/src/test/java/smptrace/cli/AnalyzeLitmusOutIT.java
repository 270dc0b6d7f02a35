package smptrace.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeLitmusOutIT {
    @Test
    void everyExportedOrderingViolationIsALitmusTestTheModelSaysSometimesFor(@TempDir Path dir) throws Exception {
        Path traces = dir.resolve("traces");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "002", "--variant", "no-mb-in-flush", "--seed", "1",
                "--seeds", "2", "--out", traces.toString());
        assertEquals(0, rec.exit(), rec.err());
        Path out = dir.resolve("litmus");
        List<Path> ts;
        try (Stream<Path> s = Files.list(traces)) {
            ts = s.toList();
        }
        for (Path t : ts) {
            CliBadInputTest.Run an = CliBadInputTest.cli("analyze", t.toString(), "--litmus-out", out.toString());
            assertEquals(1, an.exit(), an.out() + an.err());
        }
        List<Path> tests;
        try (Stream<Path> s = Files.list(out)) {
            tests = s.toList();
        }
        assertFalse(tests.isEmpty(), "the store-buffering finding was exported");
        CliBadInputTest.Run lit = CliBadInputTest.cli("litmus", "--no-record", out.toString());
        assertEquals(0, lit.exit(), lit.out() + lit.err());
        for (Path t : tests) {
            String name = t.getFileName().toString().replace(".litmus", "");
            assertTrue(lit.out().lines().anyMatch(l -> l.startsWith(name) && l.contains("Sometimes") && l.contains("yes")), lit.out());
        }
    }
}

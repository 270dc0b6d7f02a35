package smptrace.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `smptrace bench` reads DemoMain bench's line: its event count, and each thread's best round within its CPU time. */
class DemoBenchOutputTest {
    private static Map<String, Long> run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            DemoMain.main(args);
        } finally {
            System.setOut(old);
        }
        Map<String, Long> fields = new HashMap<>();
        for (String tok : buf.toString(StandardCharsets.UTF_8).trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            if (eq > 0) {
                fields.put(tok.substring(0, eq), Long.parseLong(tok.substring(eq + 1)));
            }
        }
        return fields;
    }

    @Test
    void roundsSplitTheIterationsAndTheBestRoundIsScaledToTheWholeRun() throws Exception {
        Map<String, Long> f = run("bench", "2", "20000", "2", "5");
        assertEquals(2 * 20000 * BenchLoop.EVENTS_PER_ITERATION, f.get("events"));
        assertTrue(f.get("bestRoundCpuNs") > 0, f.toString());
        assertTrue(f.get("bestRoundCpuNs") <= f.get("cpuNs"), "five best rounds cannot take more than the five rounds: " + f);
    }

    @Test
    void withoutRoundsTheBestRoundIsTheWholeLoop() throws Exception {
        Map<String, Long> f = run("bench", "1", "10000");
        assertEquals(10000L * BenchLoop.EVENTS_PER_ITERATION, f.get("events"));
        assertTrue(f.get("bestRoundCpuNs") <= f.get("cpuNs"), f.toString());
    }
}

package smptrace.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineUnderAgentIT {
    private static String withoutTiming(String summary) {
        return summary.trim().replaceAll(" ms=\\d+", "");
    }

    /**
     * The engine runs identically with no agent: with the agent scheduling only at marked accesses
     * and control events (points=marked, the points the engine has on its own), the same scenario and
     * seed give the same run, outcome for outcome, as without the agent.
     */
    @Test
    void theEngineRunsIdenticallyWithAndWithoutTheAgent(@TempDir Path dir) throws Exception {
        String[][] runs = {
            {"--patch", "001", "--variant", "before", "--seed", "3", "--schedule", "pct"},
            {"--patch", "001", "--variant", "after", "--seed", "4", "--schedule", "random"},
            {"--patch", "003", "--variant", "put-cpu-before-lock", "--seed", "5", "--schedule", "random"},
            {"--patch", "004", "--variant", "online-check-outside-pinned", "--seed", "6", "--schedule", "pct"},
        };
        int i = 0;
        for (String[] args : runs) {
            ChildJvm.Result plain = ChildJvm.run(ChildJvm.command(null, null, "smptrace.engine.EngineMain", args), List.of());
            Path trace = dir.resolve("t" + i++);
            ChildJvm.Result recorded = ChildJvm.run(ChildJvm.command(trace, "points=marked", "smptrace.engine.EngineMain", args), List.of());
            assertEquals(0, plain.exit(), plain.err());
            assertEquals(0, recorded.exit(), recorded.err());
            assertEquals(withoutTiming(plain.out()), withoutTiming(recorded.out()), String.join(" ", args));
            try (TraceReader r = TraceReader.open(trace)) {
                Event e = new Event();
                long n = 0;
                while (r.next(e)) {
                    n++;
                }
                assertTrue(r.end().complete());
                assertTrue(n > 100, "events: " + n);
            }
        }
    }
}

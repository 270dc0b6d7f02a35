package smptrace.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.AnalysisResult;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceReader;
import userapp.Many;

import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user program with 64 threads at once (userapp.Many): no event lost, reads-from exact. */
class SixtyFourThreadsIT {
    @Test
    void sixtyFourThreadsLoseNoEventAndKeepReadsFromExact(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("trace");
        ChildJvm.Result run = ChildJvm.agentLine("out=" + dir, ChildJvm.testClasses().toString(), "userapp.Many");
        assertEquals(0, run.exit(), run.err());
        int n = Many.THREADS * Many.ROUNDS;
        assertTrue(run.out().contains("counter=" + n + " atomic=" + n), run.out());

        Map<EventKind, Integer> kinds = new EnumMap<>(EventKind.class);
        Map<Long, Long> valueOfWrite = new HashMap<>();
        long counterLoc = -1;
        int counterReads = 0;
        int counterWrites = 0;
        long lastCounterWrite = 0;
        try (TraceReader r = TraceReader.open(dir)) {
            Event e = new Event();
            while (r.next(e)) {
                kinds.merge(e.kind, 1, Integer::sum);
                if (!e.kind.isMemory()) {
                    continue;
                }
                if (e.kind.writes()) {
                    valueOfWrite.put(e.id(), e.kind.shape == EventKind.Shape.RMW ? e.value2 : e.value);
                }
                if (e.kind.reads() && e.rfId >= 0) {
                    // exact reads-from: a read returns the value of the write it is said to read from
                    assertEquals(valueOfWrite.get(e.rfId), e.value, "read " + e + " of write " + e.rfId);
                }
                String loc = r.info().locationName(e.loc);
                if (loc.endsWith(".counter")) {
                    if (counterLoc < 0) {
                        counterLoc = e.loc;
                    }
                    if (e.kind == EventKind.R_PLAIN) {
                        counterReads++;
                        assertEquals(lastCounterWrite, e.value, "the monitor orders every read after the last write");
                    } else if (e.kind == EventKind.W_PLAIN) {
                        counterWrites++;
                        lastCounterWrite = e.value;
                    }
                }
            }
            assertEquals(TraceEnd.Status.COMPLETE, r.end().status(), r.end().toString());
        }
        assertEquals(n + 1, counterReads, "every increment's read, and main's read for the print");
        assertEquals(n, counterWrites);
        assertEquals(n, lastCounterWrite);
        assertEquals(n, (int) kinds.getOrDefault(EventKind.RMW_MB, 0), "atomic increments");
        // per round: the monitor's enter and exit; threads: start and first event, end and join
        assertEquals(n + 2 * Many.THREADS, (int) kinds.getOrDefault(EventKind.SYNC_RELEASE, 0), "releases: " + kinds);
        assertEquals(n + 2 * Many.THREADS, (int) kinds.getOrDefault(EventKind.SYNC_ACQUIRE, 0), "acquires: " + kinds);
        assertEquals(2 * n + Many.THREADS, (int) kinds.getOrDefault(EventKind.W_PLAIN, 0), "the counter's and the slots' stores, and main's ts[t] = ...");

        AnalysisResult a = Smptrace.analyze(dir);
        assertEquals(java.util.List.of(), a.problems().stream().map(f -> f.summary).toList());
    }
}

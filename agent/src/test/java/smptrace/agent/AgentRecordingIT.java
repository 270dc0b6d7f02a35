package smptrace.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.demo.agentit.Concurrent;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRecordingIT {
    private static final String PKG = "smptrace.demo.agentit.";

    private static List<Event> readAll(Path trace) throws Exception {
        List<Event> all = new ArrayList<>();
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                Event copy = new Event();
                copy.copyFrom(e);
                all.add(copy);
            }
            assertTrue(r.end().complete(), r.end().toString());
        }
        return all;
    }

    @Test
    void everyPrimitiveAndControlHookIsRecordedWithItsKindValueAndSite(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", PKG + "AllPrimitives"), List.of());
        assertEquals(0, res.exit(), res.err());
        assertTrue(res.out().startsWith("ok "), res.out());
        List<Event> events = readAll(trace);
        EnumSet<EventKind> seen = EnumSet.noneOf(EventKind.class);
        for (Event e : events) {
            seen.add(e.kind);
        }
        assertEquals(EnumSet.allOf(EventKind.class), seen, "kinds missing: " + EnumSet.complementOf(seen));
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            Event writeOnce = null;
            boolean checkedRead = false;
            boolean checkedFailedCas = false;
            while (r.next(e)) {
                String where = r.info().site(e.site) == null ? "" : r.info().site(e.site).method();
                if (e.kind == EventKind.W_ONCE && e.value == 41) {
                    writeOnce = new Event();
                    writeOnce.copyFrom(e);
                    assertEquals("cell_c.v", r.info().locationName(e.loc));
                    assertEquals("main", where);
                }
                if (e.kind == EventKind.R_ONCE && e.value == 41) {
                    assertNotNull(writeOnce);
                    assertEquals(writeOnce.id(), e.rfId, "READ_ONCE reads from the WRITE_ONCE before it");
                    assertEquals(7, e.task);
                    assertEquals(1, e.cpu);
                    checkedRead = true;
                }
                if (e.kind == EventKind.RMW_FAIL_MB) {
                    assertEquals(54, e.value, "a failed cmpxchg records the value it saw");
                    assertEquals(0, e.value2);
                    checkedFailedCas = true;
                }
            }
            assertTrue(checkedRead && checkedFailedCas);
        }
    }

    @Test
    void concurrentThreadsLoseNoEventAndEveryReadNamesTheWriteItReadFrom(@TempDir Path dir) throws Exception {
        int threads = 4;
        int iterations = 60_000;
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", PKG + "Concurrent", "" + threads, "" + iterations, "5"), List.of());
        assertEquals(0, res.exit(), res.err());
        Map<Long, Long> written = new HashMap<>();
        Map<Integer, int[]> perWorker = new HashMap<>();
        long reads = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind.writes()) {
                    written.put(e.id(), e.kind.shape == EventKind.Shape.RMW ? e.value2 : e.value);
                }
                if (e.task < 0 || !r.info().thread(e.thread).name().startsWith("worker-")) {
                    continue;
                }
                int[] counts = perWorker.computeIfAbsent(e.thread, k -> new int[4]);
                if (e.kind.reads() && !r.info().locationName(e.loc).endsWith("counter") && e.rfId >= 0) {
                    Long w = written.get(e.rfId);
                    assertNotNull(w, "read " + e + " names a write that was not delivered before it");
                    assertEquals((long) w, e.value, "read " + e + " saw a value its write did not write");
                    reads++;
                }
                switch (e.kind) {
                    case W_ONCE: case W_PLAIN: counts[0]++; break;
                    case R_ONCE: case R_PLAIN: counts[1]++; break;
                    case RMW_MB: case RMW_FAIL_MB: counts[2]++; break;
                    case RMW_NORETURN: counts[3]++; break;
                    default: break;
                }
            }
            assertTrue(r.end().complete());
        }
        assertEquals(threads, perWorker.size());
        int per = iterations / 6;
        for (int[] c : perWorker.values()) {
            // writes: WRITE_ONCE + plain; reads: READ_ONCE, plain, the read before cmpxchg; plus the
            // plain reads of the cells array element and of the cell's cnt field in the loop itself
            assertEquals(2 * per, c[0], "writes per worker");
            assertEquals(per, c[2], "cmpxchg per worker");
            assertEquals(per, c[3], "atomic_inc per worker");
            assertTrue(c[1] >= 3 * per, "reads per worker");
        }
        assertTrue(reads > threads * per, "reads checked: " + reads);
        assertEquals("incs=" + threads * per, res.out().trim());
        assertEquals(Concurrent.value(0, 0), 1 << 20);
    }

    @Test
    void aKilledRecordingIsReadableUpToItsLastCompleteBlockAndSaysItWasCutShort(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        Process p = new ProcessBuilder(ChildJvm.command(trace, "", PKG + "Forever")).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("running", out.readLine());
        Thread.sleep(500);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no end record
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long n = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                n++;
            }
            assertEquals(TraceEnd.Status.CUT_SHORT, r.end().status(), r.end().toString());
            assertTrue(r.recordedEvents() >= n);
        }
        assertTrue(n > 10_000, "events read back: " + n);
    }

    @Test
    void aFailureInsideTheAgentStopsRecordingOnceLoudlyAndLeavesTheProgramAndTheTraceIntact(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", PKG + "Concurrent", "2", "60000", "3"),
                List.of("-Dsmptrace.test.failAfterBlocks=2"));
        assertEquals(0, res.exit(), res.err());
        assertEquals("incs=20000", res.out().trim(), "the program ran to its end");
        long agentLines = res.err().lines().filter(l -> l.startsWith("smptrace agent:")).count();
        assertEquals(1, agentLines, res.err());
        assertFalse(res.err().contains("\tat "), "no stack trace: " + res.err());
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            long n = 0;
            while (r.next(e)) {
                n++;
            }
            assertEquals(TraceEnd.Status.AGENT_FAILED, r.end().status());
            assertTrue(n > 0);
        }
    }
}

package smptrace.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.demo.agentit.Concurrent;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The owner-biased shadow lock (Rec.lockBiased): exact per-location order and reads-from, and no stall. */
class BiasedShadowLockIT {
    private static final String MAIN = "smptrace.demo.agentit.BiasHandover";

    @Test
    void threadsContendingOnOneBiasedLocationRecordItsExactCoherenceOrderAndReadsFrom(@TempDir Path dir) throws Exception {
        int threads = 16;
        int rounds = 400;
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", MAIN, "contend", "" + threads, "" + rounds), List.of());
        assertEquals(0, res.exit(), res.err());
        Map<Long, List<long[]>> writesByLoc = new HashMap<>(); // loc -> {co, id, value, readsOfPrev}
        Map<Long, Long> valueOf = new HashMap<>();
        Map<Long, Long> locOf = new HashMap<>();
        Map<Long, Long> coOf = new HashMap<>();
        Map<Long, Integer> readsOf = new HashMap<>();
        Map<String, Long> lastCo = new HashMap<>(); // thread/loc -> last co seen (coherence per thread)
        long reads = 0;
        long lastMainRead = -1;
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind != EventKind.R_ONCE && e.kind != EventKind.W_ONCE && e.kind != EventKind.R_PLAIN && e.kind != EventKind.W_PLAIN) {
                    continue;
                }
                String key = e.thread + "/" + e.loc;
                if (e.kind.writes()) {
                    writesByLoc.computeIfAbsent(e.loc, k -> new ArrayList<>()).add(new long[] {e.co, e.id(), e.value, e.readsOfPrev});
                    valueOf.put(e.id(), e.value);
                    locOf.put(e.id(), e.loc);
                    coOf.put(e.id(), e.co);
                    assertTrue(e.co > lastCo.getOrDefault(key, 0L), "a thread's write goes back in coherence order: " + e);
                    lastCo.put(key, e.co);
                } else if (e.kind.reads()) {
                    long co = 0;
                    if (e.rfId >= 0) {
                        Long v = valueOf.get(e.rfId);
                        assertNotNull(v, "read " + e + " names a write not delivered before it");
                        assertEquals((long) v, e.value, "read " + e + " saw a value its write did not write");
                        assertEquals(e.loc, (long) locOf.get(e.rfId), "read " + e + " names a write of another location");
                        co = coOf.get(e.rfId);
                        readsOf.merge(e.rfId, 1, Integer::sum);
                        reads++;
                    } else {
                        assertEquals(0, e.value, "a read of the initial value: " + e);
                    }
                    assertTrue(co >= lastCo.getOrDefault(key, 0L), "a thread's read goes back in coherence order: " + e);
                    lastCo.put(key, co);
                    if (!r.info().thread(e.thread).name().startsWith("worker-")) {
                        lastMainRead = e.value;
                    }
                }
            }
            assertTrue(r.end().complete(), r.end().toString());
        }
        int sharedLocs = 0;
        for (List<long[]> ws : writesByLoc.values()) {
            ws.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 0; i < ws.size(); i++) {
                assertEquals(i + 1, ws.get(i)[0], "coherence indices of a location are 1..n without gap or repeat");
                if (i > 0) {
                    assertEquals(readsOf.getOrDefault(ws.get(i - 1)[1], 0), (int) ws.get(i)[3],
                            "a write's readsOfPrev counts the reads of the write before it");
                }
            }
            if (ws.size() > threads * rounds) {
                sharedLocs++;
            }
        }
        assertEquals(2, sharedLocs, "the shared cell's two fields");
        assertTrue(reads > threads * rounds, "reads checked: " + reads);
        assertEquals("last=" + lastMainRead, res.out().trim(), "main's last read is recorded with the value it returned");
    }

    @Test
    void aThreadThatSleepsHoldingABiasDoesNotStallAnotherThreadsAccess(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", MAIN, "blocked"), List.of());
        assertEquals(0, res.exit(), res.out() + res.err());
        assertTrue(res.out().startsWith("read=1 "), res.out());
        long writeId = -1;
        boolean checked = false;
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                String who = r.info().thread(e.thread).name();
                if (e.kind == EventKind.W_ONCE && e.value == 1 && who.equals("sleeper")) {
                    writeId = e.id();
                }
                if (e.kind == EventKind.R_ONCE && who.equals("other")) {
                    assertEquals(writeId, e.rfId, "the other thread's read names the sleeper's write");
                    assertEquals(1, e.value);
                    checked = true;
                }
                if (e.kind == EventKind.W_ONCE && e.value == 2) {
                    assertEquals(2, e.co);
                    assertEquals(1, e.readsOfPrev);
                }
            }
            assertTrue(r.end().complete(), r.end().toString());
        }
        assertTrue(checked);
    }
}

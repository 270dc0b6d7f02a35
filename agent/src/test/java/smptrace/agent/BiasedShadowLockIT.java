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
    private static final String CELL = "smptrace.demo.agentit.Cell";

    @Test
    void threadsContendingOnBiasedLocationsRecordTheirExactCoherenceOrderAndReadsFrom(@TempDir Path dir) throws Exception {
        long[] n = contend(dir.resolve("t"), List.of());
        assertTrue(n[1] > 0, "biases handed over: " + n[1]);
        assertTrue(n[3] >= 16, "biases taken from threads that ended: " + n[3]);
    }

    @Test
    void biasesStolenFromLiveOwnersOutsideAnAccessKeepTheRecordExact(@TempDir Path dir) throws Exception {
        // a waiter steals as soon as a handshake shows the owner outside an access (no grace period)
        long[] n = contend(dir.resolve("t"), List.of("-Dsmptrace.biasStealMicros=0"));
        assertTrue(n[2] > 0, "biases stolen from live owners: " + n[2]);
        assertTrue(n[3] >= 16, "biases taken from threads that ended: " + n[3]);
    }

    /**
     * Runs BiasHandover contend (16 threads) and checks every access to its cells: per location the writes'
     * coherence indices are 1..n (mutual exclusion: no index given twice, none lost), a read names a write of its
     * location delivered before it whose value is the value the program read (every int write writes a value of
     * its own), a write's readsOfPrev counts the reads of the write it replaced, and no thread goes back in a
     * location's coherence order. Returns the protocol's counts {biased, handedOver, stolenLive, stolenGone}.
     */
    private static long[] contend(Path trace, List<String> jvmExtra) throws Exception {
        int threads = 16;
        int rounds = 400;
        List<String> extra = new ArrayList<>(jvmExtra);
        extra.add("-Dsmptrace.test.biasStats=true");
        if (Boolean.getBoolean("smptrace.test.biasNoHandshake")) {
            extra.add("-Dsmptrace.test.biasNoHandshake=true"); // the broken variant, on request
        }
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", MAIN, "contend", "" + threads, "" + rounds), extra);
        assertEquals(0, res.exit(), res.err());
        Map<Long, List<long[]>> writesByLoc = new HashMap<>(); // loc -> {co, id, value, readsOfPrev}
        Map<Long, Long> valueOf = new HashMap<>();
        Map<Long, Long> locOf = new HashMap<>();
        Map<Long, Long> coOf = new HashMap<>();
        Map<Long, Integer> readsOf = new HashMap<>();
        Map<String, Long> lastCo = new HashMap<>(); // thread/loc -> last co seen (coherence per thread)
        Map<Integer, Long> mainReads = new java.util.TreeMap<>(); // oid -> value, main's reads in order of its cells
        long reads = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind != EventKind.R_ONCE && e.kind != EventKind.W_ONCE && e.kind != EventKind.R_PLAIN && e.kind != EventKind.W_PLAIN
                        || !CELL.equals(r.info().objectClass(Event.oidOf(e.loc)))) {
                    continue; // the cells' accesses (main's reads of its args array read values from before recording)
                }
                String key = e.thread + "/" + e.loc;
                if (e.kind.writes()) {
                    writesByLoc.computeIfAbsent(e.loc, k -> new ArrayList<>()).add(new long[] {e.co, e.id(), e.value, e.readsOfPrev});
                    valueOf.put(e.id(), e.value);
                    locOf.put(e.id(), e.loc);
                    coOf.put(e.id(), e.co);
                    assertTrue(e.co > lastCo.getOrDefault(key, 0L), "a thread's write goes back in coherence order: " + e);
                    lastCo.put(key, e.co);
                } else {
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
                    if (r.info().thread(e.thread).name().equals("main")) {
                        mainReads.put(Event.oidOf(e.loc), e.value);
                    }
                }
            }
            assertTrue(r.end().complete(), r.end().toString());
        }
        for (List<long[]> ws : writesByLoc.values()) {
            ws.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 0; i < ws.size(); i++) {
                assertEquals(i + 1, ws.get(i)[0], "coherence indices of a location are 1..n without gap or repeat");
                if (i > 0) {
                    assertEquals(readsOf.getOrDefault(ws.get(i - 1)[1], 0), (int) ws.get(i)[3],
                            "a write's readsOfPrev counts the reads of the write before it");
                }
            }
        }
        assertTrue(reads > threads * rounds, "reads checked: " + reads);
        StringBuilder last = new StringBuilder("last=");
        for (long v : mainReads.values()) {
            last.append(last.length() == 5 ? "" : ",").append(v);
        }
        assertEquals(threads, mainReads.size(), "main reads every thread's final cell");
        assertEquals(last.toString(), res.out().trim(), "main's reads of the final cells are recorded with the values they returned");
        return biasCounts(res.err());
    }

    /** The counts the agent prints at exit under -Dsmptrace.test.biasStats: {biased, handedOver, stolenLive, stolenGone}. */
    private static long[] biasCounts(String err) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("bias biased=(\\d+) handedOver=(\\d+) stolenLive=(\\d+) stolenGone=(\\d+)").matcher(err);
        assertTrue(m.find(), "no bias counts in: " + err);
        long[] n = new long[4];
        for (int i = 0; i < 4; i++) {
            n[i] = Long.parseLong(m.group(i + 1));
        }
        assertTrue(n[0] > 0, "locks biased: " + n[0]);
        return n;
    }

    @Test
    void aThreadThatSleepsHoldingABiasDoesNotStallAnotherThreadsAccess(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", MAIN, "blocked"), List.of("-Dsmptrace.test.biasStats=true"));
        assertEquals(0, res.exit(), res.out() + res.err());
        assertEquals(1, biasCounts(res.err())[2], "the sleeper's bias is stolen once, from the live sleeper: " + res.err());
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

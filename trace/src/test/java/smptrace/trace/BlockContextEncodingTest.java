package smptrace.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format version 5: events coded against their block's context decode to exactly what was recorded. */
class BlockContextEncodingTest {
    /** One thread's encoder that hands off full blocks to a writer, like the agent's recorder. */
    static final class Stream extends BlockEncoder {
        final TraceWriter w;
        final int thread;
        int count;
        long firstSeq;
        /** Like the agent's flusher: events and bytes of the current buffer already handed off as a block. */
        int sent;
        int sentBytes;

        Stream(TraceWriter w, int thread) {
            this.w = w;
            this.thread = thread;
        }

        void end() {
            count++;
            if (full()) {
                flush();
            }
        }

        /** Hands off the finished events while the buffer goes on filling (the agent's 200 ms flusher). */
        void cut() {
            if (count > sent) {
                w.writeBlock(thread, firstSeq + sent, count - sent, buf, sentBytes, pos - sentBytes, sentBytes > 0);
                sent = count;
                sentBytes = pos;
            }
        }

        void flush() {
            if (count > sent) {
                w.writeBlock(thread, firstSeq + sent, count - sent, buf, sentBytes, pos - sentBytes, sentBytes > 0);
            }
            firstSeq += count;
            count = 0;
            sent = 0;
            sentBytes = 0;
            pos = 0;
        }
    }

    record Expected(EventKind kind, int site, long loc, long value, long value2, long co, long readsOfPrev, long a, long b, String text) { }

    /** Random one-thread programs: hits and misses of the location cache, far and near locations, negative values, co jumps, many blocks. */
    private static List<Expected> record(Path t, long seed, int n) throws Exception {
        Random rnd = new Random(seed);
        List<Expected> out = new ArrayList<>();
        Map<Long, long[]> mem = new HashMap<>(); // loc -> {writes, reads of current, value}
        long[] pool = new long[40];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = Event.loc(1 + rnd.nextInt(i < 20 ? 50 : 5_000_000), rnd.nextInt(i < 30 ? 12 : 65536));
        }
        try (TraceWriter w = new TraceWriter(t, Map.of("scenario", "unit"))) {
            int[] sites = new int[30];
            for (int i = 0; i < sites.length; i++) {
                sites[i] = w.addSite("C", "m" + i, "C.java", i);
            }
            int f = w.addField("C", "f", "J");
            assertTrue(f >= 0);
            int th = w.addThread("t", 1);
            Stream s = new Stream(w, th);
            int pc = 0;
            for (int i = 0; i < n; i++) {
                // mostly a loop over a few sites, sometimes a jump (a prediction miss)
                pc = rnd.nextInt(10) == 0 ? rnd.nextInt(sites.length) : (pc + 1) % 8;
                int site = rnd.nextInt(50) == 0 ? 0 : sites[pc];
                long loc = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : pool[rnd.nextInt(6)];
                long[] m = mem.computeIfAbsent(loc, x -> new long[3]);
                long value = switch (rnd.nextInt(4)) {
                    case 0 -> m[2];
                    case 1 -> m[2] + 1;
                    case 2 -> -rnd.nextLong();
                    default -> rnd.nextInt(1000) - 500;
                };
                int what = rnd.nextInt(100);
                if (what < 40) {
                    s.read(EventKind.R_PLAIN, site, loc, m[2], m[0]);
                    out.add(new Expected(EventKind.R_PLAIN, site, loc, m[2], 0, m[0], 0, 0, 0, null));
                    m[1]++;
                } else if (what < 65) {
                    EventKind k = rnd.nextBoolean() ? EventKind.W_ONCE : EventKind.W_PLAIN;
                    s.write(k, site, loc, value, m[0] + 1, m[1]);
                    out.add(new Expected(k, site, loc, value, 0, m[0] + 1, m[1], 0, 0, null));
                    m[0]++;
                    m[1] = 0;
                    m[2] = value;
                } else if (what < 75) {
                    s.rmw(EventKind.RMW_MB, site, loc, m[2], value, m[0] + 1, m[1]);
                    out.add(new Expected(EventKind.RMW_MB, site, loc, m[2], value, m[0] + 1, m[1], 0, 0, null));
                    m[0]++;
                    m[1] = 0;
                    m[2] = value;
                } else if (what < 80) {
                    s.failedRmw(EventKind.RMW_FAIL_MB, site, loc, m[2], value, m[0]);
                    out.add(new Expected(EventKind.RMW_FAIL_MB, site, loc, m[2], value, m[0], 0, 0, 0, null));
                    m[1]++;
                } else if (what < 88) {
                    s.bare(EventKind.F_MB, site);
                    out.add(new Expected(EventKind.F_MB, site, 0, 0, 0, 0, 0, 0, 0, null));
                } else if (what < 94) {
                    s.control(EventKind.MARK, site, -value, 7);
                    out.add(new Expected(EventKind.MARK, site, 0, 0, 0, 0, 0, -value, 7, null));
                } else if (what < 97) {
                    s.control(EventKind.ASSERT_EXCLUSIVE_WRITER, site, loc, 0);
                    out.add(new Expected(EventKind.ASSERT_EXCLUSIVE_WRITER, site, loc, 0, 0, 0, 0, 0, 0, null));
                } else {
                    s.controlText(EventKind.NAME, site, 9, "x" + i);
                    out.add(new Expected(EventKind.NAME, site, 0, 0, 0, 0, 0, 9, 0, "x" + i));
                }
                s.end();
                if (rnd.nextInt(5000) == 0) {
                    s.flush(); // a short block, as a time-bounded flush leaves
                } else if (rnd.nextInt(700) == 0) {
                    s.cut(); // part of a buffer handed off: the next block continues its context
                }
            }
            s.flush();
        }
        return out;
    }

    @Test
    void randomEventStreamsDecodeToExactlyWhatWasEncodedAcrossManyBlocksAndPartBlocks(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Path t = dir.resolve("t" + seed);
            List<Expected> want = record(t, seed, 60_000);
            try (TraceReader r = TraceReader.open(t)) {
                assertEquals(TraceFormat.VERSION, r.info().formatVersion());
                Event e = new Event();
                for (int i = 0; i < want.size(); i++) {
                    assertTrue(r.next(e), "event " + i);
                    Expected x = want.get(i);
                    String at = "seed " + seed + " event " + i + ": " + e;
                    assertEquals(i, e.seq, at);
                    assertEquals(x.kind(), e.kind, at);
                    assertEquals(x.site(), e.site, at);
                    assertEquals(x.loc(), e.loc, at);
                    assertEquals(x.value(), e.value, at);
                    assertEquals(x.value2(), e.value2, at);
                    assertEquals(x.co(), e.co, at);
                    assertEquals(x.readsOfPrev(), e.readsOfPrev, at);
                    if (x.kind().shape == EventKind.Shape.CONTROL && x.kind() != EventKind.ASSERT_EXCLUSIVE_WRITER) {
                        assertEquals(x.a(), e.a, at);
                        assertEquals(x.b(), e.b, at);
                        assertEquals(x.text(), e.text, at);
                    }
                }
                assertFalse(r.next(e));
                assertTrue(r.recordedEvents() > 3 * 1000, "several blocks");
            }
        }
    }

    @Test
    void aLoopOverOneObjectCostsFewerThanFiveBytesPerEvent(@TempDir Path dir) throws Exception {
        // the bench loop's shape: per iteration a plain write, a plain read, a WRITE_ONCE and a READ_ONCE of one object,
        // with growing values and coherence indices (12.6 bytes/event in format version 2)
        Path t = dir.resolve("loop");
        long events = 400_000;
        try (TraceWriter w = new TraceWriter(t, Map.of("scenario", "unit"))) {
            int[] site = {w.addSite("L", "run", "L.java", 1), w.addSite("L", "run", "L.java", 2),
                w.addSite("L", "run", "L.java", 3), w.addSite("L", "run", "L.java", 4)};
            Stream s = new Stream(w, w.addThread("t", 1));
            long a = Event.loc(1_234_567, 3);
            long b = Event.loc(1_234_567, 4);
            for (long i = 1; i <= events / 4; i++) {
                s.write(EventKind.W_PLAIN, site[0], a, i * 3, i, i == 1 ? 0 : 1);
                s.end();
                s.read(EventKind.R_PLAIN, site[1], a, i * 3, i);
                s.end();
                s.write(EventKind.W_ONCE, site[2], b, i * 7, i, i == 1 ? 0 : 1);
                s.end();
                s.read(EventKind.R_ONCE, site[3], b, i * 7, i);
                s.end();
            }
            s.flush();
        }
        try (TraceReader r = TraceReader.open(t)) {
            double perEvent = (double) r.blockBytes() / r.recordedEvents();
            assertTrue(perEvent < 5, perEvent + " bytes/event");
            Event e = new Event();
            long n = 0;
            long sum = 0;
            while (r.next(e)) {
                n++;
                sum += e.value;
            }
            assertEquals(events, n);
            assertEquals(2 * 5 * (events / 4) * (events / 4 + 1), sum); // 3i + 3i + 7i + 7i per iteration
        }
    }
}

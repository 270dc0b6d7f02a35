package smptrace.trace;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BlockEncoder's fast path writes exactly the bytes of the reference encoder (the one coded against
 * BlockContext, as the decoder is), block for block: site prediction, sites past the successor table and
 * past the predicted range, cache hits and misses, every event shape, and blocks restarted at position 0.
 */
class BlockEncoderIdentityTest {
    private static final class Fast extends BlockEncoder {
        Fast(int version) {
            super(version);
        }

        void restart() {
            pos = 0;
        }
    }

    private static void sameBytesFor(int version, long seed) {
        Random rnd = new Random(seed);
        Fast fast = new Fast(version);
        ReferenceBlockEncoder ref = new ReferenceBlockEncoder(version);
        long[] hotLocs = new long[40];
        for (int i = 0; i < hotLocs.length; i++) {
            hotLocs[i] = ((long) rnd.nextInt(1000) << 16) | rnd.nextInt(8);
        }
        int[] loopSites = {3, 7, 9, 300, 5000, 2_000_000, 1 << 20, (1 << 20) - 1, 40_000_000};
        int blocks = 0;
        for (int n = 0; n < 400_000; n++) {
            int site = rnd.nextInt(4) == 0 ? rnd.nextInt(3_000_000) : loopSites[(n + rnd.nextInt(2)) % loopSites.length];
            long loc = rnd.nextInt(5) == 0 ? rnd.nextLong() : hotLocs[rnd.nextInt(hotLocs.length)];
            long v = rnd.nextBoolean() ? rnd.nextInt(10) : rnd.nextLong();
            long co = rnd.nextInt(3) == 0 ? rnd.nextLong() >>> 1 : rnd.nextInt(50);
            long other = rnd.nextInt(100);
            EventKind k;
            switch (rnd.nextInt(6)) {
                case 0:
                    fast.read(EventKind.R_ONCE, site, loc, v, co);
                    ref.read(EventKind.R_ONCE, site, loc, v, co);
                    break;
                case 1:
                    fast.write(EventKind.W_PLAIN, site, loc, v, co, other);
                    ref.write(EventKind.W_PLAIN, site, loc, v, co, other);
                    break;
                case 2:
                    fast.rmw(EventKind.RMW_MB, site, loc, v, v + other, co, other);
                    ref.rmw(EventKind.RMW_MB, site, loc, v, v + other, co, other);
                    break;
                case 3:
                    fast.failedRmw(EventKind.LOCK_FAIL, site, loc, v, other, co);
                    ref.failedRmw(EventKind.LOCK_FAIL, site, loc, v, other, co);
                    break;
                case 4:
                    fast.control(EventKind.TASK_ON_CPU, site, other, v);
                    ref.control(EventKind.TASK_ON_CPU, site, other, v);
                    break;
                default:
                    fast.bare(EventKind.IRQ_DISABLE, site);
                    ref.bare(EventKind.IRQ_DISABLE, site);
                    break;
            }
            if (fast.full() || rnd.nextInt(5000) == 0) {
                byte[] want = Arrays.copyOf(ref.buffer(), ref.position());
                assertArrayEquals(want, Arrays.copyOf(fast.buffer(), fast.position()), "block " + blocks + " (version " + version + ")");
                fast.restart();
                ref.pos = 0;
                blocks++;
            }
        }
        assertTrue(blocks > 20, "the stream spans many blocks");
    }

    /**
     * A loop's stream (the same sites in turn, a few cached locations; writes, RMWs, failed RMWs and
     * reads whose values, co, new values, expected values and readsOfPrev move around the one-byte
     * limits): mostly the one-step common path.
     */
    private static void sameBytesForLoop(int version, long seed) {
        Random rnd = new Random(seed);
        Fast fast = new Fast(version);
        ReferenceBlockEncoder ref = new ReferenceBlockEncoder(version);
        long[] locs = {0x10000L, 0x10001L, 0x50003L, -5L};
        long[] value = new long[locs.length];
        long[] co = new long[locs.length];
        int blocks = 0;
        for (int n = 0; n < 400_000; n++) {
            int at = n % 8;
            int site = 100 + at + (rnd.nextInt(50) == 0 ? 1 : 0);
            int l = at % locs.length;
            value[l] += rnd.nextInt(140) - 70;
            long reads = rnd.nextInt(4) == 0 ? rnd.nextInt(200) : rnd.nextInt(3);
            if (at < 2) {
                co[l] += rnd.nextInt(20) == 0 ? 2 + rnd.nextInt(100) : 1;
                fast.write(EventKind.W_ONCE, site, locs[l], value[l], co[l], reads);
                ref.write(EventKind.W_ONCE, site, locs[l], value[l], co[l], reads);
            } else if (at < 4) {
                co[l] += rnd.nextInt(20) == 0 ? 2 + rnd.nextInt(100) : 1;
                long nv = value[l] + rnd.nextInt(150) - 75;
                fast.rmw(EventKind.RMW_MB, site, locs[l], value[l], nv, co[l], reads);
                ref.rmw(EventKind.RMW_MB, site, locs[l], value[l], nv, co[l], reads);
                value[l] = nv;
            } else if (at == 5) {
                long c = co[l] - (rnd.nextInt(20) == 0 ? rnd.nextInt(90) : 0);
                long expected = rnd.nextInt(10) == 0 ? rnd.nextLong() : rnd.nextInt(140) - 70;
                fast.failedRmw(EventKind.LOCK_FAIL, site, locs[l], value[l], expected, c);
                ref.failedRmw(EventKind.LOCK_FAIL, site, locs[l], value[l], expected, c);
            } else {
                long c = co[l] - (rnd.nextInt(20) == 0 ? rnd.nextInt(90) : 0);
                fast.read(EventKind.R_PLAIN, site, locs[l], value[l], c);
                ref.read(EventKind.R_PLAIN, site, locs[l], value[l], c);
            }
            if (fast.full() || rnd.nextInt(3000) == 0) {
                byte[] want = Arrays.copyOf(ref.buffer(), ref.position());
                assertArrayEquals(want, Arrays.copyOf(fast.buffer(), fast.position()), "loop block " + blocks + " (version " + version + ")");
                fast.restart();
                ref.pos = 0;
                blocks++;
            }
        }
        assertTrue(blocks > 20, "the stream spans many blocks");
    }

    @Test
    void aLoopsStreamTakesTheCommonPathToTheReferenceBytes() {
        for (long seed = 11; seed <= 13; seed++) {
            sameBytesForLoop(TraceFormat.VERSION, seed);
        }
        sameBytesForLoop(TraceFormat.V_BLOCK_CONTEXT - 1, 17);
    }

    @Test
    void fastPathWritesTheReferenceBytesInTheCurrentFormat() {
        for (long seed = 1; seed <= 3; seed++) {
            sameBytesFor(TraceFormat.VERSION, seed);
        }
    }

    @Test
    void fastPathWritesTheReferenceBytesInTheOldLayout() {
        sameBytesFor(TraceFormat.V_BLOCK_CONTEXT - 1, 7);
    }
}

package smptrace.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The axioms of linux-kernel.cat on hand-built candidate executions. */
class LinuxKernelCatTest {
    private static final int X = 0;
    private static final int Y = 1;
    private final LinuxKernelCat lkmm = new LinuxKernelCat();

    /** SB's outcome 0:r0=0, 1:r0=0: both reads read the initial writes (fr to the other store). */
    private static Execution storeBuffering(Tag fence) {
        Execution.Builder b = Execution.builder();
        int ix = b.init(X, 0);
        int iy = b.init(Y, 0);
        b.write(0, X, 1, Tag.ONCE);
        if (fence != null) {
            b.fence(0, fence);
        }
        int r0 = b.read(0, Y, 0, Tag.ONCE);
        b.write(1, Y, 1, Tag.ONCE);
        if (fence != null) {
            b.fence(1, fence);
        }
        int r1 = b.read(1, X, 0, Tag.ONCE);
        return b.rf(iy, r0).rf(ix, r1).build();
    }

    @Test
    void storeBufferingIsAllowedWithoutFencesAndForbiddenByPropagationWithSmpMb() {
        assertTrue(lkmm.judge(storeBuffering(null)).allowed());
        Judgement j = lkmm.judge(storeBuffering(Tag.MB));
        assertFalse(j.allowed());
        assertEquals("propagation", j.violated());
    }

    @Test
    void readingBackwardsInCoherenceOrderViolatesCoherence() {
        Execution.Builder b = Execution.builder();
        b.init(X, 0);
        int w1 = b.write(0, X, 1, Tag.ONCE);
        int w2 = b.write(0, X, 2, Tag.ONCE);
        int r = b.read(1, X, 2, Tag.ONCE);
        int r2 = b.read(1, X, 1, Tag.ONCE);
        Judgement j = lkmm.judge(b.rf(w2, r).rf(w1, r2).co(w1, w2).build());
        assertEquals("coherence", j.violated());
    }

    @Test
    void anExternalWriteBetweenTheHalvesOfAnRmwViolatesAtomicity() {
        Execution.Builder b = Execution.builder();
        int i = b.init(X, 0);
        int[] rmw = b.rmw(0, X, 0, 1, Tag.MB);
        int w = b.write(1, X, 5, Tag.ONCE);
        Judgement j = lkmm.judge(b.rf(i, rmw[0]).co(w, rmw[1]).build());
        assertEquals("atomic", j.violated());
    }

    @Test
    void messagePassingWithReleaseAndAcquireIsForbiddenByHappensBefore() {
        Execution.Builder b = Execution.builder();
        int ix = b.init(X, 0);
        b.init(Y, 0);
        b.write(0, X, 1, Tag.ONCE);
        int wy = b.write(0, Y, 1, Tag.RELEASE);
        int ry = b.read(1, Y, 1, Tag.ACQUIRE);
        int rx = b.read(1, X, 0, Tag.ONCE);
        Judgement j = lkmm.judge(b.rf(wy, ry).rf(ix, rx).build());
        assertEquals("happens-before", j.violated());
    }

    @Test
    void plainStoresFromTwoThreadsToOneLocationRace() {
        Execution.Builder b = Execution.builder();
        b.init(X, 0);
        int w1 = b.write(0, X, 1, Tag.PLAIN);
        int w2 = b.write(1, X, 2, Tag.PLAIN);
        Judgement j = lkmm.judge(b.co(w1, w2).build());
        assertTrue(j.allowed());
        assertTrue(j.dataRace());
    }

    @Test
    void markedConflictsAreNeverDataRaces() {
        Execution.Builder b = Execution.builder();
        b.init(X, 0);
        int w1 = b.write(0, X, 1, Tag.ONCE);
        int w2 = b.write(1, X, 2, Tag.ONCE);
        Judgement j = lkmm.judge(b.co(w1, w2).build());
        assertTrue(j.allowed());
        assertFalse(j.dataRace());
    }

    @Test
    void failedRmwIsNeitherAcquireNorFullBarrier() {
        // MP where the reader's flag read is a failed cmpxchg_acquire: no acquire ordering
        Execution.Builder b = Execution.builder();
        int ix = b.init(X, 0);
        b.init(Y, 0);
        b.write(0, X, 1, Tag.ONCE);
        int wy = b.write(0, Y, 1, Tag.RELEASE);
        int ry = b.failedRmw(1, Y, 1, Tag.ACQUIRE);
        int rx = b.read(1, X, 0, Tag.ONCE);
        assertTrue(lkmm.judge(b.rf(wy, ry).rf(ix, rx).build()).allowed());
    }
}

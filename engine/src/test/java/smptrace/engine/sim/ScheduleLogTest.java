package smptrace.engine.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A schedule is kept in runs of equal decisions: its text, its length and every decision survive, read in or out of order. */
class ScheduleLogTest {
    @Test
    void equalDecisionsAreOneRunAndReadBackInOrderAndOutOfOrder() {
        ScheduleLog log = ScheduleLog.parse("c2*3 i1 s0-7 c2 c2 m3-1*2");
        assertEquals(9, log.size());
        assertEquals("c2*3 i1 s0-7 c2*2 m3-1*2", log.text());
        String[] want = {"c2", "c2", "c2", "i1", "s0-7", "c2", "c2", "m3-1", "m3-1"};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], ScheduleLog.describe(log.get(i)), "decision " + i);
        }
        for (int i = want.length - 1; i >= 0; i--) {
            assertEquals(want[i], ScheduleLog.describe(log.get(i)), "decision " + i + " read backwards");
        }
        assertEquals("s0-7", ScheduleLog.describe(log.get(4)));
        assertEquals("c2", ScheduleLog.describe(log.get(0)));
    }

    @Test
    void aRunLongerThanAnIntCountsAndPrintsExactly() {
        ScheduleLog log = ScheduleLog.parse("c0*3000000000 w0");
        assertEquals(3_000_000_001L, log.size());
        assertEquals("c0", ScheduleLog.describe(log.get(2_999_999_999L)));
        assertEquals("w0", ScheduleLog.describe(log.get(3_000_000_000L)));
        assertEquals("c0*3000000000 w0", log.text());
    }

    @Test
    void aBadWordIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScheduleLog.parse("c1 x2"));
        assertEquals("bad schedule decision 'x2'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleLog.parse("c1*0"));
    }
}

package smptrace.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader's table of dead locations gives back exactly the state put in, packed or not. */
class DeadLocationsTest {
    @Test
    void everyStateComesBackExactlyOnceWhetherItFitsOneWordOrNot() {
        DeadLocations d = new DeadLocations();
        Map<Long, long[]> model = new HashMap<>();
        Random r = new Random(11);
        long[] out = new long[3];
        for (int step = 0; step < 200_000; step++) {
            long loc = Event.loc(1 + r.nextInt(20_000), r.nextInt(8));
            if (r.nextInt(3) > 0) {
                boolean big = r.nextInt(10) == 0;
                long co = big ? 4096 + r.nextInt(1 << 20) : r.nextInt(4096);
                long reads = r.nextInt(10) == 0 ? (1L << 31) + r.nextInt(100) : r.nextInt(4096);
                long writer = Event.id(r.nextInt(10) == 0 ? 300 : r.nextInt(256), r.nextInt(20) == 0 ? (1L << 33) + 5 : r.nextInt(1 << 30));
                d.put(loc, co, reads, writer);
                model.put(loc, new long[] {co, reads, writer});
            } else {
                long[] want = model.remove(loc);
                assertEquals(want != null, d.take(loc, out), "take of " + loc);
                if (want != null) {
                    assertArrayEquals(want, out);
                }
            }
            assertEquals(model.size(), d.size());
        }
        for (Map.Entry<Long, long[]> e : model.entrySet()) {
            assertTrue(d.take(e.getKey(), out));
            assertArrayEquals(e.getValue(), out);
            assertFalse(d.take(e.getKey(), out));
        }
        assertEquals(0, d.size());
    }
}

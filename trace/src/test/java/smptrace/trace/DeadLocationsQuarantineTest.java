package smptrace.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.TraceRoundTripTest.Block;

/**
 * The reader's dead-location state is bounded (a quarantine of the most recently freed locations), and an access to
 * a location whose state left it is still delivered, in program order, reading "no write".
 */
class DeadLocationsQuarantineTest {
    private static final int FIELD = 0;
    private static final int FLAG = 1; // an object that never dies: "every free is done"

    /** Thread A writes and frees {@code objects} objects, then sets the flag; B and C read it, then touch dead objects. */
    static void write(Path t, int objects) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("scenario", "unit");
        try (TraceWriter w = new TraceWriter(t, h)) {
            int site = w.addSite("smptrace.engine.smp.Smp", "churn", "Smp.java", 1);
            w.addField("X", "flag", "I");
            int a = w.addThread("a", 1);
            int b = w.addThread("b", 2);
            int c = w.addThread("c", 3);
            Block ab = new Block();
            for (int oid = 2; oid < objects + 2; oid++) {
                ab.write(EventKind.W_ONCE, site, Event.loc(oid, FIELD), oid, 1, 0);
                ab.count++;
                ab.control(EventKind.KFREE, site, oid, EventKind.FREE_KFREE);
                ab.count++;
                if (ab.full()) {
                    ab.write(w, a, ab.firstSeq);
                    ab.next();
                }
            }
            ab.write(EventKind.W_RELEASE, site, Event.loc(FLAG, FIELD), 1, 1, 0);
            ab.count++;
            ab.write(w, a, ab.firstSeq);
            // B: after the flag, reads the first object's write (long forgotten), writes it, reads the last object's
            Block bb = new Block();
            bb.read(EventKind.R_ACQUIRE, site, Event.loc(FLAG, FIELD), 1, 1);
            bb.read(EventKind.R_ONCE, site, Event.loc(2, FIELD), 2, 1);
            bb.write(EventKind.W_ONCE, site, Event.loc(2, FIELD), 7, 2, 1);
            bb.read(EventKind.R_ONCE, site, Event.loc(objects + 1, FIELD), objects + 1, 1);
            bb.count = 4;
            bb.write(w, b, 0);
            // C: after the flag, reads the first object's old value again (a stale read: ordered against B by nothing)
            Block cb = new Block();
            cb.read(EventKind.R_ACQUIRE, site, Event.loc(FLAG, FIELD), 1, 1);
            cb.read(EventKind.R_ONCE, site, Event.loc(2, FIELD), 2, 1);
            cb.count = 2;
            cb.write(w, c, 0);
        }
    }

    @Test
    void manyMoreFreedObjectsThanTheQuarantineHoldsKeepTheTableBoundedAndEveryEventIsDelivered(@TempDir Path dir)
            throws Exception {
        Path t = dir.resolve("t");
        int objects = DeadLocations.QUARANTINE * 3;
        write(t, objects);
        long aLastWrite = -1;
        long events = 0;
        int most = 0;
        try (TraceReader r = TraceReader.open(t)) {
            Event e = new Event();
            java.util.List<String> after = new java.util.ArrayList<>();
            while (r.next(e)) {
                events++;
                most = Math.max(most, r.deadLocations().size());
                if (e.thread == 0 && e.kind == EventKind.W_ONCE && Event.oidOf(e.loc) == objects + 1) {
                    aLastWrite = e.id();
                }
                if (e.thread != 0 && Event.oidOf(e.loc) != FLAG) {
                    after.add(e.thread + ":" + e.kind + "(" + Event.oidOf(e.loc) + ")=" + e.value + " rf "
                            + (e.rfId == -1 ? "none" : e.rfId == aLastWrite ? "A's write" : Long.toString(e.rfId)));
                }
            }
            assertTrue(r.end().complete(), r.end().detail());
            assertEquals(2L * objects + 1 + 4 + 2, events);
            assertTrue(most <= DeadLocations.QUARANTINE, "dead locations held at once: " + most);
            assertEquals(objects - DeadLocations.QUARANTINE, r.deadLocations().forgottenLocations());
            assertTrue(r.resynced >= 1);
            // the forgotten object's accesses arrive in program order, reading "no write"; the recent one exactly
            assertTrue(after.containsAll(java.util.List.of("1:R_ONCE(2)=2 rf none", "1:W_ONCE(2)=7 rf none",
                    "1:R_ONCE(" + (objects + 1) + ")=" + (objects + 1) + " rf A's write")), after.toString());
            assertTrue(after.indexOf("1:R_ONCE(2)=2 rf none") < after.indexOf("1:W_ONCE(2)=7 rf none"), after.toString());
            assertEquals(1, after.stream().filter(s -> s.startsWith("2:R_ONCE(2)=2")).count(), after.toString());
        }
    }
}

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceReader;
import smptrace.trace.TraceWriter;

/**
 * A use after free long after the free: the reader keeps the exact merge state of only the most recently freed
 * locations (its quarantine, 131 072 locations); the analysis still reports an access to an object freed far
 * earlier, naming where it died.
 */
class UseAfterFreePastTheQuarantineTest {
    private static final class Block extends BlockEncoder {
        int count;
        long firstSeq;

        void flush(TraceWriter w, int thread) {
            w.writeBlock(thread, firstSeq, count, buffer(), position());
            firstSeq += count;
            count = 0;
            pos = 0;
        }
    }

    @Test
    void anAccessToAnObjectFreedThreeQuarantinesAgoIsStillAUseAfterFree(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        int objects = 400_000; // three times the reader's quarantine, and more
        int flag = 1;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("scenario", "unit");
        try (TraceWriter w = new TraceWriter(t, h)) {
            int freeSite = w.addSite("smptrace.engine.smp.Smp", "churn", "Smp.java", 10);
            int useSite = w.addSite("smptrace.engine.smp.Smp", "lateUse", "Smp.java", 20);
            int field = w.addField("smptrace.engine.smp.scf_check", "scfc_data", "I");
            int cls = w.addClass("smptrace.engine.smp.scf_check");
            int a = w.addThread("freer", 1);
            int b = w.addThread("user", 2);
            Block ab = new Block();
            for (int oid = 2; oid < objects + 2; oid++) {
                ab.control(EventKind.ALLOC, freeSite, oid, cls);
                ab.write(EventKind.W_ONCE, freeSite, Event.loc(oid, field), oid, 1, 0);
                ab.control(EventKind.KFREE, freeSite, oid, EventKind.FREE_KFREE);
                ab.count += 3;
                if (ab.full()) {
                    ab.flush(w, a);
                }
            }
            ab.write(EventKind.W_RELEASE, freeSite, Event.loc(flag, field), 1, 1, 0);
            ab.count++;
            ab.flush(w, a);
            Block bb = new Block();
            bb.read(EventKind.R_ACQUIRE, useSite, Event.loc(flag, field), 1, 1);
            bb.write(EventKind.W_ONCE, useSite, Event.loc(2, field), 7, 2, 0);
            bb.read(EventKind.R_ONCE, useSite, Event.loc(objects + 1, field), objects + 1, 1);
            bb.count = 3;
            bb.flush(w, b);
        }
        AnalysisResult r;
        try (TraceReader reader = TraceReader.open(t)) {
            r = new Analyzer(Options.defaults()).analyze(reader);
        }
        assertTrue(r.end().complete(), r.end().detail());
        List<Finding> uaf = counted(r, Finding.Kind.USE_AFTER_FREE);
        assertEquals(2, uaf.size(), r.findings().toString());
        for (Finding f : uaf) {
            assertFalse(f.predicted);
            assertEquals("use-after-free", f.rule);
            assertTrue(f.summary.contains("lateUse") && f.summary.contains("churn"), f.summary);
        }
        // the old death (past the analysis' quarantine of freeing events too): where and how, but no freeing event
        Finding old = uaf.stream().filter(f -> f.summary.startsWith("write")).findFirst().orElseThrow();
        EventRef oldFree = old.events.get(0);
        assertEquals("kfree", oldFree.op());
        assertEquals("Smp.churn", oldFree.function());
        assertEquals(-1, oldFree.thread());
        assertEquals(-1, oldFree.seq());
        assertEquals("?", oldFree.threadName());
        // the last death: its freeing event exactly (thread 0, the object's third event)
        Finding recent = uaf.stream().filter(f -> f.summary.startsWith("read")).findFirst().orElseThrow();
        EventRef recentFree = recent.events.get(0);
        assertEquals(0, recentFree.thread());
        assertEquals(3L * (objects - 1) + 2, recentFree.seq());
    }
}

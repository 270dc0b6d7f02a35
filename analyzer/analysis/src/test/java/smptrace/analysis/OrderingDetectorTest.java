package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;

class OrderingDetectorTest {
    private static AnalysisResult mp(EventKind flagStore, EventKind flagLoad) throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "W", 1, 0);
        TraceBuilder.Ctx r = t.task(2, "R", 2, 1);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("wdata").mem(flagStore, "o", "flag", 1).at("wflag");
        r.mem(flagLoad, "o", "flag", 1).at("rflag").mem(EventKind.R_ONCE, "o", "data", 1).at("rdata");
        return t.analyze();
    }

    @Test
    void messagePassingWithAcquireButNoWriterOrderingIsAllowed() throws Exception {
        AnalysisResult r = mp(EventKind.W_ONCE, EventKind.R_ACQUIRE);
        assertEquals(1, counted(r, Finding.Kind.ORDERING_VIOLATION).size(), r.findings().toString());
        assertEquals("MP", counted(r, Finding.Kind.ORDERING_VIOLATION).get(0).rule);
    }

    @Test
    void messagePassingWithReleaseButOnceReaderIsAllowed() throws Exception {
        assertEquals(1, counted(mp(EventKind.W_RELEASE, EventKind.R_ONCE), Finding.Kind.ORDERING_VIOLATION).size());
    }

    @Test
    void releaseAcquireMessagePassingIsForbidden() throws Exception {
        assertTrue(mp(EventKind.W_RELEASE, EventKind.R_ACQUIRE).findings().isEmpty());
    }

    @Test
    void noIntentNoReport() throws Exception {
        assertTrue(counted(mp(EventKind.W_ONCE, EventKind.R_ONCE), Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }

    private static AnalysisResult sb(boolean mbP, boolean mbQ) throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx p = t.task(1, "P", 1, 0);
        TraceBuilder.Ctx q = t.task(2, "Q", 2, 1);
        p.mem(EventKind.W_ONCE, "o", "a", 1).at("wa");
        if (mbP) {
            p.fence(EventKind.F_MB);
        }
        p.mem(EventKind.R_ONCE, "o", "b", 1).at("rb");
        q.mem(EventKind.W_RELEASE, "o", "b", 0).at("wb");
        if (mbQ) {
            q.fence(EventKind.F_MB);
        }
        q.mem(EventKind.R_ONCE, "o", "a", 1).at("ra");
        return t.analyze();
    }

    @Test
    void storeBufferingWithOneFullBarrierIsALostUpdate() throws Exception {
        AnalysisResult r = sb(false, true);
        assertEquals(1, counted(r, Finding.Kind.ORDERING_VIOLATION).size(), r.findings().toString());
        assertEquals("SB", counted(r, Finding.Kind.ORDERING_VIOLATION).get(0).rule);
        assertEquals(1, counted(sb(true, false), Finding.Kind.ORDERING_VIOLATION).size());
    }

    @Test
    void storeBufferingWithFullBarriersOnBothSidesIsForbidden() throws Exception {
        assertTrue(counted(sb(true, true), Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }
}

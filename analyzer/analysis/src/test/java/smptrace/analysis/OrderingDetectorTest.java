package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import java.util.List;
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

    // ---- three contexts: WRC and ISA2 chains -------------------------------------------------------

    /** ISA2: T writes data then f1; M reads f1 then writes f2; R reads f2 then data. */
    private static AnalysisResult isa2(EventKind f1Store, EventKind f1Load, EventKind f2Store, EventKind f2Load)
            throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "T", 1, 0);
        TraceBuilder.Ctx m = t.task(2, "M", 2, 1);
        TraceBuilder.Ctx r = t.task(3, "R", 3, 2);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("tdata").mem(f1Store, "o", "f1", 1).at("tf1");
        m.mem(f1Load, "o", "f1", 1).at("mf1").mem(f2Store, "o", "f2", 1).at("mf2");
        r.mem(f2Load, "o", "f2", 1).at("rf2").mem(EventKind.R_ONCE, "o", "data", 1).at("rdata");
        return t.analyze();
    }

    /** WRC: T writes data; M reads data then writes f2; R reads f2 then data. */
    private static AnalysisResult wrc(EventKind f2Store, EventKind f2Load) throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "T", 1, 0);
        TraceBuilder.Ctx m = t.task(2, "M", 2, 1);
        TraceBuilder.Ctx r = t.task(3, "R", 3, 2);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("tdata");
        m.mem(EventKind.R_ONCE, "o", "data", 1).at("mdata").mem(f2Store, "o", "f2", 1).at("mf2");
        r.mem(f2Load, "o", "f2", 1).at("rf2").mem(EventKind.R_ONCE, "o", "data", 1).at("rdata");
        return t.analyze();
    }

    static Finding only(AnalysisResult r, String rule) {
        List<Finding> fs = counted(r, Finding.Kind.ORDERING_VIOLATION);
        assertEquals(1, fs.size(), r.findings().toString());
        assertEquals(rule, fs.get(0).rule);
        return fs.get(0);
    }

    @Test
    void isa2ChainWithAMissingAcquireAtTheEndIsAPredictedViolation() throws Exception {
        Finding f = only(isa2(EventKind.W_RELEASE, EventKind.R_ACQUIRE, EventKind.W_RELEASE, EventKind.R_ONCE), "ISA2");
        assertTrue(f.predicted);
        assertEquals(6, f.events.size(), f.events.toString());
        assertTrue(f.litmus.contains("Result: Sometimes"), f.litmus);
        OrderingChainLitmus.assertHerd7Allowed("ISA2-missing-final-acquire", f.litmus);
    }

    @Test
    void isa2ChainWithAMissingReleaseAtTheStartIsAPredictedViolation() throws Exception {
        Finding f = only(isa2(EventKind.W_ONCE, EventKind.R_ACQUIRE, EventKind.W_RELEASE, EventKind.R_ACQUIRE), "ISA2");
        OrderingChainLitmus.assertHerd7Allowed("ISA2-missing-release", f.litmus);
    }

    @Test
    void isa2ChainWhoseMiddleReadIsOnceButWhoseStoreIsAReleaseIsClean() throws Exception {
        // M's release orders its po-earlier read of f1 before f2: the chain holds (LKMM: Never)
        assertTrue(counted(isa2(EventKind.W_RELEASE, EventKind.R_ONCE, EventKind.W_RELEASE, EventKind.R_ACQUIRE),
                Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }

    @Test
    void isa2ChainWithAMissingReleaseInTheMiddleIsAPredictedViolation() throws Exception {
        // M's acquire orders its store of f2 after its read of f1, but without a release on f2 T's write
        // of data need not propagate to R first (herd7: Sometimes)
        Finding f = only(isa2(EventKind.W_RELEASE, EventKind.R_ACQUIRE, EventKind.W_ONCE, EventKind.R_ACQUIRE), "ISA2");
        OrderingChainLitmus.assertHerd7Allowed("ISA2-missing-middle-release", f.litmus);
    }

    @Test
    void isa2ChainOfReleasesAndAcquiresIsClean() throws Exception {
        assertTrue(counted(isa2(EventKind.W_RELEASE, EventKind.R_ACQUIRE, EventKind.W_RELEASE, EventKind.R_ACQUIRE),
                Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }

    @Test
    void wrcChainWithAMissingReleaseIsAPredictedViolation() throws Exception {
        Finding f = only(wrc(EventKind.W_ONCE, EventKind.R_ACQUIRE), "WRC");
        assertEquals(5, f.events.size(), f.events.toString());
        OrderingChainLitmus.assertHerd7Allowed("WRC-missing-release", f.litmus);
    }

    @Test
    void wrcChainWithReleaseAndAcquireIsClean() throws Exception {
        // the release is A-cumulative: the write of data M read before it is ordered before f2 (LKMM: Never)
        assertTrue(counted(wrc(EventKind.W_RELEASE, EventKind.R_ACQUIRE), Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }

    @Test
    void aChainWithNoOrderingAnywhereShowsNoRelianceAndIsNotAsked() throws Exception {
        assertTrue(counted(isa2(EventKind.W_ONCE, EventKind.R_ONCE, EventKind.W_ONCE, EventKind.R_ONCE),
                Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }
}

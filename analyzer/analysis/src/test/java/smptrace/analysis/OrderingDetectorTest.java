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

    /**
     * The publication R's f came from, when R's x read a newer write: W publishes (data, flag), R reads the flag
     * from it, W publishes again (data only so far), and R then reads that newer data. The data R read is not the
     * one published with the flag it saw, yet the pair R relies on is W's first (data; flag): R can see that flag
     * with the data from before it. (R acquired the flag and reads the data in its next busy-wait pass, so the
     * newer data cannot be taken for data stored after its publication.)
     */
    private static AnalysisResult mpRepublished(EventKind flagStore) throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "W", 1, 0);
        TraceBuilder.Ctx r = t.task(2, "R", 2, 1);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("wdata").mem(flagStore, "o", "flag", 1).at("wflag");
        r.mem(EventKind.R_ACQUIRE, "o", "flag", 1).at("rflag").relax();
        w.mem(EventKind.W_ONCE, "o", "data", 2).at("wdata");
        r.mem(EventKind.R_ONCE, "o", "data", 2).at("rdata");
        return t.analyze();
    }

    @Test
    void messagePassingIsPredictedFromThePublicationTheFlagCameFromWhenTheDataReadIsNewer() throws Exception {
        assertEquals("MP", only(mpRepublished(EventKind.W_ONCE), "MP").rule);
    }

    @Test
    void aReleasedPublicationReadWithAcquireIsCleanWhenTheDataReadIsNewer() throws Exception {
        AnalysisResult r = mpRepublished(EventKind.W_RELEASE);
        assertTrue(counted(r, Finding.Kind.ORDERING_VIOLATION).isEmpty(), r.findings().toString());
    }

    /**
     * A publication that comes after its reader: R acquires the flag of W's first, released, publication and
     * reads the data; only then does W publish again, at other sites, the same flag value (as a clear to NULL
     * does each time). R could have read the second flag and gone on as it did, and with a plain one nothing
     * orders the second data before it. A different value is not asked: R's path could have been another.
     */
    private static AnalysisResult mpPublishedAfterTheReader(EventKind secondFlagStore, long secondFlag)
            throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "W", 1, 0);
        TraceBuilder.Ctx r = t.task(2, "R", 2, 1);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("wdata").mem(EventKind.W_RELEASE, "o", "flag", 1).at("wflag");
        r.mem(EventKind.R_ACQUIRE, "o", "flag", 1).at("rflag").mem(EventKind.R_ONCE, "o", "data", 1).at("rdata");
        w.mem(EventKind.W_ONCE, "o", "data", secondFlag).at("wdata2").mem(secondFlagStore, "o", "flag", secondFlag)
                .at("wflag2");
        return t.analyze();
    }

    @Test
    void messagePassingIsPredictedWhenThePublicationComesAfterItsReader() throws Exception {
        assertEquals("MP", only(mpPublishedAfterTheReader(EventKind.W_ONCE, 1), "MP").rule);
    }

    @Test
    void aPublicationAfterItsReaderOfAnotherFlagValueIsNotAsked() throws Exception {
        AnalysisResult r = mpPublishedAfterTheReader(EventKind.W_ONCE, 2);
        assertTrue(counted(r, Finding.Kind.ORDERING_VIOLATION).isEmpty(), describe(r));
    }

    /**
     * The same re-binding when R's read of x comes after the second publication: R acquired the flag (1) of W's
     * first, released publication, W then writes data and the same flag value plainly, and R, in its next pass,
     * reads the new data. R's flag read could have read the second flag.
     */
    @Test
    void messagePassingIsPredictedFromALaterPublicationOfTheFlagValueTheReaderSaw() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "W", 1, 0);
        TraceBuilder.Ctx r = t.task(2, "R", 2, 1);
        w.mem(EventKind.W_ONCE, "o", "data", 1).at("wdata").mem(EventKind.W_RELEASE, "o", "flag", 1).at("wflag");
        r.mem(EventKind.R_ACQUIRE, "o", "flag", 1).at("rflag").relax();
        w.mem(EventKind.W_RELEASE, "o", "data", 0).at("wdata2").mem(EventKind.W_ONCE, "o", "flag", 1).at("wflag2");
        r.mem(EventKind.R_ONCE, "o", "data", 0).at("rdata");
        assertEquals("MP", only(t.analyze(), "MP").rule);
    }

    @Test
    void aReleasedPublicationAfterItsAcquiringReaderIsClean() throws Exception {
        AnalysisResult r = mpPublishedAfterTheReader(EventKind.W_RELEASE, 1);
        assertTrue(counted(r, Finding.Kind.ORDERING_VIOLATION).isEmpty(), describe(r));
    }

    // ---- SB whatever order the two sides ran in (issue 12 item 5) ----------------------------------

    /**
     * The kick handshake of seed 002 in the order where neither read missed anything: Q (the flush) unlocks,
     * fences and reads pending before P (the caller) sets it; then P's cmpxchg of the flags reads Q's unlock and
     * succeeds. Q clears pending after reading it, so no read in the trace is the last one of a value the other
     * side overwrote: the missed-read search has nothing to start from, yet the two sides are the SB shape.
     */
    private static AnalysisResult sbNoMissedRead(EventKind pRead, boolean mbP, boolean mbQ) throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx p = t.task(1, "P", 1, 0);
        TraceBuilder.Ctx q = t.task(2, "Q", 2, 1);
        p.mem(EventKind.W_ONCE, "o", "flags", 1).at("lock");
        q.mem(EventKind.W_RELEASE, "o", "flags", 0).at("unlock");
        if (mbQ) {
            q.fence(EventKind.F_MB);
        }
        q.mem(EventKind.R_ONCE, "o", "pending", 0).at("rpending").mem(EventKind.W_ONCE, "o", "pending", 0).at("clear");
        p.mem(EventKind.W_ONCE, "o", "pending", 1).at("setpending");
        if (mbP) {
            p.fence(EventKind.F_MB);
        }
        if (pRead == EventKind.RMW_RELAXED) {
            p.rmw(pRead, "o", "flags", 0, 1).at("cmpxchg");
        } else {
            p.mem(pRead, "o", "flags", 0).at("rflags");
        }
        return t.analyze();
    }

    @Test
    void storeBufferingIsPredictedWhenNoReadOfTheTraceMissedTheOtherSide() throws Exception {
        assertEquals("SB", only(sbNoMissedRead(EventKind.RMW_RELAXED, false, true), "SB").rule);
        assertEquals("SB", only(sbNoMissedRead(EventKind.R_ONCE, false, true), "SB").rule);
    }

    @Test
    void storeBufferingInAnyOrderWithFullBarriersOnBothSidesIsForbidden() throws Exception {
        assertTrue(counted(sbNoMissedRead(EventKind.RMW_RELAXED, true, true), Finding.Kind.ORDERING_VIOLATION).isEmpty());
    }

    /**
     * Seed 002 before: the caller sets pending and tests the flags with a plain read (the upstream check, no
     * barrier); the flush unlocks with a release and the handler reads pending (no smp_mb()). Optionally the
     * flags' LOCK was set by another caller K (so P, whose every call got -EBUSY, never wrote them), the handler
     * does not clear pending (pending then has one writer), and P's read is only the expected value of a fully
     * ordered cmpxchg of the same word right after it (llist_add()'s READ_ONCE() before its try_cmpxchg()).
     */
    private static AnalysisResult sbKick(boolean otherLocker, boolean handlerClears, boolean reReadByCmpxchg)
            throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx p = t.task(1, "P", 1, 0);
        TraceBuilder.Ctx q = t.task(2, "Q", 2, 1);
        TraceBuilder.Ctx k = t.task(3, "K", 3, 2);
        (otherLocker ? k : p).mem(EventKind.W_PLAIN, "o", "flags", 1).at("lock");
        q.mem(EventKind.W_RELEASE, "o", "flags", 0).at("unlock");
        q.mem(EventKind.R_ONCE, "o", "pending", 0).at("rpending");
        if (handlerClears) {
            q.mem(EventKind.W_ONCE, "o", "pending", 0).at("clear");
        }
        p.mem(EventKind.W_ONCE, "o", "pending", 1).at("setpending");
        p.mem(EventKind.R_PLAIN, "o", "flags", 0).at("testflags");
        if (reReadByCmpxchg) {
            p.rmw(EventKind.RMW_MB, "o", "flags", 0, 1).at("cmpxchg");
        }
        return t.analyze();
    }

    @Test
    void storeBufferingInAnyOrderOnHandshakeWordsIsPredictedWithoutAFenceAndWithAPlainTest() throws Exception {
        assertEquals("SB", only(sbKick(false, true, false), "SB").rule);
        // the caller that only ever read the flags: LOCK was another caller's, the unlock the flush's
        assertEquals("SB", only(sbKick(true, true, false), "SB").rule);
    }

    @Test
    void storeBufferingInAnyOrderWithoutAFenceIsNoHandshakeWhenAWordHasOneWriter() throws Exception {
        // nobody but the caller writes pending: no two-way handshake, nothing shows reliance
        AnalysisResult r = sbKick(false, false, false);
        assertTrue(counted(r, Finding.Kind.ORDERING_VIOLATION).isEmpty(), describe(r));
    }

    @Test
    void storeBufferingInAnyOrderWithoutAFenceIsNoHandshakeWhenTheReadIsReReadByACmpxchg() throws Exception {
        // the read only feeds the cmpxchg that re-reads the word atomically (llist_add()'s head)
        AnalysisResult r = sbKick(false, true, true);
        assertTrue(counted(r, Finding.Kind.ORDERING_VIOLATION).isEmpty(), describe(r));
    }

    @Test
    void storeBufferingInAnyOrderIsNotAskedWhenOneWriteHappensBeforeTheOtherSidesRead() throws Exception {
        // Q's unlock is read by P's acquire: Q's write happens before P's read, which cannot miss it
        assertTrue(counted(sbNoMissedRead(EventKind.R_ACQUIRE, false, true), Finding.Kind.ORDERING_VIOLATION).isEmpty());
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

    static String describe(AnalysisResult r) {
        StringBuilder b = new StringBuilder();
        for (Finding f : r.findings()) {
            b.append(f.kind.id).append(' ').append(f.rule).append(": ").append(f.summary).append(' ').append(f.witness)
                    .append('\n');
        }
        return b.toString();
    }

    static Finding only(AnalysisResult r, String rule) {
        List<Finding> fs = counted(r, Finding.Kind.ORDERING_VIOLATION);
        assertEquals(1, fs.size(), describe(r));
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

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The accepted-kernel-races file: every entry is complete, and a race is accepted only when its sides match. */
class AcceptedRacesTest {
    @Test
    void everyEntryOfTheKernelListHasAReasonAndAnAnnotation() {
        assertFalse(AcceptedRaces.kernel().entries().isEmpty());
        for (AcceptedRaces.Entry e : AcceptedRaces.kernel().entries()) {
            assertFalse(e.reason().isBlank(), e.id());
            assertFalse(e.annotation().isBlank(), e.id());
        }
    }

    private static AnalysisResult race(String readerSite, String writerSite) throws Exception {
        TraceBuilder t = new TraceBuilder().object("csd", "smptrace.engine.smp.call_single_data");
        TraceBuilder.Ctx w = t.task(1, "target", 1, 1);
        TraceBuilder.Ctx r = t.task(2, "waiter", 2, 0);
        r.r("csd", "dst", 1).at(readerSite);
        w.w("csd", "dst", 2).at(writerSite);
        return t.analyze();
    }

    @Test
    void aDebugWaitersSnapshotReadOfTheCsdIsAccepted() throws Exception {
        AnalysisResult r = race("csd_lock_wait_getcpu", "__smp_call_function_single");
        assertEquals(1, r.accepted().size(), r.findings().toString());
        assertEquals("csd-lock-wait-debug-snapshot", r.accepted().get(0).accepted());
        assertTrue(r.clean());
    }

    @Test
    void theSameRaceFromAnotherFunctionCounts() throws Exception {
        AnalysisResult r = race("generic_smp_call_function_single_interrupt", "__smp_call_function_single");
        assertTrue(r.accepted().isEmpty());
        assertFalse(r.clean());
    }

    @Test
    void anIncompleteEntryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AcceptedRaces.parse("[x]\nkind: data-race\nfields: u_flags\n"));
    }
}

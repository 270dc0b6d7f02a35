package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import java.util.List;
import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;

/** Ownership of a request through its callback: each rule on a trace that shows it and on one that does not. */
class CallbackOwnershipDetectorTest {
    private static final String Q1 = "per_cpu(call_single_queue, 1)";
    private static final int SYNC_LOCKED = 0x11;
    private static final int ASYNC_LOCKED = 0x01;

    private TraceBuilder t;
    private TraceBuilder.Ctx waiter;
    private TraceBuilder.Ctx target;

    /** The waiter acquires csd (flags), fills it in with info, enqueues it; the target takes the queue and reads the request. */
    private void request(int flags) {
        t = new TraceBuilder().object(Q1, "smptrace.kernel.LlistHead")
                .object("csd", "smptrace.engine.smp.call_single_data").object("result", "smptrace.test.Obj");
        waiter = t.task(1, "waiter", 1, 0);
        target = t.task(2, "cpu1", 2, 1);
        waiter.w("csd", "u_flags", flags).w("csd", "info", t.oid("result"))
                .rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("csd")).control(EventKind.IPI_SEND, 0, 1);
        target.irqEnter().rmw(EventKind.RMW_MB, Q1, "first", t.oid("csd"), 0)
                .r("csd", "u_flags", flags).r("csd", "func", 7).r("csd", "info", t.oid("result"));
    }

    private static List<Finding> uar(AnalysisResult r) {
        return counted(r, Finding.Kind.USE_AFTER_RELEASE);
    }

    @Test
    void syncCsdReleasedBeforeItsCallbackTouchedInfoIsPredicted() throws Exception {
        request(SYNC_LOCKED);
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0).w("result", "value", 42).irqExit();
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
        assertEquals("sync-released-early", uar(r).get(0).rule);
        assertTrue(uar(r).get(0).predicted);
    }

    @Test
    void syncCsdReleasedEarlyIsObservedWhenTheWaiterAlreadyReturned() throws Exception {
        request(SYNC_LOCKED);
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0);
        waiter.mem(EventKind.R_COND, "csd", "u_flags", 0);          // csd_lock_wait() sees the release, returns
        target.w("result", "value", 42).irqExit();
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
        assertFalse(uar(r).get(0).predicted);
    }

    @Test
    void syncCsdReleasedEarlyIsStillFoundWhenTheWaiterHasFreedTheCsd() throws Exception {
        request(SYNC_LOCKED);
        t.object("csd2", "smptrace.engine.smp.call_single_data");
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0);
        waiter.mem(EventKind.R_COND, "csd", "u_flags", 0)           // csd_lock_wait() sees the release,
                .control(EventKind.KFREE, t.oid("csd"), EventKind.FREE_RETURNED) // returns: its csd dies
                .w("csd2", "u_flags", ASYNC_LOCKED);                // and the next request takes a CSD
        target.w("result", "value", 42).irqExit();
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
        assertFalse(uar(r).get(0).predicted);
        assertTrue(uar(r).get(0).summary.contains("csd ") && !uar(r).get(0).summary.contains("csd2"), uar(r).get(0).summary);
    }

    @Test
    void aCsdThatReusesADeadCsdsIndexStartsWithItsOwnHistory() throws Exception {
        request(ASYNC_LOCKED);
        t.object("csd2", "smptrace.engine.smp.call_single_data");
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0).irqExit();
        waiter.mem(EventKind.R_COND, "csd", "u_flags", 0).control(EventKind.KFREE, t.oid("csd"), EventKind.FREE_RETURNED)
                .w("csd2", "u_flags", ASYNC_LOCKED).w("csd2", "info", t.oid("result"))
                .rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("csd2")).control(EventKind.IPI_SEND, 0, 1);
        target.irqEnter().rmw(EventKind.RMW_MB, Q1, "first", t.oid("csd2"), 0).r("csd2", "u_flags", ASYNC_LOCKED)
                .mem(EventKind.W_RELEASE, "csd2", "u_flags", 0).r("csd2", "func", 7).irqExit();
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
        assertTrue(uar(r).get(0).summary.contains("csd2"), uar(r).get(0).summary);
    }

    @Test
    void syncCsdReleasedAfterItsCallbackIsFine() throws Exception {
        request(SYNC_LOCKED);
        target.w("result", "value", 42).mem(EventKind.W_RELEASE, "csd", "u_flags", 0).irqExit();
        waiter.mem(EventKind.R_COND, "csd", "u_flags", 0);
        assertTrue(uar(t.analyze()).isEmpty());
    }

    @Test
    void asyncCallbackMayUseItsInfoAfterTheRelease() throws Exception {
        request(ASYNC_LOCKED);
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0).w("result", "value", 42).irqExit();
        assertTrue(uar(t.analyze()).isEmpty());
    }

    @Test
    void readingAReleasedAsyncCsdIsFound() throws Exception {
        request(ASYNC_LOCKED);
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0).r("csd", "func", 7).irqExit();
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
        assertEquals("csd-after-release", uar(r).get(0).rule);
    }

    @Test
    void reacquiringAReleasedAsyncCsdMakesItTheContextsOwnAgain() throws Exception {
        request(ASYNC_LOCKED);
        target.mem(EventKind.W_RELEASE, "csd", "u_flags", 0).r("csd", "u_flags", 0)
                .rmw(EventKind.RMW_ACQUIRE, "csd", "u_flags", 0, 1).w("csd", "func", 7).irqExit();
        assertTrue(uar(t.analyze()).isEmpty());
    }

    @Test
    void theOwnersOwnEarlyReleaseOnTheLocalPathHandsNothingOver() throws Exception {
        t = new TraceBuilder().object("csd", "smptrace.engine.smp.call_single_data").object("result", "smptrace.test.Obj");
        waiter = t.task(1, "waiter", 1, 0);
        waiter.w("csd", "u_flags", SYNC_LOCKED).w("csd", "info", t.oid("result")).r("csd", "info", t.oid("result"))
                .mem(EventKind.W_RELEASE, "csd", "u_flags", 0).w("result", "value", 42);
        assertTrue(uar(t.analyze()).isEmpty());
    }

    /**
     * irq_work_single(): clears IRQ_WORK_PENDING (the LOCK bit) before the callback and still owns the work until its
     * cmpxchg clears IRQ_WORK_BUSY; only accesses after that are after the hand-back.
     */
    @Test
    void anIrqWorkIsHandedBackByClearingBusyNotPending() throws Exception {
        t = new TraceBuilder().object(Q1, "smptrace.kernel.LlistHead").object("work", "smptrace.engine.smp.irq_work");
        waiter = t.task(1, "claimer", 1, 0);
        target = t.task(2, "cpu1", 2, 1);
        waiter.rmw(EventKind.RMW_MB, "work", "u_flags", 0, 0x23)
                .rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("work")).control(EventKind.IPI_SEND, 0, 1);
        target.irqEnter().rmw(EventKind.RMW_MB, Q1, "first", t.oid("work"), 0)
                .r("work", "u_flags", 0x23).w("work", "u_flags", 0x22).fence(EventKind.F_MB)
                .r("work", "func", 7)                                        // work->func(work), PENDING clear, BUSY set
                .rmw(EventKind.RMW_MB, "work", "u_flags", 0x22, 0x20);      // BUSY cleared: the owner's again
        AnalysisResult clean = t.analyze();
        assertTrue(uar(clean).isEmpty(), clean.findings().toString());
        target.r("work", "func", 7).irqExit();                              // after the hand-back
        AnalysisResult r = t.analyze();
        assertEquals(1, uar(r).size(), r.findings().toString());
    }
}

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;
import static smptrace.analysis.DetectorTestSupport.of;

import java.util.List;
import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;
import smptrace.trace.ObjectRole;

class CsdOwnershipDetectorTest {
    private static TraceBuilder csdTrace() {
        return new TraceBuilder().object("X", "smptrace.engine.smp.call_single_data")
                .object("per_cpu(call_single_queue, 1)", "smptrace.kernel.LlistHead", ObjectRole.CALL_SINGLE_QUEUE, 1, -1);
    }

    /** check-then-act + enqueue, pinned. */
    private static void plainLockAndQueue(TraceBuilder t, TraceBuilder.Ctx c, long head) {
        c.preemptDisable().r("X", "u_flags", 0).at("check").w("X", "u_flags", 1).at("act").w("X", "func", 7)
                .mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", head).w("X", "next", head)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", head, t.oid("X")).preemptEnable();
    }

    private static void flush(TraceBuilder t, TraceBuilder.Ctx target) {
        target.irqEnter().rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", t.oid("X"), 0)
                .r("X", "u_flags", 1).mem(EventKind.W_RELEASE, "X", "u_flags", 0).irqExit();
    }

    @Test
    void r1TwoCpusPlainCheckThenActIsPredicted() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 1);
        plainLockAndQueue(t, a, 0);
        flush(t, c);
        b.mem(EventKind.R_ONCE, "X", "u_flags", 0).fence(EventKind.F_ACQUIRE_AFTER_CTRL_DEP);
        plainLockAndQueue(t, b, 0);
        AnalysisResult r = t.analyze();
        List<Finding> l = counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE);
        assertEquals(1, l.size(), r.findings().toString());
        assertTrue(l.get(0).predicted);
        assertEquals("R1", l.get(0).rule);
        assertTrue(counted(r, Finding.Kind.DOUBLE_ENQUEUE).stream().anyMatch(f -> f.predicted));
    }

    @Test
    void atomicAcquisitionsAreFine() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 1);
        a.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).w("X", "func", 7)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        b.preemptDisable().rmw(EventKind.RMW_FAIL_ACQUIRE, "X", "u_flags", 1, 0);
        flush(t, c);
        b.mem(EventKind.R_ONCE, "X", "u_flags", 0).rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).w("X", "func", 8)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE).isEmpty(), r.findings().toString());
        assertTrue(counted(r, Finding.Kind.DOUBLE_ENQUEUE).isEmpty());
    }

    @Test
    void samePinnedCpuExcludes() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 0);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 1);
        plainLockAndQueue(t, a, 0);
        flush(t, c);
        b.mem(EventKind.R_ONCE, "X", "u_flags", 0).fence(EventKind.F_ACQUIRE_AFTER_CTRL_DEP);
        plainLockAndQueue(t, b, 0);
        AnalysisResult r = t.analyze();
        // (the synthetic enqueues send no IPI: that is the liveness detector's lost-wakeup, not this rule's)
        assertTrue(of(r, Finding.Kind.LOCK_OWNERSHIP_RACE).isEmpty() && of(r, Finding.Kind.DOUBLE_ENQUEUE).isEmpty(),
                r.findings().toString());
    }

    @Test
    void observedDoubleEnqueueAndSelfLoop() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        plainLockAndQueue(t, a, 0);
        b.preemptDisable().r("X", "u_flags", 0).w("X", "u_flags", 1).w("X", "func", 8)
                .mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", t.oid("X")).w("X", "next", t.oid("X"))
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", t.oid("X"), t.oid("X"));
        AnalysisResult r = t.analyze();
        List<Finding> de = counted(r, Finding.Kind.DOUBLE_ENQUEUE);
        assertTrue(de.stream().anyMatch(f -> !f.predicted && f.rule.equals("self-loop")), de.toString());
        assertTrue(de.stream().anyMatch(f -> !f.predicted && f.rule.equals("on-list")), de.toString());
        assertTrue(counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE).stream().anyMatch(f -> !f.predicted && f.rule.equals("two-owners")));
    }

    @Test
    void enqueueWithoutOwnershipIsReported() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        a.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).preemptEnable();
        b.preemptDisable().rmw(EventKind.RMW_FAIL_ACQUIRE, "X", "u_flags", 1, 0).w("X", "func", 9).preemptEnable();
        AnalysisResult r = t.analyze();
        assertFalse(counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE).isEmpty());
    }

    /**
     * Issue 12 item 5 (002 enqueue-on-failed-cas without the lucky schedule): B's cmpxchg fails on A's acquisition and B
     * enqueues anyway; a flush takes B's add off the list before A enqueues the same acquisition's CSD: predicted.
     */
    @Test
    void anAddByANonOwnerBeforeTheOwnersOwnAddIsAPredictedDoubleEnqueueEvenWhenAFlushCameBetween() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx target = t.task(3, "swapper/1", 3, 1);
        a.preemptDisable().rmw(EventKind.RMW_RELAXED, "X", "u_flags", 0, 1);
        b.preemptDisable().rmw(EventKind.RMW_FAIL_RELAXED, "X", "u_flags", 1, 0)
                .mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", 0).w("X", "next", 0)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        flush(t, target);
        a.mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", 0).w("X", "next", 0)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        List<Finding> de = counted(r, Finding.Kind.DOUBLE_ENQUEUE);
        assertTrue(de.stream().anyMatch(f -> f.predicted && f.rule.equals("stray-add")), de.toString());
        assertTrue(de.stream().noneMatch(f -> !f.predicted), de.toString());
    }

    /** The owner enqueued its acquisition before the non-owner's add: nothing of that acquisition is left to add twice. */
    @Test
    void anAddByANonOwnerAfterTheOwnersOwnAddIsNoStrayAddPrediction() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx target = t.task(3, "swapper/1", 3, 1);
        a.preemptDisable().rmw(EventKind.RMW_RELAXED, "X", "u_flags", 0, 1)
                .mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", 0).w("X", "next", 0)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        target.irqEnter().rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", t.oid("X"), 0).irqExit();
        b.preemptDisable().rmw(EventKind.RMW_FAIL_RELAXED, "X", "u_flags", 1, 0)
                .mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", 0).w("X", "next", 0)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.DOUBLE_ENQUEUE).stream().noneMatch(f -> f.rule.equals("stray-add")),
                r.findings().toString());
    }

    /** B acquires X and llist_add()s it to CPU 1's queue, then (preemption off again) its next cmpxchg on X fails: X is queued. */
    private static void queuedThenCmpxchgFails(TraceBuilder t, TraceBuilder.Ctx b) {
        b.preemptDisable().rmw(EventKind.RMW_RELAXED, "X", "u_flags", 0, 1);
        llistAdd(t, b);
        b.preemptDisable().rmw(EventKind.RMW_FAIL_RELAXED, "X", "u_flags", 1, 0);
    }

    /** llist_add(&X->node, per_cpu(call_single_queue, 1)) onto an empty queue, then preempt_enable(). */
    private static void llistAdd(TraceBuilder t, TraceBuilder.Ctx b) {
        b.mem(EventKind.R_ONCE, "per_cpu(call_single_queue, 1)", "first", 0).w("X", "next", 0)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
    }

    /** A cmpxchg that fails while the CSD is still queued, then an add without acquiring it: predicted, flush between. */
    @Test
    void anAddAfterACmpxchgThatFailedWhileTheCsdWasQueuedIsAPredictedDoubleEnqueue() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx target = t.task(3, "swapper/1", 3, 1);
        queuedThenCmpxchgFails(t, b);
        flush(t, target);
        llistAdd(t, b);
        AnalysisResult r = t.analyze();
        List<Finding> de = counted(r, Finding.Kind.DOUBLE_ENQUEUE);
        assertTrue(de.stream().anyMatch(f -> f.predicted && f.rule.equals("stray-add")), de.toString());
    }

    /** 002 enqueue-on-failed-cas seed 61: the owner's own second call fails on its queued CSD and adds it again. */
    @Test
    void theOwnersAddAfterItsOwnCmpxchgFailedOnItsQueuedCsdIsAPredictedDoubleEnqueue() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx target = t.task(3, "swapper/1", 3, 1);
        queuedThenCmpxchgFails(t, b);
        target.irqEnter().rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", t.oid("X"), 0);
        llistAdd(t, b);
        target.r("X", "u_flags", 1).mem(EventKind.W_RELEASE, "X", "u_flags", 0).irqExit();
        AnalysisResult r = t.analyze();
        List<Finding> de = counted(r, Finding.Kind.DOUBLE_ENQUEUE);
        assertTrue(de.stream().anyMatch(f -> f.predicted && f.rule.equals("stray-add")), de.toString());
    }

    /** The correct loop: after the failure the context acquires the CSD before it adds it: its add is its own. */
    @Test
    void anAddAfterAFailedCmpxchgAndThenASuccessfulOneIsNoStrayAdd() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx target = t.task(3, "swapper/1", 3, 1);
        queuedThenCmpxchgFails(t, b);
        flush(t, target);
        b.rmw(EventKind.RMW_RELAXED, "X", "u_flags", 0, 1);
        llistAdd(t, b);
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.DOUBLE_ENQUEUE).isEmpty(), r.findings().toString());
    }

    /** A re-armed ASYNC CSD (scenario async-rearm): its caller fills in the unlocked CSD, then acquires it itself. */
    @Test
    void fillingAnUnlockedCsdThatTheSameContextThenAcquiresIsTheCallersRight() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 1);
        a.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).w("X", "func", 7)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        flush(t, c);
        a.w("X", "func", 8).w("X", "info", 9) // INIT_CSD with the other callback and info, LOCK clear
                .preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE).isEmpty(), r.findings().toString());
    }

    /** The same stores, but another context acquires the CSD next: it sends a request it did not write. */
    @Test
    void fillingAnUnlockedCsdThatAnotherContextThenAcquiresIsOwnerOnly() throws Exception {
        TraceBuilder t = csdTrace();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 2);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 1);
        a.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).w("X", "func", 7)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 1)", "first", 0, t.oid("X")).preemptEnable();
        flush(t, c);
        b.w("X", "func", 8);
        a.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "X", "u_flags", 0, 1).preemptEnable();
        AnalysisResult r = t.analyze();
        List<Finding> l = counted(r, Finding.Kind.LOCK_OWNERSHIP_RACE);
        assertEquals(1, l.size(), r.findings().toString());
        assertEquals("owner-only", l.get(0).rule);
        assertFalse(l.get(0).predicted);
    }
}

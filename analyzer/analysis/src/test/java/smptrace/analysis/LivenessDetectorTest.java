package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import java.util.List;
import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;

/** The lost-wakeup and hang rules, each on a trace that shows it and on one that does not. */
class LivenessDetectorTest {
    private static final String Q1 = "per_cpu(call_single_queue, 1)";

    private static TraceBuilder machine() {
        return new TraceBuilder().object(Q1, "smptrace.kernel.LlistHead", smptrace.trace.ObjectRole.CALL_SINGLE_QUEUE, 1, 0)
                .object("csdA", "smptrace.engine.smp.call_single_data")
                .object("csdB", "smptrace.engine.smp.call_single_data");
    }

    private static List<Finding> lost(AnalysisResult r) {
        return counted(r, Finding.Kind.LOST_WAKEUP);
    }

    /** llist_add() onto CPU1's empty queue by t (pinned), optionally followed by the IPI. */
    private static void enqueue(TraceBuilder t, TraceBuilder.Ctx c, String node, long oldHead, boolean kick) {
        c.preemptDisable().rmw(EventKind.RMW_MB, Q1, "first", oldHead, t.oid(node)).at("llist_add_batch");
        if (kick) {
            c.control(EventKind.IPI_SEND, c.cpu, 1);
        }
        c.preemptEnable();
    }

    private static void flush(TraceBuilder t, TraceBuilder.Ctx cpu1, String head) {
        cpu1.irqEnter().rmw(EventKind.RMW_MB, Q1, "first", t.oid(head), 0).irqExit();
    }

    @Test
    void workQueuedOntoAnEmptyQueueWithNoKickAndNoLaterFlushIsAnObservedLostWakeup() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx s = t.task(1, "sender", 1, 0);
        enqueue(t, s, "csdA", 0, false);
        AnalysisResult r = t.analyze();
        assertEquals(1, lost(r).size(), r.findings().toString());
        assertFalse(lost(r).get(0).predicted);
        assertEquals("no-kick", lost(r).get(0).rule);
    }

    @Test
    void workQueuedOntoAnEmptyQueueAndKickedIsFine() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx s = t.task(1, "sender", 1, 0);
        TraceBuilder.Ctx c1 = t.task(2, "cpu1", 2, 1);
        enqueue(t, s, "csdA", 0, true);
        flush(t, c1, "csdA");
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void workAddedToANonEmptyQueueReliesOnTheFirstAddersKick() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx a = t.task(1, "first", 1, 0);
        TraceBuilder.Ctx b = t.task(3, "second", 3, 2);
        TraceBuilder.Ctx c1 = t.task(2, "cpu1", 2, 1);
        a.preemptDisable().rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("csdA"));
        enqueue(t, b, "csdB", t.oid("csdA"), false); // found the queue non-empty: no kick owed
        a.control(EventKind.IPI_SEND, 0, 1).preemptEnable();
        flush(t, c1, "csdB");
        assertTrue(lost(t.analyze()).isEmpty());
    }

    @Test
    void anUnkickedAddRescuedByAnotherFlushIsAPredictedLostWakeup() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx s = t.task(1, "sender", 1, 0);
        TraceBuilder.Ctx c1 = t.task(2, "swapper/1", 2, 1);
        enqueue(t, s, "csdA", 0, false);
        c1.rmw(EventKind.RMW_MB, Q1, "first", t.oid("csdA"), 0); // an idle flush that happened to come
        AnalysisResult r = t.analyze();
        assertEquals(1, lost(r).size(), r.findings().toString());
        assertTrue(lost(r).get(0).predicted);
    }

    @Test
    void waitingForOwnUnkickedWorkIsALostWakeupAndTheWatchdogRecordIsAHang() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx s = t.task(1, "sender", 1, 0);
        s.preemptDisable().rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("csdA"))
                .mem(EventKind.R_COND, "csdA", "u_flags", 0x11).relax().mem(EventKind.R_COND, "csdA", "u_flags", 0x11).relax()
                .stuck(1, "watchdog: sender spinning in csd_lock_wait (CPU#1)");
        AnalysisResult r = t.analyze();
        assertEquals(1, lost(r).size(), r.findings().toString());
        assertFalse(lost(r).get(0).predicted);
        List<Finding> hang = counted(r, Finding.Kind.HANG);
        assertEquals(1, hang.size());
        assertTrue(String.join("\n", hang.get(0).witness).contains("csdA"), hang.get(0).witness.toString());
        assertTrue(String.join("\n", hang.get(0).witness).contains("never kicked CPU1"), hang.get(0).witness.toString());
    }

    @Test
    void aContextCutShortByTheWatchdogBetweenAddAndKickIsNoLostWakeup() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx s = t.task(1, "sender", 1, 0);
        TraceBuilder.Ctx w = t.task(3, "waiter", 3, 2);
        s.preemptDisable().rmw(EventKind.RMW_MB, Q1, "first", 0, t.oid("csdA"));
        w.mem(EventKind.R_COND, "csdB", "u_flags", 1).relax().stuck(2, "watchdog: waiter spinning");
        AnalysisResult r = t.analyze();
        assertTrue(lost(r).isEmpty(), r.findings().toString());
        assertEquals(1, counted(r, Finding.Kind.HANG).size());
    }

    @Test
    void aRunWithoutWatchdogRecordHasNoHang() throws Exception {
        TraceBuilder t = machine();
        TraceBuilder.Ctx w = t.task(3, "waiter", 3, 2);
        w.mem(EventKind.R_COND, "csdB", "u_flags", 1).relax().mem(EventKind.R_COND, "csdB", "u_flags", 0);
        assertTrue(counted(t.analyze(), Finding.Kind.HANG).isEmpty());
    }
}

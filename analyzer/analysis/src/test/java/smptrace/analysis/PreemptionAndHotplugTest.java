package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;
import smptrace.trace.ObjectRole;

class PreemptionAndHotplugTest {
    private static TraceBuilder scratch() {
        return new TraceBuilder().object("cfd_data[0].cpumask_ipi", "smptrace.engine.smp.cpumask", ObjectRole.CFD_CPUMASK_IPI, 0, -1)
                .object("cfd_data[0].cpumask", "smptrace.engine.smp.cpumask", ObjectRole.CFD_CPUMASK, 0, -1)
                .object("cfd_data[0].csd[1]", "smptrace.engine.smp.call_single_data", ObjectRole.CFD_CSD, 0, 1);
    }

    @Test
    void readAfterPutCpuOfSharedScratchIsAWindow() throws Exception {
        TraceBuilder t = scratch();
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t1.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 2).preemptEnable().r("cfd_data[0].cpumask_ipi", "bits", 2);
        t2.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 4).r("cfd_data[0].cpumask_ipi", "bits", 4).preemptEnable();
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.PREEMPTION_WINDOW).size(), r.findings().toString());
        assertTrue(counted(r, Finding.Kind.PREEMPTION_WINDOW).get(0).predicted);
    }

    @Test
    void pinnedUseIsFine() throws Exception {
        TraceBuilder t = scratch();
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t1.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 2).r("cfd_data[0].cpumask_ipi", "bits", 2).preemptEnable();
        t2.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 4).r("cfd_data[0].cpumask_ipi", "bits", 4).preemptEnable();
        assertTrue(counted(t.analyze(), Finding.Kind.PREEMPTION_WINDOW).isEmpty());
    }

    @Test
    void idleFallbackToCfdCpumaskIsNotABug() throws Exception {
        TraceBuilder t = scratch();
        TraceBuilder.Ctx idle = t.task(1, "swapper/0", 1, 0);
        idle.preemptDisable().w("cfd_data[0].cpumask", "bits", 2).preemptEnable().r("cfd_data[0].cpumask", "bits", 2);
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void abaRewaitOnCfdCsdIsNotABug() throws Exception {
        TraceBuilder t = scratch();
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t1.preemptDisable().r("cfd_data[0].csd[1]", "u_flags", 0).w("cfd_data[0].csd[1]", "u_flags", 1).preemptEnable();
        t2.preemptDisable().r("cfd_data[0].csd[1]", "u_flags", 0).w("cfd_data[0].csd[1]", "u_flags", 1).preemptEnable();
        t1.mem(EventKind.R_ONCE, "cfd_data[0].csd[1]", "u_flags", 1).relax().mem(EventKind.R_ONCE, "cfd_data[0].csd[1]", "u_flags", 1);
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.PREEMPTION_WINDOW).isEmpty(), r.findings().toString());
    }

    /**
     * Issue 12 item 5: the mask read after put_cpu() is a window although no other task touched CPU0's cpumask_ipi in
     * this run: T2 builds its own CPU's cpumask_ipi (the same code, this_cpu_ptr()) and the trace shows it on CPU0.
     */
    @Test
    void aReadAfterPutCpuIsAWindowWhenATaskThatUsesThatScratchOnItsOwnCpuAlsoRunsOnThisOne() throws Exception {
        TraceBuilder t = scratch().object("cfd_data[1].cpumask_ipi", "smptrace.engine.smp.cpumask", ObjectRole.CFD_CPUMASK_IPI, 1, -1)
                .object("Y", "smptrace.engine.smp.call_single_data");
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t2.r("Y", "func", 0);                       // T2 on CPU0 (then it migrates)
        t2.cpu = 1;
        t2.preemptDisable().w("cfd_data[1].cpumask_ipi", "bits", 4).r("cfd_data[1].cpumask_ipi", "bits", 4).preemptEnable();
        t1.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 6).preemptEnable().r("cfd_data[0].cpumask_ipi", "bits", 6);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.PREEMPTION_WINDOW).size(), r.findings().toString());
    }

    /** The same shape when the other task never runs on CPU0 (e.g. an idle task, bound to its CPU): nobody can reuse it. */
    @Test
    void aReadAfterPutCpuOfScratchThatOnlyTasksBoundToOtherCpusAlsoUseIsNotAWindow() throws Exception {
        TraceBuilder t = scratch().object("cfd_data[1].cpumask_ipi", "smptrace.engine.smp.cpumask", ObjectRole.CFD_CPUMASK_IPI, 1, -1);
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "swapper/1", 2, 1);
        t2.preemptDisable().w("cfd_data[1].cpumask_ipi", "bits", 4).r("cfd_data[1].cpumask_ipi", "bits", 4).preemptEnable();
        t1.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 6).preemptEnable().r("cfd_data[0].cpumask_ipi", "bits", 6);
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.PREEMPTION_WINDOW).isEmpty(), r.findings().toString());
    }

    private static TraceBuilder hotplug() {
        return new TraceBuilder().object("cpu_online_mask", "smptrace.engine.smp.cpumask", ObjectRole.CPU_ONLINE_MASK, -1, -1)
                .object("per_cpu(call_single_queue, 2)", "smptrace.kernel.LlistHead", ObjectRole.CALL_SINGLE_QUEUE, 2, -1)
                .object("X", "smptrace.engine.smp.call_single_data");
    }

    @Test
    void onlineCheckOutsidePinnedSectionIsL4() throws Exception {
        TraceBuilder t = hotplug();
        TraceBuilder.Ctx s = t.task(1, "S", 1, 0);
        s.mem(EventKind.R_ONCE, "cpu_online_mask", "bits", 0b1111).preemptDisable()
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.LOST_IPI).size(), r.findings().toString());
        assertTrue(counted(r, Finding.Kind.LOST_IPI).get(0).predicted);
    }

    @Test
    void onlineCheckInsideThePinnedSectionIsFine() throws Exception {
        TraceBuilder t = hotplug();
        TraceBuilder.Ctx s = t.task(1, "S", 1, 0);
        s.preemptDisable().mem(EventKind.R_ONCE, "cpu_online_mask", "bits", 0b1111)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable()
                .preemptDisable().mem(EventKind.R_ONCE, "cpu_online_mask", "bits", 0b1111)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable();
        assertTrue(counted(t.analyze(), Finding.Kind.LOST_IPI).isEmpty());
    }

    @Test
    void enqueueAfterTheDyingFlushIsObserved() throws Exception {
        TraceBuilder t = hotplug();
        TraceBuilder.Ctx stop = t.task(1, "migration/2", 1, 2);
        TraceBuilder.Ctx s = t.task(2, "S", 2, 0);
        stop.control(EventKind.CPU_ONLINE, 2, 0).control(EventKind.FLUSH_BEGIN, 2, 2)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, 0).control(EventKind.FLUSH_END, 2, 0);
        s.preemptDisable().rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable();
        AnalysisResult r = t.analyze();
        assertFalse(counted(r, Finding.Kind.LOST_IPI).stream().filter(f -> !f.predicted).toList().isEmpty(), r.findings().toString());
    }

    /** irq_work_queue_on(): WARN_ON_ONCE(cpu_is_offline(cpu)) before the pinned enqueue of a CSD_TYPE_IRQ_WORK node admits nothing. */
    @Test
    void anIrqWorkEnqueuedAfterAnUnpinnedOnlineReadIsNotL4() throws Exception {
        TraceBuilder t = hotplug();
        TraceBuilder.Ctx s = t.task(1, "S", 1, 0);
        s.mem(EventKind.R_ONCE, "cpu_online_mask", "bits", 0b1111)
                .rmw(EventKind.RMW_MB, "X", "u_flags", 0, 0x23)        // irq_work_claim(): PENDING|BUSY|CSD_TYPE_IRQ_WORK
                .preemptDisable().rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable();
        assertTrue(counted(t.analyze(), Finding.Kind.LOST_IPI).isEmpty());
    }

    /** The same shape with a SYNC CSD is the 004 mutant's: the read admitted the target. */
    @Test
    void aSyncCsdEnqueuedAfterAnUnpinnedOnlineReadIsL4() throws Exception {
        TraceBuilder t = hotplug();
        TraceBuilder.Ctx s = t.task(1, "S", 1, 0);
        s.mem(EventKind.R_ONCE, "cpu_online_mask", "bits", 0b1111)
                .preemptDisable().w("X", "u_flags", 0x11)
                .rmw(EventKind.RMW_MB, "per_cpu(call_single_queue, 2)", "first", 0, t.oid("X")).preemptEnable();
        assertEquals(1, counted(t.analyze(), Finding.Kind.LOST_IPI).size());
    }
}

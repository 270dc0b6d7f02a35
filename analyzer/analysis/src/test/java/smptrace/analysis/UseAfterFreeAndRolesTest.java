package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;

import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;
import smptrace.trace.ObjectRole;

/** Object lifetimes (KFREE) and structural roles (ROLE) as the analysis uses them. */
class UseAfterFreeAndRolesTest {
    private static TraceBuilder stackCsd() {
        return new TraceBuilder().object("csd_stack", "smptrace.engine.smp.call_single_data", ObjectRole.STACK_CSD, -1, 1);
    }

    @Test
    void anUnlockOfAnOnStackCsdAfterItsFunctionReturnedIsAUseAfterReturn() throws Exception {
        TraceBuilder t = stackCsd();
        TraceBuilder.Ctx waiter = t.task(1, "waiter", 1, 0);
        TraceBuilder.Ctx flush = t.task(2, "flush", 2, 1);
        waiter.w("csd_stack", "u_flags", 0x11).control(EventKind.KFREE, t.oid("csd_stack"), EventKind.FREE_RETURNED);
        flush.mem(EventKind.W_RELEASE, "csd_stack", "u_flags", 0);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.USE_AFTER_FREE).size(), r.findings().toString());
        Finding f = counted(r, Finding.Kind.USE_AFTER_FREE).get(0);
        assertFalse(f.predicted);
        assertEquals("use-after-return", f.rule);
        assertTrue(f.fingerprint.length() > 0);
    }

    @Test
    void accessesBeforeTheFreeAreNoUseAfterFreeAndNoRaceWithTheNextLife() throws Exception {
        TraceBuilder t = stackCsd();
        TraceBuilder.Ctx waiter = t.task(1, "waiter", 1, 0);
        TraceBuilder.Ctx flush = t.task(2, "flush", 2, 1);
        flush.w("csd_stack", "func", 5);
        waiter.control(EventKind.KFREE, t.oid("csd_stack"), EventKind.FREE_KFREE);
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.USE_AFTER_FREE).isEmpty(), r.findings().toString());
    }

    private static TraceBuilder cfdCsd() {
        return new TraceBuilder().object("cfd_data[0].csd[1]", "smptrace.engine.smp.call_single_data", ObjectRole.CFD_CSD, 0, 1);
    }

    /**
     * Issue 12 item 5 (003 free-csd-on-dead without the lucky schedule): the waiter read CPU0's cfd->csd after
     * put_cpu(), before smpcfd_dead_cpu() freed it; preempted there, its read comes after the free.
     */
    @Test
    void aCfdCsdReadWhileNotPinnedOnItsCpuAndFreedLaterByAnotherContextIsAPredictedUseAfterFree() throws Exception {
        TraceBuilder t = cfdCsd();
        TraceBuilder.Ctx waiter = t.task(1, "waiter", 1, 0);
        TraceBuilder.Ctx hotplug = t.task(2, "cpuhp/3", 2, 3);
        waiter.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 0, 1).preemptEnable()
                .mem(EventKind.R_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 0);
        hotplug.control(EventKind.KFREE, t.oid("cfd_data[0].csd[1]"), EventKind.FREE_PERCPU);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.USE_AFTER_FREE).size(), r.findings().toString());
        Finding f = counted(r, Finding.Kind.USE_AFTER_FREE).get(0);
        assertTrue(f.predicted);
        assertEquals("preemptible-use", f.rule);
    }

    /** The pre-series wait (before put_cpu()): every access pinned on CPU0, which cannot go down under it. */
    @Test
    void aCfdCsdUsedOnlyWhilePinnedOnItsCpuAndFreedLaterIsNoUseAfterFree() throws Exception {
        TraceBuilder t = cfdCsd();
        TraceBuilder.Ctx waiter = t.task(1, "waiter", 1, 0);
        TraceBuilder.Ctx hotplug = t.task(2, "cpuhp/3", 2, 3);
        waiter.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 0, 1)
                .mem(EventKind.R_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 0).preemptEnable();
        hotplug.control(EventKind.KFREE, t.oid("cfd_data[0].csd[1]"), EventKind.FREE_PERCPU);
        AnalysisResult r = t.analyze();
        assertTrue(counted(r, Finding.Kind.USE_AFTER_FREE).isEmpty(), r.findings().toString());
    }

    /** When the trace shows the waiter using it after the free, the observed finding is the one report. */
    @Test
    void aCfdCsdUsedAfterItsFreeIsReportedObservedOnlyNotAlsoPredicted() throws Exception {
        TraceBuilder t = cfdCsd();
        TraceBuilder.Ctx waiter = t.task(1, "waiter", 1, 0);
        TraceBuilder.Ctx hotplug = t.task(2, "cpuhp/3", 2, 3);
        waiter.preemptDisable().rmw(EventKind.RMW_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 0, 1).preemptEnable()
                .mem(EventKind.R_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 1);
        hotplug.control(EventKind.KFREE, t.oid("cfd_data[0].csd[1]"), EventKind.FREE_PERCPU);
        waiter.mem(EventKind.R_ACQUIRE, "cfd_data[0].csd[1]", "u_flags", 1);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.USE_AFTER_FREE).size(), r.findings().toString());
        assertFalse(counted(r, Finding.Kind.USE_AFTER_FREE).get(0).predicted);
    }

    @Test
    void aFreedObjectsRaceHistoryIsDropped() throws Exception {
        // without the free, the two plain writes race; after it, the object's old accesses are gone
        TraceBuilder t = new TraceBuilder().object("info", "smptrace.engine.smp.scf_check", ObjectRole.REQUEST_INFO, -1, 1);
        TraceBuilder.Ctx a = t.task(1, "a", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "b", 2, 1);
        a.w("info", "scfc_data", 1);
        b.w("info", "scfc_data", 2);
        assertFalse(counted(t.analyze(), Finding.Kind.DATA_RACE).isEmpty(), "the unfreed case races");

        TraceBuilder u = new TraceBuilder().object("info", "smptrace.engine.smp.scf_check", ObjectRole.REQUEST_INFO, -1, 1);
        TraceBuilder.Ctx ua = u.task(1, "a", 1, 0);
        TraceBuilder.Ctx ub = u.task(2, "b", 2, 1);
        ua.w("info", "scfc_data", 1).control(EventKind.KFREE, u.oid("info"), EventKind.FREE_KFREE);
        ub.w("info", "scfc_data", 2);
        AnalysisResult r = u.analyze();
        assertTrue(counted(r, Finding.Kind.DATA_RACE).isEmpty(), r.findings().toString());
        assertEquals(1, counted(r, Finding.Kind.USE_AFTER_FREE).size(), r.findings().toString());
    }

    @Test
    void detectorsFindScratchMasksByRoleWhateverTheirDisplayName() throws Exception {
        TraceBuilder t = new TraceBuilder().object("renamed-ipi-mask", "smptrace.engine.smp.cpumask", ObjectRole.CFD_CPUMASK_IPI, 0, -1);
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t1.preemptDisable().w("renamed-ipi-mask", "bits", 2).preemptEnable().r("renamed-ipi-mask", "bits", 2);
        t2.preemptDisable().w("renamed-ipi-mask", "bits", 4).r("renamed-ipi-mask", "bits", 4).preemptEnable();
        assertEquals(1, counted(t.analyze(), Finding.Kind.PREEMPTION_WINDOW).size());
    }

    @Test
    void aDisplayNameAloneDeclaresNoRole() throws Exception {
        // format 3: the old display name without a ROLE is just a name
        TraceBuilder t = new TraceBuilder().object("cfd_data[0].cpumask_ipi", "smptrace.engine.smp.cpumask");
        TraceBuilder.Ctx t1 = t.task(1, "T1", 1, 0);
        TraceBuilder.Ctx t2 = t.task(2, "T2", 2, 0);
        t1.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 2).preemptEnable().r("cfd_data[0].cpumask_ipi", "bits", 2);
        t2.preemptDisable().w("cfd_data[0].cpumask_ipi", "bits", 4).r("cfd_data[0].cpumask_ipi", "bits", 4).preemptEnable();
        assertTrue(counted(t.analyze(), Finding.Kind.PREEMPTION_WINDOW).isEmpty());
    }
}

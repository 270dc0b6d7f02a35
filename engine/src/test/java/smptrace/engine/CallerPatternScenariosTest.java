package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The scenarios of the kernel callers' patterns run clean on the correct code and go down the paths
 * they exist for (counted by the scenario itself: Monitor.path).
 */
class CallerPatternScenariosTest {
    private static RunResult run(Variant v, Scenario s, long seed) {
        return Engine.run(RunConfig.of(Patch.P003, v, s).withSeed(seed).withSchedule(seed % 2 == 0 ? Schedule.RANDOM : Schedule.PCT));
    }

    private static long path(RunResult r, String p) {
        return r.paths().getOrDefault(p, 0L);
    }

    @Test
    void syncResultReadsEveryResultBackFromTheWaitersStack() {
        for (long seed = 1; seed <= 12; seed++) {
            RunResult r = run(Variant.AFTER, Scenario.SYNC_RESULT, seed);
            assertFalse(r.bad(), r.summary());
            assertEquals(0, r.warnings(), r.summary());
            int calls = 2 * r.config().length();
            assertEquals(calls, path(r, "result read back"), r.summary());
            assertEquals(calls, path(r, "count read back"), r.summary());
            assertEquals(calls, path(r, "heap info freed"), r.summary());
        }
    }

    @Test
    void asyncRearmReusesOneCsdWithAlternatingFuncAndInfoWithoutEbusy() {
        for (Variant v : new Variant[] {Variant.BEFORE, Variant.AFTER}) {
            for (long seed = 1; seed <= 12; seed++) {
                RunResult r = Engine.run(RunConfig.of(Patch.P002, v, Scenario.ASYNC_REARM).withSeed(seed));
                assertFalse(r.bad(), r.summary());
                assertEquals(0, r.ebusy(), r.summary());
                assertEquals(2 * r.config().length(), path(r, "csd re-armed"), r.summary());
                assertEquals(r.requests(), r.callbacksRun(), r.summary());
            }
        }
    }

    @Test
    void hotplugDeadTakesTheWaitersCpuDownAndTheWaiterCarriesOnElsewhere() {
        for (Variant v : new Variant[] {Variant.BEFORE, Variant.AFTER, Variant.M003_FREE_CSD_ON_DEAD}) {
            int outlived = 0;
            for (long seed = 1; seed <= 16; seed++) {
                RunResult r = run(v, Scenario.HOTPLUG_DEAD, seed);
                assertFalse(r.stuck(), r.summary());
                assertEquals(r.requests(), r.callbacksRun(), r.summary());
                assertEquals(1, path(r, "cpu0 down"), r.summary());
                outlived += path(r, "wait on an offline CPU's cfd->csd");
            }
            if (v == Variant.BEFORE) {
                assertEquals(0, outlived, "the pre-image's caller waits pinned: CPU0 cannot go down mid-call");
            } else {
                assertTrue(outlived > 0, v.label + ": no seed took CPU0 down while its waiter waited");
            }
        }
    }

    @Test
    void irqWorkNodesAreRunByTheFlushNextToSynchronousCsds() {
        for (long seed = 1; seed <= 12; seed++) {
            RunResult r = run(Variant.AFTER, Scenario.IRQ_WORK, seed);
            assertFalse(r.bad(), r.summary());
            assertEquals(0, r.warnings(), r.summary());
            int n = r.config().length();
            assertEquals(n, path(r, "irq_work queued"), r.summary());
            assertEquals(n, path(r, "irq_work ran"), r.summary());
            assertEquals(n, path(r, "result read back"), r.summary());
        }
    }

    @Test
    void hotplugCycleBringsCpu2BackOnlineAndItsCallsRunAgainUnderEverySchedule() {
        long calledAfter = 0;
        for (Schedule sched : Schedule.values()) {
            for (long seed = 1; seed <= 8; seed++) {
                RunResult r = Engine.run(RunConfig.of(Patch.P004, Variant.AFTER, Scenario.HOTPLUG_CYCLE).withSeed(seed)
                    .withSchedule(sched));
                assertFalse(r.stuck(), r.summary());
                assertFalse(r.bad(), r.summary());
                assertEquals(r.requests(), r.callbacksRun(), r.summary());
                assertEquals(r.config().length(), path(r, "cpu2 down"), r.summary());
                assertEquals(r.config().length(), path(r, "cpu2 back online"), r.summary());
                calledAfter += path(r, "cpu2 called after it came back");
            }
        }
        assertTrue(calledAfter > 0, "no sender ever called CPU2 after it came back online");
    }

    @Test
    void ttwuWakesTheSleeperThroughTheWakelistAndItReadsTheWakersData() {
        for (Schedule sched : Schedule.values()) {
            for (long seed = 1; seed <= 8; seed++) {
                RunResult r = Engine.run(RunConfig.of(Patch.P004, Variant.AFTER, Scenario.TTWU).withSeed(seed).withSchedule(sched));
                assertFalse(r.stuck(), r.summary());
                assertFalse(r.bad(), r.summary());
                assertEquals(0, r.warnings(), r.summary() + " " + r.notes());
                assertEquals(r.config().length(), path(r, "woken through the wakelist"), r.summary());
                assertEquals(r.config().length(), path(r, "woken with the waker's data"), r.summary());
                assertEquals(2L * r.config().length(), path(r, "result read back"), r.summary());
            }
        }
    }

    @Test
    void theFreeCsdOnDeadMutantRunsOnHotplugDeadByDefault() {
        assertEquals(Scenario.HOTPLUG_DEAD, RunConfig.of(Patch.P003, Variant.M003_FREE_CSD_ON_DEAD).scenario());
        assertEquals(Scenario.S003, RunConfig.of(Patch.P003, Variant.AFTER).scenario());
    }
}

package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Free (parallel) runs of every scenario end, clean for the correct variants; a broken one ends too (stuck is a result). */
class FreeModeTest {
    @Test
    void everyScenarioRunsFree() {
        for (Scenario s : Scenario.values()) {
            Patch p = s.patch == null ? Patch.P003 : s.patch;
            RunResult r = Engine.run(RunConfig.of(p, Variant.AFTER, s).withSchedule(Schedule.FREE)
                    .withFreeTimeoutMillis(4000).withLength(s == Scenario.STANDARD ? 5 : s.defaultLength));
            System.out.println("[free] " + r.summary());
            assertTrue(!r.bad() && r.warnings() == 0, r.summary());
            assertTrue(r.callbacksRun() > 0 || r.enxio() > 0, r.summary());
        }
    }

    @Test
    void aFreeRunLongerThanTheWatchdogBoundThatKeepsRunningCallbacksIsNotStuck() {
        // the bound is on time without progress: a run longer than it (480 000 callbacks: about 4 s on a quiet
        // 2-core machine, more on a loaded one) finishes; a plain time bound would call it a hang. 2 s without
        // a single callback of four runnable CPU threads does not happen on a merely busy machine.
        long t0 = System.nanoTime();
        RunResult r = Engine.run(RunConfig.of(Patch.P001, Variant.AFTER, Scenario.STANDARD).withSchedule(Schedule.FREE)
                .withFreeTimeoutMillis(2000).withLength(60000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[free] " + ms + " ms: " + r.summary());
        assertTrue(!r.stuck() && !r.bad(), r.summary());
        assertTrue(r.callbacksRun() == r.requests(), r.summary());
    }

    @Test
    void brokenFreeRunEndsWithinItsBound() {
        for (int i = 0; i < 3; i++) {
            RunResult r = Engine.run(RunConfig.of(Patch.P001, Variant.BEFORE).withSchedule(Schedule.FREE)
                    .withSeed(i).withFreeTimeoutMillis(1500).withLength(20));
            System.out.println("[free] " + r.summary());
        }
    }
}

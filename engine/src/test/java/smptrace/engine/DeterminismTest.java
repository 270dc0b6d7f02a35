package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without the agent, every scenario runs, and the same config and seed give the same run. */
class DeterminismTest {
    @Test
    void sameSeedSameRun() {
        int runs = 0;
        for (Scenario s : Scenario.values()) {
            Patch p = s.patch == null ? Patch.P003 : s.patch;
            for (Variant v : Catalogue.variants(p)) {
                for (Schedule sch : new Schedule[] {Schedule.RANDOM, Schedule.PCT}) {
                    for (long seed = 0; seed < 3; seed++) {
                        RunConfig c = RunConfig.of(p, v, s).withSeed(seed).withSchedule(sch)
                                .withLength(s == Scenario.STANDARD ? 4 : s.defaultLength);
                        RunResult a = Engine.run(c);
                        RunResult b = Engine.run(c);
                        assertEquals(a.fingerprint(), b.fingerprint(), "nondeterministic: " + a.summary());
                        assertTrue(a.steps() > 0);
                        runs += 2;
                    }
                }
            }
        }
        System.out.println("[determinism] " + runs + " runs, pairs identical");
    }

    @Test
    void standardWorkloadIsCleanAndCompletes() {
        for (long seed = 0; seed < 20; seed++) {
            RunResult r = Engine.run(RunConfig.of(Patch.P003, Variant.AFTER, Scenario.STANDARD).withSeed(seed)
                    .withSchedule(seed % 2 == 0 ? Schedule.RANDOM : Schedule.PCT));
            assertTrue(!r.bad() && r.warnings() == 0, r.summary() + " " + r.notes());
            assertEquals(r.requests(), r.callbacksRun(), r.summary());
        }
    }
}

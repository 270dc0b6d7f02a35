package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import smptrace.engine.sim.ScheduleLog;

/** A recorded schedule, replayed, takes the same decisions at the same points (controlled and free runs). */
class ScheduleReplayTest {
    private static Engine.ScheduleIo recorded(RunConfig c) {
        Engine.ScheduleIo io = new Engine.ScheduleIo();
        io.record = true;
        Engine.run(c, io);
        assertNotNull(io.recorded);
        assertTrue(io.recorded.size() > 0);
        return io;
    }

    @Test
    void aReplayedControlledScheduleGivesTheSameRunWhateverTheSeed() {
        for (Variant v : new Variant[] {Variant.BEFORE, Variant.AFTER}) {
            RunConfig c = RunConfig.of(Patch.P001, v).withSeed(29).withSchedule(Schedule.PCT);
            RunResult want = Engine.run(c);
            Engine.ScheduleIo io = recorded(c);
            Engine.ScheduleIo again = new Engine.ScheduleIo();
            // another seed and strategy: only the schedule decides
            again.replay = ScheduleLog.parse(io.recorded.text());
            RunResult got = Engine.run(c.withSeed(4).withSchedule(Schedule.RANDOM), again);
            assertNull(again.replayEnd, again.replayEnd);
            assertEquals(want.fingerprint(), got.fingerprint(), want.summary() + "\n" + got.summary());
        }
    }

    @Test
    void aDecisionThatIsNotEnabledIsReportedAsADivergence() {
        RunConfig c = RunConfig.of(Patch.P002, Variant.BEFORE).withSeed(4);
        String text = recorded(c).recorded.text();
        Engine.ScheduleIo again = new Engine.ScheduleIo();
        again.replay = ScheduleLog.parse("m31-30 " + text);
        Engine.run(c, again);
        assertNotNull(again.replayEnd);
        assertTrue(again.replayEnd.startsWith("replay diverged at scheduling decision 0: recorded m31-30, enabled "), again.replayEnd);
    }
    // a free run's schedule replays exactly only when every access is a scheduling point (the agent's
    // points=all): analyzer/cli ReplayCommandIT records one under the agent and replays it event for event
}

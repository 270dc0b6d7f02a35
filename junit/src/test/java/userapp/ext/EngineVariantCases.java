package userapp.ext;

import org.junit.jupiter.api.Test;
import smptrace.engine.EngineMain;
import smptrace.engine.Engine;
import smptrace.junit.RecordTrace;

import java.util.List;

/**
 * A user's tests of the engine's scenarios, as a user's own test would drive them (run by
 * ExtensionIT through RunTests; not a test of this build itself: the name does not match Surefire's).
 */
@RecordTrace
public class EngineVariantCases {
    static int shared;

    @Test
    void brokenVariantFails() {
        // patch 001 before the fix: csd_lock_wait() can miss the unlock; the recorded run shows it
        Engine.run(EngineMain.parse(List.of("--patch", "001", "--variant", "before", "--seed", "29")));
    }

    @Test
    void fixedVariantPasses() {
        Engine.run(EngineMain.parse(List.of("--patch", "001", "--variant", "after", "--debug", "off", "--seed", "29")));
    }

    /** This class was loaded before the agent was attached: its code is recorded all the same. */
    @Test
    @RecordTrace(expect = "data-race")
    void expectedRaceIsDeclared() throws InterruptedException {
        Thread t = new Thread(() -> shared++);
        t.start();
        shared++;
        t.join();
    }

    @Test
    void undeclaredRaceFails() throws InterruptedException {
        Thread t = new Thread(() -> shared++);
        t.start();
        shared++;
        t.join();
    }
}

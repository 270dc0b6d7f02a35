package example;

import org.junit.jupiter.api.Test;
import smptrace.engine.Engine;
import smptrace.engine.EngineMain;
import smptrace.junit.RecordTrace;

import java.util.List;

/** The engine's scenario of patch 001 after the fix, recorded and analysed as a user's test would. */
@RecordTrace
class EngineScenarioTest {
    @Test
    void patch001AfterTheFixIsClean() {
        Engine.run(EngineMain.parse(List.of("--patch", "001", "--variant", "after", "--debug", "off", "--seed", "29")));
    }
}

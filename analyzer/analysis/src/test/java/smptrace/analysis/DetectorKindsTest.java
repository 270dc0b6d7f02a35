package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

class DetectorKindsTest {
    /** Records "name:KIND" for every event it is called for, into a log shared by all of them. */
    private static final class Recorder implements Detector {
        private final String name;
        private final Set<EventKind> kinds;
        private final List<String> log;

        Recorder(String name, Set<EventKind> kinds, List<String> log) {
            this.name = name;
            this.kinds = kinds;
            this.log = log;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<EventKind> kinds() {
            return kinds == null ? Detector.super.kinds() : kinds;
        }

        @Override
        public void onEvent(Event e, Analysis a) {
            log.add(name + ":" + e.kind);
        }

        @Override
        public void finish(Analysis a) {
        }
    }

    private static TraceBuilder trace() {
        TraceBuilder t = new TraceBuilder();
        t.object("o", "Obj");
        t.task(0, "t0", 1, 0).w("o", "x", 1).fence(EventKind.F_MB).preemptDisable().r("o", "x", 1).preemptEnable();
        return t;
    }

    @Test
    void aDetectorIsCalledOnlyForTheKindsItSubscribesToAndTheOthersInTheListsOrder() throws Exception {
        List<String> log = new ArrayList<>();
        TraceBuilder t = trace();
        new Analyzer(Options.defaults(), a -> List.of(
                new Recorder("all", null, log),
                new Recorder("mem", Detector.memoryAnd(), log),
                new Recorder("preempt", EnumSet.of(EventKind.PREEMPT_ENABLE), log))).analyze(t.source());
        assertEquals(List.of(
                "all:W_PLAIN", "mem:W_PLAIN",
                "all:F_MB",
                "all:PREEMPT_DISABLE",
                "all:R_PLAIN", "mem:R_PLAIN",
                "all:PREEMPT_ENABLE", "preempt:PREEMPT_ENABLE"), log);
    }

    @Test
    void everyKindByDefault() {
        Detector d = new Recorder("all", null, new ArrayList<>());
        assertEquals(EnumSet.allOf(EventKind.class), d.kinds());
    }

    @Test
    void memoryAndHoldsEveryMemoryKindAndTheOthersGiven() {
        Set<EventKind> s = Detector.memoryAnd(EventKind.KFREE);
        for (EventKind k : EventKind.values()) {
            assertEquals(k.isMemory() || k == EventKind.KFREE, s.contains(k), k.name());
        }
        assertTrue(s.contains(EventKind.LOCK));
    }
}

package smptrace.litmus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusParser;
import smptrace.litmus.LitmusTest;
import smptrace.litmus.ModelView;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Tag;
import smptrace.trace.EventKind;

/** The cross-check catches a model that forbids what the JVM did, and a recording that is no path of the model. */
class CrossCheckTest {
    private final LitmusDecider decider = new LitmusDecider();
    private final LitmusTest sb = new LitmusParser().parse(LitmusCliEngineTest.SB);

    /** The run where P0 ran to the end before P1 started: 0:r0=0, 1:r0=1, x=1, y=1. */
    private CrossCheck.Run p0First() {
        List<ModelView.Event> p0 = List.of(new ModelView.Event(EventClass.WRITE, Tag.ONCE, "x", "1"),
            new ModelView.Event(EventClass.READ, Tag.ONCE, "y", "0"));
        List<ModelView.Event> p1 = List.of(new ModelView.Event(EventClass.WRITE, Tag.ONCE, "y", "1"),
            new ModelView.Event(EventClass.READ, Tag.ONCE, "x", "1"));
        return new CrossCheck.Run(0, List.of(p0, p1), Map.of("x", "1", "y", "1"), null);
    }

    private Set<Map<String, String>> allowed() {
        Set<Map<String, String>> s = new HashSet<>();
        decider.decide(sb, s::add);
        return s;
    }

    @Test
    void anObservedOutcomeTheModelAllowsPasses() {
        CrossCheck.Result r = CrossCheck.check(decider.view(sb), allowed(), List.of(p0First()), 0, List.of());
        assertTrue(r.ok(), r.summary());
        assertEquals(Set.of(new TreeMap<>(Map.of("0:r0", "0", "1:r0", "1", "x", "1", "y", "1"))), r.observed());
    }

    @Test
    void aModelThatForbidsAnObservedOutcomeIsReportedAsADisagreement() {
        Set<Map<String, String>> wrong = allowed();
        assertTrue(wrong.remove(Map.of("0:r0", "0", "1:r0", "1", "x", "1", "y", "1")));
        CrossCheck.Result r = CrossCheck.check(decider.view(sb), wrong, List.of(p0First()), 0, List.of());
        assertFalse(r.ok());
        assertEquals(1, r.disallowed().size());
        assertTrue(r.summary().contains("1 run(s) showed an outcome the model forbids: run 0 0:r0=0 1:r0=1 x=1 y=1"), r.summary());
    }

    @Test
    void aRecordingThatIsNoPathOfTheModelIsReported() {
        // P0 recorded its READ_ONCE as an acquire: not what the program says
        List<ModelView.Event> p0 = List.of(new ModelView.Event(EventClass.WRITE, Tag.ONCE, "x", "1"),
            new ModelView.Event(EventClass.READ, Tag.ACQUIRE, "y", "0"));
        CrossCheck.Run bad = new CrossCheck.Run(3, List.of(p0, p0First().processes().get(1)),
            Map.of("x", "1", "y", "1"), null);
        CrossCheck.Result r = CrossCheck.check(decider.view(sb), allowed(), List.of(bad), 0, List.of());
        assertFalse(r.ok());
        assertTrue(r.summary().contains("run 3 P0 recorded") && r.summary().contains("no path of the model"),
            r.summary());
    }

    @Test
    void anEngineAccountThatDiffersFromItsTraceIsReported() {
        CrossCheck.Run r0 = p0First();
        CrossCheck.Run lying = new CrossCheck.Run(0, r0.processes(), r0.finalMemory(),
            Map.of("0:r0", "1", "1:r0", "1", "x", "1", "y", "1"));
        CrossCheck.Result r = CrossCheck.check(decider.view(sb), allowed(), List.of(lying), 0, List.of());
        assertFalse(r.ok());
        assertTrue(r.summary().contains("the engine reports"), r.summary());
    }

    @Test
    void spinningAttemptsBeforeALockAreOneLockToTheModel() {
        LitmusTest t = new LitmusParser().parse("C L\n{}\nP0(spinlock_t *s, int *x)\n{\n\tspin_lock(s);\n"
            + "\tWRITE_ONCE(*x, 1);\n\tspin_unlock(s);\n}\nexists (x=1)\n");
        List<RecordedBatch.Recorded> rec = List.of(new RecordedBatch.Recorded(EventKind.LOCK_FAIL, 1, 1, 0, 1),
            new RecordedBatch.Recorded(EventKind.LOCK_FAIL, 1, 1, 0, 1),
            new RecordedBatch.Recorded(EventKind.LOCK, 1, 0, 1, 3),
            new RecordedBatch.Recorded(EventKind.W_ONCE, 2, 1, 0, 1),
            new RecordedBatch.Recorded(EventKind.UNLOCK, 1, 0, 0, 4));
        ModelView v = decider.view(t);
        List<String> problems = new ArrayList<>();
        List<ModelView.Event> events = CrossCheck.translate(rec, v, oid -> oid == 1 ? "s" : oid == 2 ? "x" : null,
            problems);
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(CrossCheck.match(v.paths().get(0), events) != null, events.toString());
    }

    /** End to end: the real engine and trace, and a model answer with the sequential outcome removed. */
    @Test
    void theRealRecordingCatchesAWrongModelAnswer(@TempDir Path dir) throws IOException {
        LitmusCliEngineTest.assumeBuilt();
        Path f = dir.resolve("SB.litmus");
        Files.writeString(f, LitmusCliEngineTest.SB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LitmusRunCommand cmd = new LitmusRunCommand().withAllowedOverride(allowed -> {
            Set<Map<String, String>> wrong = new HashSet<>(allowed);
            wrong.remove(Map.of("0:r0", "0", "1:r0", "1", "x", "1", "y", "1"));
            return wrong;
        });
        int rc = cmd.run(List.of(f), LitmusRunCommand.Options.defaults(), TestLauncher.INSTANCE,
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, rc, table);
        assertTrue(table.contains("run(s) showed an outcome the model forbids") && table.contains("0:r0=0 1:r0=1 x=1 y=1"), table);
        assertTrue(table.contains("1 cross-check failures"), table);
    }
}

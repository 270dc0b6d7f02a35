package smptrace.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** record and dump end to end: child JVMs with the packaged agent jar (run by failsafe after package). */
class RecordCommandIT {
    @Test
    void recordThenDumpTheMessagePassingDemo(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("mp");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--scenario", "mp-demo", "--rounds", "50", "--out", t.toString());
        assertEquals(0, rec.exit(), rec.err());
        assertTrue(rec.out().contains("recorded "), rec.out());
        CliBadInputTest.Run dump = CliBadInputTest.cli("dump", t.toString(), "--limit", "20");
        assertEquals(0, dump.exit(), dump.err());
        assertTrue(dump.out().contains("mailbox."), dump.out()); // which thread spins first varies: free-running
        assertTrue(dump.out().contains("trace complete"), dump.out());
        // every message was published with a release and acquired: 50 release stores of the flag
        long published = 0;
        try (TraceReader r = TraceReader.open(t)) {
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind == smptrace.trace.EventKind.W_RELEASE && r.info().locationName(e.loc).equals("mailbox.flag")) {
                    published++;
                }
            }
        }
        assertEquals(50, published);
    }

    @Test
    void theMessagePassingDemoIsCleanWithItsJoinsAsHappensBefore(@TempDir Path dir) throws Exception {
        // correct under the LKMM: release/acquire per message, and main reads the result after Thread.join()
        // (issue 8 reported a wr-race at MessagePassing.java:49 before Java's synchronisation was recorded)
        Path t = dir.resolve("mp");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--scenario", "mp-demo", "--rounds", "200", "--out", t.toString());
        assertEquals(0, rec.exit(), rec.err());
        CliBadInputTest.Run an = CliBadInputTest.cli("analyze", t.toString());
        assertEquals(0, an.exit(), an.out() + an.err());
        assertTrue(an.out().contains("clean: no findings"), an.out());
    }

    @Test
    void anIdleTaskInsideItsFlushIsNeverSwitchedOutSoTheCorrectKernelNeverHangsOnHotplugDead(@TempDir Path dir) throws Exception {
        // do_idle() runs with preemption off from its wakeup to schedule_idle(): a waiter that migrates onto a CPU whose
        // idle task is mid-flush waits for that flush to finish. When the idle task could be switched out there, the
        // waiter spun on that CPU's queue for good (PCT seed 254 of these, with the agent's scheduling points)
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "003", "--variant", "after", "--scenario", "hotplug-dead",
                "--schedule", "pct", "--seed", "100", "--seeds", "160", "--out", dir.resolve("t").toString());
        assertEquals(0, rec.exit(), rec.err());
        assertEquals(160, rec.out().lines().filter(l -> l.contains(" outcome=")).count(), rec.out());
        assertEquals(java.util.List.of(), rec.out().lines().filter(l -> l.contains(" outcome=") && !l.contains(" outcome=ok ")).toList());
    }

    @Test
    void recordAnEngineScenarioCarriesItsConfigurationInTheHeader(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "003", "--variant", "put-cpu-before-send", "--seed", "5",
                "--schedule", "pct", "--out", t.toString());
        assertEquals(0, rec.exit(), rec.err());
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals("003", r.info().header("patch"));
            assertEquals("put-cpu-before-send", r.info().header("variant"));
            assertEquals("5", r.info().header("seed"));
            assertEquals("pct", r.info().header("schedule"));
            Event e = new Event();
            boolean taskContext = false;
            while (r.next(e)) {
                taskContext |= e.task >= 0 && e.cpu >= 0;
            }
            assertTrue(taskContext, "the simulator's task switches are in the trace");
        }
    }

    @Test
    void recordSeveralSeedsInOneJvm(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("many");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "001", "--variant", "after", "--seed", "1", "--seeds", "4",
                "--compact", "--out", root.toString());
        assertEquals(0, rec.exit(), rec.err());
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(4, s.count());
        }
        assertTrue(rec.out().contains("recorded 4 traces"), rec.out());
    }

    @Test
    void aDebugConfigRunIsReplayedAsDebugConfigNotAsDebugOff(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("cfg");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "001", "--variant", "after", "--debug", "config",
                "--seed", "3", "--out", t.toString());
        assertEquals(0, rec.exit(), rec.out() + rec.err());
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals("config", r.info().header("csd.lock.wait.debug"));
            assertTrue(Recorded.command(r.info()).contains("--debug config"), Recorded.command(r.info()));
        }
        CliBadInputTest.Run again = CliBadInputTest.cli("replay", t.toString());
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("replays event for event"), again.out());
    }
}

package smptrace.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A free-running trace is a reproducer too: the recorded interleaving is the schedule. A free run that
 * records its schedule runs one step at a time (Machine's baton), so its replay under the controlled
 * scheduler switches tasks at exactly the recorded points and matches event for event; a schedule that
 * is not the recorded one is caught at its first differing event; the watchdog's verdict, a wall-clock
 * event, is replayed where it fell.
 */
class FreeRunReplayIT {
    @TempDir
    static Path tmp;

    private static Path recordFree(String name, String... extra) {
        Path out = tmp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("record", "--schedule", "free", "--quiet", "--out", out.toString()));
        args.addAll(List.of(extra));
        CliBadInputTest.Run r = CliBadInputTest.cli(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.out() + r.err());
        return out;
    }

    private static void assertReplaysEventForEvent(Path t) {
        CliBadInputTest.Run r = CliBadInputTest.cli("replay", t.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("replays event for event") && r.out().contains("recorded free-running"), r.out());
        assertTrue(r.out().contains("(the same as recorded)"), r.out());
    }

    @Test
    void freeRunsOfEveryPatchReplayEventForEvent() {
        // correct and broken code, one scenario per seed patch: IPIs, async CSDs, many_cond, hotplug
        String[][] runs = {{"000", "after"}, {"001", "before"}, {"002", "before"}, {"002", "ipi-only-if-queued"},
            {"003", "put-cpu-before-lock"}, {"004", "after"}};
        for (String[] run : runs) {
            for (String seed : new String[] {"5", "6"}) {
                Path t = recordFree(run[0] + "-" + run[1] + "-" + seed, "--patch", run[0], "--variant", run[1],
                        "--seed", seed, "--length", "2");
                assertReplaysEventForEvent(t);
            }
        }
    }

    @Test
    void aScheduleThatIsNotTheRecordedOneDivergesAtItsFirstDifferentEvent() throws IOException {
        Path t = recordFree("tampered", "--patch", "001", "--variant", "before", "--seed", "7", "--length", "2");
        Path schedule = t.resolve(smptrace.engine.BatchMain.SCHEDULE_FILE);
        String text = Files.readString(schedule);
        // the first decision's CPU changed: another CPU's step goes first, so the run is another interleaving
        Matcher m = Pattern.compile("^c(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        int cpu = Integer.parseInt(m.group(1));
        Files.writeString(schedule, "c" + (cpu + 1) % 4 + text.substring(m.end()));
        CliBadInputTest.Run r = CliBadInputTest.cli("replay", t.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("DIFFERS at event") && r.out().contains("  recorded: ") && r.out().contains("  now:      "), r.out());
    }

    @Test
    void aFreeRunsWatchdogIsReplayedWhereItFell() throws IOException {
        // a 1 ms watchdog fires in a free run as soon as one step takes longer (a thread start, a JIT or GC pause):
        // the run is declared stuck, a wall-clock verdict that the replay cannot time, so it is in the schedule. A
        // fast machine may get through a short run without such a pause: the run is longer then, up to 20 000
        Path t = null;
        String schedule = "";
        for (String length : new String[] {"200", "2000", "20000"}) {
            t = recordFree("watchdog-" + length, "--patch", "001", "--variant", "after", "--seed", "1", "--length", length,
                    "--timeout-ms", "1");
            schedule = Files.readString(t.resolve(smptrace.engine.BatchMain.SCHEDULE_FILE)).trim();
            if (schedule.endsWith(" w0")) {
                break;
            }
        }
        String recorded = schedule;
        assertTrue(recorded.endsWith(" w0"), () -> "the watchdog's verdict ends the schedule: ..." + recorded.substring(Math.max(0, recorded.length() - 80)));
        CliBadInputTest.Run r = CliBadInputTest.cli("replay", t.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("replays event for event") && r.out().contains("(the same as recorded)"), r.out());
        assertTrue(r.out().contains("hang [observed, watchdog]") && r.out().contains("no callback ran for 1 ms of a free run"), r.out());
    }

    @Test
    void theArchiveHoldsAFreeRunningReproducerThatReplays() throws IOException {
        List<Path> free;
        try (Stream<Path> s = VerifyCommand.bundlesUnder(ReproducerBundleIT.home().resolve("traces")).stream()) {
            free = s.filter(b -> {
                try {
                    return "free".equals(Bundle.open(b).get("schedule"));
                } catch (Bundle.Damaged e) {
                    throw new AssertionError(e.getMessage());
                }
            }).toList();
        }
        assertTrue(!free.isEmpty(), "no free-running bundle under traces/");
        free.forEach(b -> assertReplaysEventForEvent(b));
    }
}

package smptrace.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bundle of traces/ verifies unchanged and replays event for event under its recorded schedule. */
class ArchiveReplayIT {
    private static Path traces() {
        return Paths.get(System.getProperty("smptrace.home", "../..")).toAbsolutePath().normalize().resolve("traces");
    }

    @Test
    void everyArchivedBundleReplaysEventForEvent() throws Exception {
        List<Path> bundles = VerifyCommand.bundlesUnder(traces());
        assertTrue(bundles.size() >= 21, "one bundle per must-report cell: " + bundles);
        List<String> args = new ArrayList<>(List.of("replay"));
        bundles.forEach(b -> args.add(b.toString()));
        CliBadInputTest.Run r = CliBadInputTest.cli(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(bundles.size(), r.out().lines().filter(l -> l.contains("replays event for event") && l.contains("recorded schedule")).count(), r.out());
        // the replay's findings in analyze's words: operations and kernel functions, no event kind at an engine line
        java.util.regex.Matcher raw = java.util.regex.Pattern.compile("\\b(W|R|RMW)_[A-Z_]+ at [A-Za-z_]+\\.java:\\d+").matcher(r.out());
        assertFalse(raw.find(), () -> "engine words '" + raw.group() + "' in\n" + r.out());
        CliBadInputTest.Run q = CliBadInputTest.cli(args.get(0), "--quiet", args.get(1));
        assertEquals(0, q.exit(), q.out() + q.err());
        assertEquals("", q.out() + q.err(), "replay --quiet prints nothing when the bundle replays event for event");
    }

    @Test
    void theArchiveIsSmallAndVerifiesUnchanged() throws Exception {
        CliBadInputTest.Run r = CliBadInputTest.cli("verify", traces().toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        long bytes;
        try (var s = java.nio.file.Files.walk(traces())) {
            bytes = s.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(bytes < 20L << 20, "traces/ holds " + bytes + " bytes");
    }
}

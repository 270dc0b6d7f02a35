package smptrace.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproducer bundles end to end on recorded engine traces: archive -> verify round trip, every kind of
 * damage refused with exit 2 and one line, a bug fixed in the engine seen as "fixed", replay event for
 * event, diff by fingerprint, and an old (version 1) bundle that still verifies.
 */
class ReproducerBundleIT {
    @TempDir
    static Path tmp;
    static Path bundle;
    static Path afterTrace;

    static Path home() {
        return Paths.get(System.getProperty("smptrace.home", "../..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void recordAndArchive() throws Exception {
        CliBadInputTest.Run r = CliBadInputTest.cli("record", "--patch", "002", "--variant", "before", "--seed", "4",
                "--compact", "--out", tmp.resolve("before").toString());
        assertEquals(0, r.exit(), r.err());
        // the same run with the patch applied: the engine's bug fixed, nothing else changed
        r = CliBadInputTest.cli("record", "--patch", "002", "--variant", "after", "--seed", "4",
                "--compact", "--out", tmp.resolve("after").toString());
        assertEquals(0, r.exit(), r.err());
        afterTrace = tmp.resolve("after");
        r = CliBadInputTest.cli("archive", tmp.resolve("before").toString(), "--name", "002-before-test",
                "--into", tmp.resolve("archive").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        bundle = tmp.resolve("archive/002-before-test");
    }

    /** A scratch copy of the bundle to damage. */
    private static Path copy(String name) throws IOException {
        Path d = tmp.resolve("scratch").resolve(name);
        try (Stream<Path> s = Files.walk(bundle)) {
            for (Path p : s.sorted().toList()) {
                Path q = d.resolve(bundle.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return d;
    }

    private static Path queueFile(Path b) throws IOException {
        try (Stream<Path> s = Files.list(b.resolve("trace"))) {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    private static void assertDamaged(Path b, String why) {
        CliBadInputTest.Run r = CliBadInputTest.cli("verify", b.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        long lines = r.out().lines().filter(l -> l.contains("DAMAGED")).count();
        assertEquals(1, lines, r.out());
        assertTrue(r.out().contains(why), r.out());
        assertFalse(r.out().contains("\tat ") || r.err().contains("\tat "), r.out() + r.err());
    }

    @Test
    void anArchivedTraceVerifiesUnchanged() throws IOException {
        CliBadInputTest.Run r = CliBadInputTest.cli("verify", bundle.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(": unchanged ("), r.out());
        String manifest = Files.readString(bundle.resolve("manifest.properties"));
        for (String k : new String[] {"bundle.version=2", "trace.format.version=", "tool.version=", "command=./smptrace record --patch 002",
                "seed=4", "schedule=random", "jvm.version=", "host.name=", "events=", "finding.1=", "file.trace/schedule.txt=", "seal="}) {
            assertTrue(manifest.contains(k), k + " in\n" + manifest);
        }
        assertTrue(manifest.contains(" lock-ownership-race ") && manifest.contains(" double-enqueue "), manifest);
    }

    @Test
    void theArchivedQueueIsTrimmedToItsContent() throws IOException {
        assertTrue(Files.size(queueFile(bundle)) < 512 * 1024, "trimmed: " + Files.size(queueFile(bundle)));
    }

    @Test
    void aFlippedByteIsRefused() throws IOException {
        Path b = copy("flipped");
        Path q = queueFile(b);
        try (RandomAccessFile f = new RandomAccessFile(q.toFile(), "rw")) {
            f.seek(3000);
            int x = f.read();
            f.seek(3000);
            f.write(x ^ 0x20);
        }
        assertDamaged(b, "changed since it was sealed");
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Path b = copy("missing");
        Files.delete(b.resolve("trace/metadata.cq4t"));
        assertDamaged(b, "trace/metadata.cq4t is missing");
    }

    @Test
    void aTruncatedQueueIsRefused() throws IOException {
        Path b = copy("truncated");
        Path q = queueFile(b);
        try (RandomAccessFile f = new RandomAccessFile(q.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertDamaged(b, "(truncated)");
    }

    @Test
    void aChangedManifestIsRefused() throws IOException {
        Path b = copy("manifest");
        Path m = b.resolve("manifest.properties");
        Files.writeString(m, Files.readString(m).replace("seed=4", "seed=5"));
        assertDamaged(b, "changed since it was sealed (seal mismatch)");
    }

    @Test
    void anUnknownManifestVersionIsRefusedByName() throws IOException {
        Path b = copy("version");
        Path m = b.resolve("manifest.properties");
        Files.writeString(m, Files.readString(m).replace("bundle.version=2", "bundle.version=9"));
        assertDamaged(b, "unknown bundle version 9");
    }

    @Test
    void anUnsealedExtraFileIsRefused() throws IOException {
        Path b = copy("extra");
        Files.writeString(b.resolve("trace/notes.txt"), "hello");
        assertDamaged(b, "trace/notes.txt is not sealed");
    }

    /** The bundle's expectations with another trace in it, sealed again as archive seals (manifest format, docs/reproducers.md). */
    private static Path withTrace(String name, Path trace) throws IOException {
        Path b = copy(name);
        try (Stream<Path> s = Files.list(b.resolve("trace"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> s = Files.list(trace)) {
            for (Path p : s.toList()) {
                Files.copy(p, b.resolve("trace").resolve(p.getFileName().toString()));
            }
        }
        ArchiveCommand.trim(b.resolve("trace"));
        StringBuilder text = new StringBuilder();
        long events;
        try (smptrace.trace.TraceReader r = smptrace.trace.TraceReader.open(b.resolve("trace"))) {
            events = r.recordedEvents();
        } catch (smptrace.trace.TraceException e) {
            throw new IOException(e);
        }
        for (String line : Files.readString(b.resolve("manifest.properties")).split("\n")) {
            if (line.startsWith("file.") || line.startsWith("seal=")) {
                continue;
            }
            text.append(line.startsWith("events=") ? "events=" + events : line).append('\n');
        }
        for (var e : Bundle.digests(b).entrySet()) {
            text.append("file.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        String seal = Bundle.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
        text.append("seal=").append(seal).append('\n');
        Files.writeString(b.resolve("manifest.properties"), text);
        return b;
    }

    @Test
    void verifyNoticesFindingsThatDisappearWhenTheEnginesBugIsFixed() throws IOException {
        // the same scenario and seed with the patch applied (the engine's switch at the patch's lines)
        Path b = withTrace("fixed", afterTrace);
        CliBadInputTest.Run r = CliBadInputTest.cli("verify", b.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("CHANGED"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("fixed ") && l.contains("lock-ownership-race")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("fixed ") && l.contains("double-enqueue")), r.out());
    }

    @Test
    void aBundleReplaysEventForEventUnderItsRecordedSchedule() {
        CliBadInputTest.Run r = CliBadInputTest.cli("replay", bundle.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("replays event for event") && r.out().contains("recorded schedule"), r.out());
        assertTrue(r.out().contains("(the same as recorded)"), r.out());
        CliBadInputTest.Run alias = CliBadInputTest.cli("reproduce", bundle.toString());
        assertEquals(0, alias.exit(), alias.out() + alias.err());
    }

    @Test
    void aReplayThatDivergesShowsBothEvents() throws IOException {
        // the after trace under the before bundle's header would be another run: replay the after trace with
        // the before run's schedule, i.e. the same decisions against different code
        Path t = tmp.resolve("scratch/diverge");
        Files.createDirectories(t);
        try (Stream<Path> s = Files.list(afterTrace)) {
            for (Path p : s.toList()) {
                Files.copy(p, t.resolve(p.getFileName().toString()));
            }
        }
        Files.copy(bundle.resolve("trace/schedule.txt"), t.resolve("schedule.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliBadInputTest.Run r = CliBadInputTest.cli("replay", t.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("DIFFERS at event") && r.out().contains("  recorded: ") && r.out().contains("  now:      "), r.out());
    }

    @Test
    void diffCountsNewFixedAndUnchangedByFingerprint() {
        CliBadInputTest.Run same = CliBadInputTest.cli("diff", bundle.toString(), bundle.resolve("trace").toString());
        assertEquals(0, same.exit(), same.out() + same.err());
        assertTrue(same.out().contains("new 0, fixed 0, unchanged "), same.out());
        CliBadInputTest.Run fixed = CliBadInputTest.cli("diff", bundle.toString(), afterTrace.toString());
        assertEquals(1, fixed.exit(), fixed.out() + fixed.err());
        assertTrue(fixed.out().lines().anyMatch(l -> l.startsWith("fixed") && l.contains("lock-ownership-race")), fixed.out());
        CliBadInputTest.Run bad = CliBadInputTest.cli("diff", bundle.toString());
        CliBadInputTest.assertOneLineError(bad, "give two arguments");
    }

    @Test
    void aVersionOneBundleStillVerifies() throws IOException {
        Path old = home().resolve("analyzer/cli/src/test/resources/bundles/v1-001-before-self-loop");
        CliBadInputTest.Run r = CliBadInputTest.cli("verify", old.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("unchanged (2 kind(s), bundle version 1)"), r.out());
    }

    @Test
    void aMisspelledKindInAnOldBundleIsDamageNotALostFinding() throws IOException {
        Path old = home().resolve("analyzer/cli/src/test/resources/bundles/v1-001-before-self-loop");
        Path b = tmp.resolve("scratch/typo");
        try (Stream<Path> s = Files.walk(old)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = b.resolve(old.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        Path m = b.resolve("bundle.properties");
        Files.writeString(m, Files.readString(m).replace("lock-ownership-race", "preemtion-window"));
        assertDamaged(b, "unknown finding kind 'preemtion-window'");
    }
}

package smptrace.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bundle under traces/ is still sealed, and still replays event for event. */
class ArchivedTracesIT {
    private static Path root() {
        return Paths.get(System.getProperty("smptrace.home", "../..")).toAbsolutePath().normalize();
    }

    private static List<Path> bundles() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("traces"))) {
            return s.filter(p -> Files.isRegularFile(p.resolve("bundle.properties"))).sorted().toList();
        }
    }

    @Test
    void everyArchivedTraceStillMatchesItsSeal() throws Exception {
        List<Path> bundles = bundles();
        assertFalse(bundles.isEmpty(), "traces/ holds reproducers");
        for (Path b : bundles) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(b.resolve("bundle.properties"))) {
                p.load(in);
            }
            assertEquals("1", p.getProperty("bundle.version"), b.toString());
            int files = 0;
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("sha256.")) {
                    Path f = b.resolve("trace").resolve(k.substring("sha256.".length()));
                    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                    assertEquals(p.getProperty(k), HexFormat.of().formatHex(digest), f + " changed since it was sealed");
                    files++;
                }
            }
            assertTrue(files >= 2, b + " seals its trace files");
        }
    }

    @Test
    void theAnalyzerStillReportsWhatEachReproducerReproduces() throws Exception {
        for (Path b : bundles()) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(b.resolve("bundle.properties"))) {
                p.load(in);
            }
            CliBadInputTest.Run r = CliBadInputTest.cli("analyze", b.resolve("trace").toString(), "--format", "json");
            assertEquals(1, r.exit(), "findings expected in " + b + ": " + r.err());
            for (String kind : p.getProperty("expect.findings").split(",")) {
                assertTrue(r.out().contains("\"kind\":\"" + kind.trim() + "\""), b + " lost its " + kind + " finding:\n" + r.out());
            }
        }
    }

    @Test
    void everyArchivedTraceReplaysEventForEvent() throws Exception {
        List<String> args = new ArrayList<>();
        args.add("reproduce");
        for (Path b : bundles()) {
            args.add(b.resolve("trace").toString());
        }
        CliBadInputTest.Run r = CliBadInputTest.cli(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(args.size() - 1, r.out().lines().filter(l -> l.contains("replays event for event")).count(), r.out());
    }
}

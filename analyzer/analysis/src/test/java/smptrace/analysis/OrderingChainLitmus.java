package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * herd7's verdicts on the litmus tests the ordering detector exports for three-context chains:
 * {@code src/test/resources/ordering/NAME.litmus} holds the exported program with herd7's verdict
 * (herdtools7 7.58, tools/memory-model LKMM) in its header. A finding's litmus test must be that
 * program exactly, so herd7's verdict is the verdict on what the finding claims.
 */
final class OrderingChainLitmus {
    private OrderingChainLitmus() {
    }

    static final Path DIR = Path.of("src/test/resources/ordering");

    /** The program without its header comment (Result line and herd7's counts). */
    static String program(String litmus) {
        return litmus.replaceFirst("(?s)\\(\\*.*?\\*\\)\\s*", "");
    }

    static void assertHerd7Allowed(String name, String litmus) throws IOException {
        Path f = DIR.resolve(name + ".litmus");
        if (!Files.exists(f)) {
            Path out = Path.of("target/ordering-litmus", name + ".litmus");
            Files.createDirectories(out.getParent());
            Files.writeString(out, litmus);
            fail("no herd7 verdict for " + name + ": run herd7 on " + out + " and keep it as " + f);
        }
        String stored = Files.readString(f);
        assertEquals(program(stored), program(litmus), "the exported program changed: herd7's verdict is on the old one");
        assertTrue(stored.contains("herd7 (herdtools7 7.58, tools/memory-model LKMM): Sometimes,"), stored);
    }
}

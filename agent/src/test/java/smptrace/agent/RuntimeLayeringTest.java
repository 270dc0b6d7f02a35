package smptrace.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's runtime (smptrace.agent.rt: what instrumented code calls) never reaches back into its
 * installer (smptrace.agent: premain, ByteBuddy's transformations). The installer runs once, on the
 * system class loader's side; the runtime is what every recorded access runs through, and a
 * reference back would make a two-class cycle (issue "Modules that show the pipeline", item 5).
 * Checked on the compiled classes' constant pools, where every referenced class name appears.
 */
class RuntimeLayeringTest {
    /** A class name in the installer's package, not in a sub-package: smptrace/agent/Agent, not smptrace/agent/rt/Rec. */
    private static final Pattern INSTALLER = Pattern.compile("smptrace/agent/([A-Za-z0-9_$]+)(?![A-Za-z0-9_$/])");

    @Test
    void noRuntimeClassReferencesAClassOfTheInstallerPackage() throws IOException {
        Path rt = Path.of("target/classes/smptrace/agent/rt");
        assertTrue(Files.isDirectory(rt), "compiled runtime classes at " + rt.toAbsolutePath());
        List<String> refs = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.list(rt)) {
            for (Path c : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                classes++;
                // constant-pool UTF8 entries are modified UTF-8; class names are ASCII, so ISO-8859-1 keeps every byte
                String pool = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
                Matcher m = INSTALLER.matcher(pool);
                while (m.find()) {
                    refs.add(c.getFileName() + " -> smptrace.agent." + m.group(1));
                }
            }
        }
        assertTrue(classes >= 5, "runtime classes found: " + classes);
        assertEquals(List.of(), refs, "the runtime reaches back into the installer");
    }

    @Test
    void theCheckSeesAReferenceToTheInstaller() {
        // the pattern itself: an installer class is caught, a runtime class is not
        assertTrue(INSTALLER.matcher("\u0001\u0000\u0014Lsmptrace/agent/Agent;").find());
        assertTrue(!INSTALLER.matcher("\u0001\u0000\u0014smptrace/agent/rt/Rec").find());
    }
}

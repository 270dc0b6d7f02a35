package smptrace.junit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension in a JVM of its own, self-attached (no agent flag) and with the documented
 * -javaagent argLine: it fails the test of a broken engine variant with a readable summary, passes the
 * fixed one, accepts a declared finding and fails an undeclared one; each test has its own trace.
 */
class ExtensionIT {
    @ParameterizedTest
    @ValueSource(strings = {"self-attached", "javaagent"})
    void theExtensionFailsABrokenVariantAndPassesTheFixedOne(String how, @TempDir java.nio.file.Path root) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
        if (how.equals("javaagent")) {
            cmd.add("-javaagent:" + ChildJvm.agentJar() + "=batch=true");
        }
        cmd.add("-Dsmptrace.junit.dir=" + root);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "userapp.ext.RunTests", "userapp.ext.EngineVariantCases"));
        ChildJvm.Result r = ChildJvm.run(cmd, ChildJvm.home());
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("RESULT brokenVariantFails() FAILED smptrace: "), out + r.err());
        // the root cause of the broken variant is the double llist_add of one CSD: its kernel function and engine site
        assertTrue(out.lines().anyMatch(l -> l.startsWith("RESULT brokenVariantFails()") && l.contains("double-enqueue")
                && l.contains("llist_add_batch") && l.matches(".*\\[[^]]*[A-Za-z]+\\.java:\\d+\\].*")),
                "the summary names the finding and its sites: " + out);
        assertTrue(out.contains("RESULT fixedVariantPasses() SUCCESSFUL"), out + r.err());
        assertTrue(out.contains("RESULT expectedRaceIsDeclared() SUCCESSFUL"), out + r.err());
        assertTrue(out.lines().anyMatch(l -> l.startsWith("RESULT undeclaredRaceFails() FAILED") && l.contains("data-race")
                && l.contains("EngineVariantCases.shared")), out);
        for (String t : List.of("brokenVariantFails", "fixedVariantPasses", "expectedRaceIsDeclared", "undeclaredRaceFails")) {
            assertTrue(java.nio.file.Files.isDirectory(root.resolve("userapp.ext.EngineVariantCases").resolve(t)), "trace of " + t);
        }
    }
}

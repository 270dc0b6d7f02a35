package smptrace.agent;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged agent carries the classes of the modules it bundles (trace, and engine's kernel primitives)
 * as this build compiled them, not copies left from an earlier build: the shaded jar replaces the module's
 * own jar, and an incremental build once kept the old bundled classes when only those modules had changed.
 */
class AgentJarBundlesTheBuiltModulesIT {
    @Test
    void bundledTraceAndKernelClassesAreTheOnesOnTheBuildClassPath() throws Exception {
        List<String> stale = new ArrayList<>();
        int compared = 0;
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String n = e.getName();
                if (!n.endsWith(".class") || !(n.startsWith("smptrace/trace/") || n.startsWith("smptrace/kernel/"))) {
                    continue;
                }
                byte[] packaged;
                try (InputStream in = jar.getInputStream(e)) {
                    packaged = in.readAllBytes();
                }
                try (InputStream in = getClass().getClassLoader().getResourceAsStream(n)) {
                    if (in == null) {
                        stale.add(n + " (no longer built)");
                        continue;
                    }
                    if (!Arrays.equals(packaged, in.readAllBytes())) {
                        stale.add(n);
                    }
                }
                compared++;
            }
        }
        assertTrue(compared > 50, "the agent jar bundles the trace and kernel classes (" + compared + " found)");
        assertEquals(List.of(), stale, "classes in " + ChildJvm.agentJar() + " that differ from this build's");
    }
}

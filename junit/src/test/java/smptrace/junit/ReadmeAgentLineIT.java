package smptrace.junit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smptrace.analysis.AnalysisResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's -javaagent line, copied verbatim (the first line of README.md that starts with
 * "java -javaagent:"), run from the repository root with the JDK's java first on the PATH: it records
 * the race of a user package's program, on JDK 17 (the build's JDK) and on Temurin 25.
 */
class ReadmeAgentLineIT {
    static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

    @ParameterizedTest
    @ValueSource(strings = {"build", "temurin-25"})
    void theReadmeAgentLineRecordsARaceInAUserPackage(String jdk) throws Exception {
        Path javaHome = jdk.equals("build") ? Paths.get(System.getProperty("java.home")) : TEMURIN_25;
        assumeTrue(Files.isExecutable(javaHome.resolve("bin/java")), jdk + " is not installed");
        String line = readmeLine();
        Matcher m = Pattern.compile("=out=(\\S+)").matcher(line);
        assertTrue(m.find(), "the README line names its trace with out=: " + line);
        Path trace = ChildJvm.home().resolve(m.group(1));
        if (Files.exists(trace)) {
            try (var s = Files.walk(trace)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(ChildJvm.home().toFile());
        pb.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(!out.contains("processing of -javaagent failed") && !out.contains("Exception"), out);
        AnalysisResult r = Smptrace.analyze(trace);
        assertTrue(r.problems().stream().anyMatch(f -> f.kind.id.equals("data-race") && f.summary.contains("userapp.StaticRace.hits")),
                "findings: " + r.problems().stream().map(f -> f.summary).toList());
    }

    static String readmeLine() throws Exception {
        List<String> lines = Files.readAllLines(ChildJvm.home().resolve("README.md"));
        Optional<String> l = lines.stream().map(String::trim).filter(s -> s.startsWith("java -javaagent:")).findFirst();
        assertTrue(l.isPresent(), "README.md has a java -javaagent: line");
        return l.get();
    }
}

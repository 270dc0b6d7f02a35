package smptrace.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child JVMs of the tests: the user's programs run in their own JVM, as a user would run them. */
final class ChildJvm {
    private ChildJvm() { }

    static Path home() {
        return Paths.get(System.getProperty("smptrace.home", "..")).toAbsolutePath().normalize();
    }

    static Path agentJar() {
        return Paths.get(System.getProperty("smptrace.agent.jar", home().resolve("agent/target/smptrace-agent.jar").toString()));
    }

    static Path engineJar() {
        return home().resolve("engine/target/smptrace-engine.jar");
    }

    static Path testClasses() {
        return home().resolve("junit/target/test-classes");
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Output (stdout then stderr) and exit code of a finished child. */
    record Result(int exit, String out, String err) { }

    static Result run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("smptrace-child", ".out");
        Path err = Files.createTempFile("smptrace-child", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not end: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** java -javaagent:AGENT=OPTIONS -cp CP MAIN ARGS: no other flag, as the README shows it. */
    static Result agentLine(String options, String cp, String main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-javaagent:" + agentJar() + "=" + options, "-cp", cp, main));
        cmd.addAll(List.of(args));
        return run(cmd, home());
    }
}

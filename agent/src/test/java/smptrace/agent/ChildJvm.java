package smptrace.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a test program in a child JVM, with the packaged agent jar attached or not. */
final class ChildJvm {
    record Result(int exit, String out, String err) { }

    private ChildJvm() { }

    static Path agentJar() {
        return Paths.get(System.getProperty("smptrace.agent.jar", "target/smptrace-agent.jar")).toAbsolutePath();
    }

    static List<String> command(Path trace, String agentOptions, String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(smptrace.trace.JvmFlags.chronicle());
        if (trace != null) {
            cmd.add("-javaagent:" + agentJar() + "=out=" + trace + (agentOptions == null || agentOptions.isEmpty() ? "" : "," + agentOptions));
        }
        cmd.add("-cp");
        cmd.add(Paths.get("target/test-classes").toAbsolutePath() + File.pathSeparator
                + Paths.get(System.getProperty("smptrace.engine.jar", "../engine/target/smptrace-engine.jar")).toAbsolutePath());
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Result run(List<String> cmd, List<String> jvmExtra) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(cmd);
        c.addAll(1, jvmExtra);
        Process p = new ProcessBuilder(c).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child JVM did not finish: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}

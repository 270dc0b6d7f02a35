package smptrace.litmus.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the engine child JVM with the agent, as the CLI does, for tests that call LitmusRunCommand directly. */
final class TestLauncher implements LitmusRunCommand.EngineLauncher {
    static final TestLauncher INSTANCE = new TestLauncher();

    @Override
    public int run(Path program, Path results, Path traceDir) throws Exception {
        Path home = LitmusCliEngineTest.HOME;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(smptrace.trace.JvmFlags.chronicle());
        cmd.add("-javaagent:" + home.resolve("agent/target/smptrace-agent.jar") + "=out=" + traceDir.toAbsolutePath()
            + ",include=smptrace.kernel.KernelObject:smptrace.demo.litmus.Prim");
        cmd.addAll(List.of("-cp", home.resolve("engine/target/smptrace-engine.jar").toString(),
            "smptrace.demo.litmus.LitmusMain", program.toString(), results.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start().waitFor();
    }
}

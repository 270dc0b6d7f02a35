package smptrace.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import smptrace.trace.JvmFlags;

/** Builds and starts the child JVMs that run the engine, with or without the recording agent. */
final class Launcher {
    private Launcher() { }

    /** The repository root: -Dsmptrace.home (set by ./smptrace), else the first directory above the CLI jar that holds ./smptrace. */
    static Path home() {
        String h = System.getProperty("smptrace.home");
        if (h != null) {
            return Paths.get(h).toAbsolutePath().normalize();
        }
        try {
            Path jar = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("smptrace")) && Files.isDirectory(d.resolve("agent"))) {
                    return d.normalize();
                }
            }
            return Paths.get(".").toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return Paths.get(".").toAbsolutePath().normalize();
        }
    }

    static Path agentJar() throws UsageException {
        return built(home().resolve("agent/target/smptrace-agent.jar"));
    }

    static Path engineJar() throws UsageException {
        return built(home().resolve("engine/target/smptrace-engine.jar"));
    }

    private static Path built(Path p) throws UsageException {
        if (!Files.isRegularFile(p)) {
            throw new UsageException(p + " is not built; run ./smptrace (it builds on first use) or mvn -q package -DskipTests");
        }
        return p;
    }

    /** The JVM flags Chronicle Queue needs on this JDK, and no phoning home (their one definition: JvmFlags). */
    static List<String> chronicleFlags() {
        return JvmFlags.chronicle();
    }

    static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A command line running {@code mainClass} from the engine jar; with {@code traceDir} non-null the
     * agent records into it, and {@code header} entries go into the trace header.
     */
    static List<String> engineCommand(Path traceDir, String agentOptions, Map<String, String> header, List<String> jvmExtra,
                                      String mainClass, List<String> args) throws UsageException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(chronicleFlags());
        cmd.addAll(jvmExtra);
        if (traceDir != null) {
            for (Map.Entry<String, String> e : header.entrySet()) {
                cmd.add("-Dsmptrace.header." + e.getKey() + "=" + e.getValue());
            }
            cmd.add("-javaagent:" + agentJar() + "=out=" + traceDir.toAbsolutePath() + (agentOptions.isEmpty() ? "" : "," + agentOptions));
        }
        cmd.add("-cp");
        cmd.add(engineJar().toString());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** One recorded run of a batch: its trace directory and the engine's one-line summary. */
    record BatchRun(Path trace, String summary) { }

    /**
     * Records many engine runs in ONE child JVM (agent with batch=true, engine BatchMain): each
     * element of {@code runs} is one run's EngineMain arguments; each run gets its own trace under
     * {@code root}. JVM start-up and instrumentation are paid once.
     */
    static List<BatchRun> recordBatch(Path root, List<List<String>> runs, boolean compact) throws UsageException, IOException, InterruptedException {
        return recordBatch(root, runs, compact, null);
    }

    /** As above; {@code onRun} (may be null) hears of each run as soon as the child reports it (progress). */
    static List<BatchRun> recordBatch(Path root, List<List<String>> runs, boolean compact, java.util.function.Consumer<BatchRun> onRun)
            throws UsageException, IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(chronicleFlags());
        if (compact) {
            cmd.add("-Dsmptrace.trace.blockSize=1048576");
        }
        cmd.add("-javaagent:" + agentJar() + "=batch=true");
        cmd.add("-cp");
        cmd.add(engineJar().toString());
        cmd.add("smptrace.engine.BatchMain");
        cmd.add(root.toAbsolutePath().toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        StringBuilder in = new StringBuilder();
        for (List<String> r : runs) {
            in.append(String.join(" ", r)).append('\n');
        }
        try (var os = p.getOutputStream()) {
            os.write(in.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<BatchRun> result = new ArrayList<>();
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    BatchRun b = new BatchRun(Paths.get(line.substring(0, tab)), line.substring(tab + 1));
                    result.add(b);
                    if (onRun != null) {
                        onRun.accept(b);
                    }
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new UsageException("the batch recording exited with code " + rc);
        }
        if (result.size() != runs.size()) {
            throw new UsageException("the batch recording reported " + result.size() + " of " + runs.size() + " runs");
        }
        return result;
    }

    /** Runs a child JVM to completion, its output going to ours (or captured); returns its exit code. */
    static int run(List<String> cmd, StringBuilder capture) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (capture == null) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(false);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        if (capture != null) {
            capture.append(new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return p.waitFor();
    }
}

package smptrace.junit;

import smptrace.agent.Agent;
import smptrace.agent.SmptraceAgent;
import smptrace.agent.rt.RHooks;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.analysis.Options;
import smptrace.analysis.Report;
import smptrace.trace.TraceException;
import smptrace.trace.TraceReader;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The programmatic API: record a block of code into a trace directory, analyse a trace directory into
 * findings. What {@link RecordTrace} does, for a user's own harness:
 *
 * <pre>{@code
 * Path trace = Path.of("target/smptrace/my-run");
 * Smptrace.record(trace, () -> myConcurrentCode());
 * AnalysisResult r = Smptrace.analyze(trace);
 * for (Finding f : r.problems()) {
 *     System.out.println(f.kind.id + " " + f.rule + ": " + f.summary);
 * }
 * }</pre>
 *
 * The agent is attached on first use if the JVM was not started with it ({@link #attach()}); started
 * with {@code -javaagent:smptrace-agent.jar=batch=true} (or any other options) it is used as it is.
 * One recording at a time per JVM: a trace holds everything the JVM's recorded classes do meanwhile.
 */
public final class Smptrace {
    private Smptrace() { }

    /** A block of code that may throw. */
    @FunctionalInterface
    public interface Block {
        void run() throws Throwable;
    }

    /** The result of a recording: the trace directory, and the block's exception if it threw. */
    public record Recorded(Path trace, Throwable thrown) { }

    /**
     * Records everything the classes in the agent's scope do while {@code block} runs into the trace
     * directory {@code dir} (replaced if it exists). The block's exception, if any, is returned, not
     * thrown, so that the trace can still be analysed; {@link #recordOrThrow} rethrows it.
     */
    public static Recorded record(Path dir, Block block) {
        return record(dir, Map.of(), block);
    }

    /** As {@link #record(Path, Block)}, with header entries (key = value) for the trace. */
    public static synchronized Recorded record(Path dir, Map<String, String> header, Block block) {
        begin(dir, header);
        Throwable thrown = null;
        try {
            block.run();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            end();
        }
        return new Recorded(dir, thrown);
    }

    /** Records {@code block} into {@code dir} and rethrows what it threw. */
    public static void recordOrThrow(Path dir, Block block) throws Throwable {
        Recorded r = record(dir, block);
        if (r.thrown() != null) {
            throw r.thrown();
        }
    }

    /** Opens a new trace in {@code dir} (the current one, if any, is closed): what follows is recorded there. */
    public static void begin(Path dir, Map<String, String> header) {
        attach();
        deleteTree(dir);
        StringBuilder h = new StringBuilder();
        header.forEach((k, v) -> h.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        RHooks.trace_begin(dir.toAbsolutePath().toString(), h.toString(), 0);
    }

    /** Closes the current trace: every event recorded so far is written. */
    public static void end() {
        RHooks.trace_end(0);
    }

    /** Analyses a trace directory with the standard detectors. Bad input: a {@link TraceException}. */
    public static AnalysisResult analyze(Path dir) throws TraceException {
        try (TraceReader reader = TraceReader.open(dir)) {
            return new Analyzer(Options.defaults()).analyze(reader);
        }
    }

    /** The findings that count (not tolerated) of a trace directory. */
    public static List<Finding> findings(Path dir) throws TraceException {
        return analyze(dir).problems();
    }

    /** The report `smptrace analyze` prints for the result (kind, both accesses with sites, the witness). */
    public static String text(AnalysisResult r, Path dir) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8)) {
            Report.text(r, dir.toString(), p);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The JSON report (one object per finding, the fields of docs/analyzer.md). */
    public static String json(AnalysisResult r, Path dir) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8)) {
            Report.json(r, dir.toString(), p);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    // ---- the agent --------------------------------------------------------------------------------

    /**
     * Makes sure the agent runs in this JVM: nothing to do if it was started with -javaagent; otherwise
     * it attaches the agent jar (batch mode: no trace until {@link #begin}). Classes loaded before the
     * attach are retransformed, so they are recorded too. A JVM that refuses a dynamic attach
     * (-XX:+DisableAttachMechanism, a JRE without jdk.attach) gets an IllegalStateException saying to
     * start it with -javaagent instead. On JDK 21+ the JVM prints a warning about a dynamically loaded
     * agent (JEP 451); -XX:+EnableDynamicAgentLoading or the -javaagent line silences it.
     */
    public static synchronized void attach() {
        if (Agent.running()) {
            return;
        }
        File jar = agentJar();
        try {
            net.bytebuddy.agent.ByteBuddyAgent.attach(jar, String.valueOf(ProcessHandle.current().pid()), "batch=true");
        } catch (RuntimeException | Error e) {
            throw new IllegalStateException("smptrace: cannot attach the agent " + jar + " to this JVM (" + e
                    + "); start it with -javaagent:" + jar + "=batch=true (for Maven Surefire: in <argLine>)", e);
        }
        if (!Agent.running()) {
            throw new IllegalStateException("smptrace: the agent " + jar + " was attached but did not start; start the JVM with -javaagent:"
                    + jar + "=batch=true");
        }
    }

    /** The agent jar: -Dsmptrace.agent.jar, else the jar this JVM loaded the agent's classes from. */
    static File agentJar() {
        String p = System.getProperty("smptrace.agent.jar");
        if (p != null && !p.isBlank()) {
            return new File(p);
        }
        try {
            Path loc = Paths.get(SmptraceAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(loc)) {
                return loc.toFile();
            }
            throw new IllegalStateException("smptrace: the agent's classes come from " + loc + ", not a jar; set -Dsmptrace.agent.jar");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("smptrace: cannot replace " + dir, e);
        }
    }
}

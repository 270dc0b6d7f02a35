package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code smptrace bench}: the performance targets, measured side by side in child JVMs (with and
 * without the agent) and printed with their targets. Exit 1 when a target is missed.
 */
final class BenchCommand implements Command {
    /** One measured figure against its target. */
    record Figure(String name, double value, String unit, String target, boolean ok) { }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure recording cost, trace size and replay speed against their targets";
    }

    @Override
    public String footer() {
        return "\nEach figure is the median of --runs child JVM runs (the recording cost: of each run's best of 5 rounds);"
                + " the targets are in docs/performance.md.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("events", "N", "events per thread for the recording loops (default 20000000)"),
                Main.opt("runs", "N", "runs per measurement; the median is reported (default 3)"),
                Main.opt("standard-length", "N", "iterations per task of the engine's standard workload (default 20000)"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        long requested = Main.longValue(cl, "events", 20_000_000, 40_000, 2_000_000_000);
        int runs = (int) Main.longValue(cl, "runs", 3, 1, 50);
        long iterations = requested / 4 / ROUNDS * ROUNDS; // whole rounds: the events the loops really run
        long events = iterations * 4;
        int standardLength = (int) Main.longValue(cl, "standard-length", 20_000, 100, 10_000_000);
        List<Figure> figures = new ArrayList<>();
        Path tmp = Files.createTempDirectory("smptrace-bench");
        try {
            out.println("# smptrace bench: " + events + " events per thread, median of " + runs + " runs, java " + Runtime.version());
            // 1 thread: the recorder's cost per event
            double[] plain1 = new double[runs];
            double[] rec1 = new double[runs];
            double[] plainCpu1 = new double[runs];
            double[] recCpu1 = new double[runs];
            double[] plainBest1 = new double[runs];
            double[] recBest1 = new double[runs];
            Path keep = null;
            for (int i = 0; i < runs; i++) {
                double[] p = loop(null, 1, iterations);
                plain1[i] = p[0];
                plainCpu1[i] = p[1];
                plainBest1[i] = p[2];
                Path t = tmp.resolve("one-" + i);
                double[] r = loop(t, 1, iterations);
                rec1[i] = r[0];
                recCpu1[i] = r[1];
                recBest1[i] = r[2];
                if (keep == null) {
                    keep = t;
                } else {
                    delete(t);
                }
            }
            double p1 = median(plain1) / events;
            double r1 = median(rec1) / events;
            double pc1 = median(plainCpu1) / events;
            double rc1 = median(recCpu1) / events;
            double pb1 = median(plainBest1) / events;
            double rb1 = median(recBest1) / events;
            out.printf("  1 thread : %.1f ns/event without agent, %.1f ns/event recording (wall time); the loop thread's"
                    + " CPU time %.1f and %.1f ns/event (min of %d: %.1f and %.1f); its best of %d rounds %.1f and %.1f%n", p1, r1, pc1, rc1,
                    runs, min(plainCpu1) / events, min(recCpu1) / events, ROUNDS, pb1, rb1);
            // the target is the recording thread's own cost per event: its CPU time (the wall time also holds
            // whatever shares its core, the trace writer on a busy machine), in the round of the run the machine
            // disturbed least (a shared virtual machine's speed drifts by a fifth within one run, and only adds
            // time), the median over the runs (each JVM's JIT compiles the loop its own way). The whole run's CPU
            // time is reported beside it.
            figures.add(new Figure("recording cost, 1 thread CPU (recorded - plain)", rb1 - pb1, "ns/event", "<= 15",
                    rb1 - pb1 <= 15));
            figures.add(new Figure("recording cost, 1 thread CPU, whole run", rc1 - pc1, "ns/event", "report", true));
            figures.add(new Figure("recording cost, 1 thread wall (recorded - plain)", r1 - p1, "ns/event", "report", true));

            // trace size and replay speed, on the 1-thread trace
            long blockBytes;
            long n;
            double[] replay = new double[runs];
            try (TraceReader r = TraceReader.open(keep)) {
                n = r.recordedEvents();
                blockBytes = r.blockBytes();
            }
            for (int i = -1; i < runs; i++) { // run -1 warms the JIT up and is not counted
                long t0 = System.nanoTime();
                long seen = 0;
                try (TraceReader r = TraceReader.open(keep)) {
                    Event e = new Event();
                    while (r.next(e)) {
                        seen++;
                    }
                }
                if (i >= 0) {
                    replay[i] = seen / ((System.nanoTime() - t0) / 1e9);
                }
            }
            double size = (double) blockBytes / n;
            figures.add(new Figure("trace size on disk (block records)", size, "bytes/event", "<= 8", size <= 8));
            double rate = median(replay) / 1e6;
            figures.add(new Figure("reader replay (open + merge, 1 thread)", rate, "M events/s", ">= 30", rate >= 30));
            delete(keep);

            // 2 threads: slowdown of an instrumented loop, side by side
            double[] plain2 = new double[runs];
            double[] rec2 = new double[runs];
            for (int i = 0; i < runs; i++) {
                plain2[i] = loopNs(null, 2, iterations);
                Path t = tmp.resolve("two-" + i);
                rec2[i] = loopNs(t, 2, iterations);
                delete(t);
            }
            double p2 = median(plain2) / (2.0 * events);
            double r2 = median(rec2) / (2.0 * events);
            out.printf("  2 threads: %.1f ns/event without agent, %.1f ns/event recording (wall time / all events)%n", p2, r2);
            figures.add(new Figure("slowdown, 2 threads (recorded / plain wall time)", median(rec2) / median(plain2), "x", "report", true));

            // 64 recording threads on this machine's cores against 2, the same number of events in all, each thread
            // on its own cell: what many threads cost the recorder per event (issue 13 item 8: <= 3x)
            double[] rec64 = new double[runs];
            long iterations64 = Math.max(ROUNDS, iterations / 32 / ROUNDS * ROUNDS); // whole rounds, as loop() runs them
            for (int i = 0; i < runs; i++) {
                Path t = tmp.resolve("sixty-four-" + i);
                rec64[i] = loopNs(t, 64, iterations64);
                delete(t);
            }
            double r64 = median(rec64) / (64.0 * 4 * iterations64);
            out.printf("  64 threads: %.1f ns/event recording (wall time / all events), against %.1f for 2 threads%n", r64, r2);
            figures.add(new Figure("recording, 64 threads / 2 threads (per event)", r64 / r2, "x", "<= 3", r64 / r2 <= 3));

            // the engine's standard workload, free-running on 4 CPUs, side by side
            double[] plainStd = new double[runs];
            double[] recStd = new double[runs];
            Path stdTrace = null;
            for (int i = 0; i < runs; i++) {
                plainStd[i] = standardMs(null, standardLength);
                Path t = tmp.resolve("std-" + i);
                recStd[i] = standardMs(t, standardLength);
                if (stdTrace == null) {
                    stdTrace = t;
                } else {
                    delete(t);
                }
            }
            out.printf("  standard workload (4 CPUs, free, length %d): %.0f ms without agent, %.0f ms recording%n",
                    standardLength, median(plainStd), median(recStd));
            double slow = median(recStd) / median(plainStd);
            figures.add(new Figure("slowdown, standard workload, 4 CPUs free-running", slow, "x", "<= 2", slow <= 2));
            // the same workload run twice in one JVM (--repeat 2), the second run timed: without the JIT's
            // compiling of the (instrumented) model, which the first run pays on the same 2 cores
            double[] plainWarm = new double[runs];
            double[] recWarm = new double[runs];
            for (int i = 0; i < runs; i++) {
                plainWarm[i] = standardMs(null, standardLength, 2);
                Path t = tmp.resolve("std-warm-" + i);
                recWarm[i] = standardMs(t, standardLength, 2);
                delete(t);
            }
            out.printf("  standard workload, second run in the same JVM: %.0f ms without agent, %.0f ms recording%n",
                    median(plainWarm), median(recWarm));
            figures.add(new Figure("slowdown, standard workload, second run (JIT warm)", median(recWarm) / median(plainWarm),
                    "x", "report", true));

            // the full analysis (all detectors) of the standard workload's trace: one thread of a fresh JVM,
            // like every other measurement here (this JVM has run other loops; its JIT profile is not the analyzer's)
            StringBuilder anOut = new StringBuilder();
            List<String> anCmd = new java.util.ArrayList<>();
            anCmd.add(Launcher.javaBinary());
            anCmd.addAll(Launcher.chronicleFlags());
            anCmd.add("-XX:ActiveProcessorCount=1");
            anCmd.add("-cp");
            anCmd.add(Launcher.home().resolve("analyzer/cli/target/smptrace-cli.jar").toString());
            anCmd.add("smptrace.analysis.AnalysisBench");
            anCmd.add(stdTrace.toString());
            anCmd.add(String.valueOf(Math.max(3, runs)));
            if (Launcher.run(anCmd, anOut) != 0) {
                throw new UsageException("the analysis benchmark failed: " + anOut.toString().trim());
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(\\d+) events: replay ([\\d.]+) M events/s, analysis ([\\d.]+) M events/s, peak heap (\\d+) MB.*?per CPU second: replay ([\\d.]+) M events/s, analysis ([\\d.]+) M events/s")
                    .matcher(anOut);
            if (!m.find()) {
                throw new UsageException("the analysis benchmark printed no figures: " + anOut.toString().trim());
            }
            double anRate = Double.parseDouble(m.group(3));
            double anCpu = Double.parseDouble(m.group(6));
            figures.add(new Figure("full analysis, standard trace, per CPU second", anCpu, "M events/s", ">= 25", anCpu >= 25));
            figures.add(new Figure("reader alone, standard trace, per CPU second", Double.parseDouble(m.group(5)), "M events/s", "report", true));
            out.printf("  analysis of the standard workload's trace (1 core, fresh JVM, best of %d): %s events, peak heap %s MB%n",
                    Math.max(3, runs), m.group(1), m.group(4));
            figures.add(new Figure("full analysis, standard workload trace, 1 core (wall)", anRate, "M events/s", "report", true));

            // dump of the same trace (issue 14: at least a million lines a second), its own code in a fresh JVM on one
            // core, against the reader alone on that trace: the share of the reader's rate that rendering leaves
            StringBuilder dOut = new StringBuilder();
            List<String> dCmd = new java.util.ArrayList<>();
            dCmd.add(Launcher.javaBinary());
            dCmd.addAll(Launcher.chronicleFlags());
            dCmd.add("-XX:ActiveProcessorCount=1");
            dCmd.add("-cp");
            dCmd.add(Launcher.home().resolve("analyzer/cli/target/smptrace-cli.jar").toString());
            dCmd.add("smptrace.cli.DumpBench");
            dCmd.add(stdTrace.toString());
            dCmd.add(String.valueOf(Math.max(3, runs)));
            if (Launcher.run(dCmd, dOut) != 0) {
                throw new UsageException("the dump benchmark failed: " + dOut.toString().trim());
            }
            java.util.regex.Matcher dm = java.util.regex.Pattern
                    .compile("(\\d+) events, (\\d+) lines: dump ([\\d.]+) M lines/s, reader ([\\d.]+) M events/s").matcher(dOut);
            if (!dm.find()) {
                throw new UsageException("the dump benchmark printed no figures: " + dOut.toString().trim());
            }
            double dump = Double.parseDouble(dm.group(3));
            double reader = Double.parseDouble(dm.group(4));
            out.printf("  dump of the standard workload's trace (1 core, fresh JVM): %s lines, %.2f M lines/s; reader alone %.2f M events/s%n",
                    dm.group(2), dump, reader);
            figures.add(new Figure("dump, standard trace, per CPU second", dump, "M lines/s", ">= 1", dump >= 1));
            figures.add(new Figure("dump / reader alone (lines per event read)", dump / reader, "x", "report", true));
            delete(stdTrace);
        } finally {
            delete(tmp);
        }
        out.println();
        out.printf("%-52s %12s %-12s %-8s %s%n", "figure", "measured", "unit", "target", "ok");
        boolean allOk = true;
        for (Figure f : figures) {
            out.printf("%-52s %12.2f %-12s %-8s %s%n", f.name(), f.value(), f.unit(), f.target(), f.ok() ? "yes" : "MISSED");
            allOk &= f.ok();
        }
        return allOk ? Exit.OK : Exit.FINDINGS;
    }

    /** Runs the bench loop in a child JVM; with a trace dir, under the agent. Returns its elapsed ns. */
    private static double loopNs(Path trace, int threads, long iterations) throws Exception {
        return loop(trace, threads, iterations)[0];
    }

    /** Rounds each bench loop thread runs (DemoMain bench's ROUNDS): the best one is the recording-cost figure. */
    private static final int ROUNDS = 5;

    /**
     * One bench loop run of {@code iterations} per thread (whole rounds: a multiple of ROUNDS): {wall ns, CPU ns of
     * the loop threads, their best rounds' CPU ns scaled to the whole run}.
     */
    private static double[] loop(Path trace, int threads, long iterations) throws Exception {
        StringBuilder outText = new StringBuilder();
        List<String> cmd = Launcher.engineCommand(trace, "points=all", Map.of("scenario", "bench-loop"), List.of("-Xms256m"),
                "smptrace.demo.DemoMain", List.of("bench", String.valueOf(threads), String.valueOf(iterations),
                        String.valueOf(threads), String.valueOf(ROUNDS)));
        int rc = Launcher.run(cmd, outText);
        if (rc != 0) {
            throw new UsageException("the bench loop exited with code " + rc);
        }
        double elapsed = -1;
        double cpu = -1;
        double best = -1;
        for (String tok : outText.toString().split("\\s+")) {
            if (tok.startsWith("elapsedNs=")) {
                elapsed = Double.parseDouble(tok.substring("elapsedNs=".length()));
            } else if (tok.startsWith("cpuNs=")) {
                cpu = Double.parseDouble(tok.substring("cpuNs=".length()));
            } else if (tok.startsWith("bestRoundCpuNs=")) {
                best = Double.parseDouble(tok.substring("bestRoundCpuNs=".length()));
            }
        }
        if (elapsed < 0 || cpu < 0 || best < 0) {
            throw new UsageException("the bench loop printed no timing: " + outText.toString().trim());
        }
        return new double[] {elapsed, cpu, best};
    }

    /** Runs the engine's standard workload free on 4 CPUs; returns the run's own time (ms=, JVM start excluded). */
    private static double standardMs(Path trace, int length) throws Exception {
        return standardMs(trace, length, 1);
    }

    /** As above, the workload run {@code repeat} times in one JVM; returns the last run's time. */
    private static double standardMs(Path trace, int length, int repeat) throws Exception {
        StringBuilder outText = new StringBuilder();
        List<String> args = new ArrayList<>(List.of("--patch", "001", "--variant", "after", "--scenario", "standard",
                "--schedule", "free", "--cpus", "4", "--length", String.valueOf(length), "--timeout-ms", "600000"));
        if (repeat > 1) {
            args.addAll(List.of("--repeat", String.valueOf(repeat)));
        }
        List<String> cmd = Launcher.engineCommand(trace, "points=all", Map.of("scenario", "standard"), List.of("-Xms256m"),
                "smptrace.engine.EngineMain", args);
        int rc = Launcher.run(cmd, outText);
        String text = outText.toString();
        if (rc != 0 || !text.contains("outcome=ok")) {
            throw new UsageException("the standard workload did not complete: " + text.trim());
        }
        double ms = -1;
        int lines = 0;
        for (String line : text.split("\n")) {
            if (!line.contains("outcome=")) {
                continue;
            }
            if (!line.contains("outcome=ok")) {
                throw new UsageException("the standard workload did not complete: " + line.trim());
            }
            lines++;
            for (String tok : line.split("\\s+")) {
                if (tok.startsWith("ms=")) {
                    ms = Double.parseDouble(tok.substring(3));
                }
            }
        }
        if (ms < 0 || lines != repeat) {
            throw new UsageException("the standard workload printed no timing: " + text.trim());
        }
        return ms;
    }

    private static double min(double[] xs) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : xs) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void delete(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}

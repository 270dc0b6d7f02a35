package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.engine.BatchMain;
import smptrace.trace.TraceDiff;
import smptrace.trace.TraceInfo;
import smptrace.trace.TraceReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code smptrace replay BUNDLE|TRACE...} (alias {@code reproduce}): re-executes the engine under the
 * recorded schedule ({@code trace/schedule.txt}: the controlled machine takes exactly the recorded
 * decisions, so tasks switch at the recorded points; for a free-running trace the recorded
 * interleaving is that schedule), checks the new recording against the old one event for event,
 * reports the first divergence with both events, and shows the findings of the new run. A trace
 * without a schedule file (older recordings) is re-executed from its seed when its schedule was
 * controlled. Exit 0 every trace replays event for event, 1 a divergence, 2 bad input.
 */
final class ReplayCommand implements Command {
    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "re-execute a bundle or trace under its recorded schedule; check it event for event (alias: reproduce)";
    }

    @Override
    public String footer() {
        return "\nArguments: BUNDLE|TRACE... (reproducer bundles or engine trace directories). Exit 0 replays event for event,\n"
                + "1 a divergence (the first differing event is shown, recorded and now), 2 bad input or a damaged bundle.";
    }

    @Override
    public Options options() {
        return Main.options(Main.opt("quiet", null, "print nothing if every trace replays event for event (exit 0); otherwise the whole report"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        return Quiet.run(cl.hasOption("quiet"), out, err, (o, e) -> body(cl, o, e));
    }

    private int body(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().isEmpty()) {
            throw new UsageException("missing BUNDLE or TRACE (one or more)");
        }
        List<Path> traces = new ArrayList<>();
        List<List<String>> runs = new ArrayList<>();
        List<String> how = new ArrayList<>();
        for (String a : cl.getArgList()) {
            Path t = Bundle.traceOf(Paths.get(a));
            List<String> run;
            try (TraceReader r = TraceReader.open(t)) {
                TraceInfo info = r.info();
                run = new ArrayList<>(Recorded.engineArgs(t, info));
                Path schedule = t.resolve(BatchMain.SCHEDULE_FILE);
                if (Files.isRegularFile(schedule)) {
                    run.add("--replay");
                    run.add(schedule.toAbsolutePath().toString());
                    long n = smptrace.engine.sim.ScheduleLog.parse(Files.readString(schedule)).size();
                    how.add("recorded schedule, " + n + " decisions" + ("free".equals(info.header("schedule")) ? ", recorded free-running" : ""));
                } else if ("free".equals(info.header("schedule"))) {
                    throw new UsageException(t + " was recorded free-running without its schedule (" + BatchMain.SCHEDULE_FILE
                            + "); record it again to replay it");
                } else {
                    how.add("no schedule file: re-executed from seed " + info.header("seed") + ", controlled schedules are deterministic");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(t + ": " + e.getMessage());
            }
            traces.add(t);
            runs.add(run);
        }
        Path tmp = Files.createTempDirectory("smptrace-replay");
        try {
            List<Launcher.BatchRun> again = Launcher.recordBatch(tmp, runs, true);
            boolean all = true;
            for (int i = 0; i < traces.size(); i++) {
                Path was = traces.get(i);
                Path now = again.get(i).trace();
                String summary = again.get(i).summary();
                int bar = summary.lastIndexOf(" | replay");
                String scheduleEnd = bar >= 0 ? summary.substring(bar + 3) : null;
                try (TraceReader a = TraceReader.open(was); TraceReader b = TraceReader.open(now)) {
                    long n = a.recordedEvents();
                    TraceDiff.Difference d = TraceDiff.compare(a, b);
                    if (d == null) {
                        out.println(was + ": replays event for event (" + n + " events; " + how.get(i) + ")");
                    } else {
                        all = false;
                        out.println(was + ": DIFFERS at event " + d.index() + " of " + n + " (" + how.get(i) + ")");
                        out.println("  recorded: " + d.expected());
                        out.println("  now:      " + d.actual());
                        if (scheduleEnd != null && scheduleEnd.contains("diverged")) {
                            out.println("  schedule: " + scheduleEnd);
                        }
                    }
                }
                showFindings(was, now, out);
            }
            return all ? Exit.OK : Exit.FINDINGS;
        } finally {
            PatchesCommand.delete(tmp);
        }
    }

    /** The findings of the replayed run, and how they compare with the recording's (by fingerprint). */
    private static void showFindings(Path was, Path now, PrintStream out) throws Exception {
        AnalysisResult before;
        AnalysisResult after;
        try (TraceReader a = TraceReader.open(was); TraceReader b = TraceReader.open(now)) {
            before = new Analyzer(smptrace.analysis.Options.defaults()).analyze(a);
            after = new Analyzer(smptrace.analysis.Options.defaults()).analyze(b);
        }
        List<String> fps = before.problems().stream().map(f -> f.fingerprint).toList();
        boolean same = fps.equals(after.problems().stream().map(f -> f.fingerprint).toList());
        out.println("  findings of the replay: " + after.problems().size() + (same ? " (the same as recorded)" : " (recorded: "
                + before.problems().size() + ")"));
        // each summary as analyze prints it: operations and kernel functions, not event kinds at engine lines
        smptrace.analysis.Steps steps;
        try (TraceReader again = TraceReader.open(now)) {
            steps = smptrace.analysis.Steps.collect(again, after.findings());
        }
        smptrace.analysis.EngineKernelMap map = new smptrace.analysis.EngineKernelMap();
        for (Finding f : after.problems()) {
            out.println("    " + f.fingerprint + " " + f.kind.id + " [" + f.mode() + ", " + f.rule + "] "
                    + smptrace.analysis.Words.summary(f, steps, map));
        }
    }
}

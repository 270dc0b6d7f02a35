package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
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
 * {@code smptrace reproduce TRACE...}: re-records each engine trace from what its header says
 * (patch, variant, scenario, seed, schedule, ...) and checks that the new recording is the same
 * event for event. A reproducer that no longer reproduces is a finding (exit 1).
 */
final class ReproduceCommand implements Command {
    private static final String[][] HEADER_TO_OPTION = {
        {"patch", "--patch"}, {"variant", "--variant"}, {"scenario", "--scenario"}, {"seed", "--seed"},
        {"schedule", "--schedule"}, {"pct.depth", "--pct-depth"}, {"cpus", "--cpus"}, {"length", "--length"},
    };

    @Override
    public String name() {
        return "reproduce";
    }

    @Override
    public String summary() {
        return "re-record engine traces from their headers and check they replay event for event";
    }

    @Override
    public String footer() {
        return "\nArguments: TRACE... (trace directories recorded from engine scenarios; controlled schedules are deterministic).";
    }

    @Override
    public Options options() {
        return Main.options();
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().isEmpty()) {
            throw new UsageException("missing TRACE (one or more trace directories)");
        }
        List<Path> traces = new ArrayList<>();
        List<List<String>> runs = new ArrayList<>();
        for (String a : cl.getArgList()) {
            Path t = Paths.get(a);
            try (TraceReader r = TraceReader.open(t)) {
                runs.add(runOf(t, r.info()));
                smptrace.trace.Event e = new smptrace.trace.Event();
                while (r.next(e)) {
                    // read it once: a trace that is not whole is no reference to compare a new recording with
                }
                if (!r.end().complete()) {
                    throw new UsageException(t + " is incomplete (" + r.end().detail() + "); nothing to reproduce against");
                }
            }
            traces.add(t);
        }
        Path tmp = Files.createTempDirectory("smptrace-reproduce");
        try {
            List<Launcher.BatchRun> again = Launcher.recordBatch(tmp, runs, true);
            boolean all = true;
            for (int i = 0; i < traces.size(); i++) {
                try (TraceReader was = TraceReader.open(traces.get(i)); TraceReader now = TraceReader.open(again.get(i).trace())) {
                    long n = was.recordedEvents();
                    TraceDiff.Difference d = TraceDiff.compare(was, now);
                    if (d == null) {
                        out.println(traces.get(i) + ": replays event for event (" + n + " events)");
                    } else {
                        all = false;
                        out.println(traces.get(i) + ": DIFFERS at event " + d.index() + "\n  recorded: " + d.expected() + "\n  now:      " + d.actual());
                    }
                }
            }
            return all ? Exit.OK : Exit.FINDINGS;
        } finally {
            BenchCommand.delete(tmp);
        }
    }

    private static List<String> runOf(Path t, TraceInfo info) throws UsageException {
        if (info.header("patch") == null) {
            throw new UsageException(t + " was not recorded from an engine scenario (its header names no patch); nothing to reproduce");
        }
        if ("free".equals(info.header("schedule"))) {
            throw new UsageException(t + " was recorded free-running: real parallel threads do not replay deterministically");
        }
        List<String> run = new ArrayList<>();
        for (String[] ho : HEADER_TO_OPTION) {
            String v = info.header(ho[0]);
            if (v != null) {
                run.add(ho[1]);
                run.add(v);
            }
        }
        String debug = info.header("csd.lock.wait.debug");
        if (debug != null) {
            run.add("--debug");
            run.add(debug.equals("config") ? "config" : Boolean.parseBoolean(debug) ? "on" : "off");
        }
        return run;
    }
}

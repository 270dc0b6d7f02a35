package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.trace.Event;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code smptrace record}: run a scenario in a child JVM with the agent attached and write a trace. */
final class RecordCommand implements Command {
    static final String DEMO = "mp-demo";

    @Override
    public String name() {
        return "record";
    }

    @Override
    public String summary() {
        return "run a scenario with the recording agent attached and write its trace";
    }

    @Override
    public String footer() {
        return "\nWith --patch: a kernel/smp.c scenario of the engine (see smptrace scenarios); without: the '" + DEMO
                + "'\ndemo (message passing between two threads). Examples:\n"
                + "  smptrace record --patch 001 --variant before --seed 7 --schedule pct --out /tmp/001.trace\n"
                + "  smptrace record --scenario mp-demo --rounds 1000 --out /tmp/mp.trace";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("out", "DIR", "trace directory to create (required; must not hold a trace)"),
                Main.opt("patch", "NNN", "seed patch 000..004: run an engine scenario of that patch"),
                Main.opt("variant", "NAME", "before, after or a mutant of the patch (smptrace scenarios lists them)"),
                Main.opt("scenario", "NAME", "engine scenario 000..004|standard (default: the patch's own), or " + DEMO),
                Main.opt("seed", "N", "scheduler seed (default 1)"),
                Main.opt("quiet", null, "print nothing on success (no per-run lines, no progress)"),
                Main.opt("seeds", "N", "with --patch: record N runs, seeds SEED..SEED+N-1, in one JVM, one trace each under --out"),
                Main.opt("schedule", "random|pct|free", "controlled random, controlled PCT, or free-running threads (default random)"),
                Main.opt("pct-depth", "D", "PCT bug depth (default 3)"),
                Main.opt("timeout-ms", "N", "free runs: the watchdog declares the run stuck after N ms without a callback (default 5000)"),
                Main.opt("cpus", "N", "simulated CPUs (default: 4, or more if the scenario needs)"),
                Main.opt("length", "N", "scenario length (requests per task; default per scenario)"),
                Main.opt("debug", "on|off|config", "CONFIG_CSD_LOCK_WAIT_DEBUG with csdlock_debug (default per scenario); config: the option built in, the csdlock_debug key off"),
                Main.opt("rounds", "N", "mp-demo: messages to pass (default 1000)"),
                Main.opt("steer", "SPEC", "controlled runs: steer the scheduler (meet;CTX@FILE:LINE#N;... or window;CTX@FILE:LINE#N; smptrace confirm writes it)"),
                Main.opt("points", "all|marked", "scheduling points at every recorded access (all, default) or at marked ones only"),
                Main.opt("compact", null, "accepted for older scripts: every trace is compact (its file is cut to its content)"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        String outDir = cl.getOptionValue("out");
        if (outDir == null) {
            throw new UsageException("missing --out DIR (where to write the trace)");
        }
        Path dir = Paths.get(outDir);
        if (Files.exists(dir) && !isEmptyDir(dir)) {
            throw new UsageException(dir + " already exists and is not empty; give a new directory");
        }
        requireWritable(dir);
        // bounds the engine does not set: a run must fit in memory and end (PCT keeps one change point per depth)
        Main.longValue(cl, "pct-depth", 3, 1, 1000);
        Main.longValue(cl, "length", 1, 1, 10_000_000);
        long watchdogMs = Main.longValue(cl, "timeout-ms", 0, 1, 3_600_000);
        String scenario = cl.getOptionValue("scenario", cl.hasOption("patch") ? null : DEMO);
        long seed = Main.longValue(cl, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        String points = cl.getOptionValue("points", "all");
        if (!points.equals("all") && !points.equals("marked")) {
            throw new UsageException("--points takes 'all' or 'marked', not '" + points + "'");
        }
        Map<String, String> header = new LinkedHashMap<>();
        header.put("scenario", scenario);
        header.put("seed", String.valueOf(seed));
        List<String> args = new ArrayList<>();
        String main;
        if (DEMO.equals(scenario)) {
            long rounds = Main.longValue(cl, "rounds", 1000, 1, 100_000_000);
            header.put("rounds", String.valueOf(rounds));
            main = "smptrace.demo.DemoMain";
            args.add("mp");
            args.add(String.valueOf(rounds));
        } else if (cl.hasOption("patch")) {
            main = "smptrace.engine.EngineMain";
            for (String o : new String[] {"patch", "variant", "scenario", "schedule", "pct-depth", "cpus", "length", "debug"}) {
                if (cl.hasOption(o)) {
                    args.add("--" + o);
                    args.add(cl.getOptionValue(o));
                }
            }
            if (cl.hasOption("timeout-ms")) {
                args.add("--timeout-ms");
                args.add(String.valueOf(watchdogMs));
            }
            args.add("--seed");
            args.add(String.valueOf(seed));
            smptrace.engine.RunConfig cfg;
            String steer = cl.getOptionValue("steer");
            try {
                cfg = smptrace.engine.EngineMain.parse(args); // the same parser the child uses: fail here, in one line
                if (steer != null) {
                    smptrace.engine.sim.Steer.parse(steer);
                    if (!cfg.schedule().controlled()) {
                        throw new IllegalArgumentException("--steer needs a controlled schedule (random or pct)");
                    }
                    if (cl.hasOption("seeds")) {
                        throw new IllegalArgumentException("--steer records one run (no --seeds)");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (steer != null) {
                args.add("--steer");
                args.add(steer);
            }
            if (cl.hasOption("seeds")) {
                long n = Main.longValue(cl, "seeds", 1, 1, 100_000);
                List<List<String>> runs = new ArrayList<>();
                for (long s = seed; s < seed + n; s++) {
                    List<String> a = new ArrayList<>(args.subList(0, args.size() - 1));
                    a.add(String.valueOf(s));
                    runs.add(a);
                }
                boolean quiet = cl.hasOption("quiet");
                List<Launcher.BatchRun> done;
                try (Progress p = Progress.start("record", runs.size(), "runs", quiet, err)) {
                    // each run's line as soon as the child reports it
                    done = Launcher.recordBatch(dir, runs, cl.hasOption("compact"), b -> {
                        if (!quiet) {
                            synchronized (out) {
                                out.println(b.trace() + "  " + b.summary().substring(b.summary().indexOf('|') + 1).trim());
                            }
                        }
                        p.step(1);
                    });
                }
                if (!quiet) {
                    out.println("recorded " + done.size() + " traces under " + dir);
                }
                return Exit.OK;
            }
            header.put("scenario", cfg.scenario().id);
            header.put("patch", cfg.patch().number);
            header.put("variant", cfg.variant().label);
            header.put("schedule", cfg.schedule().name().toLowerCase(java.util.Locale.ROOT));
            header.put("pct.depth", String.valueOf(cfg.pctDepth()));
            header.put("cpus", String.valueOf(cfg.cpus()));
            header.put("length", String.valueOf(cfg.length()));
            header.put("csd.lock.wait.debug", smptrace.engine.BatchMain.debugHeader(cfg));
            if (cfg.freeTimeoutMillis() > 0) {
                header.put(smptrace.engine.BatchMain.WATCHDOG_HEADER, String.valueOf(cfg.freeTimeoutMillis()));
            }
            if (steer != null) {
                header.put("steer", steer);
            }
        } else {
            throw new UsageException("unknown scenario '" + scenario + "' without --patch (give --patch NNN --variant V, or --scenario " + DEMO + ")");
        }
        // every trace is compact now (1 MiB mapping blocks, cut to its content when closed); --compact stays accepted
        List<String> jvm = new ArrayList<>();
        if (main.equals("smptrace.engine.EngineMain")) {
            // the run's schedule beside its events, so that smptrace replay can re-execute it (free runs too)
            jvm.add("-Dsmptrace.schedule.out=" + dir.toAbsolutePath().resolve(smptrace.engine.BatchMain.SCHEDULE_FILE));
        }
        List<String> cmd = Launcher.engineCommand(dir, "points=" + points, header, jvm, main, args);
        int rc = Launcher.run(cmd, cl.hasOption("quiet") ? new StringBuilder() : null);
        if (rc != 0) {
            throw new UsageException("the recorded run exited with code " + rc + "; its trace (if any) is in " + dir);
        }
        try (TraceReader r = TraceReader.open(dir)) {
            long n = r.recordedEvents();
            Event e = new Event();
            // stream it once: a recording that does not read back is not a recording
            while (r.next(e)) {
                // count only
            }
            TraceEnd end = r.end();
            if (!cl.hasOption("quiet") || !end.complete()) {
                out.println("recorded " + n + " events from " + r.info().threads().size() + " threads to " + dir
                        + (end.complete() ? "" : " (" + end.detail() + ")"));
            }
        }
        return Exit.OK;
    }

    /** The trace directory must be creatable and writable here, or the run would go unrecorded. */
    static void requireWritable(Path dir) throws UsageException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".smptrace-probe", "");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot write a trace to " + dir + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}

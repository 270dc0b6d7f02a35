package smptrace.engine;

import smptrace.kernel.TraceHooks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import smptrace.engine.sim.ScheduleLog;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs many scenarios in one JVM, each into its own trace when the agent is attached with
 * {@code batch=true}: JVM start-up and instrumentation are paid once, not per run.
 *
 * <pre>
 * BatchMain OUT_ROOT  &lt; runs      (one line of EngineMain arguments per run)
 * </pre>
 * For each run it prints {@code TRACE_DIR<TAB>summary}. Exit 0, or 2 on a bad line (nothing run after it).
 */
public final class BatchMain {
    private BatchMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BatchMain OUT_ROOT < runs (one line of EngineMain arguments each)");
            System.exit(2);
            return;
        }
        Path root = Paths.get(args[0]);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                if (!l.isBlank()) {
                    lines.add(l.trim());
                }
            }
        }
        List<RunConfig> runs = new ArrayList<>();
        List<Path> replays = new ArrayList<>();
        List<String> steers = new ArrayList<>();
        for (String l : lines) {
            try {
                List<String> words = new ArrayList<>(Arrays.asList(l.split("\\s+")));
                int r = words.indexOf("--replay");
                if (r >= 0 && r + 1 < words.size()) {
                    replays.add(Paths.get(words.get(r + 1)));
                    words.subList(r, r + 2).clear();
                } else {
                    replays.add(null);
                }
                String steer = EngineMain.take(words, "--steer");
                if (steer != null) {
                    smptrace.engine.sim.Steer.parse(steer); // a bad spec fails here, before anything runs
                }
                steers.add(steer);
                runs.add(EngineMain.parse(words));
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage() + " in run '" + l + "'");
                System.exit(2);
                return;
            }
        }
        int i = 0;
        for (RunConfig cfg : runs) {
            Path replay = replays.get(i);
            String steer = steers.get(i);
            Path dir = root.resolve(String.format(Locale.ROOT, "%04d-%s-%s-%d", i++, cfg.patch().number, cfg.variant().label, cfg.seed()));
            Engine.ScheduleIo io = new Engine.ScheduleIo();
            io.record = true;
            if (replay != null) {
                try {
                    io.replay = ScheduleLog.parse(Files.readString(replay));
                } catch (IllegalArgumentException | IOException e) {
                    System.err.println("error: cannot read the schedule " + replay + ": " + e.getMessage());
                    System.exit(2);
                    return;
                }
            }
            if (steer != null) {
                io.steer = smptrace.engine.sim.Steer.parse(steer);
            }
            TraceHooks.trace_begin(dir.toString(), header(cfg) + (steer == null ? "" : "steer=" + steer + "\n"));
            RunResult r = Engine.run(cfg, io);
            TraceHooks.trace_end();
            writeSchedule(dir, io);
            System.out.println(dir + "\t" + r.summary() + (io.replayEnd == null ? "" : " | " + io.replayEnd));
        }
        System.out.flush();
        System.exit(0);
    }

    /** The run's schedule beside its events: TRACE/schedule.txt (smptrace replay re-executes it). */
    static void writeSchedule(Path dir, Engine.ScheduleIo io) throws IOException {
        if (io.recorded != null && Files.isDirectory(dir)) {
            Files.writeString(dir.resolve(SCHEDULE_FILE), io.recorded.text() + "\n");
        }
    }

    /** The name of the schedule file in a trace directory. */
    public static final String SCHEDULE_FILE = "schedule.txt";

    /** The trace header of one run: what it was, so a trace names its scenario and seed. */
    public static String header(RunConfig cfg) {
        return "scenario=" + cfg.scenario().id + "\npatch=" + cfg.patch().number + "\nvariant=" + cfg.variant().label
                + "\nseed=" + cfg.seed() + "\nschedule=" + cfg.schedule().name().toLowerCase(Locale.ROOT)
                + "\npct.depth=" + cfg.pctDepth() + "\ncpus=" + cfg.cpus() + "\nlength=" + cfg.length()
                + "\ncsd.lock.wait.debug=" + debugHeader(cfg) + "\n"
                + (cfg.freeTimeoutMillis() > 0 ? WATCHDOG_HEADER + "=" + cfg.freeTimeoutMillis() + "\n" : "");
    }

    /** The header key of a free run's watchdog (ms without a callback), when it was not the default. */
    public static final String WATCHDOG_HEADER = "watchdog.ms";

    /** The header's csd.lock.wait.debug: true / false, or "config" (CONFIG_CSD_LOCK_WAIT_DEBUG=y, csdlock_debug=0). */
    public static String debugHeader(RunConfig cfg) {
        String m = cfg.debugMode();
        return m.equals("config") ? m : String.valueOf(m.equals("on"));
    }
}

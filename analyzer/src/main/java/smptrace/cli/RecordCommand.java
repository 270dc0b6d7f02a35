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
        return "\nScenarios: '" + DEMO + "' (message passing between two threads). Example:\n"
                + "  smptrace record --scenario mp-demo --rounds 1000 --out /tmp/mp.trace";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("out", "DIR", "trace directory to create (required; must not hold a trace)"),
                Main.opt("scenario", "NAME", "scenario to run (default " + DEMO + ")"),
                Main.opt("seed", "N", "scheduler seed (default 1)"),
                Main.opt("rounds", "N", "mp-demo: messages to pass (default 1000)"),
                Main.opt("points", "all|marked", "scheduling points at every recorded access (all, default) or at marked ones only"));
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
        String scenario = cl.getOptionValue("scenario", DEMO);
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
        if (scenario.equals(DEMO)) {
            long rounds = Main.longValue(cl, "rounds", 1000, 1, 100_000_000);
            header.put("rounds", String.valueOf(rounds));
            main = "smptrace.demo.DemoMain";
            args.add("mp");
            args.add(String.valueOf(rounds));
        } else {
            throw new UsageException("unknown scenario '" + scenario + "' (known: " + DEMO + ")");
        }
        List<String> cmd = Launcher.engineCommand(dir, "points=" + points, header, List.of(), main, args);
        int rc = Launcher.run(cmd, null);
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
            out.println("recorded " + n + " events from " + r.info().threads().size() + " threads to " + dir
                    + (end.complete() ? "" : " (" + end.detail() + ")"));
        }
        return Exit.OK;
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

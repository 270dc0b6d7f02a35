package smptrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Expectations;
import smptrace.analysis.Finding;
import smptrace.engine.Patch;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code smptrace patches}: records every variant of every seed patch over N seeds (batch child JVMs
 * with the agent: one JVM records many runs, one trace each), analyses each trace, and prints the
 * verdict table against patches.md's expectations. Exit 0 only if every variant agrees.
 */
final class PatchesCommand implements Command {
    static final int DEFAULT_SEEDS = 16;

    @Override
    public String name() {
        return "patches";
    }

    @Override
    public String summary() {
        return "record and analyse every variant of the seed patches; print the verdict table";
    }

    @Override
    public String footer() {
        return "\nSeeds alternate controlled random (even) and PCT depth 3 (odd) schedules. Columns: patch, variant,\n"
                + "per kind traces with observed / predicted findings out of N, the expected verdict, agree.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("seeds", "N", "runs per variant (default " + DEFAULT_SEEDS + ")"),
                Main.opt("jobs", "N", "recording JVMs and analysis threads at once (default: available processors)"),
                Main.opt("format", "text|json", "table format (default text)"),
                Main.opt("patch", "NNN", "only this patch"),
                Main.opt("keep", "DIR", "keep the traces under DIR"));
    }

    /** One variant row's outcome. */
    record RowResult(Expectations.Row row, int traces, Map<Finding.Kind, int[]> counts, int tolerated, boolean agree,
                     List<String> problems, String subject) { }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        int seeds = (int) Main.longValue(cl, "seeds", DEFAULT_SEEDS, 1, 1000);
        int jobs = (int) Main.longValue(cl, "jobs", Runtime.getRuntime().availableProcessors(), 1, 64);
        String format = cl.getOptionValue("format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format takes 'text' or 'json', not '" + format + "'");
        }
        String only = cl.getOptionValue("patch");
        Path root = cl.hasOption("keep") ? Path.of(cl.getOptionValue("keep")) : Files.createTempDirectory("smptrace-patches");
        Files.createDirectories(root);
        long t0 = System.nanoTime();
        List<Expectations.Row> rows = new ArrayList<>();
        for (Expectations.Row r : Expectations.rows()) {
            if (only == null || only.equals(r.patch())) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            throw new UsageException("no patch " + only + " (patches: 000..004)");
        }
        List<RowResult> results;
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            // every (row, seed) run, recorded in `jobs` batch JVMs at once
            List<List<String>> runs = new ArrayList<>();
            for (Expectations.Row r : rows) {
                for (int seed = 1; seed <= seeds; seed++) {
                    runs.add(engineArgs(r, seed));
                }
            }
            int chunks = Math.min(jobs, runs.size());
            List<Future<List<Launcher.BatchRun>>> recorded = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                List<List<String>> part = new ArrayList<>();
                for (int i = c; i < runs.size(); i += chunks) {
                    part.add(runs.get(i));
                }
                Path dir = root.resolve("batch-" + c);
                recorded.add(pool.submit(() -> Launcher.recordBatch(dir, part, true)));
            }
            // each batch's traces are analysed as soon as that batch JVM is done, on the pool's threads, while the
            // other batches still record: recording and analysis share the cores
            List<Future<AnalysisResult>> analysed = new ArrayList<>(java.util.Collections.nCopies(runs.size(), null));
            boolean[] taken = new boolean[chunks];
            for (int left = chunks; left > 0; left--) {
                int c = nextDone(recorded, taken);
                List<Launcher.BatchRun> done = recorded.get(c).get();
                for (int k = 0; k < done.size(); k++) {
                    Path t = done.get(k).trace();
                    analysed.set(c + k * chunks, pool.submit(() -> analyse(t, !cl.hasOption("keep"))));
                }
            }
            results = new ArrayList<>();
            int i = 0;
            for (Expectations.Row r : rows) {
                List<AnalysisResult> rs = new ArrayList<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    rs.add(analysed.get(i++).get());
                }
                results.add(verdict(r, rs));
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UsageException) {
                throw (UsageException) c;
            }
            if (c instanceof smptrace.trace.TraceException) {
                throw (smptrace.trace.TraceException) c;
            }
            throw e;
        } finally {
            pool.shutdownNow();
            if (!cl.hasOption("keep")) {
                delete(root);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        boolean all = results.stream().allMatch(RowResult::agree);
        if (format.equals("json")) {
            ObjectMapper m = new ObjectMapper();
            for (RowResult r : results) {
                ObjectNode o = m.createObjectNode();
                o.put("patch", r.row().patch());
                o.put("subject", r.subject());
                o.put("variant", r.row().label());
                o.put("traces", r.traces());
                ObjectNode k = o.putObject("kinds");
                for (Map.Entry<Finding.Kind, int[]> e : r.counts().entrySet()) {
                    ObjectNode x = k.putObject(e.getKey().id);
                    x.put("observed", e.getValue()[0]);
                    x.put("predicted", e.getValue()[1]);
                    x.put("traces", e.getValue()[2]);
                }
                o.put("tolerated", r.tolerated());
                o.put("expected", r.row().text());
                o.put("agree", r.agree());
                r.problems().forEach(o.putArray("problems")::add);
                out.println(o);
            }
        } else {
            out.printf("# smptrace patches: %d seeds per variant, %d traces, %.0f s%n", seeds, seeds * rows.size(), secs);
            out.println("# per kind: traces with an observed finding / with a predicted finding, of N traces");
            String lastPatch = "";
            for (RowResult r : results) {
                if (!r.row().patch().equals(lastPatch)) {
                    lastPatch = r.row().patch();
                    out.println();
                    out.println(lastPatch + "  " + r.subject());
                }
                StringBuilder kinds = new StringBuilder();
                for (Map.Entry<Finding.Kind, int[]> e : r.counts().entrySet()) {
                    kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey().id).append(' ')
                            .append(e.getValue()[0]).append('/').append(e.getValue()[1]);
                }
                if (r.tolerated() > 0) {
                    kinds.append(kinds.length() == 0 ? "" : ", ").append("tolerated-race ").append(r.tolerated());
                }
                out.printf("  %-30s N=%-3d %-72s expect %-58s %s%n", r.row().label(), r.traces(),
                        kinds.length() == 0 ? "clean" : kinds, r.row().text(), r.agree() ? "agree" : "DISAGREE");
                for (String p : r.problems()) {
                    out.println("      ! " + p);
                }
            }
            out.println();
            out.println(all ? "all " + results.size() + " variants agree" : "some variants DISAGREE");
        }
        return all ? Exit.OK : Exit.FINDINGS;
    }

    /** The index of a finished recording batch not taken yet (waits for one). */
    private static int nextDone(List<Future<List<Launcher.BatchRun>>> fs, boolean[] taken) throws InterruptedException {
        while (true) {
            for (int c = 0; c < fs.size(); c++) {
                if (!taken[c] && fs.get(c).isDone()) {
                    taken[c] = true;
                    return c;
                }
            }
            Thread.sleep(20);
        }
    }

    static RowResult verdict(Expectations.Row row, List<AnalysisResult> rs) {
        Map<Finding.Kind, int[]> counts = new EnumMap<>(Finding.Kind.class);
        int tolerated = 0;
        List<String> problems = new ArrayList<>();
        for (AnalysisResult r : rs) {
            Map<Finding.Kind, int[]> c = r.counts();
            for (Map.Entry<Finding.Kind, int[]> e : c.entrySet()) {
                int[] t = counts.computeIfAbsent(e.getKey(), k -> new int[3]);
                t[0] += e.getValue()[0] > 0 ? 1 : 0;
                t[1] += e.getValue()[1] > 0 ? 1 : 0;
                t[2]++;
            }
            tolerated += r.findings().stream().anyMatch(f -> f.tolerated) ? 1 : 0;
            if (row.noRaceOnField() != null) {
                for (Finding f : r.problems()) {
                    if (f.kind == Finding.Kind.DATA_RACE && f.events.stream().anyMatch(
                            e -> e.location() != null && e.location().endsWith("." + row.noRaceOnField()))) {
                        problems.add("data-race on " + row.noRaceOnField() + ": " + f.summary);
                    }
                }
            }
        }
        for (Finding.Kind k : row.must()) {
            if (!counts.containsKey(k)) {
                problems.add("expected " + k.id + " in some trace, found none");
            }
        }
        for (Finding.Kind k : row.mustNot()) {
            if (counts.containsKey(k)) {
                String example = rs.stream().flatMap(r -> r.problems().stream()).filter(f -> f.kind == k).findFirst()
                        .map(f -> f.summary).orElse("");
                problems.add("unexpected " + k.id + " in " + counts.get(k)[2] + " trace(s): " + example);
            }
        }
        String subject = Patch.parse(row.patch()).subject;
        return new RowResult(row, rs.size(), counts, tolerated, problems.isEmpty(), problems, subject);
    }

    private static AnalysisResult analyse(Path dir, boolean deleteAfter) throws Exception {
        try (TraceReader reader = TraceReader.open(dir)) {
            return new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
        } finally {
            if (deleteAfter) {
                delete(dir);
            }
        }
    }

    /** The engine arguments of one run of a row's variant: even seeds controlled random, odd seeds PCT. */
    static List<String> engineArgs(Expectations.Row r, int seed) throws UsageException {
        List<String> args = new ArrayList<>(List.of("--patch", r.patch(), "--variant", r.variant(), "--seed", String.valueOf(seed),
                "--schedule", seed % 2 == 0 ? "random" : "pct"));
        if (r.debug() != null) {
            args.add("--debug");
            args.add(r.debug() ? "on" : "off");
        }
        try {
            smptrace.engine.EngineMain.parse(args); // fail here, in one line, not in the child
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return args;
    }

    /** Records one run of a row's variant into dir (one child JVM with the agent). */
    static void record(Expectations.Row r, int seed, Path dir) throws Exception {
        List<String> args = engineArgs(r, seed);
        smptrace.engine.RunConfig cfg = smptrace.engine.EngineMain.parse(args);
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : smptrace.engine.BatchMain.header(cfg).split("\n")) {
            int eq = line.indexOf('=');
            header.put(line.substring(0, eq), line.substring(eq + 1));
        }
        List<String> cmd = Launcher.engineCommand(dir, "points=all", header, List.of(), "smptrace.engine.EngineMain", args);
        int rc = Launcher.run(cmd, new StringBuilder());
        if (rc != 0) {
            throw new UsageException("recording " + r.patch() + " " + r.label() + " seed " + seed + " exited with code " + rc);
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        }
    }
}

package smptrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
                Main.opt("format", "text|json|sarif|html", "table format (default text); sarif: every trace's findings for code "
                        + "scanning; html: one page with the verdict table linking to each variant's traces"),
                Main.opt("out", "FILE", "write the table (or SARIF / HTML) to FILE instead of standard output"),
                Main.opt("quiet", null, "no progress; print nothing if every variant agrees"),
                Main.opt("patch", "NNN", "only this patch"),
                Main.opt("variant", "NAME[,NAME]", "only the rows of these variants (e.g. after: the correct kernel on every scenario)"),
                Main.opt("keep", "DIR", "keep the traces under DIR"));
    }

    /** One variant row's outcome. */
    record RowResult(Expectations.Row row, int traces, Map<Finding.Kind, int[]> counts, int tolerated, int accepted, boolean agree,
                     List<String> problems, String subject) { }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        int seeds = (int) Main.longValue(cl, "seeds", DEFAULT_SEEDS, 1, 1000);
        int jobs = (int) Main.longValue(cl, "jobs", Runtime.getRuntime().availableProcessors(), 1, 64);
        String format = cl.getOptionValue("format", "text");
        if (!List.of("text", "json", "sarif", "html").contains(format)) {
            throw new UsageException("--format takes 'text', 'json', 'sarif' or 'html', not '" + format + "'");
        }
        boolean quiet = cl.hasOption("quiet");
        boolean withSteps = format.equals("sarif") || format.equals("html");
        String only = cl.getOptionValue("patch");
        String onlyVariant = cl.getOptionValue("variant");
        List<String> variants = onlyVariant == null ? null : List.of(onlyVariant.split(","));
        Path root = cl.hasOption("keep") ? Path.of(cl.getOptionValue("keep")) : Files.createTempDirectory("smptrace-patches");
        Files.createDirectories(root);
        long t0 = System.nanoTime();
        List<Expectations.Row> rows = new ArrayList<>();
        for (Expectations.Row r : Expectations.rows()) {
            if ((only == null || only.equals(r.patch())) && (variants == null || variants.contains(r.variant()))) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            throw new UsageException(onlyVariant != null ? "no row of variant " + onlyVariant + (only == null ? "" : " for patch " + only)
                    : "no patch " + only + " (patches: 000..004)");
        }
        List<RowResult> results;
        List<Analysed> all = new ArrayList<>();
        List<List<Integer>> traceIndex = new ArrayList<>();
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
            Progress progress = Progress.start("patches", 2L * runs.size(), "steps (record + analyse)", quiet, err);
            List<Future<List<Launcher.BatchRun>>> recorded = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                List<List<String>> part = new ArrayList<>();
                for (int i = c; i < runs.size(); i += chunks) {
                    part.add(runs.get(i));
                }
                Path dir = root.resolve("batch-" + c);
                recorded.add(pool.submit(() -> Launcher.recordBatch(dir, part, true, b -> progress.step(1))));
            }
            // each batch's traces are analysed as soon as that batch JVM is done, on the pool's threads, while the
            // other batches still record: recording and analysis share the cores
            List<Future<Analysed>> analysed = new ArrayList<>(java.util.Collections.nCopies(runs.size(), null));
            boolean[] taken = new boolean[chunks];
            for (int left = chunks; left > 0; left--) {
                int c = nextDone(recorded, taken);
                List<Launcher.BatchRun> done = recorded.get(c).get();
                for (int k = 0; k < done.size(); k++) {
                    Path t = done.get(k).trace();
                    analysed.set(c + k * chunks, pool.submit(() -> {
                        Analysed a = analyse(t, !cl.hasOption("keep"), withSteps);
                        progress.step(1);
                        return a;
                    }));
                }
            }
            results = new ArrayList<>();
            int i = 0;
            for (Expectations.Row r : rows) {
                List<AnalysisResult> rs = new ArrayList<>();
                List<Integer> idx = new ArrayList<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    Analysed a = analysed.get(i++).get();
                    rs.add(a.result());
                    idx.add(all.size());
                    all.add(a);
                }
                results.add(verdict(r, rs));
                traceIndex.add(idx);
            }
            progress.close();
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
        boolean allAgree = results.stream().allMatch(RowResult::agree);
        if (quiet && allAgree && !cl.hasOption("out")) {
            return Exit.OK;
        }
        try (PrintStream file = cl.hasOption("out") ? new PrintStream(Files.newOutputStream(Path.of(cl.getOptionValue("out"))), false,
                java.nio.charset.StandardCharsets.UTF_8) : null) {
            PrintStream to = file != null ? file : out;
            switch (format) {
                case "json": json(results, to); break;
                case "sarif": {
                    List<smptrace.analysis.SarifReport.Input> in = new ArrayList<>();
                    for (Analysed a : all) {
                        in.add(new smptrace.analysis.SarifReport.Input(a.result(), a.name(), a.steps()));
                    }
                    smptrace.analysis.SarifReport.write(in, AnalyzeCommand.reportOptions(cl), to);
                    break;
                }
                case "html": {
                    List<smptrace.analysis.HtmlReport.Input> in = new ArrayList<>();
                    for (Analysed a : all) {
                        in.add(new smptrace.analysis.HtmlReport.Input(a.result(), a.name(), a.steps()));
                    }
                    List<smptrace.analysis.HtmlReport.Verdict> vs = new ArrayList<>();
                    for (int k = 0; k < results.size(); k++) {
                        RowResult r = results.get(k);
                        vs.add(new smptrace.analysis.HtmlReport.Verdict(r.row().patch(), r.row().label(), found(r), expected(r.row()),
                                r.agree(), traceIndex.get(k)));
                    }
                    smptrace.analysis.HtmlReport.write(in, AnalyzeCommand.reportOptions(cl), vs, to);
                    break;
                }
                default: table(results, seeds, rows.size(), secs, to);
            }
        }
        return allAgree ? Exit.OK : Exit.FINDINGS;
    }

    /** One analysed trace, with its second look (SARIF, HTML) or none. */
    record Analysed(String name, AnalysisResult result, smptrace.analysis.Steps steps) { }

    static final int WIDTH = 120;

    private static void json(List<RowResult> results, PrintStream out) {
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
            o.put("accepted", r.accepted());
            o.put("expected", r.row().text());
            ArrayNode must = o.putArray("mustShow");
            r.row().must().forEach(x -> must.add(x.id));
            ArrayNode not = o.putArray("mustNotShow");
            r.row().mustNot().forEach(x -> not.add(x.id));
            o.put("agree", r.agree());
            r.problems().forEach(o.putArray("problems")::add);
            out.println(o);
        }
    }

    /** The verdict table, at most {@link #WIDTH} columns, with a legend that says what the columns and the expectation mean. */
    static void table(List<RowResult> results, int seeds, int rows, double secs, PrintStream out) {
        boolean all = results.stream().allMatch(RowResult::agree);
        out.printf("# smptrace patches: %d seeds per variant, %d traces, %.0f s%n", seeds, seeds * rows, secs);
        out.println("# found: per finding kind O/P = traces with an observed / a predicted finding of that kind, of N traces;");
        out.println("#        tolerated in T = T traces had findings the kernel tolerates by design (not bugs, not counted);");
        out.println("#        accepted in A = A traces had races listed in accepted-races.txt (known kernel races, not counted).");
        out.println("# expect: must show = every kind some trace of the variant must show (the bug the patch is about);");
        out.println("#         must not show = kinds no trace may show (\"any\": all kinds); kinds not listed may appear.");
        out.println("# agree: the traces meet the expectation.");
        String lastPatch = "";
        for (RowResult r : results) {
            if (!r.row().patch().equals(lastPatch)) {
                lastPatch = r.row().patch();
                out.println();
                out.println(fit(lastPatch + "  " + r.subject(), WIDTH));
            }
            String head = String.format("  %-28s N=%-3d %-8s ", fit(r.row().label(), 28), r.traces(), r.agree() ? "agree" : "DISAGREE");
            wrap(out, head, "found: " + found(r), WIDTH);
            wrap(out, " ".repeat(head.length()), "expect: " + expected(r.row()), WIDTH);
            for (String p : r.problems()) {
                wrap(out, "      ! ", p, WIDTH);
            }
        }
        out.println();
        out.println(all ? "all " + results.size() + " variants agree" : "some variants DISAGREE");
    }

    /** "lock-ownership-race 16/16, double-enqueue 9/16; tolerated data-race 3", or "clean". */
    static String found(RowResult r) {
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<Finding.Kind, int[]> e : r.counts().entrySet()) {
            kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey().id).append(' ')
                    .append(e.getValue()[0]).append('/').append(e.getValue()[1]);
        }
        if (kinds.length() == 0) {
            kinds.append("clean");
        }
        if (r.tolerated() > 0) {
            kinds.append("; tolerated in ").append(r.tolerated());
        }
        if (r.accepted() > 0) {
            kinds.append("; accepted in ").append(r.accepted());
        }
        return kinds.toString();
    }

    /** "must show lock-ownership-race, double-enqueue; must not show any", in the vocabulary of finding kinds. */
    static String expected(Expectations.Row row) {
        StringBuilder b = new StringBuilder();
        if (!row.must().isEmpty()) {
            b.append("must show ").append(ids(row.must()));
        }
        if (!row.mustNot().isEmpty()) {
            b.append(b.length() == 0 ? "" : "; ").append("must not show ")
                    .append(row.mustNot().size() == Finding.Kind.values().length ? "any" : ids(row.mustNot()));
        }
        if (row.noRaceOnField() != null) {
            b.append(b.length() == 0 ? "" : "; ").append("no data-race on ").append(row.noRaceOnField());
        }
        return b.length() == 0 ? "anything" : b.toString();
    }

    private static String ids(java.util.Set<Finding.Kind> ks) {
        StringBuilder b = new StringBuilder();
        ks.forEach(k -> b.append(b.length() == 0 ? "" : ", ").append(k.id));
        return b.toString();
    }

    private static String fit(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w - 3) + "...";
    }

    /** Prints text after head, wrapped at word boundaries to width, continuation lines indented like head. */
    static void wrap(PrintStream out, String head, String text, int width) {
        String indent = " ".repeat(head.length());
        StringBuilder line = new StringBuilder(head);
        for (String w : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + w.length() > width) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length() && !line.toString().endsWith(" ")) {
                line.append(' ');
            }
            line.append(w.length() > width - indent.length() ? fit(w, width - indent.length()) : w);
        }
        out.println(line.toString().stripTrailing());
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
        int accepted = 0;
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
            accepted += r.accepted().isEmpty() ? 0 : 1;
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
        return new RowResult(row, rs.size(), counts, tolerated, accepted, problems.isEmpty(), problems, subject);
    }

    private static Analysed analyse(Path dir, boolean deleteAfter, boolean withSteps) throws Exception {
        try {
            AnalysisResult r;
            try (TraceReader reader = TraceReader.open(dir)) {
                r = new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
            }
            if (!withSteps) {
                // the table needs only the findings: a trace's TraceInfo (names of every object it allocated) is dropped,
                // so that 500 seeds of every row fit in memory
                return new Analysed(dir.getFileName().toString(),
                        new AnalysisResult(null, r.end(), r.events(), r.nanos(), r.findings(), r.locations(), r.contexts()), null);
            }
            smptrace.analysis.Steps steps = smptrace.analysis.Steps.none(r.info());
            if (withSteps) {
                try (TraceReader again = TraceReader.open(dir)) {
                    steps = smptrace.analysis.Steps.collect(again, r.findings());
                }
            }
            return new Analysed(dir.getFileName().toString(), r, steps);
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
        if (r.scenario() != null) {
            args.add("--scenario");
            args.add(r.scenario());
        }
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

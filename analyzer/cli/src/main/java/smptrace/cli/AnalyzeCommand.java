package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.analysis.HtmlReport;
import smptrace.analysis.Report;
import smptrace.analysis.ReportOptions;
import smptrace.analysis.SarifReport;
import smptrace.analysis.Steps;
import smptrace.trace.TraceReader;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;

/** {@code smptrace analyze TRACE}: replay a trace and report what is wrong with it and next to it. */
final class AnalyzeCommand implements Command {
    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "find ordering violations, data races, CSD ownership and hotplug bugs in a trace";
    }

    @Override
    public String footer() {
        return "\nArgument: TRACE (a trace directory), or many TRACEs and directories of traces: each analysed on its own, on\n"
                + "--jobs threads, with one merged report (per trace; per finding fingerprint, in how many traces).\n"
                + "Exit 0 clean (tolerated findings only), 1 findings, 2 bad usage or a missing, corrupt, truncated or\n"
                + "wrong-version trace, 3 no findings in an incomplete trace (cut short, its recorder failed, or damaged\n"
                + "with --salvage: the report's first line says what is missing), 4 nothing checked (no memory access\n"
                + "recorded). JSON: one object per finding (docs/analyzer.md).";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("format", "text|json|sarif|html", "report format (default text): text (KCSAN-shaped, root causes "
                        + "first), json (one object per finding), sarif (SARIF 2.1.0 for code scanning), html (one self-contained page)"),
                Main.opt("out", "FILE", "write the report to FILE instead of standard output"),
                Main.opt("show-tolerated", null, "also show the findings the kernel tolerates by design (hidden by default)"),
                Main.opt("kind", "KIND[,KIND]", "only these finding kinds (" + smptrace.analysis.Finding.Kind.ids() + ")"),
                Main.opt("quiet", null, "no progress; print the report only if the trace is not clean (nothing on success)"),
                Main.opt("assume-plain-writes-atomic", null,
                        "KCSAN's CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC: plain aligned writes do not race (default off)"),
                Main.opt("stats", null, "print events, time and rate to stderr"),
                Main.opt("salvage", null, "analyse the intact part of a trace with damaged event blocks instead of refusing it (exit 3 or 1)"),
                Main.opt("baseline", "FILE", "report only findings whose fingerprint is not in FILE (a previous run's --format json output)"),
                Main.opt("jobs", "N", "many traces: analysis threads (default: available processors)"),
                Main.opt("litmus-out", "DIR", "write each ordering-violation finding as a litmus test into DIR (check with smptrace litmus or herd7)"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (ManyTraces.applies(cl.getArgList())) {
            return ManyTraces.run(cl, out, err);
        }
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "missing TRACE (a trace directory)" : "give exactly one TRACE");
        }
        String format = cl.getOptionValue("format", "text");
        if (!List.of("text", "json", "sarif", "html").contains(format)) {
            throw new UsageException("--format takes 'text', 'json', 'sarif' or 'html', not '" + format + "'");
        }
        ReportOptions ro = reportOptions(cl);
        String trace = Bundle.traceOf(Paths.get(cl.getArgList().get(0))).toString(); // a bundle: its sealed trace
        smptrace.analysis.Options opt = smptrace.analysis.Options.defaults()
                .withAssumePlainWritesAtomic(cl.hasOption("assume-plain-writes-atomic"));
        AnalysisResult r;
        Steps steps;
        boolean quiet = cl.hasOption("quiet");
        boolean salvage = cl.hasOption("salvage");
        try (TraceReader reader = TraceReader.open(Paths.get(trace), salvage);
             Progress p = Progress.start("analyze", reader.recordedEvents(), "events", quiet, err)) {
            r = new Analyzer(opt).progress(p::to).analyze(reader);
        }
        if (cl.hasOption("baseline")) {
            java.util.Set<String> known = baseline(Paths.get(cl.getOptionValue("baseline")));
            int before = r.findings().size();
            r = r.without(known);
            err.println("baseline: " + (before - r.findings().size()) + " of " + before + " finding(s) known, " + r.findings().size() + " new");
        }
        // the second look: each finding's events in full, the checks before them, the watchdog's records
        try (TraceReader again = TraceReader.open(Paths.get(trace), salvage)) {
            steps = Steps.collect(again, r.findings());
        }
        try (PrintStream o = cl.hasOption("out") ? new PrintStream(java.nio.file.Files.newOutputStream(Paths.get(cl.getOptionValue("out"))),
                false, java.nio.charset.StandardCharsets.UTF_8) : null) {
            PrintStream to = o != null ? o : out;
            switch (format) {
                case "json": Report.json(r, trace, steps, ro, to); break;
                case "sarif": SarifReport.write(List.of(new SarifReport.Input(r, trace, steps)), ro, to); break;
                case "html": HtmlReport.write(List.of(new HtmlReport.Input(r, trace, steps)), ro, null, to); break;
                default:
                    if (!quiet || o != null || !(r.clean() && steps.stuck().isEmpty())) {
                        Report.text(r, trace, steps, ro, to);
                    }
            }
        }
        if (cl.hasOption("litmus-out")) {
            java.nio.file.Path dir = Paths.get(cl.getOptionValue("litmus-out"));
            java.nio.file.Files.createDirectories(dir);
            int n = 0;
            for (smptrace.analysis.Finding f : r.findings()) {
                if (f.litmus != null) {
                    String name = f.kind.id + "-" + f.rule + "-" + f.fingerprint;
                    // the test's own name is the file's name, so herd7 and smptrace litmus report it by the finding
                    String text = f.litmus.replaceFirst("(?m)^C \\S+", "C " + name);
                    java.nio.file.Files.writeString(dir.resolve(name + ".litmus"), text);
                    n++;
                }
            }
            err.println("wrote " + n + " litmus test(s) to " + dir);
        }
        if (cl.hasOption("stats")) {
            err.printf("analyzed %d events in %.1f ms (%.1f M events/s), %d contexts, %d locations%n", r.events(),
                    r.nanos() / 1e6, r.events() / (r.nanos() / 1e3), r.contexts(), r.locations());
        }
        if (r.checkedNothing()) {
            err.println("smptrace analyze: nothing was checked: " + trace + " holds no memory access (" + r.recorded()
                    + "); the code under test was not in the agent's scope (see README, \"Recording your own code\": the"
                    + " default scope is the classes of class-path directories; name others with include=PREFIX)");
            return Exit.NOTHING_CHECKED;
        }
        boolean stuck = !steps.stuck().isEmpty();
        if (r.end() != null && !r.end().complete()) {
            if (!format.equals("text")) {
                err.println("smptrace analyze: incomplete trace: " + r.end().detail());
            }
            return r.clean() && !stuck ? Exit.INCOMPLETE : Exit.FINDINGS;
        }
        // a run the watchdog stopped is never clean
        return r.clean() && !stuck ? Exit.OK : Exit.FINDINGS;
    }

    /** --show-tolerated and --kind, with the engine's statement of the kernel lines it mirrors. */
    static ReportOptions reportOptions(CommandLine cl) throws UsageException {
        java.util.Set<Finding.Kind> kinds = java.util.EnumSet.noneOf(Finding.Kind.class);
        if (cl.hasOption("kind")) {
            for (String k : cl.getOptionValue("kind").split(",")) {
                try {
                    kinds.add(Finding.Kind.parse(k.trim()));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--kind takes finding kinds (" + Finding.Kind.ids() + "), not '" + k.trim() + "'");
                }
            }
        }
        return new ReportOptions(cl.hasOption("show-tolerated"), kinds, new smptrace.analysis.EngineKernelMap());
    }

    /** The fingerprints of a previous run's JSON findings (JSON Lines; blank lines ignored). */
    static java.util.Set<String> baseline(java.nio.file.Path file) throws UsageException {
        java.util.Set<String> fps = new java.util.HashSet<>();
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new UsageException("cannot read baseline " + file + ": " + e.getMessage());
        }
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode o = m.readTree(line);
                com.fasterxml.jackson.databind.JsonNode fp = o == null ? null : o.get("fingerprint");
                if (fp == null || !fp.isTextual()) {
                    throw new UsageException("baseline " + file + " line " + n + ": no \"fingerprint\" (expected analyze --format json output)");
                }
                fps.add(fp.asText());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UsageException("baseline " + file + " line " + n + ": not JSON (expected analyze --format json output)");
            }
        }
        return fps;
    }
}

package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Report;
import smptrace.trace.TraceReader;

import java.io.PrintStream;
import java.nio.file.Paths;

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
        return "\nArgument: TRACE (a trace directory). Exit 0 clean (tolerated findings only), 1 findings, 2 bad usage or a\n"
                + "missing, corrupt or wrong-version trace, 3 no findings in an incomplete trace (cut short, its recorder\n"
                + "failed, or damaged with --salvage: the report's first line says what is missing). JSON: one object per\n"
                + "finding (docs/analyzer.md).";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("format", "text|json", "report format (default text)"),
                Main.opt("assume-plain-writes-atomic", null,
                        "KCSAN's CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC: plain aligned writes do not race (default off)"),
                Main.opt("stats", null, "print events, time and rate to stderr"),
                Main.opt("salvage", null, "analyse the intact part of a trace with damaged event blocks instead of refusing it (exit 3 or 1)"),
                Main.opt("baseline", "FILE", "report only findings whose fingerprint is not in FILE (a previous run's --format json output)"),
                Main.opt("litmus-out", "DIR", "write each ordering-violation finding as a litmus test into DIR (check with smptrace litmus or herd7)"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "missing TRACE (a trace directory)" : "give exactly one TRACE");
        }
        String format = cl.getOptionValue("format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format takes 'text' or 'json', not '" + format + "'");
        }
        String trace = cl.getArgList().get(0);
        smptrace.analysis.Options opt = smptrace.analysis.Options.defaults()
                .withAssumePlainWritesAtomic(cl.hasOption("assume-plain-writes-atomic"));
        AnalysisResult r;
        try (TraceReader reader = TraceReader.open(Paths.get(trace), cl.hasOption("salvage"))) {
            r = new Analyzer(opt).analyze(reader);
        }
        if (cl.hasOption("baseline")) {
            java.util.Set<String> known = baseline(Paths.get(cl.getOptionValue("baseline")));
            int before = r.findings().size();
            r = r.without(known);
            err.println("baseline: " + (before - r.findings().size()) + " of " + before + " finding(s) known, " + r.findings().size() + " new");
        }
        if (format.equals("json")) {
            Report.json(r, trace, out);
        } else {
            Report.text(r, trace, out);
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
        if (r.end() != null && !r.end().complete()) {
            if (format.equals("json")) {
                err.println("smptrace analyze: incomplete trace: " + r.end().detail());
            }
            return r.clean() ? Exit.INCOMPLETE : Exit.FINDINGS;
        }
        return r.clean() ? Exit.OK : Exit.FINDINGS;
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

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
        return "\nArgument: TRACE (a trace directory), or many TRACEs and directories of traces: each analysed on its own, on --jobs\n"
                + "threads, with one merged report (per trace; per finding fingerprint, in how many traces). Exit 0 clean (tolerated findings only), 1 findings, 2 bad usage or a\n"
                + "missing, corrupt, truncated or wrong-version trace. JSON: one object per finding (docs/analyzer.md).";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("format", "text|json", "report format (default text)"),
                Main.opt("assume-plain-writes-atomic", null,
                        "KCSAN's CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC: plain aligned writes do not race (default off)"),
                Main.opt("stats", null, "print events, time and rate to stderr"),
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
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format takes 'text' or 'json', not '" + format + "'");
        }
        String trace = cl.getArgList().get(0);
        smptrace.analysis.Options opt = smptrace.analysis.Options.defaults()
                .withAssumePlainWritesAtomic(cl.hasOption("assume-plain-writes-atomic"));
        AnalysisResult r;
        try (TraceReader reader = TraceReader.open(Paths.get(trace))) {
            r = new Analyzer(opt).analyze(reader);
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
        return r.clean() ? Exit.OK : Exit.FINDINGS;
    }
}

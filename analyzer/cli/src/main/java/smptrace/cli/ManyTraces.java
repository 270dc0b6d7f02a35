package smptrace.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.cli.CommandLine;
import smptrace.analysis.batch.BatchAnalysis;
import smptrace.analysis.batch.MergedReport;
import smptrace.analysis.batch.TraceSummary;

/**
 * {@code smptrace analyze} of many traces: several TRACE arguments, or directories of traces. Every
 * trace is analysed as its own task on --jobs threads (default: every core), and one merged report
 * says per trace what it found and per finding fingerprint in how many traces it appears.
 */
final class ManyTraces {
    private ManyTraces() { }

    /** Many traces: more than one argument, or a directory that is neither a trace nor a reproducer bundle (one trace). */
    static boolean applies(List<String> args) {
        if (args.size() > 1) {
            return true;
        }
        if (args.size() == 1) {
            Path p = Paths.get(args.get(0));
            return Files.isDirectory(p) && !BatchAnalysis.isTrace(p) && !Bundle.isBundle(p);
        }
        return false;
    }

    static int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        String format = cl.getOptionValue("format", "text");
        if (!List.of("text", "json", "sarif").contains(format)) {
            throw new UsageException("--format takes 'text', 'json' or 'sarif' for many traces, not '" + format + "'");
        }
        for (String one : List.of("salvage", "baseline", "out", "kind", "show-tolerated")) {
            if (cl.hasOption(one)) {
                throw new UsageException("--" + one + " takes one trace; give one TRACE, or leave it out for many");
            }
        }
        if (cl.hasOption("litmus-out")) {
            throw new UsageException("--litmus-out takes one trace; analyse the trace whose findings you want as litmus tests");
        }
        int jobs = (int) Main.longValue(cl, "jobs", Runtime.getRuntime().availableProcessors(), 1, 256);
        List<Path> args = new ArrayList<>();
        for (String a : cl.getArgList()) {
            args.add(Paths.get(a));
        }
        List<Path> traces = BatchAnalysis.traces(args);
        smptrace.analysis.Options opt = smptrace.analysis.Options.defaults()
                .withAssumePlainWritesAtomic(cl.hasOption("assume-plain-writes-atomic"));
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        boolean progress = cl.hasOption("stats");
        // sarif: each task also builds its trace's results, so the merge holds no trace (as the Spark job does)
        smptrace.analysis.ReportOptions sarif = format.equals("sarif") ? AnalyzeCommand.reportOptions(cl) : null;
        List<TraceSummary> summaries = BatchAnalysis.analyseAll(traces, opt, sarif, jobs, progress ? s -> {
            int n = done.incrementAndGet();
            if (n % 100 == 0) {
                err.println("analysed " + n + " of " + traces.size() + " traces");
            }
        } : null);
        long nanos = System.nanoTime() - t0;
        MergedReport report = new MergedReport(summaries);
        if (format.equals("json")) {
            report.jsonLines(out);
        } else if (format.equals("sarif")) {
            out.println(smptrace.analysis.SarifReport.merge(summaries.stream().map(TraceSummary::sarif).toList()).toPrettyString());
        } else {
            report.text(out);
        }
        if (progress) {
            double cpu = summaries.stream().mapToLong(TraceSummary::nanos).sum() / 1e9;
            err.printf("analysed %d traces, %d events in %.1f s on %d threads (%.1f M events/s, %.0f traces/s; analysis time summed over traces %.1f s)%n",
                    traces.size(), report.events(), nanos / 1e9, jobs, report.events() / (nanos / 1e3),
                    traces.size() / (nanos / 1e9), cpu);
        }
        if (report.unreadable() > 0) {
            err.println("smptrace: " + report.unreadable() + " of " + traces.size() + " traces could not be read (see the report)");
            return Exit.USAGE;
        }
        // as for one trace: findings are 1; no findings but some trace incomplete is 3, never clean
        return report.withProblems() > 0 ? Exit.FINDINGS : report.incomplete() > 0 ? Exit.INCOMPLETE : Exit.OK;
    }
}

package smptrace.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import smptrace.analysis.EngineKernelMap;
import smptrace.analysis.Options;
import smptrace.analysis.ReportOptions;
import smptrace.analysis.SarifReport;
import smptrace.analysis.batch.BatchAnalysis;
import smptrace.analysis.batch.MergedReport;
import smptrace.analysis.batch.TraceSummary;
import smptrace.trace.TraceException;

/**
 * The analysis of many traces as a Spark job: each trace is one task that runs exactly what
 * {@code smptrace analyze} runs ({@link BatchAnalysis#analyseOne}: one reader, one analyzer, nothing
 * shared), on whichever executor Spark gives it; the driver merges the tasks' small summaries into
 * one report ({@link MergedReport}) and writes it as JSON Lines ({@code report.jsonl}) and as one SARIF 2.1.0
 * log ({@code report.sarif}: each task builds its trace's SARIF results, so the driver holds no trace).
 *
 * <pre>spark-submit --class smptrace.spark.SparkAnalyze smptrace-spark.jar --out REPORT_DIR TRACE_OR_DIR...</pre>
 *
 * The traces must be on storage every executor reads at the same path (an NFS, CephFS or Lustre
 * mount, or a copy on every node): a trace is memory-mapped by Chronicle Queue, so it is read where
 * it lies; what a task ships is its path. Exit codes as analyze: 0 clean, 1 findings (or an incomplete
 * trace), 2 bad usage or an unreadable trace.
 */
public final class SparkAnalyze {
    private SparkAnalyze() { }

    /** The job's result: the merged report and where its JSON Lines and its SARIF log went. */
    public record Result(MergedReport report, Path jsonLines, Path sarif) { }

    /**
     * Analyses every trace under {@code paths} on {@code sc}, one task per trace, and writes
     * {@code out/report.jsonl} and {@code out/report.sarif}. The driver expands directories (it must see the storage too).
     */
    public static Result run(JavaSparkContext sc, List<Path> paths, Path out, Options options) throws TraceException, IOException {
        List<Path> traces = BatchAnalysis.traces(paths);
        List<String> names = new ArrayList<>();
        for (Path t : traces) {
            names.add(t.toAbsolutePath().toString());
        }
        boolean atomic = options.assumePlainWritesAtomic();
        int witness = options.maxWitnessEvents();
        // one partition per trace: a trace is the unit of work, and Spark schedules the slow ones as they come
        List<TraceSummary> summaries = sc.parallelize(names, Math.max(1, names.size()))
                .map(t -> BatchAnalysis.analyseOne(Paths.get(t), new Options(atomic, witness),
                        new ReportOptions(false, java.util.Set.of(), new EngineKernelMap())))
                .collect();
        MergedReport report = new MergedReport(summaries);
        Files.createDirectories(out);
        Path jsonl = out.resolve("report.jsonl");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(jsonl), false, StandardCharsets.UTF_8)) {
            report.jsonLines(ps);
        }
        Path sarif = out.resolve("report.sarif");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(sarif), false, StandardCharsets.UTF_8)) {
            ps.println(SarifReport.merge(summaries.stream().map(TraceSummary::sarif).toList()).toPrettyString());
        }
        return new Result(report, jsonl, sarif);
    }

    public static void main(String[] args) {
        System.exit(main(args, System.out, System.err));
    }

    static int main(String[] args, PrintStream stdout, PrintStream stderr) {
        Path out = null;
        boolean atomic = false;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out":
                    if (i + 1 >= args.length) {
                        stderr.println("smptrace-spark: --out needs a directory");
                        return 2;
                    }
                    out = Paths.get(args[++i]);
                    break;
                case "--assume-plain-writes-atomic":
                    atomic = true;
                    break;
                default:
                    if (args[i].startsWith("--")) {
                        stderr.println("smptrace-spark: unknown option " + args[i]
                                + " (usage: --out DIR [--assume-plain-writes-atomic] TRACE_OR_DIR...)");
                        return 2;
                    }
                    paths.add(Paths.get(args[i]));
            }
        }
        if (out == null || paths.isEmpty()) {
            stderr.println("smptrace-spark: usage: --out DIR [--assume-plain-writes-atomic] TRACE_OR_DIR...");
            return 2;
        }
        SparkConf conf = new SparkConf().setAppName("smptrace analyze");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]"); // run without spark-submit: this machine's cores
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Result r = run(sc, paths, out, Options.defaults().withAssumePlainWritesAtomic(atomic));
            MergedReport m = r.report();
            stdout.println("smptrace-spark: " + m.traces().size() + " traces, " + m.events() + " events, " + m.withProblems()
                    + " with findings, " + m.groups().size() + " distinct fingerprints; report in " + r.jsonLines() + " and " + r.sarif());
            if (m.unreadable() > 0) {
                stderr.println("smptrace-spark: " + m.unreadable() + " trace(s) could not be read (see the report)");
                return 2;
            }
            return m.withProblems() > 0 || m.incomplete() > 0 ? 1 : 0;
        } catch (TraceException e) {
            stderr.println("smptrace-spark: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            stderr.println("smptrace-spark: cannot write the report: " + e.getMessage());
            return 2;
        }
    }
}

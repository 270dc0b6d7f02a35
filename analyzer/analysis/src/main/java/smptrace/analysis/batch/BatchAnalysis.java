package smptrace.analysis.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Options;
import smptrace.analysis.ReportOptions;
import smptrace.analysis.SarifReport;
import smptrace.analysis.Steps;
import smptrace.trace.TraceException;
import smptrace.trace.TraceReader;

/**
 * Many traces at once: find the traces under the given paths and analyse each as its own task, on
 * as many threads as asked. One trace's analysis is one reader and one {@link Analyzer} and shares
 * nothing with another's (no static state in the pipeline), so tasks run in any order on any thread,
 * or on any machine (the Spark job runs {@link #analyseOne} as its task).
 */
public final class BatchAnalysis {
    private BatchAnalysis() { }

    /** A trace directory: a directory holding a Chronicle queue file. */
    public static boolean isTrace(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The traces named by paths: a trace directory is itself; any other directory stands for every
     * trace directory below it (sorted, at any depth). A path that does not exist, or a directory
     * with no trace below it, is an error with a one-line message.
     */
    public static List<Path> traces(List<Path> paths) throws TraceException {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new TraceException("no trace at " + p + ": the path does not exist");
            }
            if (isTrace(p) || !Files.isDirectory(p)) {
                out.add(p); // a file: the reader says what is wrong with it
                continue;
            }
            List<Path> found = new ArrayList<>();
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(Files::isDirectory).filter(BatchAnalysis::isTrace).sorted().forEach(found::add);
            } catch (IOException | UncheckedIOException e) {
                throw new TraceException("cannot read " + p + ": " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new TraceException("no trace under " + p + ": no directory below it holds a queue file (*.cq4)");
            }
            out.addAll(found);
        }
        return new ArrayList<>(out);
    }

    /** One trace, start to end, on the calling thread; a trace that cannot be read gives a failed summary. */
    public static TraceSummary analyseOne(Path trace, Options options) {
        return analyseOne(trace, options, null);
    }

    /**
     * As {@link #analyseOne(Path, Options)}, and with {@code sarif} non-null also the trace's SARIF results
     * (a second pass collects each finding's steps, as {@code analyze --format sarif} does).
     */
    public static TraceSummary analyseOne(Path trace, Options options, ReportOptions sarif) {
        String name = trace.toString();
        try {
            AnalysisResult res;
            try (TraceReader r = TraceReader.open(trace)) {
                res = new Analyzer(options).analyze(r);
            }
            TraceSummary s = TraceSummary.of(name, res);
            if (sarif != null) {
                Steps steps;
                try (TraceReader again = TraceReader.open(trace)) {
                    steps = Steps.collect(again, res.findings());
                }
                s = s.withSarif(SarifReport.results(new SarifReport.Input(res, name, steps), sarif).toString());
            }
            return s;
        } catch (TraceException e) {
            return TraceSummary.failed(name, e.getMessage());
        } catch (RuntimeException e) {
            return TraceSummary.failed(name, "analysis failed: " + e);
        }
    }

    /**
     * Every trace on {@code threads} threads; the summaries in the order of {@code traces}.
     * {@code done} (may be null) hears of each as it finishes, from the worker thread.
     */
    public static List<TraceSummary> analyseAll(List<Path> traces, Options options, int threads, Consumer<TraceSummary> done)
            throws InterruptedException {
        return analyseAll(traces, options, null, threads, done);
    }

    /** As above; {@code sarif} non-null: each summary carries its trace's SARIF results too. */
    public static List<TraceSummary> analyseAll(List<Path> traces, Options options, ReportOptions sarif, int threads,
                                                Consumer<TraceSummary> done) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, traces.size())), r -> {
            Thread t = new Thread(r, "smptrace-analysis");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TraceSummary>> fs = new ArrayList<>();
            for (Path t : traces) {
                fs.add(pool.submit(() -> {
                    TraceSummary s = analyseOne(t, options, sarif);
                    if (done != null) {
                        done.accept(s);
                    }
                    return s;
                }));
            }
            List<TraceSummary> out = new ArrayList<>();
            for (Future<TraceSummary> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause()); // analyseOne catches everything but Errors
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

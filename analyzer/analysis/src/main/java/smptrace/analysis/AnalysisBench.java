package smptrace.analysis;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

/**
 * Analysis speed on one core: {@code AnalysisBench TRACE [runs]} replays the trace with the reader
 * alone, then with the full analysis, and prints events/s for both and the peak heap. For
 * {@code smptrace bench}: {@link #measure} returns the figures.
 */
public final class AnalysisBench {
    private AnalysisBench() { }

    /**
     * replay: reader only; analysis: reader + every detector; rates in events/s (best of runs), by wall
     * time and by the analysing thread's CPU time (on a machine shared with other work, the CPU-time rate
     * is the one-core figure: it does not count the time the thread waited for a core).
     */
    public record Figures(long events, double replayRate, double analysisRate, long peakHeapBytes, int findings,
                          double replayCpuRate, double analysisCpuRate) { }

    public static Figures measure(Path trace, int runs) throws Exception {
        double bestReplay = 0;
        double bestAnalysis = 0;
        double bestReplayCpu = 0;
        double bestAnalysisCpu = 0;
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long events = 0;
        int findings = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            long n = 0;
            try (TraceReader r = TraceReader.open(trace)) {
                Event e = new Event();
                while (r.next(e)) {
                    n++;
                }
            }
            bestReplay = Math.max(bestReplay, n / ((System.nanoTime() - t0) / 1e9));
            bestReplayCpu = Math.max(bestReplayCpu, n / ((mx.getCurrentThreadCpuTime() - c0) / 1e9));
            resetPeaks();
            t0 = System.nanoTime();
            c0 = mx.getCurrentThreadCpuTime();
            AnalysisResult res;
            try (TraceReader r = TraceReader.open(trace)) {
                res = new Analyzer(Options.defaults()).analyze(r);
            }
            bestAnalysis = Math.max(bestAnalysis, res.events() / ((System.nanoTime() - t0) / 1e9));
            bestAnalysisCpu = Math.max(bestAnalysisCpu, res.events() / ((mx.getCurrentThreadCpuTime() - c0) / 1e9));
            events = res.events();
            findings = res.findings().size();
        }
        return new Figures(events, bestReplay, bestAnalysis, peakHeap(), findings, bestReplayCpu, bestAnalysisCpu);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: AnalysisBench TRACE [runs]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Figures f = measure(Path.of(args[0]), runs);
        System.out.printf("%d events: replay %.1f M events/s, analysis %.1f M events/s, peak heap %.0f MB, %d findings;"
                        + " per CPU second: replay %.1f M events/s, analysis %.1f M events/s%n",
                f.events(), f.replayRate() / 1e6, f.analysisRate() / 1e6, f.peakHeapBytes() / 1e6, f.findings(),
                f.replayCpuRate() / 1e6, f.analysisCpuRate() / 1e6);
    }
}

package smptrace.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.nio.file.Paths;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

/**
 * {@code java -cp smptrace-cli.jar smptrace.cli.DumpBench TRACE [RUNS]}: how fast {@code dump} streams (lines a
 * second, its own code into a stream that discards the bytes after counting them) against the reader alone
 * (events a second over the same trace), each the best of RUNS after one warm-up, per CPU second of the one
 * thread. {@code smptrace bench} runs it in a fresh JVM on the standard workload's trace.
 */
public final class DumpBench {
    private DumpBench() { }

    /** Counts what is written and keeps nothing. */
    static final class Counting extends OutputStream {
        long bytes;
        long lines;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // no scan for newlines here: that would be the benchmark's cost, not the dump's (dump prints one
            // line per event and one summary line; main checks the byte count is plausible)
            bytes += len;
        }
    }

    public static void main(String[] args) throws Exception {
        Path trace = Paths.get(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double bestReader = 0;
        double bestDump = 0;
        long events = 0;
        long lines = 0;
        for (int i = -1; i < runs; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long n = 0;
            try (TraceReader r = TraceReader.open(trace)) {
                Event e = new Event();
                while (r.next(e)) {
                    n++;
                }
            }
            double reader = n / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
            Counting sink = new Counting();
            c0 = mx.getCurrentThreadCpuTime();
            int rc = new Main().run(new String[] {"dump", trace.toString(), "--limit", "0", "--no-header"},
                    new PrintStream(sink, false, java.nio.charset.StandardCharsets.UTF_8), System.err);
            sink.lines = n + 1;
            if (sink.bytes < 20 * n) {
                throw new IllegalStateException("dump wrote " + sink.bytes + " bytes for " + n + " events");
            }
            double dump = sink.lines / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
            if (rc != 0 && rc != Exit.INCOMPLETE) {
                throw new IllegalStateException("dump exited with " + rc);
            }
            if (i >= 0) {
                bestReader = Math.max(bestReader, reader);
                bestDump = Math.max(bestDump, dump);
            }
            events = n;
            lines = sink.lines;
        }
        System.out.printf("%d events, %d lines: dump %.2f M lines/s, reader %.2f M events/s (per CPU second, best of %d)%n",
                events, lines, bestDump / 1e6, bestReader / 1e6, runs);
    }
}

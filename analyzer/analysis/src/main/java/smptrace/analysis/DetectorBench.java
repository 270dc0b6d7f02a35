package smptrace.analysis;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import smptrace.trace.TraceReader;

/**
 * Where the analysis time goes, per detector: {@code DetectorBench TRACE [rounds]} analyses the trace with no
 * detector (reader, happens-before and spin filter only), with each standard detector alone and with all of them,
 * and prints the analysing thread's CPU time per event for each; every round repeats the whole set (the first
 * round warms the JIT up).
 */
public final class DetectorBench {
    private DetectorBench() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DetectorBench TRACE [rounds]");
            System.exit(2);
        }
        Path trace = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> names = new ArrayList<>();
        names.add("none");
        for (Detector d : Analyzer.standardDetectors(null)) {
            names.add(d.getClass().getSimpleName());
        }
        names.add("all");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            for (String name : names) {
                long c0 = mx.getCurrentThreadCpuTime();
                AnalysisResult res;
                try (TraceReader r = TraceReader.open(trace)) {
                    res = new Analyzer(Options.defaults(), a -> {
                        List<Detector> all = Analyzer.standardDetectors(a);
                        if (name.equals("all")) {
                            return all;
                        }
                        List<Detector> one = new ArrayList<>();
                        for (Detector d : all) {
                            if (d.getClass().getSimpleName().equals(name)) {
                                one.add(d);
                            }
                        }
                        return one;
                    }).analyze(r);
                }
                double ns = (mx.getCurrentThreadCpuTime() - c0) / (double) Math.max(1, res.events());
                System.out.printf("round %d  %-26s %6.1f ns/event%n", round, name, ns);
            }
        }
    }
}

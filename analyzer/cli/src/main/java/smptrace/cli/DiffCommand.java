package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code smptrace diff A B}: the findings of A and of B by fingerprint: new (in B only), fixed (in A
 * only) and unchanged, with counts (in how many traces of each side). A and B are each a trace, a
 * bundle, or a directory of traces and bundles (a patch's before and after). Exit 0 the same
 * fingerprints, 1 any new or fixed, 2 bad input.
 */
final class DiffCommand implements Command {
    @Override
    public String name() {
        return "diff";
    }

    @Override
    public String summary() {
        return "new, fixed and unchanged findings by fingerprint between two traces, bundles or directories";
    }

    @Override
    public String footer() {
        return "\nArguments: A B (each a trace, a bundle, or a directory of them). Exit 0 same fingerprints, 1 new or fixed, 2 bad input.";
    }

    @Override
    public Options options() {
        return Main.options(Main.opt("quiet", null, "print nothing if both sides have the same fingerprints (exit 0); otherwise the whole diff"));
    }

    /** One side: per fingerprint, an example finding and in how many traces it appeared. */
    record Side(int traces, Map<String, Finding> example, Map<String, Integer> count) { }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        return Quiet.run(cl.hasOption("quiet"), out, err, (o, e) -> body(cl, o, e));
    }

    private int body(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().size() != 2) {
            throw new UsageException("give two arguments: A B (traces, bundles or directories of them)");
        }
        Path a = Paths.get(cl.getArgList().get(0));
        Path b = Paths.get(cl.getArgList().get(1));
        Side x = side(a);
        Side y = side(b);
        List<String> fresh = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (String fp : y.example().keySet()) {
            (x.example().containsKey(fp) ? same : fresh).add(fp);
        }
        for (String fp : x.example().keySet()) {
            if (!y.example().containsKey(fp)) {
                fixed.add(fp);
            }
        }
        out.println("# A = " + a + " (" + x.traces() + " trace(s)), B = " + b + " (" + y.traces() + " trace(s))");
        print(out, "new", fresh, y, x);
        print(out, "fixed", fixed, x, y);
        print(out, "unchanged", same, y, x);
        out.println("new " + fresh.size() + ", fixed " + fixed.size() + ", unchanged " + same.size());
        return fresh.isEmpty() && fixed.isEmpty() ? Exit.OK : Exit.FINDINGS;
    }

    private static void print(PrintStream out, String what, List<String> fps, Side s, Side other) {
        for (String fp : fps) {
            Finding f = s.example().get(fp);
            out.printf("%-9s %s %s [%s, %s] in %d/%d A, %d/%d B: %s%n", what, fp, f.kind.id, f.mode(), f.rule,
                    what.equals("fixed") ? s.count().get(fp) : other.count().getOrDefault(fp, 0),
                    what.equals("fixed") ? s.traces() : other.traces(),
                    what.equals("fixed") ? 0 : s.count().get(fp), what.equals("fixed") ? other.traces() : s.traces(),
                    f.fingerprintKey);
        }
    }

    private static Side side(Path p) throws Exception {
        List<Path> traces = traces(p);
        if (traces.isEmpty()) {
            throw new UsageException("no trace or bundle at " + p);
        }
        Map<String, Finding> example = new TreeMap<>();
        Map<String, Integer> count = new TreeMap<>();
        for (Path t : traces) {
            AnalysisResult r;
            try (TraceReader reader = TraceReader.open(t)) {
                r = new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Finding f : r.problems()) {
                example.putIfAbsent(f.fingerprint, f);
                if (seen.add(f.fingerprint)) {
                    count.merge(f.fingerprint, 1, Integer::sum);
                }
            }
        }
        return new Side(traces.size(), example, count);
    }

    /** A trace, a bundle's trace, or every trace and bundle directly under a directory. */
    static List<Path> traces(Path p) throws IOException, UsageException {
        if (!Files.isDirectory(p)) {
            throw new UsageException("no trace, bundle or directory at " + p);
        }
        if (Bundle.isBundle(p)) {
            return List.of(p.resolve(Bundle.TRACE_DIR));
        }
        if (isTrace(p)) {
            return List.of(p);
        }
        List<Path> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
            for (Path q : s.filter(Files::isDirectory).sorted().toList()) {
                if (Bundle.isBundle(q)) {
                    l.add(q.resolve(Bundle.TRACE_DIR));
                } else if (isTrace(q)) {
                    l.add(q);
                }
            }
        }
        return l;
    }

    private static boolean isTrace(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.anyMatch(q -> q.getFileName().toString().endsWith(".cq4"));
        }
    }
}

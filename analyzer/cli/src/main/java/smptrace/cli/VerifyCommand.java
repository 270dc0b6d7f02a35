package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.TraceException;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code smptrace verify [DIR...]} (default {@code traces/}): for each bundle, check the seal, analyse
 * the trace again and compare with the expected findings by fingerprint. One line per bundle:
 * {@code unchanged}, or what is {@code new} and what is {@code fixed} (then one line per such finding);
 * a damaged bundle is one line naming what is wrong. Exit 0 all unchanged, 1 any difference, 2 any
 * damaged bundle (a damaged bundle proves nothing, so it outranks a difference).
 */
final class VerifyCommand implements Command {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "check reproducer bundles: seal, re-analysis, expected findings (unchanged / new / fixed)";
    }

    @Override
    public String footer() {
        return "\nArguments: DIR... (bundles, or directories of bundles; default traces/). Exit 0 every bundle unchanged,\n"
                + "1 a finding is new or fixed, 2 a damaged bundle (checksum, missing or unreadable file, unknown version).";
    }

    @Override
    public Options options() {
        return Main.options(Main.opt("quiet", null, "print nothing if every bundle is unchanged (exit 0); otherwise the whole report"));
    }

    /** The outcome of one bundle. */
    record Outcome(Path bundle, String status, List<String> details) { }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        return Quiet.run(cl.hasOption("quiet"), out, err, (o, e) -> verify(cl, o, e));
    }

    private int verify(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        List<Path> dirs = new ArrayList<>();
        if (cl.getArgList().isEmpty()) {
            dirs.add(Launcher.home().resolve("traces"));
        } else {
            for (String a : cl.getArgList()) {
                dirs.add(Paths.get(a));
            }
        }
        List<Path> bundles = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new UsageException("no bundle or directory at " + d);
            }
            if (Bundle.isBundle(d)) {
                bundles.add(d);
            } else {
                List<Path> inside = bundlesUnder(d);
                if (inside.isEmpty()) {
                    throw new UsageException("not a bundle: " + d + " holds no " + Bundle.MANIFEST + " and no bundles");
                }
                bundles.addAll(inside);
            }
        }
        int changed = 0;
        int damaged = 0;
        for (Path b : bundles) {
            Outcome o = verify(b);
            out.println(o.bundle() + ": " + o.status());
            for (String d : o.details()) {
                out.println("  " + d);
            }
            if (o.status().startsWith("DAMAGED")) {
                damaged++;
            } else if (!o.status().startsWith("unchanged")) {
                changed++;
            }
        }
        out.println("verified " + bundles.size() + " bundle(s): " + (bundles.size() - changed - damaged) + " unchanged, " + changed
                + " changed, " + damaged + " damaged");
        return damaged > 0 ? Exit.USAGE : changed > 0 ? Exit.FINDINGS : Exit.OK;
    }

    static List<Path> bundlesUnder(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> Files.isDirectory(p) && Bundle.isBundle(p)).sorted().toList();
        }
    }

    /** Checks one bundle; never throws. */
    static Outcome verify(Path dir) {
        Bundle b;
        try {
            b = Bundle.open(dir);
        } catch (Bundle.Damaged e) {
            return new Outcome(dir, "DAMAGED: " + e.getMessage(), List.of());
        }
        AnalysisResult r;
        try (TraceReader reader = TraceReader.open(b.trace())) {
            if (b.version >= 2 && !String.valueOf(reader.recordedEvents()).equals(b.get("events"))) {
                return new Outcome(dir, "DAMAGED: the trace holds " + reader.recordedEvents() + " events, the manifest says "
                        + b.get("events"), List.of());
            }
            r = new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
        } catch (TraceException e) {
            return new Outcome(dir, "DAMAGED: " + e.getMessage(), List.of());
        } catch (RuntimeException e) {
            return new Outcome(dir, "DAMAGED: the trace cannot be analysed (" + e + ")", List.of());
        }
        if (r.end() != null && !r.end().complete()) {
            return new Outcome(dir, "DAMAGED: the trace is cut short (" + r.end().detail() + ")", List.of());
        }
        return b.version == 1 ? compareKinds(dir, b, r) : compare(dir, b.expected, r.problems());
    }

    /** Expected versus found, by fingerprint. */
    static Outcome compare(Path dir, List<Bundle.Expected> expected, List<Finding> found) {
        Map<String, Bundle.Expected> want = new LinkedHashMap<>();
        for (Bundle.Expected e : expected) {
            want.put(e.fingerprint(), e);
        }
        Map<String, Finding> got = new LinkedHashMap<>();
        for (Finding f : found) {
            got.putIfAbsent(f.fingerprint, f);
        }
        List<String> details = new ArrayList<>();
        int same = 0;
        for (Bundle.Expected e : want.values()) {
            if (got.containsKey(e.fingerprint())) {
                same++;
            } else {
                details.add("fixed " + e.fingerprint() + " " + e.kind() + " [" + e.mode() + ", " + e.rule() + "] " + e.where());
            }
        }
        int fixed = details.size();
        for (Finding f : got.values()) {
            if (!want.containsKey(f.fingerprint)) {
                details.add("new   " + f.fingerprint + " " + f.kind.id + " [" + f.mode() + ", " + f.rule + "] " + f.summary);
            }
        }
        int fresh = details.size() - fixed;
        String status = fixed == 0 && fresh == 0 ? "unchanged (" + same + " finding(s))"
                : "CHANGED: " + same + " unchanged, " + fresh + " new, " + fixed + " fixed";
        return new Outcome(dir, status, details);
    }

    /** Version-1 bundles list finding kinds only: each must still be reported. */
    private static Outcome compareKinds(Path dir, Bundle b, AnalysisResult r) {
        Set<String> got = new LinkedHashSet<>();
        for (Finding f : r.problems()) {
            got.add(f.kind.id);
        }
        List<String> details = new ArrayList<>();
        for (String k : b.legacyKinds) {
            if (!got.contains(k)) {
                details.add("fixed " + k + " (bundle version 1: kinds only)");
            }
        }
        return new Outcome(dir, details.isEmpty() ? "unchanged (" + b.legacyKinds.size() + " kind(s), bundle version 1)"
                : "CHANGED: " + details.size() + " kind(s) fixed (bundle version 1)", details);
    }
}

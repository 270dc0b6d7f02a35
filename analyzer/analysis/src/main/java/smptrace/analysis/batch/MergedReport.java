package smptrace.analysis.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One report for many traces: per trace, what it is and what it found; per finding fingerprint, in
 * how many traces it appears (the same bug in another seed, patch run or machine has the same
 * fingerprint). The same report from {@code smptrace analyze DIR...} and the Spark job
 * (docs/analyzer.md, "Many traces"). Merging is order-independent but for the order of examples: traces
 * are kept in the order given.
 */
public final class MergedReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Example traces kept per fingerprint. */
    static final int EXAMPLES = 3;

    private final List<TraceSummary> traces;
    private final List<Group> groups;

    /** All traces with one fingerprint. */
    public static final class Group {
        public final String fingerprint;
        public final String kind;
        public final String rule;
        public final boolean tolerated;
        /** The accepted-races entry that lists it, or null. */
        public final String accepted;
        public final String summary;
        /** The finding as its first trace reported it (analyze --format json). */
        public final String firstJson;
        int traces;
        long occurrences;
        int observed;
        int predicted;
        final List<String> examples = new ArrayList<>();

        Group(TraceSummary.FindingSummary f) {
            fingerprint = f.fingerprint();
            kind = f.kind();
            rule = f.rule();
            tolerated = f.tolerated();
            accepted = f.accepted();
            summary = f.summary();
            firstJson = f.json();
        }

        public int traces() {
            return traces;
        }

        public long occurrences() {
            return occurrences;
        }

        public List<String> examples() {
            return List.copyOf(examples);
        }
    }

    public MergedReport(List<TraceSummary> traces) {
        this.traces = List.copyOf(traces);
        Map<String, Group> byFp = new LinkedHashMap<>();
        for (TraceSummary t : traces) {
            Map<String, Boolean> seenHere = new LinkedHashMap<>();
            for (TraceSummary.FindingSummary f : t.findings()) {
                String key = f.fingerprint() + (f.tolerated() ? "/t" : "") + (f.accepted() != null ? "/a" : "");
                Group g = byFp.computeIfAbsent(key, k -> new Group(f));
                g.occurrences += f.occurrences();
                if (seenHere.putIfAbsent(key, true) == null) {
                    g.traces++;
                    if (g.examples.size() < EXAMPLES) {
                        g.examples.add(t.trace());
                    }
                }
                if ("observed".equals(f.mode())) {
                    g.observed++;
                } else {
                    g.predicted++;
                }
            }
        }
        List<Group> gs = new ArrayList<>(byFp.values());
        gs.sort(Comparator.comparing((Group g) -> g.tolerated || g.accepted != null).thenComparing(g -> -g.traces).thenComparing(g -> g.kind)
                .thenComparing(g -> g.fingerprint));
        this.groups = List.copyOf(gs);
    }

    public List<TraceSummary> traces() {
        return traces;
    }

    public List<Group> groups() {
        return groups;
    }

    public long unreadable() {
        return traces.stream().filter(t -> !t.readable()).count();
    }

    public long incomplete() {
        return traces.stream().filter(t -> t.readable() && !t.complete()).count();
    }

    public long withProblems() {
        return traces.stream().filter(t -> t.problems() > 0).count();
    }

    public long events() {
        return traces.stream().mapToLong(TraceSummary::events).sum();
    }

    /** The text report: one line per trace, then one block per fingerprint, then the totals. */
    public void text(PrintStream out) {
        out.println("# " + traces.size() + " traces, " + events() + " events");
        for (TraceSummary t : traces) {
            if (!t.readable()) {
                out.println("  " + t.trace() + ": UNREADABLE: " + t.error());
                continue;
            }
            String what = t.problems() == 0 ? "clean" : t.problems() + " finding(s)";
            if (t.tolerated() > 0) {
                what += ", " + t.tolerated() + " tolerated";
            }
            if (t.accepted() > 0) {
                what += ", " + t.accepted() + " accepted kernel race(s)";
            }
            out.println("  " + t.trace() + ": patch " + nz(t.patch()) + " variant " + nz(t.variant()) + ", " + t.events()
                    + " events: " + what + (t.complete() ? "" : " (" + t.status() + ")"));
        }
        out.println();
        if (groups.isEmpty()) {
            out.println("no findings in any trace");
        }
        int i = 0;
        for (Group g : groups) {
            i++;
            out.println(i + ". " + g.kind + (g.tolerated ? " (tolerated)" : "") + (g.accepted != null ? " (accepted: " + g.accepted + ")" : "") + " [" + g.rule + "] fingerprint " + g.fingerprint
                    + ": in " + g.traces + " of " + traces.size() + " traces (" + g.occurrences + " occurrences)");
            out.println("   " + g.summary);
            out.println("   e.g. " + String.join(", ", g.examples));
        }
        out.println();
        out.println("summary: " + traces.size() + " traces, " + withProblems() + " with findings, " + groups.stream()
                .filter(g -> !g.tolerated && g.accepted == null).count() + " distinct findings, " + incomplete() + " incomplete, " + unreadable()
                + " unreadable");
    }

    /** JSON Lines: a "trace" object per trace, a "finding" object per fingerprint, one "summary" object last. */
    public void jsonLines(PrintStream out) {
        for (String line : jsonLines()) {
            out.println(line);
        }
    }

    public List<String> jsonLines() {
        List<String> lines = new ArrayList<>();
        for (TraceSummary t : traces) {
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "trace");
            o.put("trace", t.trace());
            o.put("patch", t.patch());
            o.put("variant", t.variant());
            o.put("events", t.events());
            o.put("status", t.status());
            if (t.error() != null) {
                o.put("error", t.error());
            }
            o.put("problems", t.problems());
            o.put("tolerated", t.tolerated());
            o.put("accepted", t.accepted());
            ArrayNode fps = o.putArray("fingerprints");
            t.findings().stream().map(TraceSummary.FindingSummary::fingerprint).distinct().forEach(fps::add);
            lines.add(o.toString());
        }
        for (Group g : groups) {
            ObjectNode o = JSON.createObjectNode();
            o.put("type", "finding");
            o.put("fingerprint", g.fingerprint);
            o.put("kind", g.kind);
            o.put("rule", g.rule);
            o.put("tolerated", g.tolerated);
            if (g.accepted != null) {
                o.put("accepted", g.accepted);
            }
            o.put("summary", g.summary);
            o.put("traces", g.traces);
            o.put("occurrences", g.occurrences);
            o.put("observed", g.observed);
            o.put("predicted", g.predicted);
            ArrayNode ex = o.putArray("examples");
            g.examples.forEach(ex::add);
            try {
                o.set("first", JSON.readTree(g.firstJson));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.add(o.toString());
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "summary");
        s.put("traces", traces.size());
        s.put("events", events());
        s.put("withFindings", withProblems());
        s.put("distinctFindings", groups.stream().filter(g -> !g.tolerated && g.accepted == null).count());
        s.put("incomplete", incomplete());
        s.put("unreadable", unreadable());
        lines.add(s.toString());
        return lines;
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}

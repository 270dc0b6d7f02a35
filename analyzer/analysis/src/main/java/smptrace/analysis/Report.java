package smptrace.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;

/** Renders an {@link AnalysisResult}: text (default) or JSON Lines, one object per finding (docs/analyzer.md). */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() { }

    public static void text(AnalysisResult r, String trace, PrintStream out) {
        boolean incomplete = r.end() != null && !r.end().complete();
        if (incomplete) {
            // first, so nobody takes what follows for the whole recording
            out.println("INCOMPLETE TRACE: " + r.end().detail());
        }
        out.println("# " + trace + ": patch " + nz(r.patch()) + " variant " + nz(r.variant()) + ", " + r.events() + " events, "
                + r.contexts() + " contexts, " + r.locations() + " locations"
                + (r.end() != null && !r.end().complete() ? " (" + r.end().detail() + ")" : ""));
        if (r.findings().isEmpty()) {
            out.println(incomplete ? "no findings in the " + r.events() + " events that were read; the trace is incomplete, so this is not a clean verdict"
                    : "clean: no findings");
            return;
        }
        int i = 0;
        for (Finding f : r.findings()) {
            i++;
            out.println();
            out.println(i + ". " + f.kind.id + (f.tolerated ? " (tolerated)" : "") + (f.accepted() != null ? " (accepted: "
                    + f.accepted() + ")" : "") + " [" + f.mode() + ", " + f.rule + "] "
                    + f.summary);
            out.println("   fingerprint " + f.fingerprint + (f.occurrences() > 1 ? ", seen " + f.occurrences() + " times" : ""));
            if (f.tolerated) {
                out.println("   tolerated: " + f.reason);
            }
            if (f.accepted() != null) {
                out.println("   accepted kernel race (accepted-races.txt): " + f.acceptedReason());
            }
            for (String w : f.witness) {
                out.println("   " + w);
            }
        }
        out.println();
        StringBuilder sum = new StringBuilder("summary:");
        for (Map.Entry<Finding.Kind, int[]> e : r.counts().entrySet()) {
            sum.append(' ').append(e.getKey().id).append(" ").append(e.getValue()[0]).append(" observed / ")
                    .append(e.getValue()[1]).append(" predicted;");
        }
        long tol = r.findings().stream().filter(f -> f.tolerated).count();
        if (tol > 0) {
            sum.append(" tolerated ").append(tol).append(';');
        }
        if (!r.accepted().isEmpty()) {
            sum.append(" accepted ").append(r.accepted().size()).append(';');
        }
        out.println(sum);
    }

    public static void json(AnalysisResult r, String trace, PrintStream out) {
        for (Finding f : r.findings()) {
            out.println(toJson(f, r, trace).toString());
        }
    }

    public static ObjectNode toJson(Finding f, AnalysisResult r, String trace) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", f.kind.id);
        o.put("mode", f.mode());
        o.put("rule", f.rule);
        o.put("tolerated", f.tolerated);
        if (f.accepted() != null) {
            o.put("accepted", f.accepted());
            o.put("acceptedReason", f.acceptedReason());
        }
        if (f.reason != null) {
            o.put("reason", f.reason);
        }
        o.put("summary", f.summary);
        o.put("fingerprint", f.fingerprint);
        o.put("occurrences", f.occurrences());
        o.put("trace", trace);
        o.put("patch", r.patch());
        o.put("variant", r.variant());
        ArrayNode ev = o.putArray("events");
        for (EventRef e : f.events) {
            ObjectNode x = ev.addObject();
            x.put("thread", e.thread());
            x.put("threadName", e.threadName());
            x.put("seq", e.seq());
            x.put("context", e.context());
            x.put("cpu", e.cpu());
            x.put("op", e.op());
            if (e.location() != null) {
                x.put("location", e.location());
            }
            if (e.value() != null) {
                x.put("value", e.value());
            }
            if (e.function() != null) {
                x.put("function", e.function());
                x.put("file", e.file());
                x.put("line", e.line());
            }
        }
        ArrayNode w = o.putArray("witness");
        f.witness.forEach(w::add);
        return o;
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}

package smptrace.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTML timeline: one self-contained page (inline style, script and data; it fetches nothing).
 * Per trace, a lane per context and CPU along replay order with the witness steps of every root
 * cause; a click on a cause (or on one of its explained findings) highlights its events and draws its
 * arrows: reads-from (solid; happens-before when a release is read by an acquire), and the ordering
 * that is missing between two racing accesses (dashed). Beside it the list of root causes with their
 * witnesses; for {@code patches}, the verdict table linking to each variant's traces. The page script
 * is a resource (smptrace/report.js) so that it is one file to read and to test.
 */
public final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One analysed trace; {@code link}: where the page may link to it (a kept trace's own page), or null. */
    public record Input(AnalysisResult result, String trace, Steps steps) { }

    /** A verdict row of {@code patches}: cells by column, whether it agrees, and the traces it covers (indices into the inputs). */
    public record Verdict(String patch, String variant, String kinds, String expected, boolean agree, List<Integer> traces) { }

    private HtmlReport() { }

    public static void write(List<Input> inputs, ReportOptions o, List<Verdict> verdicts, PrintStream out) {
        ObjectNode data = data(inputs, o, verdicts);
        String json = data.toString().replace("</", "<\\/").replace("<!--", "<\\!--");
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
                + "script-src 'unsafe-inline'; img-src data:\">");
        out.println("<title>smptrace report</title>");
        out.println("<style>" + resource("smptrace/report.css") + "</style>");
        out.println("</head><body>");
        out.println("<header><h1>smptrace report</h1><div id=\"meta\"></div></header>");
        out.println("<div id=\"errors\" hidden></div>");
        out.println("<main><nav id=\"causes\"></nav><section id=\"view\"><div id=\"verdicts\"></div><div id=\"timelines\"></div>"
                + "<div id=\"detail\"></div></section></main>");
        out.println("<script type=\"application/json\" id=\"data\">" + json + "</script>");
        out.println("<script>" + resource("smptrace/report.js") + "</script>");
        out.println("</body></html>");
    }

    static ObjectNode data(List<Input> inputs, ReportOptions o, List<Verdict> verdicts) {
        ObjectNode d = JSON.createObjectNode();
        ArrayNode kinds = d.putArray("kinds");
        for (Finding.Kind k : Finding.Kind.values()) {
            kinds.addObject().put("id", k.id).put("title", k.title).put("severity", k.severity).put("description", k.description);
        }
        ArrayNode traces = d.putArray("traces");
        int ti = 0;
        for (Input in : inputs) {
            ObjectNode t = traces.addObject();
            t.put("index", ti++);
            t.put("name", in.trace());
            t.put("patch", in.result().patch());
            t.put("variant", in.result().variant());
            t.put("events", in.result().events());
            List<RootCauses.Cause> causes = RootCauses.of(in.result().findings(), o.showTolerated(), o.kinds(), in.steps());
            t.put("summary", TextReport.summary(in.result(), causes, causes.stream().mapToInt(c -> c.entries().size()).sum()));
            ArrayNode cs = t.putArray("causes");
            int ci = 0;
            for (RootCauses.Cause c : causes) {
                ci++;
                ObjectNode co = cs.addObject();
                co.put("id", "t" + t.get("index").asInt() + "c" + ci);
                co.put("headline", TextReport.headline(c.head(), in.steps(), o.kernel()));
                ArrayNode es = co.putArray("entries");
                int ei = 0;
                for (RootCauses.Entry e : c.entries()) {
                    es.add(entry(e, co.get("id").asText() + "e" + ei++, in.steps(), o));
                }
            }
            ArrayNode hangs = t.putArray("hangs");
            for (Steps.Stuck s : in.steps().stuck()) {
                ObjectNode h = hangs.addObject();
                h.put("cpu", s.cpu());
                h.put("reason", s.reason());
                ArrayNode l = h.putArray("leadUp");
                for (Steps.Step x : s.leadUp()) {
                    l.add(step(x, in.steps(), o));
                }
            }
        }
        if (verdicts != null) {
            ArrayNode vs = d.putArray("verdicts");
            for (Verdict v : verdicts) {
                ObjectNode x = vs.addObject();
                x.put("patch", v.patch()).put("variant", v.variant()).put("kinds", v.kinds()).put("expected", v.expected())
                        .put("agree", v.agree());
                ArrayNode tl = x.putArray("traces");
                v.traces().forEach(tl::add);
            }
        }
        return d;
    }

    private static ObjectNode entry(RootCauses.Entry e, String id, Steps steps, ReportOptions o) {
        Finding f = e.head();
        ObjectNode x = JSON.createObjectNode();
        x.put("id", id);
        x.put("kind", f.kind.id);
        x.put("mode", f.mode());
        x.put("rules", e.rules());
        x.put("tolerated", e.tolerated());
        if (f.reason != null) {
            x.put("reason", f.reason);
        }
        x.put("summary", Words.summary(f, steps, o.kernel()));
        x.put("headline", TextReport.headline(e, steps, o.kernel()));
        x.put("fingerprint", e.fingerprint());
        x.put("occurrences", e.occurrences());
        ArrayNode st = x.putArray("steps");
        Set<Long> ids = new HashSet<>();
        List<Steps.Step> ss = steps.of(f);
        for (Steps.Step s : ss) {
            st.add(step(s, steps, o));
            ids.add(s.id());
        }
        ArrayNode edges = x.putArray("edges");
        for (Steps.Step s : ss) {
            long rf = s.rf();
            if (rf >= 0 && ids.contains(rf)) {
                Steps.Step w = ss.stream().filter(y -> y.id() == rf).findFirst().orElse(null);
                boolean hb = w != null && (w.kind().order == smptrace.trace.EventKind.Order.RELEASE
                        || w.kind().order == smptrace.trace.EventKind.Order.MB)
                        && (s.kind().order == smptrace.trace.EventKind.Order.ACQUIRE || s.kind().order == smptrace.trace.EventKind.Order.MB);
                edges.addObject().put("from", key(rf)).put("to", key(s.id())).put("type", hb ? "happens-before" : "reads-from");
            }
        }
        // the ordering that is missing between two contexts' conflicting accesses: a race's two sides, two
        // acquisitions of one CSD with no csd_unlock() read in between, two llist_add()s of one node
        if (f.kind == Finding.Kind.DATA_RACE || f.kind == Finding.Kind.LOCK_OWNERSHIP_RACE || f.kind == Finding.Kind.DOUBLE_ENQUEUE
                || f.summary.contains("not ordered")) {
            List<Steps.Step> acc = ss.stream().filter(s -> s.role.equals("access")).toList();
            if (acc.size() == 2 && !acc.get(0).context().equals(acc.get(1).context())) {
                edges.addObject().put("from", key(acc.get(0).id())).put("to", key(acc.get(1).id())).put("type", "missing-ordering");
            }
        }
        // a hang: each stuck context, what it waits for, the last write there and its last steps, as the text says it
        ArrayNode waits = x.putArray("waits");
        for (Steps.Wait w : steps.waits(f)) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            java.io.PrintStream p = new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8);
            TextReport.printWait(f, w, steps, o.kernel(), p);
            waits.add(b.toString(java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
        }
        ArrayNode why = x.putArray("why");
        for (String w : f.witness) {
            if (!w.matches(".*#\\d+\\.\\d+ .*")) {
                why.add(Words.text(w.trim()));
            }
        }
        return x;
    }

    private static String key(long id) {
        return smptrace.trace.Event.threadOf(id) + "." + smptrace.trace.Event.seqOf(id);
    }

    private static ObjectNode step(Steps.Step s, Steps steps, ReportOptions o) {
        ObjectNode x = JSON.createObjectNode();
        EventRef r = s.ref;
        x.put("key", r.thread() + "." + r.seq());
        x.put("pos", s.pos);
        x.put("lane", r.threadName() + " " + r.context() + (r.cpu() < 0 ? "" : " cpu" + r.cpu()));
        x.put("role", s.role);
        x.put("text", Words.access(r));
        x.put("who", Words.who(r));
        if (s.note != null) {
            x.put("note", s.note);
        }
        ArrayNode stack = x.putArray("stack");
        for (Words.Frame f : Words.stack(r, steps, o.kernel(), s.site())) {
            stack.add(f.text());
        }
        return x;
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

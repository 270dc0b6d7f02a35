package smptrace.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Site;

/**
 * SARIF 2.1.0 for code scanning (GitHub and other SARIF consumers): one run; a rule per finding kind
 * (from the one vocabulary, {@link Finding.Kind}); one result per report entry (a finding, or the
 * findings of one racing pair of sites) with its first access as the location, the other accesses as
 * related locations, one code flow with one thread flow per context holding the witness steps in
 * replay order, and partialFingerprints from the entry's stable fingerprint. Many traces (patches)
 * give one run whose results say which trace they come from.
 */
public final class SarifReport {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One analysed trace. */
    public record Input(AnalysisResult result, String trace, Steps steps) { }

    private SarifReport() { }

    public static void write(List<Input> inputs, ReportOptions o, PrintStream out) {
        out.println(build(inputs, o).toPrettyString());
    }

    public static ObjectNode build(List<Input> inputs, ReportOptions o) {
        ObjectNode root = log();
        ArrayNode results = (ArrayNode) root.get("runs").get(0).get("results");
        for (Input in : inputs) {
            results.addAll(results(in, o));
        }
        return root;
    }

    /**
     * One log of many traces from each trace's own {@link #results} (as JSON text): what a batch or Spark task
     * returns of its trace, so that the driver holds no trace and no analysis.
     */
    public static ObjectNode merge(List<String> perTraceResults) {
        ObjectNode root = log();
        ArrayNode results = (ArrayNode) root.get("runs").get(0).get("results");
        for (String r : perTraceResults) {
            if (r == null) {
                continue;
            }
            try {
                results.addAll((ArrayNode) JSON.readTree(r));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // our own text: cannot happen unless memory is corrupt
            }
        }
        return root;
    }

    /** The log with its one run, the rules (one per finding kind, in Finding.Kind order: a result's ruleIndex is its kind's ordinal) and no result. */
    private static ObjectNode log() {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "smptrace");
        driver.put("informationUri", "https://github.com/smptrace/smptrace");
        driver.put("semanticVersion", "0.1.0");
        ArrayNode rules = driver.putArray("rules");
        for (Finding.Kind k : Finding.Kind.values()) {
            ObjectNode r = rules.addObject();
            r.put("id", k.id);
            r.put("name", camel(k.id));
            r.putObject("shortDescription").put("text", capital(k.title));
            r.putObject("fullDescription").put("text", k.description);
            r.putObject("help").put("text", k.description + " See docs/analyzer.md, \"Finding kinds\".");
            r.putObject("defaultConfiguration").put("level", k.level);
            ObjectNode props = r.putObject("properties");
            props.putArray("tags").add("concurrency").add("linux-kernel").add("lkmm");
            props.put("precision", "high");
        }
        // artifact URIs are relative to the repository root: code scanning resolves them against the checkout
        run.putArray("results");
        return root;
    }

    /** One trace's results: one per report entry, root causes first. */
    public static ArrayNode results(Input in, ReportOptions o) {
        ArrayNode results = JSON.createArrayNode();
        List<RootCauses.Cause> causes = RootCauses.of(in.result().findings(), o.showTolerated(), o.kinds(), in.steps());
        int ci = 0;
        for (RootCauses.Cause c : causes) {
            ci++;
            for (RootCauses.Entry e : c.entries()) {
                results.add(result(in, c, ci, e, e.kind().ordinal(), o));
            }
        }
        return results;
    }

    private static ObjectNode result(Input in, RootCauses.Cause c, int causeNo, RootCauses.Entry e, int ruleIdx, ReportOptions o) {
        Finding f = e.head();
        Steps steps = in.steps();
        ObjectNode r = JSON.createObjectNode();
        r.put("ruleId", f.kind.id);
        r.put("ruleIndex", ruleIdx);
        r.put("level", e.tolerated() ? "note" : f.kind.level);
        String head = TextReport.headline(e, steps, o.kernel());
        r.putObject("message").put("text", head + ": " + Words.summary(f, steps, o.kernel()) + (e.tolerated() ? " (tolerated: " + f.reason + ")" : "")
                + (c.head() == e ? "" : " (explained by root cause " + causeNo + ": " + Words.summary(c.head().head(), steps, o.kernel()) + ")"));
        List<Access> acc = accesses(f, steps, in.result(), o);
        ArrayNode locs = r.putArray("locations");
        if (!acc.isEmpty()) {
            locs.add(location(acc.get(0), o, null, -1));
        }
        if (acc.size() > 1) {
            ArrayNode rel = r.putArray("relatedLocations");
            for (int i = 1; i < acc.size(); i++) {
                rel.add(location(acc.get(i), o, Words.access(acc.get(i).ref) + " by " + Words.who(acc.get(i).ref), i));
            }
        }
        // one code flow: one thread flow per context, the witness steps in replay order
        List<Steps.Step> st = steps.of(f);
        if (!st.isEmpty()) {
            Map<String, ArrayNode> flows = new LinkedHashMap<>();
            ObjectNode flow = r.putArray("codeFlows").addObject();
            flow.putObject("message").put("text", "the interleaving of the witness, in replay order");
            ArrayNode tfs = flow.putArray("threadFlows");
            int order = 0;
            for (Steps.Step s : st) {
                String ctx = s.ref.threadName() + " " + s.ref.context();
                ArrayNode tl = flows.get(ctx);
                if (tl == null) {
                    ObjectNode tf = tfs.addObject();
                    tf.put("id", ctx);
                    tf.putObject("message").put("text", Words.who(s.ref));
                    tl = tf.putArray("locations");
                    flows.put(ctx, tl);
                }
                ObjectNode tfl = tl.addObject();
                Site site = Words.site(s.ref, steps.info(), s.site());
                Access a = new Access(s.ref, site, Words.stack(s.ref, steps, o.kernel(), s.site()));
                tfl.set("location", location(a, o, Words.access(s.ref) + (s.note == null ? "" : " -- " + s.note), -1));
                tfl.put("executionOrder", ++order);
                tfl.put("importance", s.role.equals("access") ? "essential" : "important");
                ObjectNode p = tfl.putObject("properties");
                p.put("event", "#" + s.ref.thread() + "." + s.ref.seq());
                p.put("role", s.role);
            }
        }
        r.putObject("partialFingerprints").put("smptraceFinding/v1", e.fingerprint());
        ObjectNode props = r.putObject("properties");
        props.put("trace", in.trace());
        if (in.result().patch() != null) {
            props.put("patch", in.result().patch());
        }
        if (in.result().variant() != null) {
            props.put("variant", in.result().variant());
        }
        props.put("mode", f.mode());
        props.put("rules", e.rules());
        props.put("tolerated", e.tolerated());
        props.put("rootCause", causeNo);
        props.put("rootCauseHead", c.head() == e);
        props.put("occurrences", e.occurrences());
        ArrayNode fps = props.putArray("findingFingerprints");
        e.members.forEach(m -> fps.add(m.fingerprint));
        return r;
    }

    /** An access with its site and stack. */
    private record Access(EventRef ref, Site site, List<Words.Frame> stack) { }

    private static List<Access> accesses(Finding f, Steps steps, AnalysisResult r, ReportOptions o) {
        List<Access> l = new ArrayList<>();
        List<Steps.Step> st = steps.of(f);
        if (!st.isEmpty()) {
            for (Steps.Step s : st) {
                if (s.role.equals("access")) {
                    l.add(new Access(s.ref, Words.site(s.ref, steps.info(), s.site()), Words.stack(s.ref, steps, o.kernel(), s.site())));
                }
            }
        } else {
            for (EventRef e : f.events) {
                l.add(new Access(e, Words.site(e, r.info(), 0), Words.stack(e, steps, o.kernel(), 0)));
            }
        }
        l.removeIf(a -> a.site() == null);
        return l;
    }

    private static ObjectNode location(Access a, ReportOptions o, String message, int id) {
        ObjectNode loc = JSON.createObjectNode();
        if (id >= 0) {
            loc.put("id", id);
        }
        ObjectNode phys = loc.putObject("physicalLocation");
        phys.putObject("artifactLocation").put("uri", o.sources().apply(a.site().className(), a.site().file()));
        phys.putObject("region").put("startLine", Math.max(1, a.site().line()));
        ArrayNode logical = loc.putArray("logicalLocations");
        for (Words.Frame fr : a.stack()) {
            ObjectNode l = logical.addObject();
            l.put("name", fr.function());
            l.put("kind", "function");
            l.put("fullyQualifiedName", fr.engineMethod());
        }
        if (message != null) {
            loc.putObject("message").put("text", message);
        }
        if (!a.stack().isEmpty() && a.stack().get(0).mirror() != null) {
            loc.putObject("properties").put("kernel", a.stack().get(0).function() + " " + a.stack().get(0).mirror().where());
        }
        return loc;
    }

    private static String camel(String id) {
        StringBuilder b = new StringBuilder();
        for (String p : id.split("-")) {
            b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1));
        }
        return b.toString();
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

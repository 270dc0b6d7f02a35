package smptrace.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Renders an {@link AnalysisResult}: text (default) or JSON Lines, one object per finding (docs/analyzer.md). */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() { }

    /** The text report without a second look at the trace (each finding's events as the detectors gave them). */
    public static void text(AnalysisResult r, String trace, PrintStream out) {
        TextReport.print(r, trace, Steps.none(r.info()), ReportOptions.defaults(), out);
    }

    /** The text report: root causes first, KCSAN's shape (see {@link TextReport}). */
    public static void text(AnalysisResult r, String trace, Steps steps, ReportOptions o, PrintStream out) {
        TextReport.print(r, trace, steps, o, out);
    }

    /** JSON Lines, one object per finding, with the root cause it belongs to and each event's call stack. */
    public static void json(AnalysisResult r, String trace, Steps steps, ReportOptions o, PrintStream out) {
        java.util.List<RootCauses.Cause> causes = RootCauses.of(r.findings(), o.showTolerated(), o.kinds(), steps);
        int i = 0;
        for (RootCauses.Cause c : causes) {
            i++;
            boolean head = true;
            for (RootCauses.Entry e : c.entries()) {
                for (Finding f : e.members) {
                    ObjectNode x = toJson(f, r, trace, steps, o.kernel());
                    x.put("cause", i);
                    x.put("causeHead", head && f == e.head());
                    if (f.subject != null) {
                        x.put("subject", f.subject);
                    }
                    ArrayNode ev = (ArrayNode) x.get("events");
                    java.util.List<Steps.Step> st = steps.of(f);
                    for (int k = 0; k < ev.size(); k++) {
                        ObjectNode en = (ObjectNode) ev.get(k);
                        EventRef ref = f.events.get(k);
                        int site = 0;
                        for (Steps.Step s : st) {
                            if (s.ref.thread() == ref.thread() && s.ref.seq() == ref.seq()) {
                                site = s.site();
                                en.put("context", s.ref.context());
                                en.put("cpu", s.ref.cpu());
                                en.put("op", s.ref.op());
                                if (s.ref.value() != null) {
                                    en.put("value", s.ref.value());
                                }
                            }
                        }
                        stack(en.putArray("stack"), ref, steps, o.kernel(), site);
                    }
                    List<Steps.Wait> waits = steps.waits(f);
                    if (!waits.isEmpty()) {
                        // a hang: who is stuck where, waiting for what, and the last events that led there
                        ArrayNode wa = x.putArray("waits");
                        for (Steps.Wait w : waits) {
                            ObjectNode wo = wa.addObject();
                            EventRef wr = w.waiter().ref;
                            wo.put("context", wr.context());
                            wo.put("threadName", wr.threadName());
                            wo.put("cpu", wr.cpu());
                            wo.put("function", Words.function(wr, steps, o.kernel(), w.waiter().site()));
                            wo.put("location", wr.location());
                            if (wr.value() != null) {
                                wo.put("value", wr.value());
                            }
                            wo.put("spinning", w.spinning());
                            wo.put("waitsFor", w.spinning() ? Words.waitsFor(wr)
                                    : "nothing: a loop the watchdog stopped (" + Words.access(wr) + ", " + w.reads() + " times)");
                            wo.put("reads", w.reads());
                            wo.put("since", step(w.spinStart(), steps, o.kernel()));
                            wo.put("waitingRead", step(w.waiter(), steps, o.kernel()));
                            if (w.lastWrite() != null) {
                                wo.put("lastWrite", step(w.lastWrite(), steps, o.kernel()));
                            } else {
                                wo.putNull("lastWrite");
                            }
                            ArrayNode facts = wo.putArray("facts");
                            Words.waitFacts(f, w).forEach(l -> facts.add(Words.fact(l, f, steps, o.kernel())));
                            ArrayNode lead = wo.putArray("leadUp");
                            for (Steps.Step s : w.leadUp()) {
                                lead.add(step(s, steps, o.kernel()));
                            }
                        }
                    }
                    out.println(x.toString());
                }
                head = false;
            }
        }
    }

    /** One step as JSON: the event in the kernel's words, its context, and its call stack. */
    static ObjectNode step(Steps.Step s, Steps steps, KernelMap map) {
        EventRef r = s.ref;
        ObjectNode o = JSON.createObjectNode();
        o.put("thread", r.thread());
        o.put("threadName", r.threadName());
        o.put("seq", r.seq());
        o.put("context", r.context());
        o.put("cpu", r.cpu());
        o.put("op", r.op());
        o.put("access", Words.access(r));
        if (r.location() != null) {
            o.put("location", r.location());
        }
        if (r.value() != null) {
            o.put("value", r.value());
        }
        o.put("role", s.role);
        if (s.note != null) {
            o.put("note", s.note);
        }
        stack(o.putArray("stack"), r, steps, map, s.site());
        return o;
    }

    static void stack(ArrayNode stack, EventRef ref, Steps steps, KernelMap map, int site) {
        for (Words.Frame fr : Words.stack(ref, steps, map, site)) {
            ObjectNode fo = stack.addObject();
            fo.put("function", fr.function());
            if (fr.mirror() != null) {
                fo.put("kernelFile", fr.mirror().file());
                ArrayNode kl = fo.putArray("kernelLines");
                fr.mirror().lines().forEach(kl::add);
            }
            if (fr.code() != null) {
                fo.put("code", fr.code());
            }
            fo.put("engineMethod", fr.engineMethod());
            fo.put("file", fr.file());
            fo.put("line", fr.line());
        }
    }

    public static void json(AnalysisResult r, String trace, PrintStream out) {
        for (Finding f : r.findings()) {
            out.println(toJson(f, r, trace).toString());
        }
    }

    public static ObjectNode toJson(Finding f, AnalysisResult r, String trace) {
        return toJson(f, r, trace, Steps.none(r.info()), ReportOptions.defaults().kernel());
    }

    /**
     * One finding's object. Its summary is the one the text, HTML and SARIF reports print (a data race's two
     * sides named by kernel function and access, {@link Words#summary}), not the detector's engine-level text.
     */
    public static ObjectNode toJson(Finding f, AnalysisResult r, String trace, Steps steps, KernelMap kernel) {
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
        o.put("summary", Words.summary(f, steps, kernel));
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
                x.put("function", Words.text(e.function()));
                x.put("file", e.file());
                x.put("line", e.line());
            }
        }
        ArrayNode w = o.putArray("witness");
        f.witness.forEach(l -> w.add(Words.text(l)));
        return o;
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}

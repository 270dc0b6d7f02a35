package smptrace.analysis;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text report, in KCSAN's shape: root causes first, most severe first; per cause a headline
 * naming the kernel functions ("BUG: data-race in csd_lock / __flush_smp_call_function_queue"), each
 * access with its context, CPU, operation, value and call stack, then the interleaving with every step
 * that matters (the checks included), then the findings the cause explains. Rendered from the
 * findings' data only, so a new finding kind prints without this class knowing it.
 */
public final class TextReport {
    static final String RULE = "==================================================================";

    private TextReport() { }

    public static void print(AnalysisResult r, String trace, Steps steps, ReportOptions o, PrintStream out) {
        List<RootCauses.Cause> causes = RootCauses.of(r.findings(), o.showTolerated(), o.kinds(), steps);
        boolean incomplete = r.end() != null && !r.end().complete();
        if (incomplete) {
            // first, so nobody takes what follows for the whole recording
            out.println("INCOMPLETE TRACE: " + r.end().detail());
        }
        out.println("# " + trace + ": patch " + nz(r.patch()) + " variant " + nz(r.variant()) + ", " + r.events() + " events, "
                + r.contexts() + " contexts, " + r.locations() + " locations"
                + (r.end() != null && !r.end().complete() ? " (" + r.end().detail() + ")" : ""));
        String tree = o.kernel() == null ? null : o.kernel().tree();
        if (tree != null && (!causes.isEmpty() || !steps.stuck().isEmpty())) {
            // the one place the tree of the frames' kernel lines is named
            out.println("# kernel lines: " + tree + "; \"(seed N: ...)\": the lines of that seed's own tree");
        }
        for (Steps.Stuck s : steps.stuck()) {
            out.println();
            out.println(RULE);
            out.println("HANG: the watchdog stopped the run: cpu " + s.cpu() + ": " + s.reason());
            out.println("last events on cpu " + s.cpu() + " before it:");
            for (Steps.Step l : s.leadUp()) {
                out.println("  " + step(l, steps, o.kernel(), false));
            }
        }
        int shown = 0;
        int i = 0;
        for (RootCauses.Cause c : causes) {
            i++;
            out.println();
            out.println(RULE);
            printCause(i, causes.size(), c, steps, o.kernel(), out);
            shown += c.entries().size();
        }
        out.println();
        if (causes.isEmpty()) {
            boolean hidden = r.findings().stream().anyMatch(RootCauses::hidden);
            if (!steps.stuck().isEmpty()) {
                out.println("not clean: the run hung (watchdog record above) and no finding explains it");
            } else if (r.problems().isEmpty() && r.checkedNothing()) {
                // never "clean": with no memory access recorded there was nothing to check (analyze exits 4)
                out.println("nothing checked: the trace holds no memory access (" + r.recorded() + "), so this is not a clean verdict");
                return;
            } else if (r.problems().isEmpty() && incomplete) {
                out.println("no findings in the " + r.events() + " events that were read; the trace is incomplete, so this is not a clean verdict"
                        + (hidden ? " (" + hiddenCount(r) + "; --show-tolerated shows them)" : ""));
                return;
            } else if (r.problems().isEmpty()) {
                out.println("clean: no findings" + (hidden ? " (" + hiddenCount(r) + "; --show-tolerated shows them)" : ""));
                return;
            } else {
                out.println("no findings of the selected kinds (" + r.problems().size() + " other findings)");
            }
        }
        out.println(summary(r, causes, shown));
    }

    static String summary(AnalysisResult r, List<RootCauses.Cause> causes, int shown) {
        StringBuilder sum = new StringBuilder("summary: " + causes.size() + " root cause" + (causes.size() == 1 ? "" : "s")
                + " (" + shown + (shown == 1 ? " entry, " : " entries, ") + r.findings().size() + (r.findings().size() == 1 ? " finding);" : " findings);"));
        for (Map.Entry<Finding.Kind, int[]> e : r.counts().entrySet()) {
            sum.append(' ').append(e.getKey().id).append(' ').append(e.getValue()[0]).append(" observed / ")
                    .append(e.getValue()[1]).append(" predicted;");
        }
        long tol = tolerated(r);
        if (tol > 0) {
            sum.append(" tolerated ").append(tolKinds(r)).append(';');
        }
        if (!r.accepted().isEmpty()) {
            sum.append(" accepted ").append(r.accepted().size()).append(';');
        }
        return sum.toString();
    }

    /** "4 tolerated, 8 accepted kernel races": what a clean verdict hides. */
    static String hiddenCount(AnalysisResult r) {
        long tol = tolerated(r);
        int acc = r.accepted().size();
        return (tol > 0 ? tol + " tolerated" : "") + (tol > 0 && acc > 0 ? ", " : "")
                + (acc > 0 ? acc + " accepted kernel race" + (acc == 1 ? "" : "s") : "");
    }

    static long tolerated(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.tolerated).count();
    }

    /** "data-race 2": the one wording for tolerated findings (text, patches). */
    static String tolKinds(AnalysisResult r) {
        Map<Finding.Kind, Integer> m = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            if (f.tolerated) {
                m.merge(f.kind, 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(k.id).append(' ').append(n));
        return b.toString();
    }

    static void printCause(int i, int n, RootCauses.Cause c, Steps steps, KernelMap map, PrintStream out) {
        RootCauses.Entry h = c.head();
        Finding f = h.head();
        out.println("[" + i + "/" + n + "] BUG: " + headline(h, steps, map));
        out.println(Words.summary(f, steps, map));
        out.println("(" + f.kind.id + (h.tolerated() ? ", tolerated" : "") + ", " + f.mode() + ", " + h.rules()
                + "; fingerprint " + f.fingerprint + (h.occurrences() > 1 ? ", seen " + h.occurrences() + " times" : "") + ")");
        if (f.tolerated) {
            out.println("tolerated: " + f.reason);
        }
        if (f.accepted() != null) {
            out.println("accepted kernel race (accepted-races.txt, " + f.accepted() + "): " + f.acceptedReason());
        }
        List<Steps.Step> st = steps.of(f);
        List<Steps.Wait> waits = steps.waits(f);
        // a hang: each stuck context, what it waits for, the last write there and its own steps that led there
        for (Steps.Wait w : waits) {
            out.println();
            printWait(f, w, steps, map, out);
        }
        // each access of the finding with its stack
        if (!waits.isEmpty()) {
            for (Steps.Step s : st) {
                if (s.role.equals("access") && s.kind() == smptrace.trace.EventKind.STUCK) {
                    out.println();
                    printAccess(s.ref, s.site(), s.note, steps, map, out);
                }
            }
        } else if (!st.isEmpty()) {
            for (Steps.Step s : st) {
                if (s.role.equals("access")) {
                    out.println();
                    printAccess(s.ref, s.site(), s.note, steps, map, out);
                }
            }
        } else {
            for (EventRef e : f.events) {
                out.println();
                printAccess(e, 0, null, steps, map, out);
            }
        }
        if (st.size() > 1 || st.stream().anyMatch(s -> !s.role.equals("access"))) {
            out.println();
            out.println("interleaving (replay order; * = the finding's accesses, ? = earlier reads by the same context"
                    + (waits.isEmpty() ? "" : ", w = the last write to a waited-on location, - = a waiter's steps before its wait") + "):");
            for (Steps.Step s : st) {
                out.println("  " + step(s, steps, map, true));
            }
        }
        List<String> why = new ArrayList<>();
        Set<String> told = new java.util.HashSet<>();
        waits.forEach(w -> told.addAll(Words.waitFacts(f, w)));
        for (String w : f.witness) {
            if (!w.matches(".*#\\d+\\.\\d+ .*") && !told.contains(Words.text(w.trim()))) {
                why.add(Words.text(w.trim()));
            }
        }
        if (!why.isEmpty()) {
            out.println();
            why.forEach(w -> out.println(w));
        }
        if (!c.explained().isEmpty()) {
            out.println();
            out.println("explains " + c.explained().size() + " more:");
            for (RootCauses.Entry e : c.explained()) {
                Finding x = e.head();
                out.println("  - " + x.kind.id + " (" + x.mode() + ", " + e.rules() + ") " + Words.summary(x, steps, map)
                        + "  [" + x.fingerprint + (e.members.size() > 1 ? " +" + (e.members.size() - 1) : "") + "]");
                List<Steps.Step> xs = steps.of(x);
                for (Steps.Step s : xs) {
                    if (s.role.equals("access")) {
                        out.println("      " + Words.access(s.ref) + " by " + Words.who(s.ref) + " at "
                                + stackLine(s.ref, s.site(), steps, map));
                    }
                }
            }
        }
    }

    /** "data-race in csd_lock / __flush_smp_call_function_queue". */
    static String headline(RootCauses.Entry h, Steps steps, KernelMap map) {
        Finding f = h.head();
        Set<String> fns = new LinkedHashSet<>();
        List<Steps.Step> st = steps.of(f);
        if (!steps.waits(f).isEmpty()) {
            // a hang is where its contexts are stuck ("hang in csd_lock_wait"), not what led there
            for (Steps.Wait w : steps.waits(f)) {
                fns.add(Words.function(w.waiter().ref, steps, map, w.waiter().site()));
            }
        } else if (!st.isEmpty()) {
            for (Steps.Step s : st) {
                if (s.role.equals("access") && !(s.kind() == smptrace.trace.EventKind.STUCK && st.size() > 1)) {
                    fns.add(Words.function(s.ref, steps, map, s.site()));
                }
            }
        } else {
            for (EventRef e : f.events) {
                fns.add(Words.function(e, steps, map, 0));
            }
        }
        List<String> l = new ArrayList<>(fns);
        if (l.size() == 1 && f.events.size() > 1 && steps.waits(f).isEmpty()) {
            l.add(l.get(0)); // KCSAN's "in f / f" when both accesses are in one function
        }
        return f.kind.id + " in " + String.join(" / ", l);
    }

    /** One stuck context of a hang: who, in which function, waiting for what; the last write there; how it got there. */
    static void printWait(Finding f, Steps.Wait w, Steps steps, KernelMap map, PrintStream out) {
        EventRef r = w.waiter().ref;
        out.println(Words.who(r) + " is stuck in " + Words.function(r, steps, map, w.waiter().site()) + ":");
        String reads = Words.access(w.spinStart().ref) + " at #" + w.spinStart().ref.thread() + "." + w.spinStart().ref.seq()
                + (w.reads() > 1 ? " and " + (w.reads() - 1) + " more reads of the same value" : "");
        out.println(w.spinning() ? "  waits for " + Words.waitsFor(r) + "; " + reads
                : "  loops without waiting (the watchdog stopped it): " + reads);
        for (Words.Frame fr : Words.stack(r, steps, map, w.waiter().site())) {
            out.println("    " + fr.text());
        }
        Steps.Step lw = w.lastWrite();
        if (lw == null) {
            out.println("  last write to " + r.location() + ": none recorded (its initial value)");
        } else {
            out.println("  last write to " + r.location() + ": " + Words.access(lw.ref) + " by " + Words.who(lw.ref) + " at #"
                    + lw.ref.thread() + "." + lw.ref.seq());
            for (Words.Frame fr : Words.stack(lw.ref, steps, map, lw.site())) {
                out.println("    " + fr.text());
            }
        }
        for (String x : Words.waitFacts(f, w)) {
            out.println("  " + Words.fact(x, f, steps, map));
        }
        if (w.leadUp().size() > 1) {
            out.println("  its last steps before the wait (oldest first):");
            for (Steps.Step s : w.leadUp()) {
                if (s != w.spinStart()) {
                    out.println("    " + step(s, steps, map, false) + (s.note == null || s.role.equals("lead-up") && s.note.startsWith("the ") ? "" : "   -- " + s.note));
                }
            }
        }
    }

    static void printAccess(EventRef r, int site, String note, Steps steps, KernelMap map, PrintStream out) {
        out.println(Words.access(r) + " by " + Words.who(r) + ":" + (note == null ? "" : "   -- " + note));
        for (Words.Frame fr : Words.stack(r, steps, map, site)) {
            out.println("    " + fr.text());
        }
    }

    static String stackLine(EventRef r, int site, Steps steps, KernelMap map) {
        List<Words.Frame> s = Words.stack(r, steps, map, site);
        return s.isEmpty() ? "-" : s.get(0).text();
    }

    static String step(Steps.Step s, Steps steps, KernelMap map, boolean mark) {
        EventRef r = s.ref;
        String m = !mark ? "" : s.role.equals("access") ? "* " : s.role.equals("last-write") ? "w "
                : s.role.equals("lead-up") || s.role.equals("wait") ? "- " : "? ";
        return m + String.format("%-14s %-10s cpu%-2s #%d.%-6d %-62s %s", r.threadName(), r.context(),
                r.cpu() < 0 ? "-" : Integer.toString(r.cpu()), r.thread(), r.seq(), Words.access(r),
                stackLine(r, s.site(), steps, map)) + (s.note == null || !mark ? "" : "   -- " + s.note);
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}

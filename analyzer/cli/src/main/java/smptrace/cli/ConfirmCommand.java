package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.EventRef;
import smptrace.analysis.Finding;
import smptrace.trace.Event;
import smptrace.trace.Site;
import smptrace.trace.TraceInfo;
import smptrace.trace.TraceReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code smptrace confirm TRACE --finding FINGERPRINT --out DIR}: re-executes a predicted finding's run
 * with the controlled scheduler steered toward its witness's interleaving and says whether the bad
 * outcome then happened. The steering is read off the witness structurally ({@link #steering}): events
 * of two or more contexts make a meeting (each held at the scheduling point before its witness access
 * until all have arrived), events of one context a window (held at its first point after the access
 * that precedes the witness's {@code predicted:} step). The confirming trace's header records the
 * steering ({@code steer=}), its schedule.txt replays it exactly, and it can be archived. Ordering
 * violations (weak-memory reorderings) cannot happen on this JVM: their litmus test is written
 * instead with {@code --litmus-out FILE}. Exit 0 confirmed, 1 not confirmed, 2 bad input.
 */
final class ConfirmCommand implements Command {
    private static final Pattern EVENT_ID = Pattern.compile("#(\\d+)\\.(\\d+)\\b");

    @Override
    public String name() {
        return "confirm";
    }

    @Override
    public String summary() {
        return "steer the scheduler toward a predicted finding's witness; say whether it then happened";
    }

    @Override
    public String footer() {
        return "\nArguments: TRACE (an engine trace or bundle) with --finding FINGERPRINT (a predicted finding of analyze) and\n"
                + "--out DIR (the confirming trace, ready for smptrace archive). Exit 0 confirmed (observed in the steered run),\n"
                + "1 not confirmed (also an ordering violation: not executable on this JVM), 2 bad input (an unknown fingerprint,\n"
                + "a trace with no engine header, a finding already observed). See docs/reproducers.md.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("finding", "FINGERPRINT", "the predicted finding to confirm (its fingerprint, as analyze prints it)"),
                Main.opt("out", "DIR", "where to write the confirming trace (must not exist)"),
                Main.opt("litmus-out", "FILE", "ordering violations: write the finding's litmus test to FILE"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().size() != 1) {
            throw new UsageException("want exactly one TRACE");
        }
        String fp = cl.getOptionValue("finding");
        if (fp == null) {
            throw new UsageException("missing --finding FINGERPRINT");
        }
        Path t = Bundle.traceOf(Paths.get(cl.getArgList().get(0)));
        TraceInfo info;
        AnalysisResult r;
        try (TraceReader reader = TraceReader.open(t)) {
            info = reader.info();
            if (!Recorded.isEngineRun(info)) {
                throw new UsageException(t + " has no engine header (patch, variant): there is no run to steer");
            }
            r = new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
        } catch (IllegalArgumentException e) {
            throw new UsageException(t + ": " + e.getMessage());
        }
        Finding f = null;
        for (Finding x : r.findings()) {
            if (x.fingerprint.equals(fp)) {
                f = x;
                break;
            }
        }
        if (f == null) {
            throw new UsageException("no finding " + fp + " in " + t + " (smptrace analyze " + t + " lists them)");
        }
        if (!f.predicted) {
            throw new UsageException("finding " + fp + " (" + f.kind.id + ", " + f.rule + ") is already observed in " + t + ": nothing to confirm");
        }
        if (f.kind == Finding.Kind.ORDERING_VIOLATION) {
            return ordering(f, cl.getOptionValue("litmus-out"), out);
        }
        String outDir = cl.getOptionValue("out");
        if (outDir == null) {
            throw new UsageException("missing --out DIR (where the confirming trace goes)");
        }
        Path dest = Paths.get(outDir);
        if (Files.exists(dest)) {
            throw new UsageException(dest + " exists; give a new directory to --out");
        }
        if ("free".equals(info.header("schedule"))) {
            throw new UsageException(t + " was recorded free-running: steering needs the controlled scheduler (record it with --schedule random|pct)");
        }
        String steer = steering(f, t);
        List<String> run = new ArrayList<>(Recorded.engineArgs(t, info));
        int old = run.indexOf("--steer");
        if (old >= 0) {
            run.subList(old, old + 2).clear();
        }
        run.add("--steer");
        run.add(steer);
        out.println(fp + " " + f.kind.id + " [" + f.mode() + ", " + f.rule + "]: " + f.summary);
        out.println("steering: " + steer + " (seed " + info.header("seed") + ", " + info.header("schedule") + ")");
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, ".smptrace-confirm");
        AnalysisResult now;
        try {
            List<Launcher.BatchRun> done = Launcher.recordBatch(tmp, List.of(run), true);
            Path rec = done.get(0).trace();
            String summary = done.get(0).summary();
            out.println("steered run: " + summary.substring(summary.indexOf('|') + 1).trim());
            Files.move(rec, dest);
        } finally {
            PatchesCommand.delete(tmp);
        }
        try (TraceReader b = TraceReader.open(dest)) {
            now = new Analyzer(smptrace.analysis.Options.defaults()).analyze(b);
        }
        Finding same = null;
        Finding kind = null;
        for (Finding x : now.problems()) {
            if (!x.predicted && x.fingerprint.equals(fp)) {
                same = x;
            }
            if (!x.predicted && x.kind == f.kind && kind == null) {
                kind = x;
            }
        }
        Finding hit = same != null ? same : kind;
        if (hit == null) {
            out.println("NOT CONFIRMED: the steered run did not show " + f.kind.id + " (trace in " + dest + ")");
            return Exit.FINDINGS;
        }
        out.println("CONFIRMED: " + hit.fingerprint + " " + hit.kind.id + " [" + hit.mode() + ", " + hit.rule + "] " + hit.summary);
        if (same == null) {
            out.println("  (observed under its own fingerprint; the prediction was " + fp + ")");
        }
        out.println("confirming trace: " + dest + " (smptrace replay " + dest + ", smptrace archive " + dest + " --name NAME)");
        return Exit.OK;
    }

    /** An ordering violation: a weak-memory outcome x86 and the JVM never show; its litmus test is the evidence. */
    private static int ordering(Finding f, String litmusOut, PrintStream out) throws java.io.IOException {
        out.println(f.fingerprint + " ordering-violation [predicted, " + f.rule + "]: a weak-memory reordering that cannot happen on this JVM;"
                + " it cannot be confirmed by execution");
        if (litmusOut == null) {
            out.println(f.litmus != null ? "  its litmus test: --litmus-out FILE (check it with smptrace litmus or herd7)"
                    : "  and the analysis has no litmus test for it");
            return Exit.FINDINGS;
        }
        if (f.litmus == null) {
            out.println("  the analysis has no litmus test for it: nothing written to " + litmusOut);
            return Exit.FINDINGS;
        }
        String name = f.kind.id + "-" + f.rule + "-" + f.fingerprint;
        Path file = Paths.get(litmusOut);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, f.litmus.replaceFirst("(?m)^C \\S+", "C " + name));
        out.println("  wrote its litmus test to " + file + " (smptrace litmus " + file + ")");
        return Exit.FINDINGS;
    }

    /**
     * The steering, from the witness alone: which contexts (the events' threads, smp-CTX), which sites
     * (each event's file:line) and which occurrence (how many accesses of that context at that site up to
     * and including the event). Two or more contexts: a meeting of each context's last witness event. One
     * context: a window after the event whose witness line precedes the {@code predicted:} step (else
     * after its first event).
     */
    static String steering(Finding f, Path trace) throws Exception {
        if (f.events.isEmpty()) {
            throw new UsageException("finding " + f.fingerprint + " has no witness events to steer toward");
        }
        Map<Integer, EventRef> last = new LinkedHashMap<>();
        for (EventRef e : f.events) {
            if (e.threadName() == null || !e.threadName().startsWith("smp-") || e.file() == null) {
                throw new UsageException("finding " + f.fingerprint + ": witness event " + e.text() + " is not an engine context's access");
            }
            last.put(e.thread(), e);
        }
        if (last.size() >= 2) {
            StringBuilder b = new StringBuilder("meet");
            for (EventRef e : last.values()) {
                b.append(';').append(hold(e, trace));
            }
            return b.toString();
        }
        EventRef before = f.events.get(0);
        String prev = null;
        for (String w : f.witness) {
            if (w.trim().startsWith("predicted:")) {
                break;
            }
            prev = w;
        }
        if (prev != null) {
            Matcher m = EVENT_ID.matcher(prev);
            if (m.find()) {
                int th = Integer.parseInt(m.group(1));
                long seq = Long.parseLong(m.group(2));
                for (EventRef e : f.events) {
                    if (e.thread() == th && e.seq() == seq) {
                        before = e;
                    }
                }
            }
        }
        return "window;" + hold(before, trace);
    }

    /** {@code CTX@FILE:LINE#N}: N = the context's accesses at that site up to and including this event. */
    private static String hold(EventRef e, Path trace) throws Exception {
        int n = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            TraceInfo info = r.info();
            Event ev = new Event();
            while (r.next(ev)) {
                if (ev.thread != e.thread() || ev.seq > e.seq() || !(ev.kind.isMemory())) {
                    continue;
                }
                Site s = info.site(ev.site);
                if (s != null && e.file().equals(s.file()) && s.line() == e.line()) {
                    n++;
                }
            }
        }
        if (n == 0) {
            throw new UsageException("witness event " + e.text() + " is not in " + trace);
        }
        return e.threadName().substring("smp-".length()) + "@" + e.where() + "#" + n;
    }
}

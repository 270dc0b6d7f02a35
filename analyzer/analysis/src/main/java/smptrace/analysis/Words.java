package smptrace.analysis;

import java.util.ArrayList;
import java.util.List;
import smptrace.trace.Site;
import smptrace.trace.TraceInfo;

/**
 * The kernel's words for what reports print, shared by the text, SARIF and HTML reports: operations
 * by the primitive that performs them, contexts as KCSAN names them, call stacks as kernel function
 * names (with the kernel lines the engine says it mirrors next to the engine's file:line), and a
 * finding's headline.
 */
public final class Words {
    private Words() { }

    /** One frame of a call stack. */
    public record Frame(String function, KernelMap.Mirror mirror, String engineMethod, String file, int line, String code) {
        /** What a frame's code is: the kernel's (the engine states what it mirrors), a driver's, or the simulator's. */
        public static final String KERNEL = "kernel";
        public static final String DRIVER = "driver";
        public static final String SIMULATOR = "simulator";

        /**
         * "csd_lock  kernel/smp.c:364-375 (seed 001: 354-361)  [Smp.java:582]"; a frame of code that is no
         * kernel code says so: "s002 (lambda)  (driver)  [Scenarios.java:114]".
         */
        public String text() {
            StringBuilder b = new StringBuilder(function);
            if (mirror != null) {
                b.append("  ").append(mirror.where());
            } else if (code != null && !code.equals(KERNEL)) {
                b.append("  (").append(code).append(')');
            }
            b.append("  [").append(engineMethod.endsWith("." + function) ? "" : engineMethod + " ").append(file).append(':')
                    .append(line).append(']');
            return b.toString();
        }

        public String engineWhere() {
            return file + ":" + line;
        }
    }

    /** The operation in the kernel's words: "plain read", "READ_ONCE", "smp_store_release", ... */
    public static String op(String eventKind) {
        switch (eventKind) {
            case "R_PLAIN": return "plain read";
            case "W_PLAIN": return "plain write";
            case "R_ONCE": return "READ_ONCE";
            case "W_ONCE": return "WRITE_ONCE";
            case "R_ACQUIRE": return "smp_load_acquire";
            case "W_RELEASE": return "smp_store_release";
            case "R_DEREF": return "rcu_dereference";
            case "W_ASSIGN": return "rcu_assign_pointer";
            case "R_COND": return "smp_cond_load";
            case "RMW_MB": return "fully ordered atomic RMW";
            case "RMW_ACQUIRE": return "atomic RMW (acquire)";
            case "RMW_RELEASE": return "atomic RMW (release)";
            case "RMW_RELAXED": return "atomic RMW (relaxed)";
            case "RMW_NORETURN": return "atomic RMW (no return)";
            case "RMW_FAIL_MB": case "RMW_FAIL_ACQUIRE": case "RMW_FAIL_RELEASE": case "RMW_FAIL_RELAXED":
                return "failed cmpxchg";
            case "LOCK": return "spin_lock";
            case "UNLOCK": return "spin_unlock";
            case "LOCK_FAIL": return "spin_lock (held)";
            case "F_MB": return "smp_mb()";
            case "F_WMB": return "smp_wmb()";
            case "F_RMB": return "smp_rmb()";
            case "F_ACQUIRE_AFTER_CTRL_DEP": return "smp_acquire__after_ctrl_dep()";
            case "F_BEFORE_ATOMIC": return "smp_mb__before_atomic()";
            case "F_AFTER_ATOMIC": return "smp_mb__after_atomic()";
            case "F_AFTER_SPINLOCK": return "smp_mb__after_spinlock()";
            case "F_BARRIER": return "barrier()";
            case "F_SYNC_RCU": return "synchronize_rcu()";
            case "CPU_RELAX": return "cpu_relax()";
            default: return eventKind;
        }
    }

    /** Whether the operation writes (for "write to" / "read of" wording). */
    static boolean writes(String eventKind) {
        return eventKind.startsWith("W_") || eventKind.startsWith("RMW_") && !eventKind.startsWith("RMW_FAIL")
                || eventKind.equals("LOCK") || eventKind.equals("UNLOCK");
    }

    static boolean isMemoryOp(String eventKind) {
        return eventKind.startsWith("R_") || eventKind.startsWith("W_") || eventKind.startsWith("RMW_")
                || eventKind.equals("LOCK") || eventKind.equals("UNLOCK") || eventKind.equals("LOCK_FAIL");
    }

    /** "task 9 (smp-sender2) on cpu 2" or "interrupt on cpu 1 (smp-swapper/1)". */
    public static String who(EventRef r) {
        String cpu = r.cpu() < 0 ? "" : " on cpu " + r.cpu();
        if (r.context().startsWith("irq")) {
            return "interrupt" + cpu + " (" + r.threadName() + ")";
        }
        if (r.context().startsWith("task")) {
            return "task " + r.context().substring(4) + " (" + r.threadName() + ")" + cpu;
        }
        return r.threadName() + cpu;
    }

    /** The access in one phrase: "plain write of per_cpu(csd_data, 1).u_flags = 1". */
    public static String access(EventRef r) {
        if (!isMemoryOp(r.op())) {
            return op(r.op());
        }
        StringBuilder b = new StringBuilder(op(r.op()));
        if (r.location() != null) {
            b.append(writes(r.op()) ? " to " : " of ").append(r.location());
            if (r.value() != null) {
                b.append(r.op().startsWith("RMW_") || r.op().equals("LOCK") ? ": " + r.value()
                        : writes(r.op()) ? " = " + r.value() : " -> " + r.value());
            }
        }
        return b.toString();
    }

    /**
     * What a busy-waiting read waits for, from its location and the value it keeps reading: a CSD's
     * {@code u_flags} with CSD_FLAG_LOCK (bit 0) set is csd_lock_wait()'s condition, "CSD_FLAG_LOCK of
     * cfd_data[1].csd[2] to clear (u_flags reads 17)"; anything else "X to change from V".
     */
    public static String waitsFor(EventRef r) {
        String loc = r.location() == null ? "?" : r.location();
        String v = r.value();
        if (loc.endsWith(".u_flags") && v != null) {
            try {
                if ((Long.decode(v) & 1) != 0) {
                    return "CSD_FLAG_LOCK of " + loc.substring(0, loc.length() - ".u_flags".length()) + " to clear (u_flags reads " + v
                            + "; only csd_unlock() by the CPU that runs the CSD clears it)";
                }
            } catch (NumberFormatException e) {
                // not a number: the general wording
            }
        }
        return loc + " to change from " + (v == null ? "its value" : v);
    }

    /**
     * The detector's facts about one waiter of a hang: the indented witness lines that follow the witness line
     * naming the waiter's read (where its CSD was queued, whether that CPU was kicked, its last flush).
     */
    public static List<String> waitFacts(Finding f, Steps.Wait w) {
        List<String> out = new ArrayList<>();
        String tag = "#" + w.waiter().ref.thread() + "." + w.waiter().ref.seq() + " ";
        boolean in = false;
        for (String l : f.witness) {
            if (l.contains(tag)) {
                in = true;
            } else if (in && l.startsWith("   ")) {
                out.add(text(l.trim()));
            } else if (in) {
                break;
            }
        }
        return out;
    }

    /**
     * A witness line that names an event ("the add that made that queue non-empty: smp-worker3 task11 cpu1 #5.178 RMW_MB
     * ...  -- its context never kicked CPU2") in the kernel's words, when {@code steps} has that event: the phrase before
     * it, the access, who, where in kernel terms, and the detector's note; otherwise the line as it is.
     */
    public static String fact(String line, Finding f, Steps steps, KernelMap map) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#(\\d+)\\.(\\d+) ").matcher(line);
        if (!m.find()) {
            return line;
        }
        int t = Integer.parseInt(m.group(1));
        long seq = Long.parseLong(m.group(2));
        for (Steps.Step s : steps.of(f)) {
            EventRef r = s.ref;
            if (r == null || r.thread() != t || r.seq() != seq) {
                continue;
            }
            int from = line.lastIndexOf(r.threadName() + " ", m.start());
            String before = from < 0 ? "" : line.substring(0, from);
            int note = line.indexOf("  -- ", m.end());
            String after = note < 0 ? "" : "   " + line.substring(note + 2).trim();
            return before + access(r) + " by " + who(r) + " at #" + t + "." + seq + "  " + stackText(r, steps, map, s.site()) + after;
        }
        return line;
    }

    /** The stack on one line, innermost first: "llist_add_batch [Llist.java:17] < llist_add ...". */
    static String stackText(EventRef r, Steps steps, KernelMap map, int site) {
        StringBuilder b = new StringBuilder();
        for (Frame fr : stack(r, steps, map, site)) {
            b.append(b.length() == 0 ? "" : " < ").append(fr.text());
            if (b.length() > 400) {
                break;
            }
        }
        return b.toString();
    }

    /** The call stack of an event without its context's history: the recorded site's frame and the callers the code fixes. */
    public static List<Frame> stack(EventRef r, TraceInfo info, KernelMap map, int site) {
        return stack(r, info, map, site, new int[0]);
    }

    /** The call stack of an event, innermost first, from its context's history ({@link Steps#recent}). */
    public static List<Frame> stack(EventRef r, Steps steps, KernelMap map, int site) {
        return stack(r, steps.info(), map, site, steps.recent(smptrace.trace.Event.id(r.thread(), r.seq())));
    }

    /** Frames at most (a recursion in the engine's code ends the stack there). */
    static final int MAX_FRAMES = 16;

    /**
     * The call stack of an event, innermost first. The innermost frame is the recorded site. Each caller is
     * found from the engine's bytecode (the calls of the frame's method, {@link KernelMap#callers}) and the
     * context's own earlier events ({@code recent}: their sites, most recent first): the caller is the
     * calling method whose code the context ran most recently before the frame's method (a method that only
     * returned before, not on the stack, is never taken: it does not call the frame's method), at its call
     * line at or after the line it last ran. A method with one caller in the whole engine needs no history.
     * Where several methods call it and none ran in the history kept, the stack ends there.
     */
    static List<Frame> stack(EventRef r, TraceInfo info, KernelMap map, int site, int[] recent) {
        List<Frame> l = new ArrayList<>();
        Site s = site(r, info, site);
        if (s == null) {
            if (r.function() != null) {
                String fn = r.function();
                int dot = fn.lastIndexOf('.');
                l.add(new Frame(dot < 0 ? fn : fn.substring(dot + 1), null, fn, r.file(), r.line(), null));
            }
            return l;
        }
        l.add(frame(s.className(), s.method(), s.file(), s.line(), map, info));
        if (map == null) {
            return l;
        }
        String cls = s.className();
        String method = s.method();
        int from = 0;
        java.util.Set<String> onStack = new java.util.HashSet<>();
        onStack.add(cls + "#" + method);
        while (l.size() < MAX_FRAMES) {
            List<KernelMap.Call> calls = map.callers(cls, method);
            if (calls.isEmpty()) {
                break;
            }
            // each calling method, scored by the most recent event of it (or, for a method that records
            // nothing itself, of a method that calls it, up to ANCESTRY levels up) in the context's history
            // (a method's own events first; its callers' only where no calling method ran itself)
            KernelMap.Call pick = null;
            int at = Integer.MAX_VALUE;
            boolean tie = false;
            for (int depth = 0; depth <= ANCESTRY && (pick == null || at == Integer.MAX_VALUE - 1) && !tie; depth = depth == 0 ? ANCESTRY : ANCESTRY + 1) {
                pick = null;
                at = Integer.MAX_VALUE;
                java.util.Set<String> tried = new java.util.HashSet<>();
                for (KernelMap.Call c : calls) {
                    String ck = c.callerClass() + "#" + c.callerMethod();
                    if (!tried.add(ck) || onStack.contains(ck)) {
                        continue;
                    }
                    int[] ev = evidence(c.callerClass(), c.callerMethod(), recent, from, info, map, depth);
                    if (ev[0] < at) {
                        at = ev[0];
                        tie = false;
                        pick = callAtOrAfter(calls, c.callerClass(), c.callerMethod(), ev[1]);
                    } else if (ev[0] == at) {
                        tie = true;
                    }
                }
                if (depth == 0 && (tie && at == Integer.MAX_VALUE - 1)) {
                    tie = false; // no calling method ran itself: look at their callers
                    pick = null;
                }
            }
            if (pick == null || tie) {
                break; // nothing in the history tells the callers apart
            }
            if (at == Integer.MAX_VALUE - 1) {
                at = from; // the one caller, with no event of its own
            }
            String key = pick.callerClass() + "#" + pick.callerMethod();
            if (pick.callerClass().startsWith("smptrace.engine.sim.") || !onStack.add(key)) {
                // the simulator's own machinery (interrupt entry, the task's main loop) is no kernel caller
                break;
            }
            l.add(frame(pick.callerClass(), pick.callerMethod(), fileOf(pick.callerClass(), info), pick.line(), map, info));
            cls = pick.callerClass();
            method = pick.callerMethod();
            from = Math.max(at, from);
        }
        return l;
    }

    /**
     * A finding's summary as reports print it: a data race's two sides in the kernel's words ("wr-race on
     * per_cpu(csd_data, 1).func: plain write in smp_call_function_single (smp-sender0) and plain read in
     * __flush_smp_call_function_queue (smp-swapper/1) are not ordered by happens-before"), other kinds the
     * detector's summary with readable names. Every report uses it: text, JSON, HTML, SARIF and the merged report.
     */
    public static String summary(Finding f, Steps steps, KernelMap map) {
        if (f.kind == Finding.Kind.DATA_RACE && f.events.size() == 2 && f.events.get(0).location() != null) {
            EventRef a = f.events.get(0);
            EventRef b = f.events.get(1);
            return f.rule + " on " + a.location() + ": " + side(a, f, steps, map) + " and " + side(b, f, steps, map)
                    + " are not ordered by happens-before";
        }
        return text(f.summary);
    }

    private static String side(EventRef r, Finding f, Steps steps, KernelMap map) {
        int site = 0;
        for (Steps.Step s : steps.of(f)) {
            if (s.ref.thread() == r.thread() && s.ref.seq() == r.seq()) {
                site = s.site();
            }
        }
        return op(r.op()) + " in " + function(r, steps, map, site) + " (" + r.threadName() + ")";
    }

    /** Levels of callers looked at for a calling method that records no event itself. */
    static final int ANCESTRY = 4;

    /**
     * {index in recent of the most recent event of method cls.method (or of a transitive caller of it, up to
     * depth levels), the line of that event if it is the method's own, else 0}; {MAX_VALUE - 1, 0} when nothing
     * in the history is the method or its callers but it is the only caller (decided by the caller); MAX_VALUE
     * for no evidence at all.
     */
    private static int[] evidence(String cls, String method, int[] recent, int from, TraceInfo info, KernelMap map, int depth) {
        for (int i = from; i < recent.length; i++) {
            Site h = info.site(recent[i]);
            if (h != null && h.className().equals(cls) && h.method().equals(method)) {
                return new int[] {i, h.line()};
            }
        }
        int best = Integer.MAX_VALUE - 1;
        if (depth > 0) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (KernelMap.Call c : map.callers(cls, method)) {
                if (seen.add(c.callerClass() + "#" + c.callerMethod())) {
                    best = Math.min(best, evidence(c.callerClass(), c.callerMethod(), recent, from, info, map, depth - 1)[0]);
                }
            }
        }
        return new int[] {best, 0};
    }

    /** The caller's call of the callee at the first call line at or after {@code line}, else its last one before it. */
    private static KernelMap.Call callAtOrAfter(List<KernelMap.Call> calls, String cls, String method, int line) {
        KernelMap.Call best = null;
        KernelMap.Call last = null;
        for (KernelMap.Call c : calls) {
            if (c.callerClass().equals(cls) && c.callerMethod().equals(method)) {
                if (c.line() >= line && (best == null || c.line() < best.line())) {
                    best = c;
                }
                if (c.line() < line && (last == null || c.line() > last.line())) {
                    last = c;
                }
            }
        }
        return best != null ? best : last;
    }

    /** The source file of an engine class, from the trace's sites (else "Class.java" for a top-level class). */
    private static String fileOf(String cls, TraceInfo info) {
        if (info != null) {
            for (Site x : info.sites()) {
                if (x != null && x.className().equals(cls)) {
                    return x.file();
                }
            }
        }
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        int d = simple.indexOf('$');
        return (d < 0 ? simple : simple.substring(0, d)) + ".java";
    }

    /** The site of an access: by id when known, else the trace's site with the same method, file and line; or null. */
    public static Site site(EventRef r, TraceInfo info, int site) {
        Site s = site > 0 && info != null ? info.site(site) : null;
        if (s == null && info != null && r.file() != null) {
            for (Site x : info.sites()) {
                if (x != null && x.line() == r.line() && x.file().equals(r.file()) && r.function().endsWith("." + x.method())) {
                    return x;
                }
            }
        }
        return s;
    }

    static Frame frame(String className, String method, String file, int line, KernelMap map, TraceInfo info) {
        KernelMap.Mirror m = map == null ? null : map.of(className, method);
        if (m != null) {
            m = m.forPatch(info == null ? null : info.header("patch"));
        }
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String fn = m != null ? m.function() : readable(method);
        if (m == null && method.equals("call") && simple.indexOf('$') > 0 && driver(className)) {
            // a callback (smp_call_func_t) is a named class whose one method is call(): the function is its name
            // (Callbacks$scf_handler.call is scf_handler())
            fn = simple.substring(simple.lastIndexOf('$') + 1);
        }
        // the engine states what it mirrors for its kernel code; the simulator's machinery and the drivers (the
        // scenarios and the callbacks they send) mirror nothing; anything else is kernel code without a statement
        String code = m != null ? Frame.KERNEL : className.startsWith("smptrace.engine.sim.") ? Frame.SIMULATOR
                : driver(className) ? Frame.DRIVER : null;
        return new Frame(fn, m, simple.replace('$', '.') + "." + readable(method), file, line, code);
    }

    /** The engine's driver code: its scenarios, the demo, and the callbacks (smp_call_func_t) the scenarios send. */
    private static final String[] DRIVERS = {"smptrace.engine.scenario.", "smptrace.demo.", "smptrace.engine.smp.Callbacks"};

    static boolean driver(String className) {
        for (String d : DRIVERS) {
            if (className.startsWith(d)) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern LAMBDA = java.util.regex.Pattern.compile("lambda\\$(\\w*?)\\$\\d+");

    /**
     * A detector's text (summary, witness line) with the JVM's synthetic names in readable words: a lambda's
     * "Scenarios.lambda$s002$4" is "Scenarios.s002 (lambda)". The detectors name engine sites; reports show them.
     */
    public static String text(String s) {
        if (s == null || s.indexOf("lambda$") < 0) {
            return s;
        }
        java.util.regex.Matcher m = LAMBDA.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(readable(m.group())));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** A lambda's JVM name ("lambda$s002$4") as the code it is: "s002 (lambda)". */
    static String readable(String method) {
        if (method.startsWith("lambda$")) {
            String[] p = method.split("\\$");
            return (p.length > 1 && !p[1].isEmpty() && !p[1].equals("new") && !p[1].equals("static") ? p[1] : "task body") + " (lambda)";
        }
        return method;
    }

    /**
     * The function a headline names for an access: its innermost frame that is not the simulator's machinery
     * (a PREEMPT_ENABLE is recorded in Machine.preemptEnable, called from put_cpu(): the headline says put_cpu),
     * in kernel words where the engine says.
     */
    static String function(EventRef r, Steps steps, KernelMap map, int site) {
        List<Frame> s = stack(r, steps, map, site);
        if (s.isEmpty()) {
            return "?";
        }
        Site own = site(r, steps.info(), site);
        if (own != null && own.className().startsWith("smptrace.engine.sim.") && s.size() > 1) {
            return s.get(1).function();
        }
        if (s.stream().allMatch(f -> Frame.SIMULATOR.equals(f.code())) && r.op() != null) {
            // only the simulator's machinery on the stack (its caller is not told apart by the history): the
            // kernel operation the event records, which the trace names in the kernel's words (PREEMPT_ENABLE)
            String k = r.op().split(" ", 2)[0];
            if (k.matches("[A-Z][A-Z_]+")) {
                return k.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return s.get(0).function();
    }
}

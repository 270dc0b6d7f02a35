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
    public record Frame(String function, KernelMap.Mirror mirror, String engineMethod, String file, int line) {
        /** "csd_lock  kernel/smp.c:354-361 (seed 001)  [Smp.csd_lock Smp.java:490]" */
        public String text() {
            StringBuilder b = new StringBuilder(function);
            if (mirror != null) {
                b.append("  ").append(mirror.where());
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
            return r.op();
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

    /** The call stack of an event, innermost first (today: the recorded site's frame). */
    public static List<Frame> stack(EventRef r, TraceInfo info, KernelMap map, int site) {
        List<Frame> l = new ArrayList<>();
        Site s = site > 0 && info != null ? info.site(site) : null;
        if (s == null && info != null && r.file() != null) {
            for (Site x : info.sites()) {
                if (x != null && x.line() == r.line() && x.file().equals(r.file()) && r.function().endsWith("." + x.method())) {
                    s = x;
                    break;
                }
            }
        }
        if (s != null) {
            l.add(frame(s.className(), s.method(), s.file(), s.line(), map));
        } else if (r.function() != null) {
            String fn = r.function();
            int dot = fn.lastIndexOf('.');
            l.add(new Frame(dot < 0 ? fn : fn.substring(dot + 1), null, fn, r.file(), r.line()));
        }
        return l;
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

    static Frame frame(String className, String method, String file, int line, KernelMap map) {
        KernelMap.Mirror m = map == null ? null : map.of(className, method);
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String fn = m != null ? m.function() : method;
        return new Frame(fn, m, simple + "." + method, file, line);
    }

    /** The function of an access's innermost frame, in kernel words where the engine says. */
    static String function(EventRef r, TraceInfo info, KernelMap map, int site) {
        List<Frame> s = stack(r, info, map, site);
        return s.isEmpty() ? "?" : s.get(0).function();
    }
}

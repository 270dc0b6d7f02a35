package smptrace.analysis;

import smptrace.trace.Event;
import smptrace.trace.EventText;
import smptrace.trace.Site;
import smptrace.trace.ThreadInfo;
import smptrace.trace.TraceInfo;

/**
 * One event of a finding, copied out of the reader's reused {@link Event}: who (recording thread,
 * context, task, CPU), what (operation, location by name, value) and where (engine file:line).
 */
public record EventRef(int thread, String threadName, long seq, String context, int cpu, String op, String location,
                       String value, String function, String file, int line) {

    static EventRef of(Event e, TraceInfo info) {
        ThreadInfo t = info.thread(e.thread);
        Site s = info.site(e.site);
        String loc = e.kind.isMemory() || e.kind == smptrace.trace.EventKind.ASSERT_EXCLUSIVE_ACCESS
                || e.kind == smptrace.trace.EventKind.ASSERT_EXCLUSIVE_WRITER ? info.locationName(e.loc) : null;
        String value = null;
        if (e.kind.isMemory()) {
            value = e.kind.shape == smptrace.trace.EventKind.Shape.RMW
                    ? EventText.valueText(e, e.value, info) + "->" + EventText.valueText(e, e.value2, info)
                    : EventText.valueText(e, e.value, info);
        }
        String ctx = e.inIrq ? "irq(cpu" + e.cpu + ")" : e.task >= 0 ? "task" + e.task : "boot";
        String op = e.kind.isMemory() || e.kind.shape == smptrace.trace.EventKind.Shape.FENCE ? e.kind.name()
                : EventText.what(e, info);
        return new EventRef(e.thread, t == null ? "thread" + e.thread : t.name(), e.seq, ctx, e.cpu, op, loc, value,
                s == null ? null : simple(s.className()) + "." + s.method(), s == null ? null : s.file(), s == null ? 0 : s.line());
    }

    private static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** "file:line" or "-". */
    public String where() {
        return file == null ? "-" : file + ":" + line;
    }

    /** One line: "sender0 task7 cpu0 #1.22 W_PLAIN per_cpu(csd_data, 1).u_flags = 1  Smp.csd_lock (Smp.java:489)". */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(threadName).append(' ').append(context).append(" cpu").append(cpu < 0 ? "-" : Integer.toString(cpu))
                .append(" #").append(thread).append('.').append(seq).append(' ').append(op);
        if (location != null) {
            b.append(' ').append(location);
            if (value != null) {
                b.append(op.startsWith("W") || op.startsWith("UNLOCK") ? " = " : op.startsWith("RMW") ? " " : " -> ").append(value);
            }
        }
        if (function != null) {
            b.append("  ").append(function).append(" (").append(where()).append(')');
        }
        return b.toString();
    }
}

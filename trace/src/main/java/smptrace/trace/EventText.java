package smptrace.trace;

/** Human-readable renderings of events, for dump and for reports. */
public final class EventText {
    private EventText() { }

    /** "smp_store_release mailbox.flag = 3" style: what the event did, without its context. */
    public static String what(Event e, TraceInfo info) {
        EventKind k = e.kind;
        switch (k.shape) {
            case READ:
                return k + " " + info.locationName(e.loc) + " -> " + value(e, e.value, info) + rf(e);
            case WRITE:
                return k + " " + info.locationName(e.loc) + " = " + value(e, e.value, info) + " (co " + e.co + ")";
            case RMW:
                return k + " " + info.locationName(e.loc) + " " + value(e, e.value, info) + " -> " + value(e, e.value2, info)
                        + " (co " + e.co + ")" + rf(e);
            case FAILED_RMW:
                return k + " " + info.locationName(e.loc) + " saw " + value(e, e.value, info) + " expected " + value(e, e.value2, info) + rf(e);
            case FENCE:
                return k.toString();
            default:
                return control(e, info);
        }
    }

    private static String rf(Event e) {
        return e.rfId < 0 ? " (initial value)" : " (rf " + Event.threadOf(e.rfId) + "." + Event.seqOf(e.rfId) + ")";
    }

    /** A value of the event's location as reports print it: pointers as object names (NULL for 0), numbers as numbers. */
    public static String valueText(Event e, long v, TraceInfo info) {
        return value(e, v, info);
    }

    /** Pointers print as object names where the location holds a pointer. */
    private static String value(Event e, long v, TraceInfo info) {
        FieldInfo f = info.field(Event.slotOf(e.loc));
        String cls = info.objectClass(Event.oidOf(e.loc));
        boolean array = cls != null && cls.startsWith("[");
        if (array) {
            boolean refs = cls.startsWith("[L") || cls.startsWith("[[");
            return refs ? (v == 0 ? "NULL" : info.objectName((int) v)) : Long.toString(v);
        }
        if (f != null && f.isPointer()) {
            return v == 0 ? "NULL" : info.objectName((int) v);
        }
        return Long.toString(v);
    }

    private static String control(Event e, TraceInfo info) {
        switch (e.kind) {
            case ALLOC:
                return "ALLOC " + info.objectName((int) e.a) + " : " + info.className((int) e.b);
            case NAME:
                return "NAME #" + e.a + " \"" + e.text + "\"";
            case KFREE:
                return "KFREE " + info.objectName((int) e.a) + (e.b == EventKind.FREE_RETURNED ? " (its function returned)"
                        : e.b == EventKind.FREE_PERCPU ? " (free_percpu)" : " (kfree)");
            case ROLE: {
                ObjectRole r = ObjectRole.ofCode((int) e.b);
                return "ROLE " + info.objectName((int) e.a) + " " + (r == null ? "role" + e.b : r.name())
                        + (e.value >= 0 ? " cpu " + e.value : "") + (e.value2 >= 0 ? " index " + e.value2 : "");
            }
            case TASK_ON_CPU:
                return "TASK_ON_CPU task " + e.a + " on cpu " + e.b;
            case TASK_OFF_CPU:
                return "TASK_OFF_CPU task " + e.a + " off cpu " + e.b;
            case PREEMPT_DISABLE:
            case PREEMPT_ENABLE:
                return e.kind + " -> count " + e.a;
            case IPI_SEND:
                return "IPI_SEND cpu " + e.a + " -> cpu " + e.b;
            case CPU_ONLINE:
                return "CPU_ONLINE cpu " + e.a + (e.b != 0 ? " online" : " offline");
            case FLUSH_BEGIN:
                return "FLUSH_BEGIN cpu " + e.a + " (" + (e.b == 0 ? "ipi" : e.b == 1 ? "idle" : "dying") + ")";
            case STUCK:
                return "STUCK cpu " + e.a + ": " + e.text;
            case ASSERT_EXCLUSIVE_WRITER:
            case ASSERT_EXCLUSIVE_ACCESS:
                return e.kind + " " + info.locationName(e.loc);
            case MARK:
                return "MARK " + e.a + " " + e.b;
            case IRQ_ENTER:
            case IRQ_EXIT:
            case STOP_MACHINE_ENTER:
            case STOP_MACHINE_EXIT:
            case FLUSH_END:
                return e.kind + " cpu " + e.a;
            default:
                return e.kind.toString();
        }
    }

    public static String site(Event e, TraceInfo info) {
        Site s = info.site(e.site);
        return s == null ? "-" : s.shortText();
    }
}

package smptrace.trace;

import java.util.Objects;

/**
 * Compares two traces event for event, by what the events mean rather than by dictionary ids:
 * stream, position, kind, source site (class, method, line), location name, values, coherence
 * index, and the context (task, CPU, preempt count, IRQ state). Used to check that a reproducer
 * still replays exactly as it was recorded.
 */
public final class TraceDiff {
    /** The first difference, or null if the traces are the same event for event. */
    public record Difference(long index, String expected, String actual) { }

    private TraceDiff() { }

    public static Difference compare(EventSource expected, EventSource actual) throws TraceException {
        Event a = new Event();
        Event b = new Event();
        Renumbering ra = new Renumbering();
        Renumbering rb = new Renumbering();
        long i = 0;
        while (true) {
            boolean ha = expected.next(a);
            boolean hb = actual.next(b);
            if (!ha && !hb) {
                return null;
            }
            if (ha != hb) {
                return new Difference(i, ha ? ra.describe(a, expected.info()) : "end of trace", hb ? rb.describe(b, actual.info()) : "end of trace");
            }
            String da = ra.describe(a, expected.info());
            String db = rb.describe(b, actual.info());
            if (!Objects.equals(da, db)) {
                return new Difference(i, da, db);
            }
            i++;
        }
    }

    /**
     * Object ids depend on what the JVM allocated before the run (a batch, another entry point), so
     * objects are compared by their order of first appearance (their ALLOC, or first use), with their
     * class and kernel name; locations by that ordinal and the field's name; pointer values likewise.
     */
    private static final class Renumbering {
        private final java.util.Map<Long, Integer> ordinal = new java.util.HashMap<>();

        String obj(long oid, TraceInfo info) {
            if (oid == 0) {
                return "NULL";
            }
            int n = ordinal.computeIfAbsent(oid, k -> ordinal.size() + 1);
            String cls = info.objectClass((int) oid);
            if (cls != null) {
                cls = cls.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda"); // lambda class names differ per JVM
            }
            String name = info.objectName((int) oid);
            return "@" + n + ":" + (cls == null ? "?" : cls) + (name.contains("#") ? "" : "(" + name + ")");
        }

        String loc(long loc, TraceInfo info) {
            int oid = Event.oidOf(loc);
            int slot = Event.slotOf(loc);
            String cls = info.objectClass(oid);
            FieldInfo f = info.field(slot);
            String member = cls != null && cls.startsWith("[") ? "[" + slot + "]" : "." + (f == null ? "field" + slot : f.name());
            return obj(oid, info) + member;
        }

        String value(Event e, long v, TraceInfo info) {
            String cls = info.objectClass(Event.oidOf(e.loc));
            FieldInfo f = info.field(Event.slotOf(e.loc));
            boolean pointer = cls != null && cls.startsWith("[") ? cls.startsWith("[L") || cls.startsWith("[[") : f != null && f.isPointer();
            return pointer ? obj(v, info) : Long.toString(v);
        }

        /** Everything about an event that a faithful replay must reproduce, as text. */
        String describe(Event e, TraceInfo info) {
            ThreadInfo t = info.thread(e.thread);
            StringBuilder s = new StringBuilder();
            s.append(t == null ? "?" : t.name()).append('.').append(e.seq).append(' ').append(e.kind);
            switch (e.kind.shape) {
                case READ:
                case WRITE:
                case RMW:
                case FAILED_RMW:
                    s.append(' ').append(loc(e.loc, info)).append(" v=").append(value(e, e.value, info));
                    if (e.kind.shape == EventKind.Shape.RMW || e.kind.shape == EventKind.Shape.FAILED_RMW) {
                        s.append(" v2=").append(value(e, e.value2, info));
                    }
                    s.append(" co=").append(e.co);
                    if (e.rfId >= 0) {
                        ThreadInfo w = info.thread(Event.threadOf(e.rfId));
                        s.append(" rf=").append(w == null ? "?" : w.name()).append('.').append(Event.seqOf(e.rfId));
                    }
                    break;
                case FENCE:
                    break;
                default:
                    if (e.kind == EventKind.ALLOC || e.kind == EventKind.NAME) {
                        s.append(' ').append(obj(e.a, info));
                    } else if (e.kind == EventKind.KFREE) {
                        s.append(' ').append(obj(e.a, info)).append(' ').append(e.b);
                    } else if (e.kind == EventKind.ROLE) {
                        s.append(' ').append(obj(e.a, info)).append(' ').append(e.b).append(' ').append(e.value)
                                .append(' ').append(e.value2);
                    } else if (e.kind.args == EventKind.Args.LOC) {
                        s.append(' ').append(loc(e.loc, info));
                    } else {
                        s.append(' ').append(e.a).append(' ').append(e.b);
                    }
                    if (e.text != null) {
                        s.append(" \"").append(e.text).append('"');
                    }
            }
            s.append(" @ ").append(EventText.site(e, info))
                    .append(" task ").append(e.task).append(" cpu ").append(e.cpu).append(" pc ").append(e.preemptCount)
                    .append(e.irqsOff ? " irqs-off" : "").append(e.inIrq ? " in-irq" : "");
            return s.toString();
        }
    }
}

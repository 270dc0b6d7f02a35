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
                return new Difference(i, ha ? describe(a, expected.info()) : "end of trace", hb ? describe(b, actual.info()) : "end of trace");
            }
            String da = ra.apply(describe(a, expected.info()));
            String db = rb.apply(describe(b, actual.info()));
            if (!Objects.equals(da, db)) {
                return new Difference(i, da, db);
            }
            i++;
        }
    }

    /**
     * Unnamed objects print as Class#oid, and oids depend on what the JVM allocated before the run
     * (a batch, a different entry point): number them by first appearance instead.
     */
    private static final class Renumbering {
        private static final java.util.regex.Pattern OID = java.util.regex.Pattern.compile("#(\\d+)");
        private final java.util.Map<String, Integer> ordinal = new java.util.HashMap<>();

        String apply(String text) {
            java.util.regex.Matcher m = OID.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                Integer n = ordinal.computeIfAbsent(m.group(1), k -> ordinal.size() + 1);
                m.appendReplacement(out, "#@" + n);
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    /** Everything about an event that a faithful replay must reproduce, as text. */
    static String describe(Event e, TraceInfo info) {
        ThreadInfo t = info.thread(e.thread);
        StringBuilder s = new StringBuilder();
        s.append(t == null ? "?" : t.name()).append('.').append(e.seq).append(' ')
                .append(EventText.what(e, info)).append(" @ ").append(EventText.site(e, info))
                .append(" task ").append(e.task).append(" cpu ").append(e.cpu).append(" pc ").append(e.preemptCount)
                .append(e.irqsOff ? " irqs-off" : "").append(e.inIrq ? " in-irq" : "");
        return s.toString();
    }
}

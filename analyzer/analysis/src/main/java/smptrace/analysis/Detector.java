package smptrace.analysis;

import java.util.EnumSet;
import java.util.Set;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * One independent check, fed by the pipeline's single pass. {@link #onEvent} runs after the
 * happens-before engine has joined what the event acquires (so {@code a.hb()} is the event's own
 * clock) and before it publishes what the event releases. Must not allocate per event on the common
 * path; state grows with locations and contexts, not with the trace's length.
 */
public interface Detector {
    /** Short name, for diagnostics. */
    String name();

    void onEvent(Event e, Analysis a);

    /**
     * The event kinds {@link #onEvent} is called for (asked once, before the first event); every kind unless a
     * detector narrows it. Narrow it only to a set outside of which onEvent provably does nothing: no finding and
     * no state, not even state kept for a later event of another kind.
     */
    default Set<EventKind> kinds() {
        return EnumSet.allOf(EventKind.class);
    }

    /** Every memory kind (reads, writes, RMWs, failed RMWs, locks, Java synchronisation) and the given others. */
    static Set<EventKind> memoryAnd(EventKind... others) {
        EnumSet<EventKind> s = EnumSet.noneOf(EventKind.class);
        for (EventKind k : EventKind.values()) {
            if (k.isMemory()) {
                s.add(k);
            }
        }
        for (EventKind k : others) {
            s.add(k);
        }
        return s;
    }

    /**
     * An object died (a KFREE, before the event itself is fed): drop what is kept for it. Its live
     * locations are {@code a.lifetimes.freedLocation(0 .. freedCount()-1)}.
     */
    default void onFree(int oid, Analysis a) {
    }

    /** The end of the trace: report what is left (predictions are often decided here). */
    void finish(Analysis a);
}

package smptrace.analysis;

import smptrace.trace.Event;

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
     * An object died (a KFREE, before the event itself is fed): drop what is kept for it. Its live
     * locations are {@code a.lifetimes.freedLocation(0 .. freedCount()-1)}.
     */
    default void onFree(int oid, Analysis a) {
    }

    /** The end of the trace: report what is left (predictions are often decided here). */
    void finish(Analysis a);
}

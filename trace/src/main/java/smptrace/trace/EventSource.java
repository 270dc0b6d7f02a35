package smptrace.trace;

/**
 * A stream of events in an order consistent with program order, reads-from and coherence (see
 * {@link Event}). The trace reader is one; tests build others in memory.
 */
public interface EventSource extends AutoCloseable {
    /** Header and dictionaries; object names fill in while events are read. */
    TraceInfo info();

    /** Fills {@code e} with the next event; false at the end. */
    boolean next(Event e) throws TraceException;

    /** How the trace ended; meaningful once {@link #next} returned false. */
    TraceEnd end();

    @Override
    void close();
}

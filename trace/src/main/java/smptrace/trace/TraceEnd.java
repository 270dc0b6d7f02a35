package smptrace.trace;

/**
 * How a trace ended. {@code COMPLETE}: the recorder closed it. {@code CUT_SHORT}: no end record
 * (the JVM was killed); everything up to the last complete block is there. {@code AGENT_FAILED}:
 * the recorder stopped after an internal error (message in {@link #detail}).
 */
public record TraceEnd(Status status, long events, String detail) {
    public enum Status { COMPLETE, CUT_SHORT, AGENT_FAILED }

    public boolean complete() {
        return status == Status.COMPLETE;
    }
}

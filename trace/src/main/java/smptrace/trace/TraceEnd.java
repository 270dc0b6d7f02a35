package smptrace.trace;

/**
 * How a trace ended. {@code COMPLETE}: the recorder closed it and lost nothing. {@code CUT_SHORT}:
 * no end record (the JVM was killed, the file was truncated); everything up to the last complete
 * block of each thread is there. {@code AGENT_FAILED}: the recorder stopped after an internal error
 * or lost events (message in {@link #detail}). {@code DAMAGED}: a block failed its check and the
 * reader was asked to analyse the intact prefix ({@code --salvage}). Only {@code COMPLETE} is a
 * whole recording.
 */
public record TraceEnd(Status status, long events, String detail) {
    public enum Status { COMPLETE, CUT_SHORT, AGENT_FAILED, DAMAGED }

    public boolean complete() {
        return status == Status.COMPLETE;
    }
}

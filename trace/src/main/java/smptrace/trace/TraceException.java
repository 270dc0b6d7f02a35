package smptrace.trace;

/** A trace that cannot be read: missing, empty, corrupt, truncated past use, or of another version. One line of text. */
public class TraceException extends Exception {
    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}

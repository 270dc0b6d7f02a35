package smptrace.litmus;

/** A litmus file that is not in the C dialect: the message says where and what. */
public final class LitmusSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LitmusSyntaxException(String message) {
        super(message);
    }
}

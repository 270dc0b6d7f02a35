package smptrace.litmus;

/** A construct the front end or the model does not handle; reported per test as "unsupported: what". */
public final class UnsupportedLitmusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedLitmusException(String what) {
        super(what);
    }
}

package smptrace.kernel;

/** The {@code &old} argument of try_cmpxchg on an int: updated with the current value on failure. */
public final class IntOld {
    public int v;

    public IntOld(int v) {
        this.v = v;
    }
}

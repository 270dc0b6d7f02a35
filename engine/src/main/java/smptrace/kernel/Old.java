package smptrace.kernel;

/** The {@code &old} argument of try_cmpxchg on a pointer: updated with the current value on failure. */
public final class Old<T> {
    public T v;

    public Old(T v) {
        this.v = v;
    }
}

package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** A pointer struct member ({@code struct llist_node *first}, {@code call_single_data_t *cur_csd}). */
public final class PtrField<T> extends Field {
    public final Class<T> type;

    public PtrField(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<T> type) {
        super(lookup, owner, name, type);
        this.type = type;
    }

    public static <T> PtrField<T> of(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<T> type) {
        return new PtrField<>(lookup, owner, name, type);
    }
}

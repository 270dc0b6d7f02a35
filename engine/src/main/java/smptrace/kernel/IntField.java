package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** An int (u32, atomic_t counter, flags word) struct member. */
public final class IntField extends Field {
    public IntField(MethodHandles.Lookup lookup, Class<?> owner, String name) {
        super(lookup, owner, name, int.class);
    }

    public static IntField of(MethodHandles.Lookup lookup, Class<?> owner, String name) {
        return new IntField(lookup, owner, name);
    }
}

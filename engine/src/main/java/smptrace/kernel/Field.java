package smptrace.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A struct member that marked accesses (READ_ONCE, smp_load_acquire, cmpxchg, ...) name, the way
 * kernel code names {@code &csd->node.u_flags}. Plain accesses to the same member are ordinary
 * Java field reads and writes; both end up as the same trace location.
 */
public abstract class Field {
    public final Class<?> owner;
    public final String name;
    /** The access handle; the recorder uses it to perform an access and its record as one step. */
    public final VarHandle vh;
    /** Assigned by the recorder on first use: the trace's field id. */
    public volatile int traceId = -1;

    Field(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type) {
        this.owner = owner;
        this.name = name;
        try {
            this.vh = MethodHandles.privateLookupIn(owner, lookup).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no field " + owner.getName() + "." + name + " of type " + type, e);
        }
    }

    /** The member's JVM type descriptor (I, Lsome/Class;). */
    public String descriptor() {
        return vh.varType().descriptorString();
    }

    /** Internal name of the declaring class, as in bytecode (a/b/C). */
    public String ownerInternalName() {
        return owner.getName().replace('.', '/');
    }

    @Override
    public String toString() {
        return owner.getSimpleName() + "." + name;
    }
}

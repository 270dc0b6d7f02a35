package smptrace.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of every modelled kernel structure (struct llist_node, call_single_data, cfd_data, ...).
 *
 * <p>Kernel memory is the fields of KernelObjects: the recording agent gives each object an
 * identity ({@link #oid}) so a trace can name a location as (object, field). The two shadow fields
 * belong to the recorder (per-location write counters and the lock that makes an access and its
 * record one atomic step); the engine never touches them and the agent never instruments them.
 */
public abstract class KernelObject {
    private static final AtomicInteger NEXT_OID = new AtomicInteger(1);

    /** Object identity in the trace; 0 is reserved for NULL. */
    public final int oid;
    /** Recorder-owned: 0 free, 1 held. Serialises an access to this object with its record. */
    public volatile int shadowLock;
    /** Recorder-owned: per field id, how many writes this location has had (its coherence index). */
    public int[] shadowCo;

    protected KernelObject() {
        this.oid = allocateOid();
        TraceHooks.kobj_alloc(this);
    }

    /** A fresh object identity (the recorder also uses it for kernel arrays). */
    public static int allocateOid() {
        return NEXT_OID.getAndIncrement();
    }

    /** A short name for reports, e.g. "csd_data[2]"; the default is the struct name. */
    public String kname() {
        return getClass().getSimpleName() + "#" + oid;
    }
}

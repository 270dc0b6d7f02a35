package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

/**
 * A driver that re-arms one CSD with a new func/info for every request (INIT_CSD() again, then
 * smp_call_function_single_async()), serialising the reuse itself: the callback sets {@code done}
 * with a release store, and the driver waits for it with an acquire before touching the CSD again
 * (smp_call_function_single_async()'s contract: "must not be re-used until csd->node.u_flags == 0").
 */
public final class rearm_dev extends KernelObject {
    public static final IntField DONE = IntField.of(MethodHandles.lookup(), rearm_dev.class, "done");

    public int done;
    public final call_single_data csd = new call_single_data();
    /** The info of the even and of the odd requests (each armed with its own callback). */
    public final rearm_req even = new rearm_req(this);
    public final rearm_req odd = new rearm_req(this);
}

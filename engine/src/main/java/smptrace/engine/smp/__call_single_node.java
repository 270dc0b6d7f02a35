package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;
import smptrace.kernel.LlistNode;

/**
 * struct __call_single_node (include/linux/smp_types.h). The llist_node {@code llist} is this
 * object's superclass, so {@code &csd->node.llist} is the CSD itself (container_of is identity)
 * and the link field is {@code next}.
 */
public class __call_single_node extends LlistNode {
    public static final IntField U_FLAGS = IntField.of(MethodHandles.lookup(), __call_single_node.class, "u_flags");

    /** union { unsigned int u_flags; atomic_t a_flags; }: CSD_FLAG_LOCK | CSD_TYPE_*. */
    public int u_flags;
    /** u16 src, dst: filled only under CONFIG_CSD_LOCK_WAIT_DEBUG. */
    public int src;
    public int dst;
}

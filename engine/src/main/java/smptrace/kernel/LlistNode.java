package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** struct llist_node. */
public class LlistNode extends KernelObject {
    public static final PtrField<LlistNode> NEXT = PtrField.of(MethodHandles.lookup(), LlistNode.class, "next", LlistNode.class);

    public LlistNode next;
}

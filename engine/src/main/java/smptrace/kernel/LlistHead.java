package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** struct llist_head. */
public final class LlistHead extends KernelObject {
    public static final PtrField<LlistNode> FIRST = PtrField.of(MethodHandles.lookup(), LlistHead.class, "first", LlistNode.class);

    public LlistNode first;
}

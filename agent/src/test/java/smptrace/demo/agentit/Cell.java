package smptrace.demo.agentit;

import smptrace.kernel.AtomicT;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;
import smptrace.kernel.PtrField;

import java.lang.invoke.MethodHandles;

/** Kernel memory for the agent's integration tests. */
public final class Cell extends KernelObject {
    public static final IntField V = IntField.of(MethodHandles.lookup(), Cell.class, "v");
    public static final PtrField<Cell> P = PtrField.of(MethodHandles.lookup(), Cell.class, "p", Cell.class);

    public int v;
    public int w;
    public long wide;
    public Cell p;
    public final AtomicT cnt = new AtomicT(0);
    public final int[] slots = new int[4];
}

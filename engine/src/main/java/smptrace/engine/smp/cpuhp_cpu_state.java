package smptrace.engine.smp;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;

/**
 * struct cpuhp_cpu_state (kernel/cpu.c), reduced to the bring-up handshake: the AP's complete(&st->done_up)
 * after it set itself online, and the control task's wait_for_ap_thread(st, true). A completion is taken
 * and released under its wait-queue lock, so the model publishes with a release store of {@code done_up}
 * (the completions so far) that the waiter reads with acquire.
 */
public final class cpuhp_cpu_state extends KernelObject {
    public static final IntField DONE_UP = IntField.of(MethodHandles.lookup(), cpuhp_cpu_state.class, "done_up");

    /** complete(&st->done_up) calls so far. */
    public int done_up;
}

package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.AtomicT;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

/** struct multi_stop_data (kernel/stop_machine.c): the state machine every stopper spins in. */
public final class multi_stop_data extends KernelObject {
    public static final IntField STATE = IntField.of(MethodHandles.lookup(), multi_stop_data.class, "state");

    public cpu_stop_fn_t fn;
    public Object data;
    public int num_threads;
    public cpumask active_cpus;
    public int state;
    public final AtomicT thread_ack = new AtomicT(0);
}

package smptrace.engine.smp;

import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;

/** struct cpu_stop_done (kernel/stop_machine.c): nr_todo counts the stoppers still running; ret collects errors. */
public final class cpu_stop_done extends KernelObject {
    public final AtomicT nr_todo;
    public int ret;

    public cpu_stop_done(int n) {
        this.nr_todo = new AtomicT(n);
    }
}

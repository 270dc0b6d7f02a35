package smptrace.engine.sim;

import java.util.ArrayDeque;
import smptrace.kernel.SpinLock;

/** Simulator bookkeeping for one CPU (not kernel memory): who runs, the runqueue, pending IPI, hotplug state. */
public final class Cpu {
    public final int id;
    Ctx current;
    final ArrayDeque<Ctx> runq = new ArrayDeque<>();
    Ctx idle;
    Ctx stopper;
    /** The runqueue lock (kernel memory: rq->__lock), taken at every switch and migration. */
    SpinLock rqLock;
    /** struct cpu_stopper of this CPU (kernel memory). */
    smptrace.engine.smp.cpu_stopper cpuStopper;
    boolean irqsOff;
    boolean ipiPending;
    /** Work queued for this CPU's stopper (cpu_stop_queue_work). */
    Runnable stopperWork;
    /** True once smpcfd_dying_cpu() has flushed this CPU's queue while it was going down. */
    boolean dyingFlushed;
    /** Dead: after take_cpu_down's stopper finished. A dead CPU runs nothing. */
    boolean dead;
    /** Set by cpuUp(): what the CPU's idle task runs first when it comes back (start_secondary()); then null. */
    Runnable bringup;
    int flushIterations;
    boolean inFlush;

    Cpu(int id) {
        this.id = id;
    }

    public boolean isDead() {
        return dead;
    }

    public boolean isDyingFlushed() {
        return dyingFlushed;
    }
}

package smptrace.engine.smp;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.cmpxchg;
import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_mb;

import smptrace.kernel.Mirrors;

/**
 * kernel/irq_work.c, the parts that meet kernel/smp.c: a remote irq_work is queued on the target's
 * call_single_queue as a CSD_TYPE_IRQ_WORK node and run by the flush's second pass. a_flags is the
 * node's u_flags word: atomic_read/atomic_set are READ_ONCE/WRITE_ONCE of it, atomic_cmpxchg a cmpxchg,
 * and atomic_fetch_or() (fully ordered) a fully ordered cmpxchg loop (no fetch_or primitive; same
 * ordering on success, relaxed re-reads on failure).
 */
public final class IrqWork {
    private final Smp smp;
    private final smptrace.engine.sim.Machine m;
    private final smptrace.engine.sim.Monitor mon;

    public IrqWork(Smp smp, smptrace.engine.sim.Machine m) {
        this.smp = smp;
        this.m = m;
        this.mon = m.mon;
    }

    /** atomic_fetch_or(i, &work->node.a_flags). */
    @Mirrors(value = "atomic_fetch_or", file = "include/linux/atomic/atomic-instrumented.h")
    private static int atomic_fetch_or(int i, __call_single_node n) {
        int old = READ_ONCE(n, __call_single_node.U_FLAGS);
        while (true) {
            int w = cmpxchg(n, __call_single_node.U_FLAGS, old, old | i);
            if (w == old) {
                return old;
            }
            old = w;
        }
    }

    /** irq_work_claim(): claim the entry; false if it is already pending. */
    @Mirrors(value = "irq_work_claim", file = "kernel/irq_work.c")
    private static boolean irq_work_claim(irq_work work) {
        int oflags;

        oflags = atomic_fetch_or(irq_work.IRQ_WORK_CLAIMED | Smp.CSD_TYPE_IRQ_WORK, work);
        /*
         * If the work is already pending, no need to raise the IPI.
         * The pairing smp_mb() in irq_work_single() makes sure
         * everything we did before is visible.
         */
        return (oflags & irq_work.IRQ_WORK_PENDING) == 0;
    }

    /** irq_work_queue_on(): enqueue on a remote CPU's call_single_queue (the local path is not modelled). */
    @Mirrors(value = "irq_work_queue_on", file = "kernel/irq_work.c")
    public boolean irq_work_queue_on(irq_work work, int cpu) {
        /* All work should have been flushed before going offline */
        if (!smp.cpu_online(cpu)) {
            mon.warn("irq_work_queue_on: CPU" + cpu + " is offline");   // WARN_ON_ONCE(cpu_is_offline(cpu))
        }

        /* Only queue if not already pending */
        if (!irq_work_claim(work)) {
            return false;
        }

        smp.preempt_disable();
        if (cpu != smp.smp_processor_id()) {
            smp.__smp_call_single_queue(cpu, work);
        } else {
            mon.warn("irq_work_queue_on: the local irq_work path (__irq_work_queue_local) is not modelled");
        }
        smp.preempt_enable();
        return true;
    }

    /** irq_work_single(): run one claimed entry (from the flush of the CPU it was queued on). */
    @Mirrors(value = "irq_work_single", file = "kernel/irq_work.c")
    static void irq_work_single(irq_work work) {
        int flags;

        /*
         * Clear the PENDING bit, after this point the @work can be re-used.
         * The PENDING bit acts as a lock, and we own it, so we can clear it
         * without atomic ops.
         */
        flags = READ_ONCE(work, __call_single_node.U_FLAGS);   // atomic_read(&work->node.a_flags)
        flags &= ~irq_work.IRQ_WORK_PENDING;
        WRITE_ONCE(work, __call_single_node.U_FLAGS, flags);   // atomic_set(&work->node.a_flags, flags)

        /*
         * See irq_work_claim().
         */
        smp_mb();

        // lockdep_irq_work_enter(flags);
        work.func.call(work);
        // lockdep_irq_work_exit(flags);

        /*
         * Clear the BUSY bit, if set, and return to the free state if no-one
         * else claimed it meanwhile.
         */
        cmpxchg(work, __call_single_node.U_FLAGS, flags, flags & ~irq_work.IRQ_WORK_BUSY);
        // rcuwait_wake_up(&work->irqwait): PREEMPT_RT or no arch irq_work interrupt only
    }

    /** irq_work_is_busy(). */
    @Mirrors(value = "irq_work_is_busy", file = "include/linux/irq_work.h")
    public static boolean irq_work_is_busy(irq_work work) {
        return (READ_ONCE(work, __call_single_node.U_FLAGS) & irq_work.IRQ_WORK_BUSY) != 0;
    }

    /** irq_work_sync(): wait until the entry is no longer busy (the !PREEMPT_RT busy-wait). */
    @Mirrors(value = "irq_work_sync", file = "kernel/irq_work.c")
    public void irq_work_sync(irq_work work) {
        // lockdep_assert_irqs_enabled(); might_sleep();
        while (irq_work_is_busy(work)) {
            m.spin("irq_work_sync", -1);            // simulator bookkeeping: a busy-wait (PCT lets others run)
            cpu_relax();
        }
        m.spinDone();
    }
}

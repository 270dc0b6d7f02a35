package smptrace.engine.smp;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_mb;
import static smptrace.kernel.Kernel.smp_rmb;
import static smptrace.kernel.Kernel.smp_store_release;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;
import smptrace.kernel.LlistNode;
import smptrace.kernel.Mirrors;
import smptrace.kernel.TraceHooks;

/**
 * kernel/sched/core.c, the parts that meet kernel/smp.c: try_to_wake_up() of a task that sleeps on another
 * CPU queues the task's wake_entry (CSD_TYPE_TTWU) on that CPU's call_single_queue (ttwu_queue_wakelist()),
 * and the flush's third pass hands what is left to sched_ttwu_pending(), which activates each task.
 *
 * <p>Reduced: the sleeper really sleeps before it is woken (the scenario's handshake), so the ttwu_runnable()
 * path of a task still on its runqueue and the p->on_cpu wait are not modelled. The rq lock that
 * sched_ttwu_pending() holds and the woken task's switch-in under it are modelled by a release store of
 * {@code __state = TASK_RUNNING} that the sleeper's schedule() reads with acquire (the lock chain's ordering).
 */
public final class Ttwu {
    /** struct rq, reduced to {@code ttwu_pending}. */
    public static final class rq extends KernelObject {
        public static final IntField TTWU_PENDING = IntField.of(MethodHandles.lookup(), rq.class, "ttwu_pending");
        public int ttwu_pending;
    }

    private final Smp smp;
    private final smptrace.engine.sim.Machine m;
    private final rq[] runqueues;

    public Ttwu(Smp smp, smptrace.engine.sim.Machine m) {
        this.smp = smp;
        this.m = m;
        this.runqueues = new rq[smp.nr_cpu_ids];
        for (int cpu = 0; cpu < smp.nr_cpu_ids; cpu++) {
            runqueues[cpu] = new rq();
            TraceHooks.kobj_name(runqueues[cpu], "cpu_rq(" + cpu + ")");
        }
        smp.ttwu = this;                             // the flush's third pass calls sched_ttwu_pending()
    }

    /** set_current_state(state): smp_store_mb(current->__state, state). */
    @Mirrors(value = "set_current_state", file = "include/linux/sched.h")
    public static void set_current_state(ttwu_task p, int state) {
        WRITE_ONCE(p, ttwu_task.STATE, state);
        smp_mb();
    }

    /**
     * schedule() of a task that set TASK_INTERRUPTIBLE: deactivate_task() takes it off its runqueue, and it
     * runs again once a wake-up set it TASK_RUNNING (the model's sleeping task spins, marked as a wait).
     */
    @Mirrors(value = "schedule", file = "kernel/sched/core.c")
    public void schedule(ttwu_task p) {
        smp_store_release(p, ttwu_task.ON_RQ, 0);    // __schedule(): deactivate_task() under the rq lock
        while (smp_load_acquire(p, ttwu_task.STATE) != ttwu_task.TASK_RUNNING) {
            m.spin("schedule (sleeping)", -1);
            cpu_relax();
        }
        m.spinDone();
    }

    /** try_to_wake_up(p, state, 0): true if p was woken. */
    @Mirrors(value = "try_to_wake_up", file = "kernel/sched/core.c")
    public boolean try_to_wake_up(ttwu_task p, int state) {
        boolean flags = smp.local_irq_save();        // raw_spin_lock_irqsave(&p->pi_lock, flags)
        smp_mb();                                    // smp_mb__after_spinlock()
        if ((READ_ONCE(p, ttwu_task.STATE) & state) == 0) {   // ttwu_state_match()
            smp.local_irq_restore(flags);
            return false;
        }
        smp_rmb();
        if (smp_load_acquire(p, ttwu_task.ON_RQ) != 0) {
            m.mon.warn("try_to_wake_up: the ttwu_runnable() path (task still queued) is not modelled");
            smp.local_irq_restore(flags);
            return false;
        }
        WRITE_ONCE(p, ttwu_task.STATE, ttwu_task.TASK_WAKING);
        int cpu = p.wake_cpu;                        // select_task_rq()
        if (cpu == smp.smp_processor_id()) {
            m.mon.warn("try_to_wake_up: the local wake-up (ttwu_queue() without the wakelist) is not modelled");
        } else {
            __ttwu_queue_wakelist(p, cpu);           // ttwu_queue_wakelist(): ttwu_queue_cond() holds for a remote CPU
        }
        smp.local_irq_restore(flags);
        return true;
    }

    /** __ttwu_queue_wakelist(): mark the runqueue and queue the task's wake_entry on the CPU's call_single_queue. */
    @Mirrors(value = "__ttwu_queue_wakelist", file = "kernel/sched/core.c")
    private void __ttwu_queue_wakelist(ttwu_task p, int cpu) {
        rq rq = runqueues[cpu];                      // cpu_rq(cpu)
        WRITE_ONCE(rq, rq.TTWU_PENDING, 1);
        smp.__smp_call_single_queue(cpu, p);         // __smp_call_single_queue(cpu, &p->wake_entry.llist)
    }

    /** sched_ttwu_pending(): the flush's third pass, with the TTWU nodes the first two left on the list. */
    @Mirrors(value = "sched_ttwu_pending", file = "kernel/sched/core.c")
    void sched_ttwu_pending(LlistNode llist) {
        rq rq = runqueues[smp.smp_processor_id()];  // this_rq()
        if (llist == null) {
            return;
        }
        // rq_lock_irqsave(rq, &rf); update_rq_clock(rq): the rq lock's ordering is the release below
        ttwu_task t;
        for (ttwu_task p = (ttwu_task) llist; p != null; p = t) {  // llist_for_each_entry_safe(p, t, llist, wake_entry.llist)
            t = (ttwu_task) p.next;
            ttwu_do_activate(p);
        }
        WRITE_ONCE(rq, rq.TTWU_PENDING, 0);
        // rq_unlock_irqrestore(rq, &rf)
    }

    /** ttwu_do_activate() -> activate_task(), ttwu_do_wakeup(): the task is runnable again. */
    @Mirrors(value = "ttwu_do_activate", file = "kernel/sched/core.c")
    private static void ttwu_do_activate(ttwu_task p) {
        WRITE_ONCE(p, ttwu_task.ON_RQ, 1);           // activate_task(): p->on_rq = TASK_ON_RQ_QUEUED
        smp_store_release(p, ttwu_task.STATE, ttwu_task.TASK_RUNNING);  // ttwu_do_wakeup(): WRITE_ONCE(p->__state, TASK_RUNNING) under the rq lock
    }
}

package smptrace.engine.smp;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.atomic_dec_and_test;
import static smptrace.kernel.Kernel.atomic_read_acquire;
import static smptrace.kernel.Kernel.atomic_set;
import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_wmb;

import smptrace.engine.sim.Machine;
import smptrace.kernel.TraceHooks;

/**
 * kernel/stop_machine.c: stop_machine_cpuslocked() wakes every online CPU's stopper (the
 * highest-priority task, which the machine runs on a CPU only when its current task is
 * preemptible) and waits for them; every stopper runs multi_cpu_stop(), the state machine with
 * {@code atomic_t thread_ack} and {@code WRITE_ONCE(msdata->state)}, IRQs off from
 * MULTI_STOP_DISABLE_IRQ on; the active CPU runs the function in MULTI_STOP_RUN.
 */
public final class StopMachine {
    public static final int MULTI_STOP_NONE = 0;
    public static final int MULTI_STOP_PREPARE = 1;
    public static final int MULTI_STOP_DISABLE_IRQ = 2;
    public static final int MULTI_STOP_RUN = 3;
    public static final int MULTI_STOP_EXIT = 4;

    private final Smp smp;
    private final Machine m;

    public StopMachine(Smp smp, Machine m) {
        this.smp = smp;
        this.m = m;
    }

    /** set_state(). */
    private void set_state(multi_stop_data msdata, int newstate) {
        /* Reset ack counter. */
        atomic_set(msdata.thread_ack, msdata.num_threads);
        smp_wmb();
        WRITE_ONCE(msdata, multi_stop_data.STATE, newstate);
    }

    /** ack_state(): the last CPU to ack advances the state. */
    private void ack_state(multi_stop_data msdata) {
        if (atomic_dec_and_test(msdata.thread_ack)) {
            set_state(msdata, msdata.state + 1);
        }
    }

    /** multi_cpu_stop(): runs in every online CPU's stopper. */
    public int multi_cpu_stop(Object data) {
        multi_stop_data msdata = (multi_stop_data) data;
        int newstate;
        int curstate = MULTI_STOP_NONE;
        int cpu = smp.smp_processor_id();
        boolean is_active;
        int err = 0;
        boolean flags = smp.irqs_disabled();       // local_save_flags(flags)

        if (msdata.active_cpus == null) {
            is_active = cpu == cpumask.cpumask_first(smp.g.cpu_online_mask, smp.nr_cpu_ids);
        } else {
            is_active = cpumask.cpumask_test_cpu(cpu, msdata.active_cpus);
        }

        TraceHooks.stop_machine_enter(cpu);
        /* Simple state machine */
        do {
            /* Chill out and ensure we re-read multi_stop_state. */
            m.spin("multi_cpu_stop", -1);
            cpu_relax();                            // stop_machine_yield()
            newstate = READ_ONCE(msdata, multi_stop_data.STATE);
            if (newstate != curstate) {
                curstate = newstate;
                if (curstate == MULTI_STOP_DISABLE_IRQ) {
                    smp.local_irq_save();           // local_irq_disable(); hard_irq_disable()
                } else if (curstate == MULTI_STOP_RUN) {
                    if (is_active) {
                        err = msdata.fn.call(msdata.data);
                    }
                }
                ack_state(msdata);
            }
            // else touch_nmi_watchdog(); rcu_momentary_eqs()
        } while (curstate != MULTI_STOP_EXIT);
        m.spinDone();

        smp.local_irq_restore(flags);
        TraceHooks.stop_machine_exit(cpu);
        return err;
    }

    /** cpu_stop_signal_done(). */
    private void cpu_stop_signal_done(cpu_stop_done done) {
        if (atomic_dec_and_test(done.nr_todo)) {
            // complete(&done->completion): the waiter polls nr_todo with an acquire read
        }
    }

    /** cpu_stopper_thread() running one work item: fn(arg), record ret, signal done. */
    private void cpu_stopper_thread(int cpu, cpu_stop_fn_t fn, Object arg, cpu_stop_done done, int dying) {
        int ret = fn.call(arg);
        if (ret != 0) {
            done.ret = ret;
        }
        if (cpu == dying) {
            // the outgoing CPU's stopper parks and the CPU dies (cpuhp_report_idle_dead)
            cpu_stop_signal_done(done);
            m.cpuDead(cpu);
            return;
        }
        cpu_stop_signal_done(done);
    }

    /** stop_machine_cpuslocked(fn, data, cpus). {@code dying}: the CPU take_cpu_down() removes, or -1. */
    public int stop_machine_cpuslocked(cpu_stop_fn_t fn, Object data, cpumask cpus, int dying) {
        multi_stop_data msdata = new multi_stop_data();
        TraceHooks.kobj_name(msdata, "multi_stop_data");
        msdata.fn = fn;
        msdata.data = data;
        msdata.num_threads = smp.num_online_cpus();
        msdata.active_cpus = cpus;

        /* Set the initial state and stop all online cpus. */
        set_state(msdata, MULTI_STOP_PREPARE);
        return stop_cpus(smp.g.cpu_online_mask, this::multi_cpu_stop, msdata, dying);
    }

    /** stop_cpus() / __stop_cpus(): queue the work on every CPU's stopper, then wait_for_completion(). */
    private int stop_cpus(cpumask cpumask_, cpu_stop_fn_t fn, Object arg, int dying) {
        int n = cpumask.cpumask_weight(cpumask_);
        cpu_stop_done done = new cpu_stop_done(n);
        TraceHooks.kobj_name(done, "cpu_stop_done");
        for (int cpu = cpumask.cpumask_next(-1, cpumask_, smp.nr_cpu_ids); cpu < smp.nr_cpu_ids;
             cpu = cpumask.cpumask_next(cpu, cpumask_, smp.nr_cpu_ids)) {
            final int c = cpu;
            m.wakeStopper(cpu, () -> cpu_stopper_thread(c, fn, arg, done, dying)); // cpu_stop_queue_work()
        }
        // wait_for_completion(&done.completion): sleeps (preemptible)
        while (atomic_read_acquire(done.nr_todo) != 0) {
            m.spin("stop_machine wait_for_completion", -1);
            cpu_relax();
        }
        m.spinDone();
        return done.ret;
    }
}

package smptrace.engine.smp;

import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_store_release;

import smptrace.kernel.Mirrors;
import smptrace.kernel.TraceHooks;

/**
 * kernel/cpu.c: the CPU-offline path takedown_cpu() -> stop_machine -> take_cpu_down() -> smpcfd_dying_cpu(), and
 * the way back: _cpu_up() -> smpcfd_prepare_cpu() -> bringup_cpu() -> the AP's start_secondary().
 */
public final class Hotplug {
    private final Smp smp;
    private final StopMachine sm;
    private final smptrace.engine.sim.Machine m;

    /** per_cpu(cpuhp_state, cpu): each CPU's hotplug state (the bring-up completion). */
    private final cpuhp_cpu_state[] cpuhp_state;

    public Hotplug(Smp smp, StopMachine sm, smptrace.engine.sim.Machine m) {
        this.smp = smp;
        this.sm = sm;
        this.m = m;
        this.cpuhp_state = new cpuhp_cpu_state[smp.nr_cpu_ids]; // filled on a CPU's first bring-up (only the control task)
    }

    /** __cpu_disable(): the arch removes the CPU from cpu_online_mask. */
    @Mirrors(value = "__cpu_disable", file = "arch/x86/kernel/smpboot.c")
    private int __cpu_disable() {
        int cpu = smp.smp_processor_id();
        smp.set_cpu_online(cpu, false);
        return 0;
    }

    /** take_cpu_down(): runs in the dying CPU's stopper, IRQs off, inside stop_machine. */
    @Mirrors(value = "take_cpu_down", file = "kernel/cpu.c")
    public int take_cpu_down(Object _param) {
        int cpu = smp.smp_processor_id();
        int err;

        /* Ensure this CPU doesn't handle any more interrupts. */
        err = __cpu_disable();
        if (err < 0) {
            return err;
        }

        /* Invoke the CPU_DYING callbacks: CPUHP_AP_SMPCFD_DYING is smpcfd_dying_cpu(). */
        smp.smpcfd_dying_cpu(cpu);

        /* Park the stopper thread: stop_machine_park(cpu) */
        return 0;
    }

    /**
     * cpu_down() of a control task, the parts that touch kernel/smp.c: takedown_cpu() (stop_machine ->
     * take_cpu_down() -> smpcfd_dying_cpu() on the dying CPU), then the CPUHP_SMPCFD_PREPARE teardown
     * smpcfd_dead_cpu() here; the scheduler has moved the dead CPU's tasks to online CPUs (sched_cpu_dying).
     */
    @Mirrors(value = "cpu_down", file = "kernel/cpu.c")
    public int cpu_down(int cpu) {
        int err = takedown_cpu(cpu);
        if (err != 0) {
            return err;
        }
        return smp.smpcfd_dead_cpu(cpu);
    }

    /**
     * cpu_up() -> _cpu_up() of a control task, the steps that touch kernel/smp.c: the CPUHP_SMPCFD_PREPARE
     * startup smpcfd_prepare_cpu() here, then bringup_cpu(), which starts the CPU and waits until it is online.
     */
    @Mirrors(value = "_cpu_up", file = "kernel/cpu.c")
    public int cpu_up(int cpu) {
        if (smp.cpu_online(cpu)) {
            return -16;                                 // -EBUSY: already online
        }
        int ret = smp.smpcfd_prepare_cpu(cpu);
        if (ret != 0) {
            return ret;
        }
        return bringup_cpu(cpu);
    }

    /** bringup_cpu(): __cpu_up() starts the AP; bringup_wait_for_ap_online() waits until it has set itself online. */
    @Mirrors(value = "bringup_cpu", file = "kernel/cpu.c")
    private int bringup_cpu(int cpu) {
        cpuhp_cpu_state st = cpuhp_state[cpu];          // per_cpu_ptr(&cpuhp_state, cpu)
        if (st == null) {
            st = new cpuhp_cpu_state();
            TraceHooks.kobj_name(st, "per_cpu(cpuhp_state, " + cpu + ")");
            cpuhp_state[cpu] = st;
        }
        final cpuhp_cpu_state ap = st;
        int done = smp_load_acquire(st, cpuhp_cpu_state.DONE_UP);
        m.cpuUp(cpu, () -> start_secondary(cpu, ap));   // __cpu_up(cpu, idle): the AP runs start_secondary()
        // bringup_wait_for_ap_online() -> wait_for_ap_thread(st, true): until the AP's complete(&st->done_up)
        while (smp_load_acquire(st, cpuhp_cpu_state.DONE_UP) == done) {
            m.spin("bringup_wait_for_ap_online", cpu);
            cpu_relax();
        }
        m.spinDone();
        // stop_machine_unpark(cpu): the model's stopper of the CPU was never parked
        return 0;
    }

    /**
     * start_secondary(): the AP's first code, in its idle task with IRQs off: notify_cpu_starting() (smp.c has no
     * CPUHP_AP_SMPCFD_DYING startup), set_cpu_online(), local_irq_enable(), then cpu_startup_entry() (the idle loop).
     */
    @Mirrors(value = "start_secondary", file = "arch/x86/kernel/smpboot.c")
    private void start_secondary(int cpu, cpuhp_cpu_state st) {
        boolean flags = smp.local_irq_save();           // the AP starts with IRQs off
        smp.set_cpu_online(cpu, true);
        // cpuhp_online_idle() -> complete_ap_thread(st, true): the control task may go on
        smp_store_release(st, cpuhp_cpu_state.DONE_UP, st.done_up + 1);
        smp.local_irq_restore(flags);                   // local_irq_enable()
    }

    /** takedown_cpu(): called by the hotplug control task on another CPU; seed 004 v2 commented it (dropped when merged). */
    @Mirrors(value = "takedown_cpu", file = "kernel/cpu.c", hunks = {"004:-1310,6"})
    public int takedown_cpu(int cpu) {
        int err;
        cpumask target = new cpumask();
        TraceHooks.kobj_name(target, "cpumask_of(" + cpu + ")");
        cpumask.__cpumask_set_cpu(cpu, target);     // cpumask_of(cpu): a constant mask

        /*
         * So now all preempt/rcu users must observe !cpu_active().
         */
        err = sm.stop_machine_cpuslocked(this::take_cpu_down, null, target, cpu);
        return err;
    }
}

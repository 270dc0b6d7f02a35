package smptrace.engine.smp;

import smptrace.kernel.Mirrors;
import smptrace.kernel.TraceHooks;

/** kernel/cpu.c: the CPU-offline path takedown_cpu() -> stop_machine -> take_cpu_down() -> smpcfd_dying_cpu(). */
public final class Hotplug {
    private final Smp smp;
    private final StopMachine sm;

    public Hotplug(Smp smp, StopMachine sm) {
        this.smp = smp;
        this.sm = sm;
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

package smptrace.engine.scenario;

import smptrace.engine.RunConfig;
import smptrace.engine.sim.Machine;
import smptrace.engine.smp.Hotplug;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.StopMachine;
import smptrace.engine.smp.cpumask;
import smptrace.engine.smp.task_struct;
import smptrace.kernel.Role;
import smptrace.kernel.TraceHooks;

/** What a scenario builds with: the run's config, the machine, and the kernel model. */
public final class Workload {
    public final RunConfig cfg;
    public final Machine m;
    public final Smp k;
    public final StopMachine sm;
    public final Hotplug hp;

    public Workload(RunConfig cfg, Machine m, Smp k, StopMachine sm, Hotplug hp) {
        this.cfg = cfg;
        this.m = m;
        this.k = k;
        this.sm = sm;
        this.hp = hp;
    }

    /** Adds a task (with a task-local IPI mask, as dup_task_struct() gives it) bound to {@code cpu}. */
    public void task(String name, int cpu, boolean migratable, Runnable body) {
        int pid = m.nextTaskId();
        task_struct ts = new task_struct(pid, true);
        TraceHooks.kobj_name(ts, "task(" + name + ")");
        TraceHooks.kobj_name(ts.ipi_mask_ptr, "task(" + name + ")->ipi_mask");
        TraceHooks.kobj_role(ts.ipi_mask_ptr, Role.TASK_IPI_MASK, -1, pid);
        m.addTask(name, cpu, migratable, ts, body);
    }

    /** A constant cpumask argument (kernel memory, written before the run). */
    public cpumask mask(String name, int... cpus) {
        cpumask c = new cpumask();
        for (int cpu : cpus) {
            c.bits |= 1 << cpu;
        }
        TraceHooks.kobj_name(c, name);
        return c;
    }
}

package smptrace.engine;

import java.util.ArrayList;
import java.util.List;
import smptrace.engine.scenario.Scenarios;
import smptrace.engine.scenario.Workload;
import smptrace.engine.sim.Machine;
import smptrace.engine.sim.Monitor;
import smptrace.engine.smp.Hotplug;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.StopMachine;
import smptrace.engine.smp.task_struct;
import smptrace.kernel.TraceHooks;

/** The run API: builds the machine and the kernel model for a {@link RunConfig}, runs the scenario, reports. */
public final class Engine {
    /** Debug csd_lock_timeout: logical ms (= scheduling steps) in controlled runs, real ms in free runs. */
    public static final long CONTROLLED_CSD_LOCK_TIMEOUT_MS = 20;
    public static final long FREE_CSD_LOCK_TIMEOUT_MS = 50;
    /** A flush walking more entries than this in one call is looping (node->next == node). */
    public static final int FLUSH_ITERATION_LIMIT = 512;

    private Engine() { }

    public static RunResult run(RunConfig cfg) {
        long t0 = System.nanoTime();
        boolean controlled = cfg.schedule().controlled();
        long maxSteps = cfg.effectiveMaxSteps();
        Machine m = new Machine(cfg.cpus(), controlled, cfg.seed(), cfg.schedule() == Schedule.PCT, cfg.pctDepth(),
                maxSteps / 4, maxSteps, cfg.effectiveFreeTimeoutMillis(), controlled, FLUSH_ITERATION_LIMIT);
        Smp k = new Smp(cfg, m, controlled ? CONTROLLED_CSD_LOCK_TIMEOUT_MS : FREE_CSD_LOCK_TIMEOUT_MS);
        StopMachine sm = new StopMachine(k, m);
        Hotplug hp = new Hotplug(k, sm);
        List<task_struct> idle = new ArrayList<>();
        List<task_struct> stoppers = new ArrayList<>();
        for (int cpu = 0; cpu < cfg.cpus(); cpu++) {
            task_struct i = new task_struct(-1 - cpu, false);   // idle tasks (init_task-like): no IPI mask
            TraceHooks.kobj_name(i, "swapper/" + cpu);
            idle.add(i);
            task_struct s = new task_struct(-100 - cpu, true);
            TraceHooks.kobj_name(s, "migration/" + cpu);
            stoppers.add(s);
        }
        m.addIdleAndStoppers(idle, stoppers);
        Scenarios.build(cfg.scenario(), new Workload(cfg, m, k, sm, hp));
        m.run(controlled ? 60_000 : cfg.effectiveFreeTimeoutMillis());
        Monitor mon = m.mon;
        boolean stuck = m.isStuck();
        return new RunResult(cfg, mon.doubleEnqueue(), mon.selfLoop(), mon.twoOwners(), stuck ? 0 : mon.lost(),
                mon.duplicated(), mon.ipiToOffline(), mon.ipiToDeadCpuCount(), mon.maskOverwritten(),
                mon.syncReturnedEarly(), stuck, m.stuckCpu(), m.stuckReason(), mon.callbacksRun(), mon.requests(),
                m.steps(), m.contextSwitches(), m.irqCount(), m.migrationCount(), mon.toolongReports(),
                mon.toolongPrior(), mon.enxioCount(), mon.ebusyCount(), mon.warnings(),
                (System.nanoTime() - t0) / 1_000_000, mon.notes(), mon.paths());
    }
}

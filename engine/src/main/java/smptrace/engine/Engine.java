package smptrace.engine;

import java.util.ArrayList;
import java.util.List;
import smptrace.engine.scenario.Scenarios;
import smptrace.engine.scenario.Workload;
import smptrace.engine.sim.Machine;
import smptrace.engine.sim.Monitor;
import smptrace.engine.sim.ScheduleLog;
import smptrace.engine.smp.Hotplug;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.StopMachine;
import smptrace.engine.smp.task_struct;
import smptrace.kernel.TraceHooks;

/** The run API: builds the machine and the kernel model for a {@link RunConfig}, runs the scenario, reports. */
public final class Engine {
    /** Debug csd_lock_timeout: logical ms (= steps) controlled; free, real ms or, serial (recording its schedule), logical. */
    public static final long CONTROLLED_CSD_LOCK_TIMEOUT_MS = 20;
    public static final long FREE_CSD_LOCK_TIMEOUT_MS = 50;
    /** A flush walking more entries than this in one call is looping (node->next == node). */
    public static final int FLUSH_ITERATION_LIMIT = 512;

    private Engine() { }

    /**
     * A run's schedule in and out: {@code replay} non-null makes the controlled machine take exactly
     * those decisions (also for a run recorded free: its recorded interleaving is the schedule);
     * with {@code record} set the run's own schedule is in {@code recorded} afterwards.
     */
    public static final class ScheduleIo {
        public ScheduleLog replay;
        public boolean record;
        public ScheduleLog recorded;
        /** Why a replay stopped before the run's own end (divergence, end of the recording), or null. */
        public String replayEnd;
        /** Steering toward a predicted finding's interleaving (controlled runs; ignored under a replay), or null. */
        public smptrace.engine.sim.Steer steer;
    }

    public static RunResult run(RunConfig cfg) {
        return run(cfg, null);
    }

    public static RunResult run(RunConfig cfg, ScheduleIo io) {
        long t0 = System.nanoTime();
        boolean replay = io != null && io.replay != null;
        boolean controlled = cfg.schedule().controlled() || replay;
        long maxSteps = cfg.schedule().controlled() ? cfg.effectiveMaxSteps() : replay ? io.replay.size() + 1 : cfg.effectiveMaxSteps();
        Machine m = new Machine(cfg.cpus(), controlled, cfg.seed(), cfg.schedule() == Schedule.PCT, cfg.pctDepth(),
                maxSteps / 4, maxSteps, cfg.effectiveFreeTimeoutMillis(), controlled, FLUSH_ITERATION_LIMIT);
        if (replay) {
            m.replaySchedule(io.replay);
        }
        if (io != null && io.steer != null && !replay) {
            m.steer(io.steer);
        }
        if (io != null && io.record) {
            m.recordSchedule();
        }
        Smp k = new Smp(cfg, m, cfg.schedule().controlled() ? CONTROLLED_CSD_LOCK_TIMEOUT_MS : FREE_CSD_LOCK_TIMEOUT_MS);
        StopMachine sm = new StopMachine(k, m);
        Hotplug hp = new Hotplug(k, sm, m);
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
        if (!cfg.schedule().controlled()) {
            m.stepNanos(FREE_STEP_NANOS); // the logical clock of a free run recording its schedule, and of its replay
        }
        m.addIdleAndStoppers(idle, stoppers);
        Scenarios.build(cfg.scenario(), new Workload(cfg, m, k, sm, hp));
        // free: the watchdog fires after effectiveFreeTimeoutMillis without a callback (Machine.run), and
        // at 10 minutes in all
        m.run(controlled ? 60_000 : 600_000);
        if (io != null) {
            io.recorded = io.record ? m.recordedSchedule() : null;
            io.replayEnd = m.replayEnd();
        }
        Monitor mon = m.mon;
        boolean stuck = m.isStuck();
        return new RunResult(cfg, mon.doubleEnqueue(), mon.selfLoop(), mon.twoOwners(), stuck ? 0 : mon.lost(),
                mon.duplicated(), mon.ipiToOffline(), mon.ipiToDeadCpuCount(), mon.maskOverwritten(),
                mon.syncReturnedEarly(), stuck, m.stuckCpu(), m.stuckReason(), mon.callbacksRun(), mon.requests(),
                m.steps(), m.contextSwitches(), m.irqCount(), m.migrationCount(), mon.toolongReports(),
                mon.toolongPrior(), mon.enxioCount(), mon.ebusyCount(), mon.warnings(),
                (System.nanoTime() - t0) / 1_000_000, mon.notes(), mon.paths());
    }

    /** A step of the logical clock of a free run that records its schedule, and of its replay: 1 us (about a step under the agent). */
    public static final long FREE_STEP_NANOS = 1_000;
}

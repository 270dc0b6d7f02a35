package smptrace.engine.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import smptrace.engine.smp.task_struct;
import smptrace.kernel.Kernel;
import smptrace.kernel.Sched;
import smptrace.kernel.SpinLock;
import smptrace.kernel.TraceHooks;

/**
 * The machine model: N CPUs, tasks (one Java thread each) bound to a CPU with a preempt count, an
 * idle task and a stopper per CPU, IPIs delivered as IRQs on the target CPU's current thread while
 * its IRQs are enabled, preemption and migration only at preempt count 0, and a watchdog.
 *
 * <p><b>Controlled</b> mode: exactly one context thread runs at a time; at every scheduling point
 * ({@link Sched#point()}) the seeded {@link Strategy} picks the next action among the enabled ones,
 * so (scenario, variant, seed) fixes the execution. <b>Free</b> mode: one thread per CPU runs at a
 * time (per-CPU handoff), CPUs run in parallel, choices are local and racy.
 *
 * <p>Nothing here is kernel memory except the per-CPU runqueue lock ({@link SpinLock}), taken with
 * the kernel primitives at every switch so the trace carries its happens-before.
 */
public final class Machine {
    // a context's thread carries its context (CtxThread, currentCtx: at the end, so that no hook's line moves)
    private static final Sched.Hook HOOK = new Sched.Hook() {
        @Override
        public void point() {
            hook();
        }

        @Override
        public void relax() {
            Ctx c = currentCtx();
            if (c != null && !c.m.controlled) {
                // free mode: more simulated CPUs than cores; a spinning CPU gives its core to the one it waits for
                c.m.freeRelax(c);
            } else {
                Thread.onSpinWait();
            }
        }
    };

    /** What the IPI vector runs on the target CPU (generic_smp_call_function_single_interrupt). */
    public interface IrqHandler {
        void handle();
    }

    final boolean controlled;
    final List<Cpu> cpus = new ArrayList<>();
    final List<Ctx> ctxs = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private Strategy strategy;
    /** Steering toward a predicted finding (smptrace confirm), or null. */
    private Steer steer;
    /** The schedule being recorded (null: not recording); a free run that records it is serial (the baton, below). */
    private ScheduleLog scheduleLog;
    private boolean serial;
    private String replayEnd;
    private final long seed;
    public final Monitor mon;
    private final long maxSteps;
    private final long freeTimeoutMillis;
    private final boolean migration;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean over;
    private long steps;
    // free, not serial: each context counts its own points (Ctx.freeSteps; freeStepsSum, at the end)
    private final long startNanos = System.nanoTime();
    private volatile String stuckReason;
    private volatile int stuckCpu = -1;
    private int nextId;
    private int liveTasks;
    long contextSwitches;
    long irqs;
    long migrations;
    private IrqHandler ipiHandler = () -> { };
    private Runnable idleFlush = () -> { };
    private final int flushIterLimit;

    public Machine(int ncpus, boolean controlled, long seed, boolean pct, int pctDepth, long horizon,
                   long maxSteps, long freeTimeoutMillis, boolean migration, int flushIterLimit) {
        this.controlled = controlled;
        this.seed = seed;
        this.maxSteps = maxSteps;
        this.freeTimeoutMillis = freeTimeoutMillis;
        this.migration = migration;
        this.flushIterLimit = flushIterLimit;
        this.strategy = pct ? new Strategy.Pct(seed, ncpus, Math.max(1, pctDepth), horizon)
                            : new Strategy.RandomWalk(seed);
        this.mon = new Monitor(this);
        for (int i = 0; i < ncpus; i++) {
            cpus.add(new Cpu(i));
        }
        if (Sched.installed() != HOOK) {
            Sched.install(HOOK);
        }
    }

    // ------------------------------------------------------------------------------------------
    // setup

    public void setHandlers(IrqHandler ipi, Runnable idleFlushFn) {
        this.ipiHandler = ipi;
        this.idleFlush = idleFlushFn;
    }

    public void setRqLock(int cpu, SpinLock l) {
        cpus.get(cpu).rqLock = l;
    }

    /** The CPU's struct cpu_stopper (kernel memory): orders a queued stop work before the stopper runs it. */
    public void setStopper(int cpu, smptrace.engine.smp.cpu_stopper s) {
        cpus.get(cpu).cpuStopper = s;
    }

    public int ncpus() {
        return cpus.size();
    }

    /** Adds the idle task and the stopper of every CPU. */
    public void addIdleAndStoppers(List<task_struct> idleTs, List<task_struct> stopperTs) {
        for (Cpu c : cpus) {
            Ctx idle = newCtx("swapper/" + c.id, Ctx.Kind.IDLE, c, false, idleTs.get(c.id));
            idle.body = () -> idleLoop(idle);
            c.idle = idle;
            c.current = idle;
            Ctx st = newCtx("migration/" + c.id, Ctx.Kind.STOPPER, c, false, stopperTs.get(c.id));
            st.body = () -> stopperLoop(st);
            c.stopper = st;
        }
    }

    /** Adds a task bound (initially) to {@code cpu}. */
    public Ctx addTask(String name, int cpu, boolean migratable, task_struct ts, Runnable body) {
        Cpu c = cpus.get(cpu);
        Ctx t = newCtx(name, Ctx.Kind.TASK, c, migratable, ts);
        t.body = body;
        if (c.current == c.idle) {
            c.current = t;
        } else {
            c.runq.addLast(t);
        }
        liveTasks++;
        return t;
    }

    private Ctx newCtx(String name, Ctx.Kind kind, Cpu c, boolean migratable, task_struct ts) {
        Ctx x = new Ctx(this, nextId++, name, kind, c, migratable, ts, seed * 31 + nextId);
        ctxs.add(x);
        return x;
    }

    public int nextTaskId() {
        return nextId;
    }

    // ------------------------------------------------------------------------------------------
    // run

    /** Runs until every task finished (and pending IPIs drained) or the watchdog fired. */
    public void run(long wallLimitMillis) {
        for (Ctx x : ctxs) {
            Thread t = new CtxThread(() -> threadMain(x), "smp-" + x.name);
            t.setDaemon(true);
            x.thread = t;
        }
        for (Ctx x : ctxs) {
            x.thread.start();
        }
        if (controlled) {
            Action a = decide();
            if (a == null) {
                endRun();
            } else {
                Ctx t = a.cpu.current;
                t.cmd = a;
                t.turn = true;
                LockSupport.unpark(t.thread);
            }
            awaitEnd(wallLimitMillis, "engine wall-clock limit (controlled run made no progress)");
        } else {
            for (Cpu c : cpus) {
                Ctx t = c.current;
                t.cmd = Action.CONTINUE_SELF;
                t.turn = true;
                LockSupport.unpark(t.thread);
            }
            // a hang is a run that stops making progress, not one that is slow: a long run on a loaded
            // machine keeps completing callbacks and is left to finish (within the wall-clock limit)
            awaitEnd(wallLimitMillis, freeTimeoutMillis, freeQuietWhy(),
                    FREE_LIMIT_WHY);
        }
    }

    private void awaitEnd(long millis, String why) {
        awaitEnd(millis, millis, why, why);
    }

    /**
     * Waits for the run to end; declares it stuck, saying {@code quietWhy}, when no callback has run for
     * quietMillis, or, saying {@code limitWhy}, at the wall-clock limit (quietMillis == millis: a plain time bound).
     */
    private void awaitEnd(long millis, long quietMillis, String quietWhy, String limitWhy) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long seen = mon.callbacksRunNow();
        try {
            while (!ended.await(Math.min(quietMillis, millis), TimeUnit.MILLISECONDS)) {
                long now = mon.callbacksRunNow();
                if (now != seen && System.nanoTime() < deadline) {
                    seen = now; // progress since the last look: not a hang
                    continue;
                }
                // a serial free run: declared between two steps, and recorded in the schedule (its replay declares it there)
                boolean limit = now != seen, held = serial && watchdogTakesBaton();
                synchronized (this) {
                    watchdogDeclares(held, limit, limit ? limitWhy : quietWhy); // unless the run is over
                }
                break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        declareReplayedWatchdog();
        over = true;
        for (Ctx x : ctxs) {
            LockSupport.unpark(x.thread);
        }
        for (Ctx x : ctxs) {
            try {
                x.thread.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void threadMain(Ctx me) {
        ((CtxThread) Thread.currentThread()).ctx = me;
        try {
            waitTurn(me);
            if (!controlled && !me.needSwitchIn) {
                me.cmd = freeNext(me); // a CPU's first context starts: controlled, that is a decision for its CPU
            }
            me.inSched = true;
            try {
                execCmd(me);
            } finally {
                me.inSched = false;
            }
            if (!me.started) {
                me.started = true;
                TraceHooks.task_on_cpu(me.id, me.cpu.id);
            }
            afterResume(me);
            me.body.run();
            if (me.kind == Ctx.Kind.TASK) {
                exitTask(me);
            }
        } catch (Killed k) {
            // run over: unwind
        } catch (Throwable t) {
            synchronized (this) {
                if (!over) {
                    declareStuck(me.cpu.id, "engine error in " + me.name + ": " + t);
                }
            }
            t.printStackTrace();
            endRun();
        } finally {
            ((CtxThread) Thread.currentThread()).ctx = null;
        }
    }

    private void waitTurn(Ctx me) {
        while (!me.turn) {
            if (over) {
                throw Killed.INSTANCE;
            }
            LockSupport.park(this);
        }
        afterTurn(me); // the run over: Killed; serial: the baton
    }

    /** Hands the turn (and, serial, the baton: the step goes on in t) from {@code me} to {@code t}. */
    private void giveTurn(Ctx me, Ctx t) {
        me.turn = false;
        t.batonPassed = serial;
        t.turn = true;
        LockSupport.unpark(t.thread);
    }

    // ------------------------------------------------------------------------------------------
    // scheduling points

    private static void hook() {
        Ctx c = currentCtx();
        if (c != null) {
            c.m.point(c);
        }
    }

    /** The calling thread's context, or null outside a run. */
    public static Ctx current() {
        return currentCtx();
    }

    public Ctx cur() {
        return currentCtx();
    }

    void point(Ctx me) {
        if (over) {
            throw Killed.INSTANCE;
        }
        if (me.inSched || freeNothingToDecide(me)) {
            return;
        }
        me.inSched = true;
        try {
            if (controlled) {
                steps++;
                if (steer != null) {
                    steer.arrive(me);
                }
                if (steps > maxSteps) {
                    synchronized (this) {
                        declareStuck(guessStuckCpu(), "watchdog: no completion within " + maxSteps
                                + " scheduling steps: " + stuckDetail());
                    }
                    endRun();
                    throw Killed.INSTANCE;
                }
                Action a = decide();
                if (a == null) {
                    endRun();
                    throw Killed.INSTANCE;
                }
                Ctx t = a.cpu.current;
                t.cmd = a;
                if (t != me) {
                    giveTurn(me, t);
                    waitTurn(me);
                }
                execCmd(me);
            } else {
                freeStep(me); // serial: a step of the logical clock, and the baton offered on; else a racy count
                freeDecide(me);
            }
        } finally {
            me.inSched = false;
        }
        afterResume(me);
    }

    private void afterResume(Ctx me) {
        while (me.irqToRun) {
            me.irqToRun = false;
            runIrq(me);
        }
    }

    /** Executes the command handed to {@code me} (in me's thread, inSched). Returns when me continues. */
    private void execCmd(Ctx me) {
        while (true) {
            if (me.needSwitchIn) {
                me.needSwitchIn = false;
                me.started = true;
                TraceHooks.task_on_cpu(me.id, me.cpu.id);
                Kernel.spin_unlock(me.cpu.rqLock); // finish_task_switch(): next releases prev's rq lock
            }
            Action a = me.cmd;
            me.cmd = null;
            if (a == null || a.kind == Action.CONT) {
                return;
            }
            if (a.kind == Action.IRQ) {
                synchronized (this) {
                    me.cpu.ipiPending = false;
                }
                me.irqToRun = true;
                return;
            }
            if (a.kind == Action.SWITCH) {
                Ctx next = a.next;
                Cpu c = me.cpu;
                Kernel.spin_lock(c.rqLock);
                TraceHooks.task_off_cpu(me.id, c.id);
                synchronized (this) {
                    c.runq.remove(next);
                    if (me.kind == Ctx.Kind.TASK) {
                        if (next.kind == Ctx.Kind.STOPPER) {
                            c.runq.addFirst(me);
                        } else {
                            c.runq.addLast(me);
                        }
                    }
                    c.current = next;
                    contextSwitches++;
                }
                next.needSwitchIn = true;
                next.cmd = Action.CONTINUE_SELF;
                giveTurn(me, next);
                waitTurn(me);
                continue;
            }
            if (a.kind == Action.MIGRATE) {
                Cpu c = me.cpu;
                Cpu d = a.dst;
                Kernel.spin_lock(c.rqLock);
                TraceHooks.task_off_cpu(me.id, c.id);
                Ctx next;
                synchronized (this) {
                    next = c.runq.isEmpty() ? c.idle : c.runq.pollFirst();
                    c.current = next;
                    migrations++;
                }
                Kernel.spin_lock(d.rqLock);
                synchronized (this) {
                    me.cpu = d;
                    d.runq.addLast(me);
                }
                Kernel.spin_unlock(d.rqLock);
                next.needSwitchIn = true;
                next.cmd = Action.CONTINUE_SELF;
                giveTurn(me, next);
                waitTurn(me);
                continue;
            }
        }
    }

    private boolean preemptible(Ctx x) {
        return x.preemptCount == 0 && x.irqDepth == 0 && !x.cpu.irqsOff;
    }

    boolean spinning(Ctx x) {
        return x != null && x.waitNote != null;
    }

    /** Controlled: the enabled actions, then the strategy's pick; null when nothing is left to run. */
    private Action decide() {
        actions.clear();
        for (Cpu c : cpus) {
            if (c.dead) {
                continue;
            }
            Ctx cur = c.current;
            boolean pre = preemptible(cur);
            if (c.stopperWork != null && cur != c.stopper && pre && !(cur.kind == Ctx.Kind.IDLE && cur.idleActive)) {
                // do_idle() runs with preemption off: the idle task gives way only at the top of its loop
                // (schedule_idle()), so a CPU never goes down with its idle task inside a flush
                actions.add(new Action(Action.SWITCH, c, c.stopper, null, 4, true));
                continue;
            }
            if (cur.kind == Ctx.Kind.IDLE && !cur.idleActive) {
                if (c.bringup != null) {
                    actions.add(new Action(Action.CONT, c, null, null, 4, true)); // the AP starts: start_secondary()
                } else if (!c.runq.isEmpty()) {
                    actions.add(new Action(Action.SWITCH, c, c.runq.peekFirst(), null, 4, true));
                } else if (c.ipiPending && !c.irqsOff) {
                    actions.add(new Action(Action.IRQ, c, null, null, 3, false));
                }
                continue;
            }
            actions.add(new Action(Action.CONT, c, null, null, spinning(cur) ? 1 : 4, false));
            if (c.ipiPending && !c.irqsOff && cur.irqDepth == 0) {
                actions.add(new Action(Action.IRQ, c, null, null, 3, false));
            }
            if (pre && cur.kind == Ctx.Kind.TASK && !c.runq.isEmpty()) { // an active idle task runs do_idle() with preemption off
                actions.add(new Action(Action.SWITCH, c, c.runq.peekFirst(), null, 1, false));
            }
            if (pre && migration && cur.kind == Ctx.Kind.TASK && cur.migratable) {
                for (Cpu d : cpus) {
                    if (d != c && !d.dead && !d.dyingFlushed) {
                        actions.add(new Action(Action.MIGRATE, c, null, d, 1, false));
                        break;
                    }
                }
            }
        }
        if (strategy instanceof Strategy.Replay r && r.atWatchdog(this)) {
            return null; // the recorded free run's watchdog fired here: awaitEnd declares it, as it was
        }
        if (actions.isEmpty()) {
            return null;
        }
        List<Action> choice = steer == null ? actions : steer.filter(actions);
        Action a = strategy.pick(choice, steps, cpus, this);
        if (a != null && scheduleLog != null) {
            scheduleLog.add(ScheduleLog.token(a, a.cpu));
        }
        return a;
    }

    // ------------------------------------------------------------------------------------------
    // the schedule: recorded, replayed

    /** Records this run's schedule (call before {@link #run}; {@link #recordedSchedule}); a free run then runs serial. */
    public void recordSchedule() {
        scheduleLog = new ScheduleLog();
        serial = !controlled;
        sliceRng = seed;
    }

    /** Controlled mode only: steer the seeded strategy with {@code s} (ignored when a schedule is replayed). */
    public void steer(Steer s) {
        if (!controlled) {
            throw new IllegalStateException("a run is steered by the controlled machine");
        }
        if (!(strategy instanceof Strategy.Replay)) {
            steer = s;
        }
    }

    /** Controlled mode only: follow {@code log} decision for decision instead of the seeded strategy. */
    public void replaySchedule(ScheduleLog log) {
        if (!controlled) {
            throw new IllegalStateException("a schedule is replayed by the controlled machine");
        }
        strategy = new Strategy.Replay(log);
    }

    /** The recorded schedule (free mode: the steps in the order they took the baton), or null. */
    public ScheduleLog recordedSchedule() {
        return scheduleLog;
    }

    /** Why a replay stopped early (divergence, end of the recording, the recorded watchdog), or null. */
    public String replayEnd() {
        return replayEnd;
    }

    void replayEnded(String why) {
        if (replayEnd == null) {
            replayEnd = why;
        }
    }

    /** Replay: the recorded free run's watchdog fired here (0: no callback for a while, 1: its wall-clock limit). */
    void replayWatchdog(int which) {
        replayWatchdog = which;
    }

    /** Free mode recording its schedule (serial): {@code me} takes decision {@code a} for its CPU, holding the baton. */
    private void freeLog(Ctx me, Action a) {
        if (scheduleLog != null) {
            scheduleLog.add(ScheduleLog.token(a, me.cpu));
        }
    }

    /** Free mode: the decision at {@code me}'s scheduling point, executed. */
    private void freeDecide(Ctx me) {
        me.cmd = freeNext(me);
        execCmd(me);
    }

    /**
     * Free mode: the decision for the caller's CPU (local; racy unless serial), logged. An idle CPU with nothing
     * to do waits here (controlled, it has no enabled action) until it has something, or ends a quiet run.
     */
    private Action freeNext(Ctx me) {
        while (true) {
            Cpu c = me.cpu;
            if (me.kind == Ctx.Kind.TASK && !c.ipiPending && c.stopperWork == null && c.runq.isEmpty()) {
                freeLog(me, Action.CONTINUE_SELF);
                return Action.CONTINUE_SELF; // nothing to decide: skip the machine lock (a racy hint; anything missed is seen next point)
            }
            Action a = null;
            boolean waiting = me.kind == Ctx.Kind.IDLE && !me.idleActive;
            synchronized (this) {
                boolean pre = preemptible(me);
                if (c.stopperWork != null && me != c.stopper && pre && !(me.kind == Ctx.Kind.IDLE && me.idleActive)) {
                    a = new Action(Action.SWITCH, c, c.stopper, null, 1, true);
                } else if (waiting && c.bringup != null) {
                    a = Action.CONTINUE_SELF; // the AP starts: start_secondary() (controlled: a CONT for that CPU)
                } else if (pre && waiting && !c.runq.isEmpty()) { // the idle task gives way in schedule_idle() only
                    a = new Action(Action.SWITCH, c, c.runq.peekFirst(), null, 1, true);
                } else if (c.ipiPending && !c.irqsOff && me.irqDepth == 0) {
                    a = new Action(Action.IRQ, c, null, null, 1, false);
                } else if (pre && me.kind == Ctx.Kind.TASK && !c.runq.isEmpty() && me.rng.nextInt(16) == 0) {
                    a = new Action(Action.SWITCH, c, c.runq.peekFirst(), null, 1, false);
                }
            }
            if (a == null && !waiting) {
                a = Action.CONTINUE_SELF;
            }
            if (a != null) {
                freeLog(me, a);
                return a;
            }
            if (liveTasksZeroAndQuiet()) {
                endRun();
                throw Killed.INSTANCE;
            }
            idleWaits(me); // serial: without the baton
        }
    }

    private synchronized boolean liveTasksZeroAndQuiet() {
        if (liveTasks > 0) {
            return false;
        }
        for (Cpu c : cpus) {
            if (!c.dead && (c.ipiPending || c.stopperWork != null || c.current.kind != Ctx.Kind.IDLE
                    || c.current.idleActive || c.inFlush)) {
                return false;
            }
        }
        return true;
    }

    private void runIrq(Ctx me) {
        Cpu c = me.cpu;
        if (me.kind == Ctx.Kind.IDLE) {
            me.idleActive = true;
        }
        TraceHooks.irq_enter(c.id);
        boolean was = c.irqsOff;
        c.irqsOff = true;
        me.irqDepth++;
        synchronized (this) {
            irqs++;
        }
        ipiHandler.handle();
        me.irqDepth--;
        c.irqsOff = was;
        TraceHooks.irq_exit(c.id);
        if (me.kind == Ctx.Kind.IDLE) {
            me.wokenByIrq = true;
        }
    }

    // ------------------------------------------------------------------------------------------
    // task exit, idle, stopper

    private void exitTask(Ctx me) {
        me.inSched = true;
        Cpu c = me.cpu;
        Kernel.spin_lock(c.rqLock);
        TraceHooks.task_off_cpu(me.id, c.id);
        Ctx next;
        synchronized (this) {
            me.finished = true;
            liveTasks--;
            next = c.runq.isEmpty() ? c.idle : c.runq.pollFirst();
            c.current = next;
        }
        next.needSwitchIn = true;
        next.cmd = Action.CONTINUE_SELF;
        giveTurn(me, next);
    }

    private void idleLoop(Ctx me) {
        while (true) {
            me.idleActive = false;
            Sched.point();
            Runnable up;
            synchronized (this) {
                up = me.cpu.bringup;
                me.cpu.bringup = null;
            }
            if (up != null) {
                // the CPU came back: its idle task runs the AP's bring-up, then idles (cpu_startup_entry())
                me.idleActive = true;
                TraceHooks.task_on_cpu(me.id, me.cpu.id);
                up.run();
                continue;
            }
            if (me.wokenByIrq) {
                me.wokenByIrq = false;
                me.idleActive = true; // do_idle() runs with preemption off up to schedule_idle(): no task switches in mid-flush
                if (!me.cpu.dead && !me.cpu.dyingFlushed) {
                    idleFlush.run(); // do_idle(): flush_smp_call_function_queue() after a wakeup
                }
            }
        }
    }

    private void stopperLoop(Ctx me) {
        while (true) {
            Runnable w;
            synchronized (this) {
                w = me.cpu.stopperWork;
                me.cpu.stopperWork = null;
            }
            if (w != null) {
                smptrace.engine.smp.cpu_stopper cs = me.cpu.cpuStopper;
                if (cs != null) { // cpu_stopper_thread() dequeues under stopper->lock: what the waker wrote is visible
                    Kernel.smp_load_acquire(cs, smptrace.engine.smp.cpu_stopper.WORKS);
                }
                w.run();
            }
            // the stopper sleeps: schedule the preempted task (or idle) back in
            me.inSched = true;
            try {
                Cpu c = me.cpu;
                Kernel.spin_lock(c.rqLock);
                TraceHooks.task_off_cpu(me.id, c.id);
                Ctx next;
                synchronized (this) {
                    next = c.runq.isEmpty() || c.dead ? c.idle : c.runq.pollFirst();
                    c.current = next;
                }
                next.needSwitchIn = true;
                next.cmd = Action.CONTINUE_SELF;
                if (c.dead) {
                    // the CPU is gone; its idle thread only passes the turn on (one unlock for both modes: a free run's replay is controlled)
                    next.needSwitchIn = false;
                    Kernel.spin_unlock(c.rqLock);
                    next.cmd = null;
                    if (controlled) {
                        Action a = decide();
                        if (a == null) {
                            endRun();
                            throw Killed.INSTANCE;
                        }
                        Ctx t = a.cpu.current;
                        t.cmd = a;
                        giveTurn(me, t);
                    } else {
                        deadStopperSleeps(me); // free: nothing runs on the CPU now (serial: the step ends here)
                    }
                } else {
                    giveTurn(me, next);
                }
                waitTurn(me);
                execCmd(me);
            } finally {
                me.inSched = false;
            }
            afterResume(me);
        }
    }

    // ------------------------------------------------------------------------------------------
    // services for the kernel model (sim side)

    /** Records a spin-wait iteration (a hint for PCT and for the stuck report). */
    public void spin(String what, int cpu) {
        Ctx me = currentCtx();
        if (me != null) {
            me.lastSpinStep = steps;
            me.waitNote = what;
            me.waitCpu = cpu;
        }
    }

    public void spinDone() {
        Ctx me = currentCtx();
        if (me != null) {
            me.waitNote = null;
            me.waitCpu = -1;
        }
    }

    /** An IPI from src to dst: the doorbell only (no ordering). Lost if dst is dead. */
    public void sendIpi(int src, int dst) {
        Sched.point();
        TraceHooks.ipi_send(src, dst);
        Cpu d = cpus.get(dst);
        synchronized (this) {
            if (d.dead || d.dyingFlushed) {
                mon.ipiToDeadCpu(dst);
                return;
            }
            d.ipiPending = true;
        }
        if (!controlled) {
            LockSupport.unpark(d.current.thread);
        }
    }

    /** cpu_stop_queue_work(): wakes {@code cpu}'s stopper with {@code work}. */
    public void wakeStopper(int cpu, Runnable work) {
        Cpu c = cpus.get(cpu);
        smptrace.engine.smp.cpu_stopper cs = c.cpuStopper;
        if (cs != null) {
            // cpu_stop_queue_work() queues under stopper->lock: publish before the stopper can see the work
            Kernel.smp_store_release(cs, smptrace.engine.smp.cpu_stopper.WORKS, cs.works + 1);
        }
        synchronized (this) {
            c.stopperWork = work;
        }
        if (!controlled) {
            LockSupport.unpark(c.current.thread);
        }
    }

    public synchronized void dyingFlushed(int cpu) {
        cpus.get(cpu).dyingFlushed = true;
    }

    /**
     * The dying CPU's stopper is done: the CPU runs nothing from now on. Its tasks move to an online CPU
     * (sched_cpu_dying() -> migrate_tasks(): select_fallback_rq() breaks affinity if it must), so a task
     * preempted there, e.g. in a preemptible csd_lock_wait(), keeps running elsewhere.
     */
    public synchronized void cpuDead(int cpu) {
        Cpu c = cpus.get(cpu);
        c.dead = true;
        c.ipiPending = false;
        Cpu to = null;
        for (Cpu d : cpus) {
            if (d != c && !d.dead && !d.dyingFlushed) {
                to = d;
                break;
            }
        }
        while (to != null && !c.runq.isEmpty()) {
            Ctx x = c.runq.pollFirst();
            if (x.kind != Ctx.Kind.TASK) {
                continue;
            }
            x.cpu = to;
            to.runq.addLast(x);
            migrations++;
            if (!controlled && to.current != null) {
                LockSupport.unpark(to.current.thread);
            }
        }
    }

    /**
     * bringup_cpu() -> __cpu_up(): a dead CPU comes back. Its idle task runs {@code startSecondary} (the AP's
     * start_secondary(): set_cpu_online() and what precedes the idle loop) and then idles; IPIs reach it again
     * and its stopper serves stop_machine again. The CPU's runqueue is empty (its tasks moved away at death).
     */
    public synchronized void cpuUp(int cpu, Runnable startSecondary) {
        Cpu c = cpus.get(cpu);
        if (!c.dead) {
            throw new IllegalStateException("cpu_up(" + cpu + "): the CPU is not dead");
        }
        c.dead = false;
        c.dyingFlushed = false;
        cpuUps++;
        c.ipiPending = false;
        c.irqsOff = false;
        c.bringup = startSecondary;
        Ctx idle = c.idle;
        c.current = idle;
        idle.needSwitchIn = false; // the AP's idle task records its own switch-in (idleLoop): no rq lock to hand over
        if (!controlled) {
            idle.cmd = Action.CONTINUE_SELF;
            idle.decideOnTurn = serial; // serial: it takes the baton and decides its CONT, as the controlled machine does
            idle.turn = true; // free: the idle thread waits for its turn since the stopper left the dead CPU; give it back
            LockSupport.unpark(idle.thread);
        }
    }

    /** How many times a CPU came back online in this run (simulator bookkeeping, for scenario paths). */
    public synchronized int cpuUps() {
        return cpuUps;
    }

    private int cpuUps;

    public boolean cpuDeadOrFlushed(int cpu) {
        Cpu c = cpus.get(cpu);
        return c.dead || c.dyingFlushed;
    }

    /** One iteration of a flush's list walk: a self-looping queue never ends, so bound it. */
    public void flushIteration(int cpu) {
        Cpu c = cpus.get(cpu);
        if (++c.flushIterations > flushIterLimit) {
            synchronized (this) {
                declareStuck(cpu, "flush loop: __flush_smp_call_function_queue() on CPU#" + cpu
                        + " walked more than " + flushIterLimit + " entries with IRQs off (node->next == node?)");
            }
            endRun();
            throw Killed.INSTANCE;
        }
    }

    public void flushStart(int cpu) {
        cpus.get(cpu).flushIterations = 0;
    }

    public int preemptDisable() {
        Sched.point();
        Ctx me = currentCtx();
        int n = ++me.preemptCount;
        TraceHooks.preempt_disable(n);
        return n;
    }

    public int preemptEnable() {
        Ctx me = currentCtx();
        int n = --me.preemptCount;
        if (n < 0) {
            mon.warn("preempt_count underflow in " + me.name);
        }
        TraceHooks.preempt_enable(n);
        Sched.point(); // preempt_enable() -> preempt_schedule(): a preemption point
        return n;
    }

    /** local_irq_save(): returns the previous "disabled" state. */
    public boolean irqSave() {
        Sched.point();
        Ctx me = currentCtx();
        boolean was = me.cpu.irqsOff;
        if (!was) {
            me.cpu.irqsOff = true;
            TraceHooks.irq_disable();
        }
        return was;
    }

    public void irqRestore(boolean was) {
        Ctx me = currentCtx();
        if (!was && me.cpu.irqsOff) {
            me.cpu.irqsOff = false;
            TraceHooks.irq_enable();
        }
        Sched.point();
    }

    public boolean irqsDisabled() {
        return currentCtx().cpu.irqsOff;
    }

    public int smpProcessorId() {
        return currentCtx().cpu.id;
    }

    public boolean inTask() {
        return currentCtx().irqDepth == 0;
    }

    /** ktime_get_mono_fast_ns(): logical time (steps times {@link #stepNanos}) in controlled and serial runs, else wall time. */
    public long nowNanos() {
        if (controlled || serial) {
            return steps * stepNanos;
        }
        return System.nanoTime() - startNanos;
    }

    public long steps() {
        return controlled || serial ? steps : freeStepsSum();
    }

    // ------------------------------------------------------------------------------------------
    // end of run

    private void endRun() {
        over = true;
        ended.countDown();
        for (Ctx x : ctxs) {
            if (x.thread != null && x.thread != Thread.currentThread()) {
                LockSupport.unpark(x.thread);
            }
        }
    }

    private void declareStuck(int cpu, String reason) {
        if ((over && replayWatchdog < 0) || stuckReason != null) { // a replayed watchdog is declared after the run
            return;
        }
        stuckCpu = cpu;
        stuckReason = reason;
        TraceHooks.stuck(cpu, reason);
    }

    private int guessStuckCpu() {
        for (Cpu c : cpus) {
            if (c.inFlush && !c.dead) {
                return c.id;
            }
        }
        for (Ctx x : ctxs) {
            if (!x.finished && x.waitNote != null && x.waitCpu >= 0) {
                return x.waitCpu;
            }
        }
        return -1;
    }

    private String stuckDetail() {
        StringBuilder sb = new StringBuilder();
        for (Ctx x : ctxs) {
            if (x.kind == Ctx.Kind.TASK && !x.finished) {
                sb.append(x.name).append("@CPU").append(x.cpu.id);
                if (x.waitNote != null) {
                    sb.append(" spinning in ").append(x.waitNote);
                    if (x.waitCpu >= 0) {
                        sb.append(" (CPU#").append(x.waitCpu).append(x.waitCpu >= 0 && cpus.get(x.waitCpu).dead ? " is offline" : "").append(')');
                    }
                }
                sb.append("; ");
            }
        }
        for (Cpu c : cpus) {
            if (c.inFlush) {
                sb.append("CPU#").append(c.id).append(" inside a flush; ");
            }
        }
        return sb.length() == 0 ? "no task progress" : sb.toString();
    }

    public boolean isStuck() {
        return stuckReason != null;
    }

    public String stuckReason() {
        return stuckReason;
    }

    public int stuckCpu() {
        return stuckCpu;
    }

    public long contextSwitches() {
        return contextSwitches;
    }

    public long irqCount() {
        return irqs;
    }

    public long migrationCount() {
        return migrations;
    }

    public List<Cpu> cpuList() {
        return Collections.unmodifiableList(cpus);
    }

    public void setInFlush(int cpu, boolean v) {
        cpus.get(cpu).inFlush = v;
    }

    // ------------------------------------------------------------------------------------------
    // serial free runs: the baton
    //
    // A free run that records its schedule runs one step (from one scheduling point to the next) at a
    // time: a context takes the baton before its decision and keeps it to its next point, so every step
    // is atomic and the order in which steps took the baton is the schedule, exactly; handed on with the
    // turn (a switch goes on in the next context, the same step), released before a context parks (an
    // idle CPU with nothing to do, a dead CPU's stopper). Which context takes it next is the operating
    // system's pick: whoever wins the race for it. The holder offers it on after a spin (cpu_relax) and at
    // the end of a time slice (BATON_SLICE_NANOS, checked at no fixed distance), so a step can end with a
    // switch of CPU at any point, as on a machine with one core. The run's clock is logical (steps).

    /** 1 while a context (or the watchdog) holds the baton. */
    private final java.util.concurrent.atomic.AtomicInteger baton = new java.util.concurrent.atomic.AtomicInteger();
    /** The watchdog waits for the baton (so the holder offers it on at its next point). */
    private volatile boolean watchdogWantsBaton;
    /** The holder's time slice: it offers the baton to the others when the slice is over. */
    private static final long BATON_SLICE_NANOS = 100_000;
    private long sliceStart;
    private int sliceCheck = 1;
    private long sliceRng;
    /** Replaying a free run whose watchdog fired: 0 no callback for a while, 1 its wall-clock limit; -1 none. */
    private int replayWatchdog = -1;
    /** A step of the logical clock: 1 ms controlled (csd_lock_timeout counts steps); a free run's, see {@link #stepNanos(long)}. */
    private long stepNanos = 1_000_000L;

    private static final String FREE_LIMIT_WHY = "engine wall-clock limit of a free run";

    private String freeQuietWhy() {
        return "watchdog: no callback ran for " + freeTimeoutMillis + " ms of a free run";
    }

    /**
     * The logical length of a step: 1 ms in controlled runs; a free run that records its schedule, and
     * its replay, take about what a step takes under the agent (Engine.FREE_STEP_NANOS), so the debug
     * path's timeout is about as many steps as in a free run that reads the wall clock.
     */
    public void stepNanos(long nanos) {
        stepNanos = nanos;
    }

    /** cpu_relax() in a free run: serial, the spinning context offers the baton on at its next point. */
    void freeRelax(Ctx c) {
        if (serial) {
            c.relaxed = true;
        } else {
            Thread.yield();
        }
    }

    /** Free mode, at {@code me}'s scheduling point (before its decision). */
    private void freeStep(Ctx me) {
        if (!serial) {
            me.freeSteps[Ctx.FREE_STEPS]++;
            return;
        }
        steps++;
        if (me.relaxed) {
            me.relaxed = false;
            yieldBaton(me, true);
        } else if (--sliceCheck <= 0) {
            // the clock every 1..32 points (at no fixed distance): a slice ends at any point
            long r = sliceRng += 0x9E3779B97F4A7C15L;
            r = (r ^ (r >>> 31)) * 0xBF58476D1CE4E5B9L;
            sliceCheck = 1 + (int) ((r >>> 40) & 31);
            if (System.nanoTime() - sliceStart > BATON_SLICE_NANOS) {
                yieldBaton(me, false);
            }
        }
    }

    /** After {@code me} got the turn: the run over, it unwinds; serial, a new step takes the baton. */
    private void afterTurn(Ctx me) {
        if (over) {
            throw Killed.INSTANCE;
        }
        if (!serial) {
            return;
        }
        if (me.batonPassed) {
            me.batonPassed = false; // the step goes on in this context
            return;
        }
        acquireBaton(me); // the run's start, or a CPU come back (cpuUp): a new step
        if (me.decideOnTurn) {
            me.decideOnTurn = false;
            me.cmd = freeNext(me);
        }
    }

    /** An idle CPU with nothing to do waits (serial: without the baton) until it may have something. */
    private void idleWaits(Ctx me) {
        Cpu c = me.cpu;
        if (serial) {
            releaseBaton();
            if (liveTasks == 0) {
                LockSupport.parkNanos(this, 200_000); // the end is near: look again now and then
            } else {
                while (!over && liveTasks > 0 && !c.ipiPending && c.stopperWork == null && c.runq.isEmpty() && c.bringup == null) {
                    LockSupport.parkNanos(this, 20_000); // sendIpi()/wakeStopper() unpark it at once
                }
            }
            acquireBaton(me);
        } else {
            LockSupport.parkNanos(this, 20_000);
        }
        if (over) {
            throw Killed.INSTANCE;
        }
    }

    /** Free mode: a dead CPU's stopper has put it to sleep; it waits for its turn (serial: without the baton). */
    private void deadStopperSleeps(Ctx me) {
        me.turn = false;
        if (serial) {
            releaseBaton();
        }
    }

    private void acquireBaton(Ctx me) {
        if (!baton.compareAndSet(0, 1)) {
            me.wantsBaton = true;
            try {
                while (!baton.compareAndSet(0, 1)) {
                    if (over) {
                        throw Killed.INSTANCE;
                    }
                    LockSupport.parkNanos(this, 1_000_000);
                }
            } finally {
                me.wantsBaton = false;
            }
        }
        if (over) {
            throw Killed.INSTANCE;
        }
        sliceStart = System.nanoTime();
    }

    private void releaseBaton() {
        baton.set(0);
        for (int i = 0; i < ctxs.size(); i++) {
            Ctx x = ctxs.get(i);
            if (x.wantsBaton) {
                LockSupport.unpark(x.thread);
            }
        }
    }

    private boolean batonWanted() {
        if (watchdogWantsBaton) {
            return true;
        }
        for (int i = 0; i < ctxs.size(); i++) {
            if (ctxs.get(i).wantsBaton) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code me} offers the baton to the contexts waiting for it and races them for it again; it waits
     * until one of them took it (at most a millisecond), so a spinning context really lets the one it
     * waits for run. Nobody waiting: {@code me} keeps it (a new slice); a spinning one first gives its core
     * away (Thread.yield, as in a free run that does not record), since the contexts it waits for may be
     * runnable threads that the operating system has not run yet, so not yet waiting for the baton.
     */
    private void yieldBaton(Ctx me, boolean spun) {
        if (!batonWanted()) {
            if (spun) {
                Thread.yield();
            }
            if (!spun || !batonWanted()) {
                sliceStart = System.nanoTime();
                return;
            }
        }
        releaseBaton();
        long until = System.nanoTime() + 1_000_000;
        while (baton.get() == 0 && batonWanted() && System.nanoTime() < until) {
            Thread.yield();
        }
        acquireBaton(me);
    }

    /** The watchdog takes the baton (between two steps) before it declares the run stuck; false if not within 2 s. */
    private boolean watchdogTakesBaton() {
        watchdogWantsBaton = true;
        try {
            long until = System.nanoTime() + 2_000_000_000L;
            while (!baton.compareAndSet(0, 1)) {
                if (over || System.nanoTime() > until) {
                    return false;
                }
                LockSupport.parkNanos(this, 200_000);
            }
            return true;
        } finally {
            watchdogWantsBaton = false;
        }
    }

    /** The watchdog (awaitEnd, holding this) declares the run stuck; serial, holding the baton, it records where. */
    private void watchdogDeclares(boolean held, boolean limit, String why) {
        if (over) {
            return;
        }
        if (held && scheduleLog != null) {
            scheduleLog.add(ScheduleLog.WATCHDOG << 28 | (limit ? 1 : 0) << 16);
        }
        declareStuck(guessStuckCpu(), why + ": " + stuckDetail());
    }

    /** Replay of a free run whose watchdog fired: declared where it fell in the schedule, by this thread, as it was. */
    private void declareReplayedWatchdog() {
        if (replayWatchdog >= 0) {
            synchronized (this) {
                declareStuck(guessStuckCpu(), (replayWatchdog == 1 ? FREE_LIMIT_WHY : freeQuietWhy()) + ": " + stuckDetail());
            }
        }
    }

    /**
     * A context's thread: it carries its context, so a scheduling point (every plain access under the agent
     * with points=all) finds it with {@code Thread.currentThread()} instead of a thread-local lookup.
     */
    static final class CtxThread extends Thread {
        /** The context this thread runs; null before its run and after it ended. */
        Ctx ctx;

        CtxThread(Runnable body, String name) {
            super(body, name);
        }
    }

    /** The calling thread's context, or null (a thread that is no context of a running machine). */
    private static Ctx currentCtx() {
        return Thread.currentThread() instanceof CtxThread t ? t.ctx : null;
    }

    /** Free, not serial: the points of all contexts (a racy sum while the run goes on, as the count always was). */
    private long freeStepsSum() {
        long n = 0;
        for (int i = 0; i < ctxs.size(); i++) {
            n += ctxs.get(i).freeSteps[Ctx.FREE_STEPS];
        }
        return n;
    }

    /**
     * At {@code me}'s point, free and not serial, a task with nothing to decide: does what freeStep, freeNext
     * and execCmd do then (count the point, continue) without their writes to the context, and returns true;
     * false when the full point must run.
     */
    private boolean freeNothingToDecide(Ctx me) {
        if (controlled || serial || me.kind != Ctx.Kind.TASK || me.needSwitchIn) {
            return false;
        }
        Cpu c = me.cpu;
        if (c.ipiPending || c.stopperWork != null || !c.runq.isEmpty()) {
            return false;
        }
        me.freeSteps[Ctx.FREE_STEPS]++; // its own cache line
        if (me.cmd != null) {
            me.cmd = null;
        }
        afterResume(me);
        return true;
    }
}

package smptrace.engine.sim;

import java.util.SplittableRandom;
import smptrace.engine.smp.task_struct;

/** A schedulable context: a task, a CPU's idle task or its stopper. Simulator bookkeeping, not kernel memory. */
public final class Ctx {
    public enum Kind { TASK, IDLE, STOPPER }

    final Machine m;
    public final int id;
    public final String name;
    public final Kind kind;
    /** The kernel's task_struct of this context (holds the task-local IPI mask). */
    public final task_struct ts;
    Cpu cpu;
    int preemptCount;
    int irqDepth;
    final boolean migratable;
    Thread thread;
    Runnable body;
    volatile boolean turn;
    Action cmd;
    boolean needSwitchIn;
    boolean started;
    boolean finished;
    boolean inSched;
    boolean irqToRun;
    boolean wokenByIrq;
    /** Idle task only: running an IRQ handler or the post-wakeup flush (not waiting in the idle loop). */
    boolean idleActive;
    long lastSpinStep = -10;
    String waitNote;
    int waitCpu = -1;
    final SplittableRandom rng;
    /** Free mode, recording the schedule: this context's decisions and their tickets (Machine.recordedSchedule). */
    long[] logTickets = new long[0];
    int[] logTokens = new int[0];
    int logCount;

    Ctx(Machine m, int id, String name, Kind kind, Cpu cpu, boolean migratable, task_struct ts, long seed) {
        this.m = m;
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.cpu = cpu;
        this.migratable = migratable;
        this.ts = ts;
        this.rng = new SplittableRandom(seed);
    }

    void logFree(long ticket, int token) {
        if (logCount == logTokens.length) {
            int n = Math.max(1024, logCount * 2);
            logTickets = java.util.Arrays.copyOf(logTickets, n);
            logTokens = java.util.Arrays.copyOf(logTokens, n);
        }
        logTickets[logCount] = ticket;
        logTokens[logCount++] = token;
    }

    public Machine machine() {
        return m;
    }

    public int cpuId() {
        return cpu.id;
    }

    public int preemptCount() {
        return preemptCount;
    }

    public boolean inIrq() {
        return irqDepth > 0;
    }

    @Override
    public String toString() {
        return name;
    }
}

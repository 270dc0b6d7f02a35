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
    /**
     * Free, not serial: this context's scheduling points, in the middle of a 128-byte array so that no other
     * thread's data shares its cache line (the one write of a point; {@link Machine#steps()} sums them).
     */
    final long[] freeSteps = new long[16];
    static final int FREE_STEPS = 8;
    /** Serial free mode: the baton came with the turn (giveTurn): the step goes on in this context. */
    boolean batonPassed;
    /** Serial free mode: waiting for the baton (the holder offers it at its next point). */
    volatile boolean wantsBaton;
    /** Serial free mode: spun (cpu_relax) since its last point: hands the baton on at the next one. */
    boolean relaxed;
    /** Serial free mode: given the turn by cpuUp(): takes the baton and decides, as at a scheduling point. */
    boolean decideOnTurn;

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

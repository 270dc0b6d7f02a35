package smptrace.trace;

/**
 * Every event a trace can hold, with its one-byte opcode. The opcode is part of the trace format
 * (docs/trace-format.md): never renumber, only add. Memory events carry a location; the ordering
 * class is part of the kind, in the LKMM's words.
 */
public enum EventKind {
    // ---- memory: reads and writes (payload: site, loc, value, co) ---------------------------------
    /** Plain load (GETFIELD, xALOAD, __this_cpu_read). */
    R_PLAIN(1, Shape.READ, Order.PLAIN),
    /** Plain store (PUTFIELD, xASTORE, __this_cpu_write). */
    W_PLAIN(2, Shape.WRITE, Order.PLAIN),
    /** READ_ONCE, atomic_read. */
    R_ONCE(3, Shape.READ, Order.ONCE),
    /** WRITE_ONCE, atomic_set. */
    W_ONCE(4, Shape.WRITE, Order.ONCE),
    /** smp_load_acquire, atomic_read_acquire. */
    R_ACQUIRE(5, Shape.READ, Order.ACQUIRE),
    /** smp_store_release, atomic_set_release. */
    W_RELEASE(6, Shape.WRITE, Order.RELEASE),
    /** rcu_dereference: a once read heading an address dependency. */
    R_DEREF(7, Shape.READ, Order.ONCE),
    /** rcu_assign_pointer: a release store. */
    W_ASSIGN(8, Shape.WRITE, Order.RELEASE),
    /**
     * A read of smp_cond_load_acquire() / smp_cond_load_relaxed(): READ_ONCE of a busy-wait's loop
     * condition (format version 2). The acquire of _acquire is the F_ACQUIRE_AFTER_CTRL_DEP after the last one.
     */
    R_COND(9, Shape.READ, Order.ONCE),

    // ---- memory: successful RMWs (payload: site, loc, old, new, co of the write) -----------------
    /** Fully ordered value-returning RMW: xchg, cmpxchg/try_cmpxchg success, atomic_*_return. */
    RMW_MB(10, Shape.RMW, Order.MB),
    RMW_ACQUIRE(11, Shape.RMW, Order.ACQUIRE),
    RMW_RELEASE(12, Shape.RMW, Order.RELEASE),
    RMW_RELAXED(13, Shape.RMW, Order.ONCE),
    /** Non-value-returning RMW: atomic_inc, atomic_dec, atomic_add (LKMM "noreturn"). */
    RMW_NORETURN(14, Shape.RMW, Order.NORETURN),

    // ---- memory: failed cmpxchg = a read only (payload: site, loc, value read, expected, rf co) ---
    RMW_FAIL_MB(15, Shape.FAILED_RMW, Order.MB),
    RMW_FAIL_ACQUIRE(16, Shape.FAILED_RMW, Order.ACQUIRE),
    RMW_FAIL_RELEASE(17, Shape.FAILED_RMW, Order.RELEASE),
    RMW_FAIL_RELAXED(18, Shape.FAILED_RMW, Order.ONCE),

    // ---- locks (payload as RMW / WRITE / FAILED_RMW) ---------------------------------------------
    /** spin_lock / spin_trylock that took the lock: an acquire RMW 0 -> 1. */
    LOCK(19, Shape.RMW, Order.ACQUIRE),
    /** spin_unlock: a release store of 0. */
    UNLOCK(20, Shape.WRITE, Order.RELEASE),
    /** A spin_lock attempt that found the lock held (or a failed spin_trylock). */
    LOCK_FAIL(21, Shape.FAILED_RMW, Order.ONCE),

    // ---- Java synchronisation (codes 22-29; LKMM meaning in LkmmSync; payload as READ / WRITE) -----
    /**
     * A Java acquire on a synchronisation object's sync location: monitorenter, Lock.lock, the start
     * of a thread or task, the return of Thread.join, Future.get, CountDownLatch.await,
     * Semaphore.acquire, CyclicBarrier.await, Object.wait. Reads the last {@link #SYNC_RELEASE} there.
     */
    SYNC_ACQUIRE(22, Shape.READ, Order.ACQUIRE),
    /**
     * A Java release on a sync location: monitorexit, Lock.unlock, Thread.start, a thread's or task's
     * end, countDown, Semaphore.release, arriving at a barrier, entering Object.wait. The location
     * carries the join of every release on it (a latch's count-downs all happen before await's return).
     */
    SYNC_RELEASE(23, Shape.WRITE, Order.RELEASE),
    /** A read of a Java volatile field (or VarHandle getVolatile): preceded by an F_MB; acquire. */
    R_VOLATILE(24, Shape.READ, Order.ACQUIRE),
    /** A write of a Java volatile field (or VarHandle setVolatile): preceded by an F_MB; release. */
    W_VOLATILE(25, Shape.WRITE, Order.RELEASE),

    // ---- fences (payload: site) -------------------------------------------------------------------
    F_MB(30, Shape.FENCE, Order.MB),
    F_WMB(31, Shape.FENCE, Order.WMB),
    F_RMB(32, Shape.FENCE, Order.RMB),
    F_ACQUIRE_AFTER_CTRL_DEP(33, Shape.FENCE, Order.RMB),
    F_BEFORE_ATOMIC(34, Shape.FENCE, Order.BEFORE_ATOMIC),
    F_AFTER_ATOMIC(35, Shape.FENCE, Order.AFTER_ATOMIC),
    F_AFTER_SPINLOCK(36, Shape.FENCE, Order.AFTER_SPINLOCK),
    F_BARRIER(37, Shape.FENCE, Order.PLAIN),
    F_SYNC_RCU(38, Shape.FENCE, Order.SYNC_RCU),
    RCU_READ_LOCK(39, Shape.FENCE, Order.RCU_LOCK),
    RCU_READ_UNLOCK(40, Shape.FENCE, Order.RCU_UNLOCK),
    CPU_RELAX(41, Shape.FENCE, Order.PLAIN),

    // ---- control (payload: the listed arguments) -------------------------------------------------
    /** oid, class id: a kernel object came to exist. */
    ALLOC(50, Shape.CONTROL, Order.NONE, Args.OID_CLASS),
    /** oid, name (string): the object's kernel name. */
    NAME(51, Shape.CONTROL, Order.NONE, Args.OID_TEXT),
    /** task, cpu: this stream now runs task on cpu. */
    TASK_ON_CPU(52, Shape.CONTROL, Order.NONE, Args.TWO),
    /** task, cpu. */
    TASK_OFF_CPU(53, Shape.CONTROL, Order.NONE, Args.TWO),
    /** new preempt count. */
    PREEMPT_DISABLE(54, Shape.CONTROL, Order.NONE, Args.ONE),
    /** new preempt count. */
    PREEMPT_ENABLE(55, Shape.CONTROL, Order.NONE, Args.ONE),
    IRQ_DISABLE(56, Shape.CONTROL, Order.NONE, Args.NONE),
    IRQ_ENABLE(57, Shape.CONTROL, Order.NONE, Args.NONE),
    /** cpu: an interrupt handler starts (a new context) on this stream. */
    IRQ_ENTER(58, Shape.CONTROL, Order.NONE, Args.ONE),
    /** cpu. */
    IRQ_EXIT(59, Shape.CONTROL, Order.NONE, Args.ONE),
    /** src cpu, dst cpu. */
    IPI_SEND(60, Shape.CONTROL, Order.NONE, Args.TWO),
    /** cpu, 1 online / 0 offline. */
    CPU_ONLINE(61, Shape.CONTROL, Order.NONE, Args.TWO),
    /** cpu. */
    STOP_MACHINE_ENTER(62, Shape.CONTROL, Order.NONE, Args.ONE),
    STOP_MACHINE_EXIT(63, Shape.CONTROL, Order.NONE, Args.ONE),
    /** cpu, reason (0 ipi, 1 idle, 2 dying). */
    FLUSH_BEGIN(64, Shape.CONTROL, Order.NONE, Args.TWO),
    FLUSH_END(65, Shape.CONTROL, Order.NONE, Args.ONE),
    /** cpu, reason (string): the watchdog ended the run. */
    STUCK(66, Shape.CONTROL, Order.NONE, Args.ONE_TEXT),
    DATA_RACE_BEGIN(67, Shape.CONTROL, Order.NONE, Args.NONE),
    DATA_RACE_END(68, Shape.CONTROL, Order.NONE, Args.NONE),
    /** site, loc. */
    ASSERT_EXCLUSIVE_WRITER(69, Shape.CONTROL, Order.NONE, Args.LOC),
    /** site, loc. */
    ASSERT_EXCLUSIVE_ACCESS(70, Shape.CONTROL, Order.NONE, Args.LOC),
    /** code, arg. */
    MARK(71, Shape.CONTROL, Order.NONE, Args.TWO),
    /**
     * oid, how ({@link #FREE_KFREE}, {@link #FREE_RETURNED}, {@link #FREE_PERCPU}): the kernel object died
     * (format version 4). Any later access to it is an access to freed memory.
     */
    KFREE(80, Shape.CONTROL, Order.NONE, Args.OID_ONE),
    /**
     * oid, role ({@link ObjectRole} code), cpu, index: what the object is to kernel/smp.c, declared by the
     * engine when it creates it (format version 4). The reader puts it in {@link TraceInfo#objectRole}.
     */
    ROLE(81, Shape.CONTROL, Order.NONE, Args.OID_ROLE);

    /** KFREE how: kfree() / the owner freed a heap object. */
    public static final int FREE_KFREE = 0;
    /** KFREE how: the function whose stack frame held the object returned (an on-stack CSD, an on-stack info). */
    public static final int FREE_RETURNED = 1;
    /** KFREE how: free_percpu() of a per-CPU allocation (cfd->csd in the old smpcfd_dead_cpu()). */
    public static final int FREE_PERCPU = 2;

    /** The arguments of a control event, in payload order (docs/trace-format.md, "Control events"). */
    public enum Args {
        /** No arguments. */
        NONE,
        /** One signed varint (a cpu, a preempt count). */
        ONE,
        /** Two signed varints. */
        TWO,
        /** An object id and a class id (unsigned). */
        OID_CLASS,
        /** An object id (unsigned) and a text. */
        OID_TEXT,
        /** A signed varint and a text. */
        ONE_TEXT,
        /** A location (unsigned). */
        LOC,
        /** An object id (unsigned) and a signed varint (KFREE: how). */
        OID_ONE,
        /** An object id, a role code (unsigned), a cpu and an index (signed): ROLE. */
        OID_ROLE
    }

    /** How the payload is laid out, and what the event is to the memory model. */
    public enum Shape { READ, WRITE, RMW, FAILED_RMW, FENCE, CONTROL }

    /** The ordering class, in the LKMM's vocabulary (linux-kernel.def tags). */
    public enum Order { NONE, PLAIN, ONCE, ACQUIRE, RELEASE, MB, NORETURN, WMB, RMB, BEFORE_ATOMIC, AFTER_ATOMIC, AFTER_SPINLOCK, SYNC_RCU, RCU_LOCK, RCU_UNLOCK }

    public final int code;
    public final Shape shape;
    public final Order order;
    /** Control events: their arguments; NONE for every other shape. */
    public final Args args;
    // what the predicates below answer, decided once (they run several times for every event analysed)
    private final boolean memory;
    private final boolean reading;
    private final boolean writing;
    private final boolean marking;

    private static final EventKind[] BY_CODE = new EventKind[128];

    static {
        for (EventKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    EventKind(int code, Shape shape, Order order) {
        this(code, shape, order, Args.NONE);
    }

    EventKind(int code, Shape shape, Order order, Args args) {
        this.code = code;
        this.shape = shape;
        this.order = order;
        this.args = args;
        this.memory = shape == Shape.READ || shape == Shape.WRITE || shape == Shape.RMW || shape == Shape.FAILED_RMW;
        this.reading = shape == Shape.READ || shape == Shape.RMW || shape == Shape.FAILED_RMW;
        this.writing = shape == Shape.WRITE || shape == Shape.RMW;
        this.marking = memory && order != Order.PLAIN;
    }

    /** The kind with this opcode, or null if the opcode is unknown. */
    public static EventKind ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public boolean isMemory() {
        return memory;
    }

    /** Reads memory: plain and marked loads, both halves of RMWs, failed cmpxchg. */
    public boolean reads() {
        return reading;
    }

    /** Writes memory: stores and successful RMWs. */
    public boolean writes() {
        return writing;
    }

    /** A marked access in the LKMM sense: everything but plain loads and stores. */
    public boolean marked() {
        return marking;
    }
}

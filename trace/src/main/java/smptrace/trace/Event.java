package smptrace.trace;

/**
 * One event as the reader delivers it: a mutable view, reused for every event (the replay path
 * allocates nothing per event). Copy what you keep.
 *
 * <p>The reader delivers events in one order consistent with program order, reads-from and
 * coherence, and per location it is the order in which the accesses really happened: a read
 * always reads from the latest write to its location delivered before it.
 */
public final class Event {
    /** Stream (recording thread) id, as in the trace's thread dictionary. */
    public int thread;
    /** Position in its stream, from 0. {@code id()} = (thread, seq). */
    public long seq;
    public EventKind kind;
    /** Source site id (class, method, line in the trace's site dictionary); 0 when none. */
    public int site;
    /** Location: (object id << 16) | field id or array index; 0 for non-memory events. */
    public long loc;
    /**
     * Memory events: the location's dense index in this trace (0, 1, 2, ... in order of first
     * appearance), so consumers can keep per-location state in arrays without hashing; -1 otherwise.
     */
    public int locIndex = -1;
    /**
     * Value read (reads, RMWs, failed RMWs) or written (writes). Pointers are object ids, NULL is 0.
     * ROLE: the role's cpu (and {@link #value2} its index).
     */
    public long value;
    /** RMW: the value written. Failed RMW: the expected value. */
    public long value2;
    /**
     * Coherence index. Writes and RMWs: this write is the co-th write to loc (from 1). Reads and
     * failed RMWs: the co index of the write read from (0 = the initial value). An RMW reads co-1.
     */
    public long co;
    /** Writes and RMWs: how many reads saw the write this one overwrote (the reader's merge needs it). */
    public long readsOfPrev;
    /** Event id of the write read from ({@link #id(int, long)}), or -1 for the initial value. */
    public long rfId;
    /** Control events: their integer arguments. */
    public long a;
    public long b;
    /** NAME / STUCK: the text. */
    public String text;

    // ---- context, maintained by the reader from control events --------------------------------
    /** CPU the stream's current context runs on, -1 before any TASK_ON_CPU. */
    public int cpu;
    /** Context id: one per task, and a fresh one per interrupt-handler instance. */
    public int ctx;
    /** Task id of the stream (the interrupted task while in an IRQ handler); -1 before any. */
    public int task;
    /** True inside an interrupt handler. */
    public boolean inIrq;
    /** Preempt count of the task (0 = preemptible). */
    public int preemptCount;
    /** IRQs disabled on the current CPU by this context. */
    public boolean irqsOff;
    /** Inside data_race(...). */
    public boolean inDataRace;

    public static long id(int thread, long seq) {
        return ((long) thread << 40) | seq;
    }

    public static int threadOf(long id) {
        return (int) (id >>> 40);
    }

    public static long seqOf(long id) {
        return id & ((1L << 40) - 1);
    }

    public long id() {
        return id(thread, seq);
    }

    public static long loc(int oid, int slot) {
        return ((long) oid << 16) | (slot & 0xffff);
    }

    public static int oidOf(long loc) {
        return (int) (loc >>> 16);
    }

    public static int slotOf(long loc) {
        return (int) (loc & 0xffff);
    }

    public void copyFrom(Event o) {
        thread = o.thread; seq = o.seq; kind = o.kind; site = o.site; loc = o.loc; locIndex = o.locIndex; value = o.value;
        value2 = o.value2; co = o.co; readsOfPrev = o.readsOfPrev; rfId = o.rfId; a = o.a; b = o.b; text = o.text; cpu = o.cpu;
        ctx = o.ctx; task = o.task; inIrq = o.inIrq; preemptCount = o.preemptCount; irqsOff = o.irqsOff;
        inDataRace = o.inDataRace;
    }

    @Override
    public String toString() {
        return "#" + thread + "." + seq + " " + kind + " site=" + site + " loc=" + oidOf(loc) + ":" + slotOf(loc)
                + " v=" + value + (kind != null && kind.shape == EventKind.Shape.RMW ? "->" + value2 : "") + " co=" + co
                + " cpu=" + cpu + " ctx=" + ctx;
    }
}

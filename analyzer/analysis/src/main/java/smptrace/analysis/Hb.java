package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Happens-before by vector clocks over the LKMM's ordering edges ({@link LkmmSync}), with
 * FastTrack-style epochs: an access is identified by (slot, clock of its slot at the access), and it
 * happens before the current event iff that clock is at most the current slot's entry for that slot.
 *
 * <p>Slots are the LKMM's threads: one per task, one per (CPU, interrupt nesting depth) for interrupt
 * handlers per recording stream and nesting depth (the handlers a stream runs come one after another),
 * and one per recording stream before its first task (boot: initialisation, which happens
 * before everything later). Machine-level edges, all derived from the events' own order (the reader
 * delivers control events in program order only, not in real time across streams): a spin_unlock by
 * another context than the one that took the lock (the rq lock of a context switch: prev takes it,
 * next releases it) continues the locker's program order; an interrupt handler comes after the
 * IRQs-off sections its stream's task ended before it, and IRQs-off sections come after the handlers
 * that ended before them on that stream; nothing else orders a task against a handler (an interrupt
 * can arrive wherever IRQs are on).
 *
 * <p>Per event the pipeline calls {@link #before} (joins: acquires, fences, switches), then the
 * detectors, then {@link #after} (releases: what writes carry, epoch increments). No allocation per
 * event once the slots and locations are known; memory grows with slots × (slots + locations).
 */
public final class Hb {
    private static final int[] NONE = new int[0];

    // ---- slots ------------------------------------------------------------------------------------
    private final IntIntMap slotOfKey = new IntIntMap();
    /** Per recording stream: the last context key and its slot (most events repeat it). */
    private int[] lastKey = new int[8];
    private int[] lastSlot = {-1, -1, -1, -1, -1, -1, -1, -1};
    private int slots;
    private int cap = 8;
    private int[][] vc = new int[cap][];
    /** What later marked stores of the slot carry after its last smp_wmb / smp_mb (null: nothing). */
    private int[][] fenceSnap = new int[cap][];
    /** Join of what the slot's marked reads read; joined into the clock at a read fence. */
    private int[][] readAcc = new int[cap][];
    private boolean[] boot = new boolean[cap];
    private int[] bootSeen = new int[cap];
    private int[] slotTask = new int[cap];
    private int[] slotThread = new int[cap];
    private boolean[] slotIrq = new boolean[cap];
    private int[] pinInstance = new int[cap];
    private int[] preempt = new int[cap];
    private int[] lastCpu = new int[cap];
    private int pinCounter;

    private int[] bootClock = new int[cap];
    private int bootVersion;

    // ---- recording streams (one Java thread: a task, or a CPU's idle task, and the handlers it runs) ---
    private int[][] streamIrqOff = new int[8][];
    private int[][] streamIrqDone = new int[8][];
    // ---- locks handed over at a context switch (taken by prev, released by next) --------------------
    private int[] lockHolder = new int[1024];
    private int[][] lockClock = new int[1024][];
    /** Interrupt nesting per recording stream (the reader's IRQ_EXIT already shows the interrupted context). */
    private int[] irqDepth = new int[8];

    // ---- locations --------------------------------------------------------------------------------
    private int[][] sync = new int[1024][];
    /** Whether the location's release clock may hold a non-zero entry (false: all zero), so a plain store to a
     *  location it already cleared does not clear the clock again. */
    private boolean[] syncSet = new boolean[1024];

    // ---- the current event --------------------------------------------------------------------------
    private int cur = -1;
    private int curLoc = -1;

    /** The slot of the event last passed to {@link #before}. */
    public int slot() {
        return cur;
    }

    public int slots() {
        return slots;
    }

    /** The current clock of a slot (live: do not keep). */
    public int[] clock(int slot) {
        return vc[slot];
    }

    /** The current event's epoch: its slot's own clock entry. */
    public int epoch() {
        return vc[cur][cur];
    }

    /** Whether the access (slot s, clock c) happens before the current event. */
    public boolean ordered(int s, int c) {
        if (s == cur) {
            return true;
        }
        int[] v = vc[cur];
        return s < v.length && c <= v[s];
    }

    /** Whether the access (s, c) happens before slot t's current position. */
    public boolean orderedBefore(int s, int c, int t) {
        if (s == t) {
            return true;
        }
        int[] v = vc[t];
        return s < v.length && c <= v[s];
    }

    public boolean isBoot(int slot) {
        return boot[slot];
    }

    public boolean isIrq(int slot) {
        return slotIrq[slot];
    }

    /** Task id of a task slot, -1 for handler and boot slots. */
    public int task(int slot) {
        return slotTask[slot];
    }

    /** The recording stream that last ran the slot. */
    public int thread(int slot) {
        return slotThread[slot];
    }

    /** Pin instance of the slot: a fresh id each time its preempt count goes from 0 to 1; 0 when not pinned. */
    public int pin(int slot) {
        return preempt[slot] > 0 && !slotIrq[slot] ? pinInstance[slot] : 0;
    }

    /** The CPU the slot last ran on. */
    public int cpu(int slot) {
        return lastCpu[slot];
    }

    // ---- the pass ---------------------------------------------------------------------------------

    /** Slot assignment and the joins of the event (acquires, read fences, machine edges). */
    public void before(Event e, int locIndex) {
        int s = slotFor(e);
        cur = s;
        curLoc = locIndex;
        slotThread[s] = e.thread;
        if (e.cpu >= 0) {
            lastCpu[s] = e.cpu;
        }
        if (!boot[s] && bootSeen[s] != bootVersion) {
            join(s, bootClock);
            bootSeen[s] = bootVersion;
        }
        EventKind k = e.kind;
        if (PLAIN[k.ordinal()] == 0) {
            beforeOrdering(e, k, s, locIndex);
        }
        // a plain load or store joins nothing
    }

    /** Per kind: 1 a plain load or a fence that orders nothing, 2 a plain store (nothing to join; a store clears its location's release clock), 0 else. */
    private static final byte[] PLAIN = new byte[EventKind.values().length];

    static {
        for (EventKind k : EventKind.values()) {
            boolean plain = !k.marked() && k != EventKind.LOCK && k != EventKind.UNLOCK && !LkmmSync.acquires(k)
                    && !LkmmSync.releases(k) && !LkmmSync.accumulates(k);
            boolean orderless = k.shape == EventKind.Shape.FENCE && !k.writes() && !LkmmSync.strongFence(k)
                    && !LkmmSync.readFence(k) && !LkmmSync.writeFence(k); // cpu_relax(), barrier(): no clock moves
            if (plain && k.shape == EventKind.Shape.READ || orderless) {
                PLAIN[k.ordinal()] = 1;
            } else if (plain && k.shape == EventKind.Shape.WRITE) {
                PLAIN[k.ordinal()] = 2;
            }
        }
    }

    /** The joins of an event that is not a plain load or store. */
    private void beforeOrdering(Event e, EventKind k, int s, int locIndex) {
        if (k.writes() && LkmmSync.marked(k) && !LkmmSync.releases(k)) {
            vc[s][s]++; // a fresh epoch, so that what the write carries names it and not the accesses before it
        }
        switch (k.shape) {
            case READ:
            case FAILED_RMW:
                if (LkmmSync.acquires(k)) {
                    join(s, syncOf(locIndex));
                } else if (LkmmSync.marked(k)) {
                    readAcc[s] = joinInto(readAcc[s], syncOf(locIndex));
                }
                break;
            case RMW:
                if (LkmmSync.strongFence(k)) {
                    join(s, readAcc[s]);
                }
                if (k == EventKind.LOCK) {
                    holder(locIndex, s);
                }
                if (LkmmSync.acquires(k)) {
                    join(s, syncOf(locIndex));
                } else {
                    readAcc[s] = joinInto(readAcc[s], syncOf(locIndex));
                }
                break;
            case FENCE:
                if (LkmmSync.strongFence(k) || LkmmSync.readFence(k)) {
                    join(s, readAcc[s]);
                }
                break;
            case WRITE:
                if (k == EventKind.UNLOCK && locIndex >= 0 && locIndex < lockHolder.length) {
                    int h = lockHolder[locIndex] - 1;
                    if (h >= 0 && h != s) {
                        // spin_unlock by another context than the one that took the lock: the rq lock of a
                        // context switch (prev takes it, next releases it in finish_task_switch()); the CPU
                        // ran prev up to the switch, then next: next continues prev's program order
                        join(s, lockClock[locIndex]);
                    }
                    lockHolder[locIndex] = 0;
                }
                break;
            case CONTROL:
                control(e, s);
                break;
            default:
                break;
        }
    }

    private void holder(int li, int s) {
        if (li < 0) {
            return;
        }
        if (li >= lockHolder.length) {
            int n = Math.max(li + 1, lockHolder.length * 2);
            lockHolder = Arrays.copyOf(lockHolder, n);
            lockClock = Arrays.copyOf(lockClock, n);
        }
        lockHolder[li] = s + 1;
    }

    /** What the event's write carries, fences' snapshots, epoch increments. */
    public void after(Event e) {
        EventKind k = e.kind;
        byte p = PLAIN[k.ordinal()];
        if (p == 2) {
            clearSync(curLoc); // a plain store carries nothing
        } else if (p == 0) {
            afterOrdering(k);
        }
    }

    /** What an event that is not a plain load or store releases. */
    private void afterOrdering(EventKind k) {
        int s = cur;
        switch (k.shape) {
            case WRITE:
            case RMW:
                if (k == EventKind.LOCK && curLoc >= 0) {
                    lockClock[curLoc] = copyInto(lockClock[curLoc], vc[s]);
                    vc[s][s]++;
                }
                if (LkmmSync.accumulates(k)) {
                    // a Java release (LkmmSync): the sync location carries every release made on it
                    joinSync(curLoc, vc[s]);
                    vc[s][s]++;
                } else if (LkmmSync.releases(k)) {
                    setSync(curLoc, vc[s]);
                    if (LkmmSync.strongFence(k)) {
                        fenceSnap[s] = copyInto(fenceSnap[s], vc[s]);
                    }
                    vc[s][s]++;
                } else if (LkmmSync.marked(k)) {
                    // WRITE_ONCE / relaxed RMW: carries what an earlier wmb/mb published and (rmw-sequence) for an
                    // RMW what the overwritten write carried; not the accesses po-before it. (That a later access
                    // to the same location by a reader of this write is coherence-ordered after it is the
                    // race detector's business: epochs are cumulative and cannot name one event.)
                    int[] t = tmpCleared();
                    if (k.shape == EventKind.Shape.RMW) {
                        t = orInto(t, syncOf(curLoc));
                    }
                    t = orInto(t, fenceSnap[s]);
                    setSync(curLoc, t);
                    vc[s][s]++;
                } else {
                    clearSync(curLoc); // a plain store carries nothing
                }
                break;
            case FENCE:
                if (LkmmSync.strongFence(k) || LkmmSync.writeFence(k)) {
                    fenceSnap[s] = copyInto(fenceSnap[s], vc[s]);
                    vc[s][s]++;
                }
                break;
            default:
                break;
        }
    }

    private void control(Event e, int s) {
        int t = e.thread;
        switch (e.kind) {
            case IRQ_ENTER:
                // the handler comes after the IRQs-off sections this stream's task ended before it
                join(s, stream(streamIrqOff, t));
                break;
            case IRQ_EXIT:
                streamIrqDone = grow(streamIrqDone, t);
                streamIrqDone[t] = joinInto(streamIrqDone[t], vc[s]);
                vc[s][s]++;
                break;
            case IRQ_DISABLE:
                if (!slotIrq[s]) {
                    join(s, stream(streamIrqDone, t));
                }
                break;
            case IRQ_ENABLE:
                if (!slotIrq[s]) {
                    streamIrqOff = grow(streamIrqOff, t);
                    streamIrqOff[t] = joinInto(streamIrqOff[t], vc[s]);
                    vc[s][s]++;
                }
                break;
            case PREEMPT_DISABLE:
            case PREEMPT_ENABLE: {
                int was = preempt[s];
                preempt[s] = (int) e.a;
                if (was <= 0 && e.a > 0) {
                    pinInstance[s] = ++pinCounter;
                }
                break;
            }
            default:
                break;
        }
        if (boot[s]) {
            publishBoot(s);
        }
    }

    private static int[] stream(int[][] table, int t) {
        return t < table.length ? table[t] : null;
    }

    private static int[][] grow(int[][] table, int t) {
        return t < table.length ? table : Arrays.copyOf(table, Math.max(t + 1, table.length * 2));
    }

    private int slotFor(Event e) {
        EventKind k = e.kind;
        int th = e.thread;
        if (k != EventKind.IRQ_ENTER && k != EventKind.IRQ_EXIT && th < lastKey.length && lastSlot[th] >= 0) {
            // the stream's last context again (most events): no map lookup, no bookkeeping
            int key;
            boolean isBoot = false;
            if (e.inIrq) {
                key = irqKey(th, Math.max(1, th < irqDepth.length ? irqDepth[th] : 0));
            } else if (e.task < 0) {
                key = -1 - th;
                isBoot = true;
            } else {
                key = e.task;
            }
            if (lastKey[th] == key) {
                int s = lastSlot[th];
                if (isBoot && k.isMemory()) {
                    publishBoot(s);
                }
                return s;
            }
        }
        return slotForAny(e);
    }

    private int slotForAny(Event e) {
        int key;
        boolean irq = false;
        boolean isBoot = false;
        if (e.kind == EventKind.IRQ_ENTER) {
            int d = ++irqDepth(e.thread)[e.thread];
            key = irqKey(e.thread, d);
            irq = true;
        } else if (e.kind == EventKind.IRQ_EXIT) {
            int d = irqDepth(e.thread)[e.thread];
            key = irqKey(e.thread, Math.max(1, d));
            irqDepth[e.thread] = Math.max(0, d - 1);
            irq = true;
        } else if (e.inIrq) {
            key = irqKey(e.thread, Math.max(1, irqDepth(e.thread)[e.thread]));
            irq = true;
        } else if (e.task < 0) {
            key = -1 - e.thread;
            isBoot = true;
        } else {
            key = e.task;
        }
        int s;
        int th = e.thread;
        if (th < lastKey.length && lastKey[th] == key && lastSlot[th] >= 0) {
            s = lastSlot[th];
        } else {
            s = slotOfKey.get(key);
            if (s < 0) {
                s = newSlot(key, irq, isBoot, e.task);
            }
            if (th >= lastKey.length) {
                int n = Math.max(th + 1, lastKey.length * 2);
                int old = lastKey.length;
                lastKey = Arrays.copyOf(lastKey, n);
                lastSlot = Arrays.copyOf(lastSlot, n);
                Arrays.fill(lastSlot, old, n, -1);
            }
            lastKey[th] = key;
            lastSlot[th] = s;
        }
        if (isBoot && e.kind.isMemory()) {
            publishBoot(s);
        }
        return s;
    }

    private void publishBoot(int s) {
        // boot events happen before everything that follows them: publish lazily by version
        bootVersion++;
        bootClock = joinInto(bootClock, vc[s]);
    }

    private int[] irqDepth(int thread) {
        if (thread >= irqDepth.length) {
            irqDepth = Arrays.copyOf(irqDepth, Math.max(thread + 1, irqDepth.length * 2));
        }
        return irqDepth;
    }

    /** Interrupt handlers: one slot per (recording stream, nesting depth); a stream's handlers run one after another. */
    private static int irqKey(int thread, int depth) {
        return 1_000_000_000 + thread * 16 + Math.min(depth, 15);
    }

    private int newSlot(int key, boolean irq, boolean isBoot, int task) {
        int s = slots++;
        if (s >= cap) {
            cap *= 2;
            vc = Arrays.copyOf(vc, cap);
            fenceSnap = Arrays.copyOf(fenceSnap, cap);
            readAcc = Arrays.copyOf(readAcc, cap);
            boot = Arrays.copyOf(boot, cap);
            bootSeen = Arrays.copyOf(bootSeen, cap);
            slotTask = Arrays.copyOf(slotTask, cap);
            slotThread = Arrays.copyOf(slotThread, cap);
            slotIrq = Arrays.copyOf(slotIrq, cap);
            pinInstance = Arrays.copyOf(pinInstance, cap);
            preempt = Arrays.copyOf(preempt, cap);
            lastCpu = Arrays.copyOf(lastCpu, cap);
        }
        slotOfKey.put(key, s);
        int[] v = new int[Math.max(8, s + 1)];
        v[s] = 1;
        vc[s] = v;
        boot[s] = isBoot;
        slotIrq[s] = irq;
        slotTask[s] = irq || isBoot ? -1 : task;
        lastCpu[s] = -1;
        if (!isBoot) {
            join(s, bootClock);
            bootSeen[s] = bootVersion;
        }
        return s;
    }

    // ---- clocks -----------------------------------------------------------------------------------

    /** The location's object died: drop its release clock and lock state. */
    void forget(int li) {
        if (li >= 0 && li < sync.length) {
            sync[li] = null;
        }
        if (li >= 0 && li < lockHolder.length) {
            lockHolder[li] = 0;
            lockClock[li] = null;
        }
    }

    private int[] syncOf(int li) {
        if (li < 0 || li >= sync.length) {
            return null;
        }
        return sync[li];
    }

    private void setSync(int li, int[] clock) {
        if (li < 0) {
            return;
        }
        if (li >= sync.length) {
            sync = Arrays.copyOf(sync, Math.max(li + 1, sync.length * 2));
            syncSet = Arrays.copyOf(syncSet, sync.length);
        }
        syncSet[li] = true;
        sync[li] = copyInto(sync[li], clock);
    }

    private void joinSync(int li, int[] clock) {
        if (li < 0) {
            return;
        }
        if (li >= sync.length) {
            sync = Arrays.copyOf(sync, Math.max(li + 1, sync.length * 2));
            syncSet = Arrays.copyOf(syncSet, sync.length);
        }
        syncSet[li] = true;
        sync[li] = joinInto(sync[li], clock);
    }

    private void clearSync(int li) {
        if (li >= 0 && li < sync.length && syncSet[li]) {
            syncSet[li] = false;
            if (sync[li] != null) {
                Arrays.fill(sync[li], 0);
            }
        }
    }

    private void join(int s, int[] src) {
        if (src == null) {
            return;
        }
        int[] v = vc[s];
        if (v.length < src.length) {
            v = Arrays.copyOf(v, src.length);
            vc[s] = v;
        }
        for (int i = 0; i < src.length; i++) {
            if (src[i] > v[i]) {
                v[i] = src[i];
            }
        }
    }

    /** dst ⊔= src, growing or allocating dst as needed (allocation only while slots are added). */
    static int[] joinInto(int[] dst, int[] src) {
        if (src == null) {
            return dst;
        }
        if (dst == null) {
            return src.clone();
        }
        if (dst.length < src.length) {
            dst = Arrays.copyOf(dst, src.length);
        }
        for (int i = 0; i < src.length; i++) {
            if (src[i] > dst[i]) {
                dst[i] = src[i];
            }
        }
        return dst;
    }

    private static int[] copyInto(int[] dst, int[] src) {
        if (dst == null || dst.length < src.length) {
            return src.clone();
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        if (dst.length > src.length) {
            Arrays.fill(dst, src.length, dst.length, 0);
        }
        return dst;
    }

    private int[] tmp = new int[8];

    private int[] tmpCleared() {
        if (tmp.length < cap) {
            tmp = new int[cap];
        }
        Arrays.fill(tmp, 0);
        return tmp;
    }

    private int[] orInto(int[] t, int[] src) {
        if (src == null) {
            return t;
        }
        if (t.length < src.length) {
            t = Arrays.copyOf(t, src.length);
            tmp = t;
        }
        for (int i = 0; i < src.length; i++) {
            if (src[i] > t[i]) {
                t[i] = src[i];
            }
        }
        return t;
    }

    static int[] none() {
        return NONE;
    }
}

package smptrace.analysis;

import java.util.Arrays;
import java.util.TreeSet;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Liveness of the call_single_queue: every piece of queued work must be run, every waiter must get
 * its CSD back (lost wakeups and the hangs they cause; issue 12).
 *
 * <p>The kernel's contract is llist_add()'s (include/linux/llist.h): "the caller must kick the consumer
 * when this returns true". In kernel/smp.c the context whose llist_add() made CPU d's queue non-empty
 * sends the IPI to d ({@code __smp_call_single_queue()}, or {@code smp_call_function_many_cond()} after
 * its enqueue loop) before the preemption-disabled section of the enqueue ends; whoever adds to a
 * non-empty queue relies on that kick (or on the flush in progress that has not yet taken the list).
 * An add that found the queue empty is an <em>obligation</em> of its context to d. It is kept when
 * that context sends an IPI to d; it is <em>missed</em> when the context
 * <ul>
 *   <li>ends the pinned section of the add (PREEMPT_ENABLE to 0; IRQ_EXIT for a handler) without it,</li>
 *   <li>busy-waits (cpu_relax()) on a node it queued onto d under the open obligation: it waits for work
 *       nobody will run,</li>
 *   <li>or the trace ends complete (not cut short by the watchdog) with the obligation open.</li>
 * </ul>
 * A missed obligation is a {@code lost-wakeup}: <b>observed</b> when no llist_del_all() of d's queue
 * follows the add (the work stays queued for ever), <b>predicted</b> when one does — the work ran only
 * because another context's kick, a debug re-send or an idle flush happened to come; in a schedule
 * without it the work is never run. Only the queue's llist_add/llist_del_all and IPI_SEND events are
 * used, so any shape of "work queued onto an empty queue with no kick" is caught, whatever code did it.
 * Approximation: a polling idle target (call_function_single_prep_ipi() false) is not modelled; an IPI
 * skipped for it would be reported.
 *
 * <p>{@code hang} (observed): the watchdog's STUCK record. The finding names the contexts found
 * busy-waiting when it fired, the location each waits on, and for a waited-on CSD the events that led
 * there: its enqueue, the add that made that queue non-empty and whether it was kicked, the last flush
 * of the queue.
 */
final class LivenessDetector implements Detector {
    // ---- per obligation: what slot s owes CPU d, created on the first llist_add by s onto d's queue;
    // indexed densely in creation order, so memory follows the (slot, cpu) pairs the trace uses, not the
    // largest CPU or context number it names -------------------------------------------------------------
    /** Per slot: CPU -> its obligation's index (absent: -1). */
    private IntIntMap[] oblOf = new IntIntMap[16];
    private int nobl;
    private int[] oblSlot = new int[128];
    private int[] oblCpu = new int[128];
    private boolean[] open = new boolean[128];
    private boolean[] missed = new boolean[128];
    private boolean[] rescued = new boolean[128];
    private Event[] addEv = new Event[128];
    private Event[] rescueEv = new Event[128];
    private Event[] missEv = new Event[128];
    private long[] addNode = new long[128];
    private byte[] missHow = new byte[128];
    private static final byte MISS_SECTION = 1;
    private static final byte MISS_WAIT = 2;
    private static final byte MISS_END = 3;

    // ---- per CPU --------------------------------------------------------------------------------------
    private Event[] lastDel = new Event[8];
    private Event[] lastIpi = new Event[8];
    private final IntIntMap nodeQueue = new IntIntMap(); // node oid -> cpu + 1 of the queue it was last added to
    private final IntIntMap nodeBatchOwner = new IntIntMap(); // node oid -> obligation index of its batch + 1

    // ---- per slot: the busy-wait it is in ------------------------------------------------------------
    private boolean[] afterRelax = new boolean[16];
    private boolean[] waiting = new boolean[16];
    private Event[] waitEv = new Event[16];
    private int[] openCount = new int[16];
    /** Per CPU: the obligation index of the add that made the queue non-empty, +1; 0 none since the last del_all. */
    private int[] batchFirst = new int[8];

    private boolean stuck;

    @Override
    public String name() {
        return "liveness";
    }

    /** Memory events and the five control kinds onEvent looks at; any other kind only sizes the slot arrays. */
    @Override
    public java.util.Set<EventKind> kinds() {
        return Detector.memoryAnd(EventKind.IPI_SEND, EventKind.PREEMPT_ENABLE, EventKind.IRQ_EXIT,
                EventKind.CPU_RELAX, EventKind.STUCK);
    }

    /** Dead nodes that a context's remembered wait still reads (a hang report names their queue): dropped later. */
    private final Lifetimes.Deferred deadWaited = new Lifetimes.Deferred(this::waitedOn, this::forgetNode);

    /**
     * A dead node's queue and batch go (the maps hold the live nodes, not every node of the trace), unless a
     * context's remembered wait is on it: a hang report or a wait on its own work still looks it up; it goes
     * with a later free, once no wait is on it.
     */
    @Override
    public void onFree(int oid, Analysis a) {
        deadWaited.sweep();
        if (nodeQueue.get(oid) < 0 && nodeBatchOwner.get(oid) < 0) {
            return;
        }
        deadWaited.died(oid);
    }

    private void forgetNode(int node) {
        nodeQueue.remove(node);
        nodeBatchOwner.remove(node);
    }

    private boolean waitedOn(int node) {
        for (Event w : waitEv) {
            if (w != null && Event.oidOf(w.loc) == node) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        int s = a.hb.slot();
        ensureSlot(s);
        EventKind k = e.kind;
        switch (k) {
            case IPI_SEND: {
                int d = (int) e.b;
                if (d < 0) {
                    return;
                }
                ensureCpu(d);
                lastIpi[d] = copy(lastIpi[d], e);
                int i = find(s, d);
                if (i >= 0) {
                    close(s, i); // kept; a late kick after a miss does not undo it (reported when it was decided)
                }
                return;
            }
            case PREEMPT_ENABLE:
                if (e.a <= 0 && !a.hb.isIrq(s)) {
                    missAll(a, s, e, MISS_SECTION);
                }
                return;
            case IRQ_EXIT:
                if (a.hb.isIrq(s)) {
                    missAll(a, s, e, MISS_SECTION); // a handler's section ends with the handler
                }
                return;
            case CPU_RELAX:
                afterRelax[s] = true;
                waiting[s] = true;
                if (openCount[s] > 0 && waitEv[s] != null) {
                    waitOnOwnWork(a, s, e);
                }
                return;
            case STUCK:
                stuck = true;
                hang(e, a);
                return;
            default:
                break;
        }
        if (!k.isMemory()) {
            return;
        }
        boolean lockOp = k == EventKind.LOCK || k == EventKind.UNLOCK || k == EventKind.LOCK_FAIL;
        if (k == EventKind.R_COND) {
            // smp_cond_load_*(): the read is the wait's condition by definition, so a condition remembered from an
            // earlier wait (on another node) is not taken for this one's (smp_call_function_many_cond()'s csd_lock()
            // of the next CPU's CSD while the kick to the previous one is still due after the loop)
            afterRelax[s] = false;
            waitEv[s] = copy(waitEv[s], e);
        } else if (k.reads() && afterRelax[s] && !lockOp) {
            afterRelax[s] = false;
            waitEv[s] = copy(waitEv[s], e); // the first read of an iteration: the loop condition
        }
        if (k.writes() && !lockOp) { // a context switch's rq lock is not the waiter's own work
            waiting[s] = false;
        }
        if (a.hb.isBoot(s) || a.role != KernelFacts.QUEUE_FIRST || k.shape != EventKind.Shape.RMW) {
            return;
        }
        int q = Event.oidOf(e.loc);
        if (a.facts.objectKind(q) != 1) {
            return;
        }
        int d = a.facts.objectCpu(q);
        if (d < 0) {
            return;
        }
        ensureCpu(d);
        if (e.value2 != 0) {
            // llist_add: the head now points at the new node
            int node = (int) e.value2;
            nodeQueue.put(node, d + 1);
            if (e.value == 0) {
                int i = idx(s, d);
                if (open[i]) {
                    close(s, i); // a second batch under one open obligation: keep the newest
                }
                open[i] = true;
                missed[i] = false;
                rescued[i] = false;
                addEv[i] = copy(addEv[i], e);
                addNode[i] = node;
                openCount[s]++;
                batchFirst[d] = i + 1;
            }
            if (batchFirst[d] > 0) {
                nodeBatchOwner.put(node, batchFirst[d]);
            }
        } else if (e.value != 0) {
            // llist_del_all: the flush took the queue; obligations to d (kept or not) are rescued
            lastDel[d] = copy(lastDel[d], e);
            batchFirst[d] = 0;
            for (int i = 0; i < nobl; i++) {
                if (oblCpu[i] != d) {
                    continue;
                }
                int t = oblSlot[i];
                if (open[i] && !rescued[i] && addEv[i] != null) {
                    rescued[i] = true;
                    rescueEv[i] = copy(rescueEv[i], e);
                    if (missed[i]) {
                        report(a, i, d);
                        close(t, i);
                    }
                }
            }
        }
    }

    /** The slot spins on a node it queued onto CPU d without having kicked d. */
    private void waitOnOwnWork(Analysis a, int s, Event relax) {
        Event w = waitEv[s];
        int node = Event.oidOf(w.loc);
        int d = nodeQueue.get(node) - 1;
        int i = d < 0 ? -1 : find(s, d);
        if (i < 0) {
            return;
        }
        if (open[i] && !missed[i] && nodeBatchOwner.get(node) == i + 1) {
            miss(a, s, i, d, relax, MISS_WAIT);
        }
    }

    private void missAll(Analysis a, int s, Event e, byte how) {
        if (openCount[s] == 0) {
            return;
        }
        for (int i = 0; i < nobl; i++) {
            if (oblSlot[i] == s && open[i] && !missed[i]) {
                miss(a, s, i, oblCpu[i], e, how);
            }
        }
    }

    private void miss(Analysis a, int s, int i, int d, Event at, byte how) {
        missed[i] = true;
        missHow[i] = how;
        missEv[i] = copy(missEv[i], at);
        if (rescued[i]) {
            report(a, i, d);
            close(s, i);
        }
    }

    private void close(int s, int i) {
        if (open[i]) {
            open[i] = false;
            openCount[s]--;
        }
    }

    private void report(Analysis a, int i, int d) {
        boolean predicted = rescued[i];
        EventRef add = a.ref(addEv[i]);
        String how = missHow[i] == MISS_WAIT ? "then busy-waits for that work"
                : missHow[i] == MISS_SECTION ? "and ends the preemption-disabled section of the enqueue"
                : "and the trace ends";
        Finding.Builder f = new Finding.Builder(Finding.Kind.LOST_WAKEUP, predicted, "no-kick")
                .summary(add.threadName() + " queued work onto CPU" + d + "'s empty call_single_queue, sent no IPI to CPU" + d
                        + " " + how + (predicted ? "; the work ran only because another flush of CPU" + d + " happened to come"
                        : "; nothing ever flushes that queue again: the work is lost"))
                .key("per_cpu(call_single_queue)").key(a.facts.function(addEv[i].site)).key(a.facts.stableObject((int) addNode[i]))
                .event(add)
                .witness("1. " + add.text() + "   -- llist_add() found the queue empty: this context owes CPU" + d + " the kick");
        int n = 2;
        if (missEv[i] != null && missHow[i] != MISS_END) {
            EventRef m = a.ref(missEv[i]);
            f.event(m).witness(n++ + ". " + m.text() + "   -- " + (missHow[i] == MISS_WAIT ? "waits for the queued work; no IPI_SEND to CPU" + d
                    + " before it" : "no IPI_SEND to CPU" + d + " before the section ends"));
        } else {
            f.witness(n++ + ". (end of trace)   -- no IPI_SEND to CPU" + d + " by this context after the add");
        }
        if (predicted) {
            EventRef r = a.ref(rescueEv[i]);
            f.event(r).witness(n + ". " + r.text() + "   -- llist_del_all() by a flush this context did not cause");
            f.witness("   predicted: without that flush (another sender's IPI, a csd_lock_wait_toolong() re-send, an idle "
                    + "flush) CPU" + d + " never runs the work");
        }
        a.report(f.build());
    }

    /** The watchdog's record: who waits for what, and how it got there. */
    private void hang(Event e, Analysis a) {
        EventRef stuckRef = a.ref(e);
        Finding.Builder f = new Finding.Builder(Finding.Kind.HANG, false, "watchdog")
                .summary("the run never completes: " + e.text)
                .event(stuckRef).witness("1. " + stuckRef.text());
        TreeSet<String> keys = new TreeSet<>();
        java.util.Set<Long> shown = new java.util.HashSet<>(); // the events of what led there, once each (reports show them with stacks)
        int n = 2;
        for (int s = 0; s < waiting.length && s < a.hb.slots(); s++) {
            if (!waiting[s] || waitEv[s] == null) {
                continue;
            }
            Event w = waitEv[s];
            EventRef wr = a.ref(w);
            keys.add(a.facts.function(w.site) + " " + a.facts.stableLocation(w.loc));
            f.event(wr).witness(n++ + ". " + wr.text() + "   -- busy-waits on this location");
            int node = Event.oidOf(w.loc);
            int d = nodeQueue.get(node) - 1;
            if (d >= 0 && d < lastIpi.length) {
                f.witness("   " + a.facts.stableObject(node) + " was last queued onto CPU" + d + "'s call_single_queue");
                int owner = nodeBatchOwner.get(node) - 1;
                if (owner >= 0 && owner < addEv.length && addEv[owner] != null) {
                    EventRef add = a.ref(addEv[owner]);
                    once(f, shown, add);
                    f.witness("   the add that made that queue non-empty: " + add.text()
                            + (missed[owner] ? "  -- its context never kicked CPU" + d
                            : open[owner] ? "  -- its context has not kicked CPU" + d + " yet" : "  -- kicked"));
                }
                if (lastIpi[d] != null) {
                    EventRef ipi = a.ref(lastIpi[d]);
                    once(f, shown, ipi);
                    f.witness("   last IPI to CPU" + d + ": " + ipi.text());
                } else {
                    f.witness("   no IPI was ever sent to CPU" + d);
                }
                if (lastDel[d] != null) {
                    EventRef del = a.ref(lastDel[d]);
                    once(f, shown, del);
                    f.witness("   last flush of CPU" + d + "'s queue: " + del.text());
                }
            }
        }
        if (keys.isEmpty()) {
            keys.add(e.text == null ? "?" : e.text.replaceAll("[0-9]+", "N"));
        }
        keys.forEach(f::key);
        a.report(f.build());
    }

    private static void once(Finding.Builder f, java.util.Set<Long> shown, EventRef r) {
        if (shown.add(Event.id(r.thread(), r.seq()))) {
            f.event(r);
        }
    }

    @Override
    public void finish(Analysis a) {
        if (stuck) {
            // the watchdog cut every context short wherever it was: an open obligation may be a kick
            // that was about to be sent; only misses already decided count (reported above or below)
            for (int i = 0; i < nobl; i++) {
                if (open[i] && missed[i] && !rescued[i]) {
                    report(a, i, oblCpu[i]);
                }
            }
            return;
        }
        for (int i = 0; i < nobl; i++) {
            if (open[i] && !rescued[i]) {
                if (!missed[i]) {
                    missHow[i] = MISS_END;
                }
                report(a, i, oblCpu[i]);
            }
        }
    }

    private static Event copy(Event into, Event e) {
        Event x = into == null ? new Event() : into;
        x.copyFrom(e);
        return x;
    }

    /** The obligation of slot s to CPU d, created when absent. */
    private int idx(int s, int d) {
        int i = find(s, d);
        if (i >= 0) {
            return i;
        }
        if (s >= oblOf.length) {
            oblOf = Arrays.copyOf(oblOf, Math.max(s + 1, oblOf.length * 2));
        }
        if (oblOf[s] == null) {
            oblOf[s] = new IntIntMap();
        }
        i = nobl++;
        if (i >= open.length) {
            int n = open.length * 2;
            open = Arrays.copyOf(open, n);
            missed = Arrays.copyOf(missed, n);
            rescued = Arrays.copyOf(rescued, n);
            addEv = Arrays.copyOf(addEv, n);
            rescueEv = Arrays.copyOf(rescueEv, n);
            missEv = Arrays.copyOf(missEv, n);
            addNode = Arrays.copyOf(addNode, n);
            missHow = Arrays.copyOf(missHow, n);
            oblSlot = Arrays.copyOf(oblSlot, n);
            oblCpu = Arrays.copyOf(oblCpu, n);
        }
        oblSlot[i] = s;
        oblCpu[i] = d;
        oblOf[s].put(d, i);
        return i;
    }

    /** The obligation of slot s to CPU d, or -1. */
    private int find(int s, int d) {
        return s < oblOf.length && oblOf[s] != null ? oblOf[s].get(d) : -1;
    }

    private void ensureCpu(int c) {
        if (c >= lastDel.length) {
            int n = Math.max(c + 1, lastDel.length * 2);
            lastDel = Arrays.copyOf(lastDel, n);
            lastIpi = Arrays.copyOf(lastIpi, n);
            batchFirst = Arrays.copyOf(batchFirst, n);
        }
    }

    private void ensureSlot(int s) {
        if (s >= waiting.length) {
            int n = Math.max(s + 1, waiting.length * 2);
            afterRelax = Arrays.copyOf(afterRelax, n);
            waiting = Arrays.copyOf(waiting, n);
            waitEv = Arrays.copyOf(waitEv, n);
            openCount = Arrays.copyOf(openCount, n);
        }
    }
}

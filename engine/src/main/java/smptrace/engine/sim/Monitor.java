package smptrace.engine.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import smptrace.kernel.LlistNode;

/**
 * The run's oracle: observes the bad outcomes the tests and the RunResult report. It keeps shadow
 * state (which nodes are queued, who owns which CSD, which request ran how often, who last wrote a
 * per-CPU scratch mask) and never reads kernel memory through recorded accesses: the one direct
 * look at a node's {@code next} goes through a VarHandle, which the agent does not instrument.
 */
public final class Monitor {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.publicLookup().findVarHandle(LlistNode.class, "next", LlistNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Req {
        int expected;
        int ran;
    }

    private final Machine m;
    private final Set<Object> queued = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Object, Ctx> owner = new IdentityHashMap<>();
    private final Map<Object, Req> reqs = new IdentityHashMap<>();
    private final Map<Object, Ctx> maskWriter = new IdentityHashMap<>();
    private final Map<Object, Integer> csdDst = new IdentityHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final java.util.TreeMap<String, Long> paths = new java.util.TreeMap<>();

    long doubleEnqueue;
    long selfLoop;
    long twoOwners;
    long ipiToOffline;
    long ipiToDeadCpu;
    long maskOverwritten;
    long syncReturnedEarly;
    long callbacksRun;
    long requests;
    long toolongReports;
    long toolongPrior;
    long enxio;
    long ebusy;
    long warnings;

    Monitor(Machine m) {
        this.m = m;
    }

    private Ctx me() {
        return Machine.current();
    }

    private void note(String s) {
        if (notes.size() < 20) {
            notes.add("step " + m.steps() + ": " + s);
        }
    }

    /** Before llist_add(node, &per_cpu(call_single_queue, cpu)). */
    public synchronized void beforeEnqueue(Object node, int cpu) {
        if (!queued.add(node)) {
            doubleEnqueue++;
            note("double llist_add of " + node + " to CPU#" + cpu);
        }
        if (m.cpuDeadOrFlushed(cpu)) {
            ipiToOffline++;
            note("llist_add to the queue of offline CPU#" + cpu + " after its dying flush");
        }
        csdDst.put(node, cpu);
    }

    /** After llist_add: the oracle looks at node->next. */
    public synchronized void afterEnqueue(LlistNode node) {
        if ((LlistNode) NEXT.getVolatile(node) == node) {
            selfLoop++;
            note("node->next == node for " + node);
        }
    }

    /** After llist_del_all in a flush: every node on the returned list leaves the queue. */
    public synchronized void dequeuedAll(LlistNode first) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LlistNode n = first; n != null && seen.add(n); n = (LlistNode) NEXT.getVolatile(n)) {
            queued.remove(n);
        }
    }

    /** A context now owns csd (csd_lock succeeded, _async set LOCK, on-stack CSD initialised). */
    public synchronized void acquired(Object csd) {
        Ctx prev = owner.get(csd);
        if (prev != null) {
            twoOwners++;
            note("two owners of " + csd + ": " + prev + " and " + me());
        }
        owner.put(csd, me());
    }

    /** csd_unlock (just before the releasing store). */
    public synchronized void released(Object csd) {
        owner.remove(csd);
    }

    /** A request with this info will run its callback once more. */
    public synchronized void expect(Object info) {
        if (info == null) {
            return;
        }
        requests++;
        reqs.computeIfAbsent(info, k -> new Req()).expected++;
    }

    /** A callback ran with this info. */
    public synchronized void ran(Object info) {
        callbacksRun++;
        if (info != null) {
            reqs.computeIfAbsent(info, k -> new Req()).ran++;
        }
    }

    /** After a synchronous call returned: every callback it queued must have run. */
    public synchronized void checkSyncComplete(Object info) {
        Req r = reqs.get(info);
        if (r != null && r.ran < r.expected) {
            syncReturnedEarly++;
            note("synchronous call returned before its callback ran (" + info + ")");
        }
    }

    /** A write to a per-CPU scratch cpumask by the current task. */
    public synchronized void maskWrite(Object mask) {
        maskWriter.put(mask, me());
    }

    /** A read of a per-CPU scratch cpumask that must see this task's own writes. */
    public synchronized void maskRead(Object mask, Object writtenBy) {
        Ctx w = maskWriter.get(mask);
        if (w != null && w != me()) {
            maskOverwritten++;
            note("per-CPU mask " + mask + " overwritten by " + w + " across a preemption of " + me());
            maskWriter.put(mask, me());
        }
    }

    public synchronized void ipiToDeadCpu(int cpu) {
        ipiToDeadCpu++;
    }

    public synchronized void toolong(boolean prior) {
        toolongReports++;
        if (prior) {
            toolongPrior++;
        }
    }

    public synchronized void enxio() {
        enxio++;
    }

    public synchronized void ebusy() {
        ebusy++;
    }

    public synchronized void warn(String what) {
        warnings++;
        note("WARN: " + what);
    }

    public synchronized Integer dstOf(Object csd) {
        return csdDst.get(csd);
    }

    /** The CPU a waiter on {@code csd} waits for (for the watchdog's report), or -1. */
    public int waitHint(Object csd) {
        Integer d = dstOf(csd);
        return d == null ? -1 : d;
    }

    // ---- results

    public synchronized long lost() {
        long n = 0;
        for (Req r : reqs.values()) {
            n += Math.max(0, r.expected - r.ran);
        }
        return n;
    }

    public synchronized long duplicated() {
        long n = 0;
        for (Req r : reqs.values()) {
            n += Math.max(0, r.ran - r.expected);
        }
        return n;
    }

    public long doubleEnqueue() { return doubleEnqueue; }
    public long selfLoop() { return selfLoop; }
    public long twoOwners() { return twoOwners; }
    public long ipiToOffline() { return ipiToOffline; }
    public long ipiToDeadCpuCount() { return ipiToDeadCpu; }
    public long maskOverwritten() { return maskOverwritten; }
    public long syncReturnedEarly() { return syncReturnedEarly; }
    public long callbacksRun() { return callbacksRun; }
    /** The count as of now, from any thread (the free-run watchdog's measure of progress). */
    public synchronized long callbacksRunNow() { return callbacksRun; }
    public long requests() { return requests; }
    public long toolongReports() { return toolongReports; }
    public long toolongPrior() { return toolongPrior; }
    public long enxioCount() { return enxio; }
    public long ebusyCount() { return ebusy; }
    public long warnings() { return warnings; }

    /** A scenario went down one of the paths it exists to exercise (counted, for tests and the summary). */
    public synchronized void path(String name) {
        paths.merge(name, 1L, Long::sum);
    }

    public synchronized java.util.Map<String, Long> paths() {
        return new java.util.TreeMap<>(paths);
    }

    public synchronized List<String> notes() {
        return new ArrayList<>(notes);
    }
}

package smptrace.analysis;

import smptrace.lkmm.Tag;
import smptrace.trace.EventKind;

/**
 * Which trace events create ordering in the LKMM, as vector-clock actions: the one table the
 * analyzer's happens-before engine ({@link Hb}) and its detectors use. It restates lkmm.md §2 and §6
 * for the trace's {@link EventKind}s, through the LKMM module's own {@link Tag}s (smptrace.lkmm
 * states the model; this class only says how each tag acts on clocks). Stateless.
 *
 * <ul>
 *   <li>release (carries the whole clock): smp_store_release, rcu_assign_pointer, spin_unlock, the
 *       write of a successful fully ordered or _release RMW;</li>
 *   <li>acquire (joins the clock of the write read): smp_load_acquire, spin_lock, the read of a
 *       successful fully ordered or _acquire RMW;</li>
 *   <li>a failed cmpxchg is a marked read with no ordering (lkmm.md §1, §2);</li>
 *   <li>rmw-sequence: a relaxed / acquire / noreturn RMW passes on the clock its write overwrote;</li>
 *   <li>smp_wmb: the following marked stores carry the clock at the fence (approximated from
 *       "prior stores" to "prior accesses": more order, never a false race);</li>
 *   <li>smp_rmb / smp_acquire__after_ctrl_dep: later accesses join what earlier marked reads read;</li>
 *   <li>smp_mb, a fully ordered RMW, smp_mb__before/after_atomic, smp_mb__after_spinlock,
 *       synchronize_rcu: both of the above (strong fences);</li>
 *   <li>plain accesses and WRITE_ONCE/READ_ONCE alone carry nothing to other threads.</li>
 * </ul>
 *
 * <p><b>Java's synchronisation</b> (the agent's application classes), as LKMM events at least as
 * strong as the Java memory model (JLS 17.4.4, java.util.concurrent's memory-consistency rules):
 * <table>
 *   <caption>Java mechanism → trace events → LKMM meaning</caption>
 *   <tr><th>Java</th><th>recorded as</th><th>LKMM meaning</th></tr>
 *   <tr><td>monitorexit, the return of a synchronized method, Lock.unlock, Condition.await and
 *       Object.wait (entry), Thread.start, a thread's end (appended at its join), a task's submission
 *       and end, CountDownLatch.countDown, Semaphore.release, arrival at CyclicBarrier.await</td>
 *       <td>SYNC_RELEASE on the object's sync location</td>
 *       <td>smp_store_release; the location carries the join of all its releases (every countDown
 *       happens before await's return; for a lock, the join is the last unlock's clock, which
 *       already holds the earlier ones)</td></tr>
 *   <tr><td>monitorenter, a synchronized method's entry, Lock.lock / a successful tryLock, the
 *       return of await/wait, a thread's first event, Thread.join of a terminated thread, a task's
 *       start, Future.get of a wrapped task, a successful await/acquire/tryAcquire, CyclicBarrier's
 *       return</td>
 *       <td>SYNC_ACQUIRE reading the last SYNC_RELEASE</td><td>smp_load_acquire</td></tr>
 *   <tr><td>volatile read, VarHandle getVolatile, Atomic*.get</td><td>F_MB; R_VOLATILE</td>
 *       <td>smp_mb(); smp_load_acquire() (the leading-fence mapping of sequential consistency: a
 *       volatile read can be reordered with nothing before it)</td></tr>
 *   <tr><td>volatile write, setVolatile, Atomic*.set</td><td>F_MB; W_VOLATILE</td>
 *       <td>smp_mb(); smp_store_release()</td></tr>
 *   <tr><td>compareAndSet, getAndAdd, getAndSet, incrementAndGet... (volatile RMWs)</td>
 *       <td>F_MB; RMW_MB, or on a failed CAS F_MB; R_VOLATILE</td>
 *       <td>a fully ordered RMW (xchg, cmpxchg); a failed CAS still reads with getVolatile's meaning</td></tr>
 *   <tr><td>getAcquire / setRelease / lazySet, *Acquire / *Release RMWs</td>
 *       <td>R_ACQUIRE, W_RELEASE, RMW_ACQUIRE, RMW_RELEASE</td><td>the same LKMM names</td></tr>
 *   <tr><td>getOpaque / setOpaque, weak plain CAS</td><td>R_ONCE, W_ONCE, RMW_RELAXED</td>
 *       <td>READ_ONCE, WRITE_ONCE, cmpxchg_relaxed</td></tr>
 *   <tr><td>plain field, static field, array element, VarHandle get/set</td>
 *       <td>R_PLAIN, W_PLAIN</td><td>plain C accesses (a data race if concurrent with a write)</td></tr>
 * </table>
 * Final fields and what a class initialiser writes are not recorded: the JMM orders them (17.5,
 * 12.4.2) whatever the program does. The kernel primitives keep their own meaning above.
 */
public final class LkmmSync {
    private LkmmSync() { }

    private static final Tag[] TAGS = new Tag[EventKind.values().length];
    // the predicates below, per kind, decided once: the happens-before engine and the detectors ask them for every event
    private static final int RELEASES = 1, ACQUIRES = 2, STRONG = 4, WRITE_FENCE = 8, READ_FENCE = 16, PLAIN = 32, ORDERING = 64;
    private static final byte[] IS = new byte[EventKind.values().length];

    static {
        for (EventKind k : EventKind.values()) {
            TAGS[k.ordinal()] = computeTag(k);
        }
        for (EventKind k : EventKind.values()) {
            IS[k.ordinal()] = (byte) ((computeReleases(k) ? RELEASES : 0) | (computeAcquires(k) ? ACQUIRES : 0)
                    | (computeStrongFence(k) ? STRONG : 0) | (computeWriteFence(k) ? WRITE_FENCE : 0)
                    | (computeReadFence(k) ? READ_FENCE : 0) | (computePlain(k) ? PLAIN : 0) | (computeOrdering(k) ? ORDERING : 0));
        }
    }

    private static boolean is(EventKind k, int what) {
        return (IS[k.ordinal()] & what) != 0;
    }

    /** The LKMM tag of an event kind (PLAIN for plain accesses, null for control events). */
    public static Tag tag(EventKind k) {
        return TAGS[k.ordinal()]; // a table: this runs for every event
    }

    private static Tag computeTag(EventKind k) {
        if (k == EventKind.LOCK) {
            return Tag.ACQUIRE;
        }
        if (k == EventKind.UNLOCK) {
            return Tag.RELEASE;
        }
        if (k == EventKind.F_ACQUIRE_AFTER_CTRL_DEP) {
            return Tag.RMB;
        }
        if (k == EventKind.F_BARRIER || k == EventKind.CPU_RELAX) {
            return Tag.BARRIER;
        }
        return tagOf(k.order);
    }

    /** A successful RMW or store whose write carries the writer's whole clock (po-rel). */
    public static boolean releases(EventKind k) {
        return is(k, RELEASES);
    }

    private static boolean computeReleases(EventKind k) {
        if (!k.writes()) {
            return false;
        }
        Tag t = tag(k);
        return t == Tag.RELEASE || t == Tag.MB;
    }

    /**
     * A Java release (SYNC_RELEASE): the location's clock becomes the join of its old clock and the
     * releaser's, so that several releasers (count-downs, semaphore permits, barrier arrivals) all
     * happen before the acquire that follows them.
     */
    public static boolean accumulates(EventKind k) {
        return k == EventKind.SYNC_RELEASE;
    }

    /** A read (or the read of a successful RMW) that joins the clock of the write it reads (acq-po). */
    public static boolean acquires(EventKind k) {
        return is(k, ACQUIRES);
    }

    private static boolean computeAcquires(EventKind k) {
        if (k.shape == EventKind.Shape.FAILED_RMW) {
            return false; // a failed cmpxchg orders nothing
        }
        if (!k.reads()) {
            return false;
        }
        Tag t = tag(k);
        return t == Tag.ACQUIRE || t == Tag.MB;
    }

    /** A fully ordered access or fence: orders everything before against everything after. */
    public static boolean strongFence(EventKind k) {
        return is(k, STRONG);
    }

    private static boolean computeStrongFence(EventKind k) {
        if (k.shape == EventKind.Shape.FAILED_RMW) {
            return false;
        }
        Tag t = tag(k);
        if (k.shape == EventKind.Shape.RMW) {
            return t == Tag.MB;
        }
        if (k.shape != EventKind.Shape.FENCE) {
            return false;
        }
        return t == Tag.MB || t == Tag.BEFORE_ATOMIC || t == Tag.AFTER_ATOMIC || t == Tag.AFTER_SPINLOCK
                || t == Tag.SYNC_RCU;
    }

    /** smp_wmb(): orders earlier stores before later stores. */
    public static boolean writeFence(EventKind k) {
        return is(k, WRITE_FENCE);
    }

    private static boolean computeWriteFence(EventKind k) {
        return k.shape == EventKind.Shape.FENCE && tag(k) == Tag.WMB;
    }

    /** smp_rmb() or smp_acquire__after_ctrl_dep(): orders earlier reads before later accesses. */
    public static boolean readFence(EventKind k) {
        return is(k, READ_FENCE);
    }

    private static boolean computeReadFence(EventKind k) {
        return k.shape == EventKind.Shape.FENCE && tag(k) == Tag.RMB;
    }

    /** A marked access in the LKMM sense (everything but plain loads and stores). */
    public static boolean marked(EventKind k) {
        return k.marked();
    }

    /** A plain C access. */
    public static boolean plain(EventKind k) {
        return is(k, PLAIN);
    }

    private static boolean computePlain(EventKind k) {
        return k.isMemory() && k.order == EventKind.Order.PLAIN;
    }

    /** Any event that orders something: used by the ordering detector to copy fences into litmus programs. */
    public static boolean ordering(EventKind k) {
        return is(k, ORDERING);
    }

    private static boolean computeOrdering(EventKind k) {
        return k.shape == EventKind.Shape.FENCE && tag(k) != Tag.BARRIER;
    }

    /** The tag for a trace ordering class, or null for classes that are not LKMM tags. */
    public static Tag tagOf(EventKind.Order order) {
        switch (order) {
            case PLAIN: return Tag.PLAIN;
            case ONCE: return Tag.ONCE;
            case ACQUIRE: return Tag.ACQUIRE;
            case RELEASE: return Tag.RELEASE;
            case MB: return Tag.MB;
            case NORETURN: return Tag.NORETURN;
            case WMB: return Tag.WMB;
            case RMB: return Tag.RMB;
            case BEFORE_ATOMIC: return Tag.BEFORE_ATOMIC;
            case AFTER_ATOMIC: return Tag.AFTER_ATOMIC;
            case AFTER_SPINLOCK: return Tag.AFTER_SPINLOCK;
            case SYNC_RCU: return Tag.SYNC_RCU;
            case RCU_LOCK: return Tag.RCU_LOCK;
            case RCU_UNLOCK: return Tag.RCU_UNLOCK;
            default: return null;
        }
    }

}

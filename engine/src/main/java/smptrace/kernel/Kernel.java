package smptrace.kernel;

import java.lang.invoke.VarHandle;

/**
 * The memory primitives kernel code uses, named as the kernel names them, each implemented with
 * the Java access mode that gives at least the LKMM guarantee, so the engine is correct with no
 * agent attached:
 *
 * <pre>
 *   READ_ONCE / WRITE_ONCE            opaque (coherent, not torn, not fused; no ordering)
 *   smp_load_acquire / store_release  acquire / release
 *   smp_mb                            fullFence
 *   smp_wmb / smp_rmb                 storeStoreFence / loadLoadFence
 *   smp_acquire__after_ctrl_dep       acquireFence (the kernel makes it smp_rmb())
 *   smp_mb__before/after_atomic       fullFence (Java RMWs are already volatile; this is the LKMM's word)
 *   value-returning RMWs              volatile compareAndExchange / getAndSet / getAndAdd
 *   _acquire / _release / _relaxed     the matching compareAndExchangeAcquire / Release
 * </pre>
 *
 * <p>With the agent attached, every call site of a method of this class is redirected to a
 * recording twin that performs the same access through these methods and records it. Calls are
 * scheduling points ({@link Sched#point()}).
 */
public final class Kernel {
    private Kernel() { }

    // ---- READ_ONCE / WRITE_ONCE -------------------------------------------------------------

    public static int READ_ONCE(Object p, IntField f) {
        Sched.point();
        return (int) f.vh.getOpaque(p);
    }

    @SuppressWarnings("unchecked")
    public static <T> T READ_ONCE(Object p, PtrField<T> f) {
        Sched.point();
        return (T) f.vh.getOpaque(p);
    }

    public static void WRITE_ONCE(Object p, IntField f, int v) {
        Sched.point();
        f.vh.setOpaque(p, v);
    }

    public static <T> void WRITE_ONCE(Object p, PtrField<T> f, T v) {
        Sched.point();
        f.vh.setOpaque(p, v);
    }

    // ---- acquire / release --------------------------------------------------------------------

    public static int smp_load_acquire(Object p, IntField f) {
        Sched.point();
        return (int) f.vh.getAcquire(p);
    }

    @SuppressWarnings("unchecked")
    public static <T> T smp_load_acquire(Object p, PtrField<T> f) {
        Sched.point();
        return (T) f.vh.getAcquire(p);
    }

    public static void smp_store_release(Object p, IntField f, int v) {
        Sched.point();
        f.vh.setRelease(p, v);
    }

    public static <T> void smp_store_release(Object p, PtrField<T> f, T v) {
        Sched.point();
        f.vh.setRelease(p, v);
    }

    /** rcu_dereference(): a READ_ONCE whose value heads an address dependency. */
    @SuppressWarnings("unchecked")
    public static <T> T rcu_dereference(Object p, PtrField<T> f) {
        Sched.point();
        return (T) f.vh.getAcquire(p);
    }

    /** rcu_assign_pointer(): smp_store_release of a pointer. */
    public static <T> void rcu_assign_pointer(Object p, PtrField<T> f, T v) {
        Sched.point();
        f.vh.setRelease(p, v);
    }

    // ---- smp_cond_load_*(): a busy-wait on one word ----------------------------------------------

    /**
     * smp_cond_load_acquire(ptr, cond): READ_ONCE(*ptr) until cond holds (cpu_relax() between tries),
     * then smp_acquire__after_ctrl_dep(), so the final read acts as an acquire. Returns that value.
     */
    public static int smp_cond_load_acquire(Object p, IntField f, java.util.function.IntPredicate cond) {
        int v = smp_cond_load_relaxed(p, f, cond);
        smp_acquire__after_ctrl_dep();
        return v;
    }

    /** smp_cond_load_relaxed(ptr, cond): as smp_cond_load_acquire() without the final ordering. */
    public static int smp_cond_load_relaxed(Object p, IntField f, java.util.function.IntPredicate cond) {
        for (;;) {
            Sched.point();
            int v = (int) f.vh.getOpaque(p);
            if (cond.test(v)) {
                return v;
            }
            cpu_relax();
        }
    }

    // ---- fences -----------------------------------------------------------------------------

    public static void smp_mb() {
        Sched.point();
        VarHandle.fullFence();
    }

    public static void smp_wmb() {
        Sched.point();
        VarHandle.storeStoreFence();
    }

    public static void smp_rmb() {
        Sched.point();
        VarHandle.loadLoadFence();
    }

    public static void smp_acquire__after_ctrl_dep() {
        Sched.point();
        VarHandle.acquireFence();
    }

    public static void smp_mb__before_atomic() {
        Sched.point();
        VarHandle.fullFence();
    }

    public static void smp_mb__after_atomic() {
        Sched.point();
        VarHandle.fullFence();
    }

    public static void smp_mb__after_spinlock() {
        Sched.point();
        VarHandle.fullFence();
    }

    /** barrier(): a compiler barrier; no ordering between CPUs. */
    public static void barrier() {
        Sched.point();
    }

    /** cpu_relax(): the body of a spin loop. A scheduling point, so spinning tasks let others run. */
    public static void cpu_relax() {
        Sched.point();
        Sched.relax();
    }

    // ---- xchg ---------------------------------------------------------------------------------

    public static int xchg(Object p, IntField f, int v) {
        Sched.point();
        return (int) f.vh.getAndSet(p, v);
    }

    @SuppressWarnings("unchecked")
    public static <T> T xchg(Object p, PtrField<T> f, T v) {
        Sched.point();
        return (T) f.vh.getAndSet(p, v);
    }

    public static int xchg_acquire(Object p, IntField f, int v) {
        Sched.point();
        return (int) f.vh.getAndSetAcquire(p, v);
    }

    public static int xchg_release(Object p, IntField f, int v) {
        Sched.point();
        return (int) f.vh.getAndSetRelease(p, v);
    }

    public static int xchg_relaxed(Object p, IntField f, int v) {
        Sched.point();
        return (int) f.vh.getAndSetAcquire(p, v);
    }

    // ---- cmpxchg (returns the old value; on failure it is a read only) --------------------------

    public static int cmpxchg(Object p, IntField f, int old, int nv) {
        Sched.point();
        return (int) f.vh.compareAndExchange(p, old, nv);
    }

    @SuppressWarnings("unchecked")
    public static <T> T cmpxchg(Object p, PtrField<T> f, T old, T nv) {
        Sched.point();
        return (T) f.vh.compareAndExchange(p, old, nv);
    }

    public static int cmpxchg_acquire(Object p, IntField f, int old, int nv) {
        Sched.point();
        return (int) f.vh.compareAndExchangeAcquire(p, old, nv);
    }

    public static int cmpxchg_release(Object p, IntField f, int old, int nv) {
        Sched.point();
        return (int) f.vh.compareAndExchangeRelease(p, old, nv);
    }

    public static int cmpxchg_relaxed(Object p, IntField f, int old, int nv) {
        Sched.point();
        return (int) f.vh.compareAndExchangeAcquire(p, old, nv);
    }

    // ---- try_cmpxchg (true on success; on failure *old is updated) ------------------------------

    public static boolean try_cmpxchg(Object p, IntField f, IntOld old, int nv) {
        Sched.point();
        int w = (int) f.vh.compareAndExchange(p, old.v, nv);
        if (w == old.v) {
            return true;
        }
        old.v = w;
        return false;
    }

    @SuppressWarnings("unchecked")
    public static <T> boolean try_cmpxchg(Object p, PtrField<T> f, Old<T> old, T nv) {
        Sched.point();
        T w = (T) f.vh.compareAndExchange(p, old.v, nv);
        if (w == old.v) {
            return true;
        }
        old.v = w;
        return false;
    }

    public static boolean try_cmpxchg_acquire(Object p, IntField f, IntOld old, int nv) {
        Sched.point();
        int w = (int) f.vh.compareAndExchangeAcquire(p, old.v, nv);
        if (w == old.v) {
            return true;
        }
        old.v = w;
        return false;
    }

    public static boolean try_cmpxchg_release(Object p, IntField f, IntOld old, int nv) {
        Sched.point();
        int w = (int) f.vh.compareAndExchangeRelease(p, old.v, nv);
        if (w == old.v) {
            return true;
        }
        old.v = w;
        return false;
    }

    public static boolean try_cmpxchg_relaxed(Object p, IntField f, IntOld old, int nv) {
        Sched.point();
        int w = (int) f.vh.compareAndExchangeAcquire(p, old.v, nv);
        if (w == old.v) {
            return true;
        }
        old.v = w;
        return false;
    }

    // ---- atomic_t -----------------------------------------------------------------------------

    public static int atomic_read(AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getOpaque(v);
    }

    public static void atomic_set(AtomicT v, int i) {
        Sched.point();
        AtomicT.COUNTER.vh.setOpaque(v, i);
    }

    public static void atomic_set_release(AtomicT v, int i) {
        Sched.point();
        AtomicT.COUNTER.vh.setRelease(v, i);
    }

    public static int atomic_read_acquire(AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAcquire(v);
    }

    /** Non-value-returning: atomic, but orders nothing (LKMM "noreturn"). */
    public static void atomic_inc(AtomicT v) {
        Sched.point();
        AtomicT.COUNTER.vh.getAndAdd(v, 1);
    }

    public static void atomic_dec(AtomicT v) {
        Sched.point();
        AtomicT.COUNTER.vh.getAndAdd(v, -1);
    }

    public static void atomic_add(int i, AtomicT v) {
        Sched.point();
        AtomicT.COUNTER.vh.getAndAdd(v, i);
    }

    public static int atomic_inc_return(AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAndAdd(v, 1) + 1;
    }

    public static int atomic_dec_return(AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAndAdd(v, -1) - 1;
    }

    public static boolean atomic_dec_and_test(AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAndAdd(v, -1) - 1 == 0;
    }

    public static int atomic_fetch_add(int i, AtomicT v) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAndAdd(v, i);
    }

    public static int atomic_xchg(AtomicT v, int i) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.getAndSet(v, i);
    }

    public static int atomic_cmpxchg(AtomicT v, int old, int nv) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.compareAndExchange(v, old, nv);
    }

    public static int atomic_cmpxchg_acquire(AtomicT v, int old, int nv) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.compareAndExchangeAcquire(v, old, nv);
    }

    public static int atomic_cmpxchg_relaxed(AtomicT v, int old, int nv) {
        Sched.point();
        return (int) AtomicT.COUNTER.vh.compareAndExchangeAcquire(v, old, nv);
    }

    // ---- spinlocks ----------------------------------------------------------------------------

    /** spin_lock(): an acquire RMW on the lock word, spinning while it is held. */
    public static void spin_lock(SpinLock l) {
        while (true) {
            Sched.point();
            if ((int) SpinLock.LOCKED.vh.compareAndExchangeAcquire(l, 0, 1) == 0) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    public static boolean spin_trylock(SpinLock l) {
        Sched.point();
        return (int) SpinLock.LOCKED.vh.compareAndExchangeAcquire(l, 0, 1) == 0;
    }

    public static void spin_unlock(SpinLock l) {
        Sched.point();
        SpinLock.LOCKED.vh.setRelease(l, 0);
    }

    public static boolean spin_is_locked(SpinLock l) {
        Sched.point();
        return (int) SpinLock.LOCKED.vh.getOpaque(l) != 0;
    }

    // ---- RCU ----------------------------------------------------------------------------------

    public static void rcu_read_lock() {
        Sched.point();
        Rcu.readLock();
    }

    public static void rcu_read_unlock() {
        Sched.point();
        Rcu.readUnlock();
    }

    /** synchronize_rcu(): waits for every pre-existing RCU read-side critical section; a strong fence. */
    public static void synchronize_rcu() {
        Sched.point();
        VarHandle.fullFence();
        Rcu.waitForReaders();
        VarHandle.fullFence();
    }

    // ---- KCSAN annotations ---------------------------------------------------------------------

    /** Opens data_race(...): the accesses until {@link #data_race_end()} are intentionally racy. */
    public static void data_race_begin() {
        TraceHooks.data_race(true);
    }

    public static void data_race_end() {
        TraceHooks.data_race(false);
    }

    /** ASSERT_EXCLUSIVE_WRITER(var): no other context writes var concurrently with this point. */
    public static void ASSERT_EXCLUSIVE_WRITER(Object p, Field f) {
        TraceHooks.assert_exclusive(p, f, false);
    }

    /** ASSERT_EXCLUSIVE_ACCESS(var): no other context accesses var concurrently with this point. */
    public static void ASSERT_EXCLUSIVE_ACCESS(Object p, Field f) {
        TraceHooks.assert_exclusive(p, f, true);
    }
}

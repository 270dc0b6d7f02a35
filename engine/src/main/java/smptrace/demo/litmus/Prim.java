package smptrace.demo.litmus;

import smptrace.kernel.AtomicT;
import smptrace.kernel.Kernel;
import smptrace.kernel.KernelObject;
import smptrace.kernel.SpinLock;
import smptrace.kernel.TraceHooks;

/**
 * Every kernel primitive a litmus process can execute, one call site each: the only class of the
 * litmus runner the agent instruments (the child runs with {@code include=} this class and
 * {@link KernelObject}), so the trace holds exactly the test's accesses, fences and locks, and
 * none of the interpreter's own bookkeeping (its arrays would otherwise be recorded as memory).
 *
 * <p>Int locations are {@link AtomicT}s (every int primitive, atomic_* included, works on its
 * counter); pointer locations are {@link PtrLoc}s; spinlocks are {@link SpinLock}s. Plain C
 * accesses ({@code *x}, {@code *x = v}) are plain Java field accesses, which the agent records as
 * plain loads and stores. Keep this class free of arrays and of plain accesses other than those.
 */
final class Prim {
    private Prim() {
    }

    // ---- naming and run marks (control events) ------------------------------------------------------

    static void name(KernelObject o, String name) {
        TraceHooks.kobj_name(o, name);
    }

    /** Starts (test, run, process) in the calling thread's stream. */
    static void mark(int test, long runAndProc) {
        TraceHooks.mark(test, runAndProc);
    }

    // ---- int locations --------------------------------------------------------------------------------

    static int readOnce(AtomicT a) {
        return Kernel.READ_ONCE(a, AtomicT.COUNTER);
    }

    static int loadAcquire(AtomicT a) {
        return Kernel.smp_load_acquire(a, AtomicT.COUNTER);
    }

    static int readPlain(AtomicT a) {
        return a.counter;
    }

    static void writeOnce(AtomicT a, int v) {
        Kernel.WRITE_ONCE(a, AtomicT.COUNTER, v);
    }

    static void storeRelease(AtomicT a, int v) {
        Kernel.smp_store_release(a, AtomicT.COUNTER, v);
    }

    static void writePlain(AtomicT a, int v) {
        a.counter = v;
    }

    static int xchg(AtomicT a, int v) {
        return Kernel.xchg(a, AtomicT.COUNTER, v);
    }

    static int xchgAcquire(AtomicT a, int v) {
        return Kernel.xchg_acquire(a, AtomicT.COUNTER, v);
    }

    static int xchgRelease(AtomicT a, int v) {
        return Kernel.xchg_release(a, AtomicT.COUNTER, v);
    }

    static int xchgRelaxed(AtomicT a, int v) {
        return Kernel.xchg_relaxed(a, AtomicT.COUNTER, v);
    }

    static int cmpxchg(AtomicT a, int old, int v) {
        return Kernel.cmpxchg(a, AtomicT.COUNTER, old, v);
    }

    static int cmpxchgAcquire(AtomicT a, int old, int v) {
        return Kernel.cmpxchg_acquire(a, AtomicT.COUNTER, old, v);
    }

    static int cmpxchgRelease(AtomicT a, int old, int v) {
        return Kernel.cmpxchg_release(a, AtomicT.COUNTER, old, v);
    }

    static int cmpxchgRelaxed(AtomicT a, int old, int v) {
        return Kernel.cmpxchg_relaxed(a, AtomicT.COUNTER, old, v);
    }

    static void atomicAdd(AtomicT a, int v) {
        Kernel.atomic_add(v, a);
    }

    static int atomicIncReturn(AtomicT a) {
        return Kernel.atomic_inc_return(a);
    }

    static int atomicDecReturn(AtomicT a) {
        return Kernel.atomic_dec_return(a);
    }

    static int atomicFetchAdd(AtomicT a, int v) {
        return Kernel.atomic_fetch_add(v, a);
    }

    static boolean atomicDecAndTest(AtomicT a) {
        return Kernel.atomic_dec_and_test(a);
    }

    // ---- pointer locations ------------------------------------------------------------------------------

    static KernelObject readOnce(PtrLoc p) {
        return Kernel.READ_ONCE(p, PtrLoc.P);
    }

    static KernelObject loadAcquire(PtrLoc p) {
        return Kernel.smp_load_acquire(p, PtrLoc.P);
    }

    static KernelObject readPlain(PtrLoc p) {
        return p.p;
    }

    static void writeOnce(PtrLoc p, KernelObject v) {
        Kernel.WRITE_ONCE(p, PtrLoc.P, v);
    }

    static void storeRelease(PtrLoc p, KernelObject v) {
        Kernel.smp_store_release(p, PtrLoc.P, v);
    }

    static void writePlain(PtrLoc p, KernelObject v) {
        p.p = v;
    }

    static KernelObject xchg(PtrLoc p, KernelObject v) {
        return Kernel.xchg(p, PtrLoc.P, v);
    }

    static KernelObject cmpxchg(PtrLoc p, KernelObject old, KernelObject v) {
        return Kernel.cmpxchg(p, PtrLoc.P, old, v);
    }

    // ---- spinlocks ----------------------------------------------------------------------------------------

    static void lock(SpinLock l) {
        Kernel.spin_lock(l);
    }

    static void unlock(SpinLock l) {
        Kernel.spin_unlock(l);
    }

    static boolean trylock(SpinLock l) {
        return Kernel.spin_trylock(l);
    }

    static boolean isLocked(SpinLock l) {
        return Kernel.spin_is_locked(l);
    }

    // ---- fences and RCU -----------------------------------------------------------------------------------

    /** The fence named as linux-kernel.def names it; false if the engine has no such primitive. */
    static boolean fence(int which) {
        switch (which) {
            case Ops.F_MB: Kernel.smp_mb(); return true;
            case Ops.F_RMB: Kernel.smp_rmb(); return true;
            case Ops.F_WMB: Kernel.smp_wmb(); return true;
            case Ops.F_BEFORE_ATOMIC: Kernel.smp_mb__before_atomic(); return true;
            case Ops.F_AFTER_ATOMIC: Kernel.smp_mb__after_atomic(); return true;
            case Ops.F_AFTER_SPINLOCK: Kernel.smp_mb__after_spinlock(); return true;
            case Ops.F_BARRIER: Kernel.barrier(); return true;
            case Ops.F_SYNC_RCU: Kernel.synchronize_rcu(); return true;
            case Ops.F_RCU_LOCK: Kernel.rcu_read_lock(); return true;
            case Ops.F_RCU_UNLOCK: Kernel.rcu_read_unlock(); return true;
            default: return false;
        }
    }
}

package smptrace.agent.rt;

import smptrace.kernel.AtomicT;
import smptrace.kernel.Field;
import smptrace.kernel.IntField;
import smptrace.kernel.IntOld;
import smptrace.kernel.KernelObject;
import smptrace.kernel.Old;
import smptrace.kernel.PtrField;
import smptrace.kernel.Rcu;
import smptrace.kernel.Sched;
import smptrace.kernel.SpinLock;
import smptrace.trace.EventKind;

import java.lang.invoke.VarHandle;

/**
 * Recording twins of {@link smptrace.kernel.Kernel}: the agent redirects each call site
 * {@code Kernel.X(args)} to {@code RKernel.X(args, site)}. Each twin performs the very access
 * the primitive performs, under the object's shadow lock, and records it with its LKMM class.
 * Keep this file in step with Kernel.java: a primitive without a twin is not recorded (the agent
 * says so once).
 */
@SuppressWarnings({"unchecked", "unused"})
public final class RKernel {
    private RKernel() { }


    // ---- READ_ONCE / WRITE_ONCE / acquire / release

    public static int READ_ONCE(Object p, IntField f, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int v = (int) f.vh.getOpaque(p);
            Rec.recRead(k, f, EventKind.R_ONCE, site, v);
            return v;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> T READ_ONCE(Object p, PtrField<T> f, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T v = (T) f.vh.getOpaque(p);
            Rec.recRead(k, f, EventKind.R_ONCE, site, Rec.ptr(v));
            return v;
        } finally {
            Rec.release(k);
        }
    }

    public static void WRITE_ONCE(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            f.vh.setOpaque(p, v);
            Rec.recWrite(k, f, EventKind.W_ONCE, site, v);
        } finally {
            Rec.release(k);
        }
    }

    public static <T> void WRITE_ONCE(Object p, PtrField<T> f, T v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            f.vh.setOpaque(p, v);
            Rec.recWrite(k, f, EventKind.W_ONCE, site, Rec.ptr(v));
        } finally {
            Rec.release(k);
        }
    }

    public static int smp_load_acquire(Object p, IntField f, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int v = (int) f.vh.getAcquire(p);
            Rec.recRead(k, f, EventKind.R_ACQUIRE, site, v);
            return v;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> T smp_load_acquire(Object p, PtrField<T> f, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T v = (T) f.vh.getAcquire(p);
            Rec.recRead(k, f, EventKind.R_ACQUIRE, site, Rec.ptr(v));
            return v;
        } finally {
            Rec.release(k);
        }
    }

    public static void smp_store_release(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            f.vh.setRelease(p, v);
            Rec.recWrite(k, f, EventKind.W_RELEASE, site, v);
        } finally {
            Rec.release(k);
        }
    }

    public static <T> void smp_store_release(Object p, PtrField<T> f, T v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            f.vh.setRelease(p, v);
            Rec.recWrite(k, f, EventKind.W_RELEASE, site, Rec.ptr(v));
        } finally {
            Rec.release(k);
        }
    }

    public static <T> T rcu_dereference(Object p, PtrField<T> f, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T v = (T) f.vh.getAcquire(p);
            Rec.recRead(k, f, EventKind.R_DEREF, site, Rec.ptr(v));
            return v;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> void rcu_assign_pointer(Object p, PtrField<T> f, T v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            f.vh.setRelease(p, v);
            Rec.recWrite(k, f, EventKind.W_ASSIGN, site, Rec.ptr(v));
        } finally {
            Rec.release(k);
        }
    }

    // ---- smp_cond_load_*

    public static int smp_cond_load_acquire(Object p, IntField f, java.util.function.IntPredicate cond, int site, Object rec) {
        int v = smp_cond_load_relaxed(p, f, cond, site, rec);
        smp_acquire__after_ctrl_dep(site);
        return v;
    }

    public static int smp_cond_load_relaxed(Object p, IntField f, java.util.function.IntPredicate cond, int site, Object rec) {
        for (;;) {
            Sched.point();
            ThreadRecorder k = Rec.acquire(p, rec);
            int v;
            try {
                v = (int) f.vh.getOpaque(p);
                Rec.recRead(k, f, EventKind.R_COND, site, v);
            } finally {
                Rec.release(k);
            }
            if (cond.test(v)) {
                return v;
            }
            cpu_relax(site);
        }
    }

    // ---- fences

    public static void smp_mb(int site) {
        Sched.point();
        VarHandle.fullFence();
        Rec.recSimple(EventKind.F_MB, site);
    }

    public static void smp_wmb(int site) {
        Sched.point();
        VarHandle.storeStoreFence();
        Rec.recSimple(EventKind.F_WMB, site);
    }

    public static void smp_rmb(int site) {
        Sched.point();
        VarHandle.loadLoadFence();
        Rec.recSimple(EventKind.F_RMB, site);
    }

    public static void smp_acquire__after_ctrl_dep(int site) {
        Sched.point();
        VarHandle.acquireFence();
        Rec.recSimple(EventKind.F_ACQUIRE_AFTER_CTRL_DEP, site);
    }

    public static void smp_mb__before_atomic(int site) {
        Sched.point();
        VarHandle.fullFence();
        Rec.recSimple(EventKind.F_BEFORE_ATOMIC, site);
    }

    public static void smp_mb__after_atomic(int site) {
        Sched.point();
        VarHandle.fullFence();
        Rec.recSimple(EventKind.F_AFTER_ATOMIC, site);
    }

    public static void smp_mb__after_spinlock(int site) {
        Sched.point();
        VarHandle.fullFence();
        Rec.recSimple(EventKind.F_AFTER_SPINLOCK, site);
    }

    public static void barrier(int site) {
        Sched.point();
        
        Rec.recSimple(EventKind.F_BARRIER, site);
    }

    public static void cpu_relax(int site) {
        Sched.point();
        Sched.relax();
        Rec.recSimple(EventKind.CPU_RELAX, site);
    }

    // ---- xchg

    public static int xchg(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int old = (int) f.vh.getAndSet(p, v);
            Rec.recRmw(k, f, EventKind.RMW_MB, site, old, v);
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> T xchg(Object p, PtrField<T> f, T v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T old = (T) f.vh.getAndSet(p, v);
            Rec.recRmw(k, f, EventKind.RMW_MB, site, Rec.ptr(old), Rec.ptr(v));
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static int xchg_acquire(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int old = (int) f.vh.getAndSetAcquire(p, v);
            Rec.recRmw(k, f, EventKind.RMW_ACQUIRE, site, old, v);
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static int xchg_release(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int old = (int) f.vh.getAndSetRelease(p, v);
            Rec.recRmw(k, f, EventKind.RMW_RELEASE, site, old, v);
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static int xchg_relaxed(Object p, IntField f, int v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int old = (int) f.vh.getAndSetAcquire(p, v);
            Rec.recRmw(k, f, EventKind.RMW_RELAXED, site, old, v);
            return old;
        } finally {
            Rec.release(k);
        }
    }

    // ---- cmpxchg

    public static int cmpxchg(Object p, IntField f, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int w = (int) f.vh.compareAndExchange(p, old, nv);
            Rec.recCas(k, f, EventKind.RMW_MB, EventKind.RMW_FAIL_MB, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> T cmpxchg(Object p, PtrField<T> f, T old, T nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T w = (T) f.vh.compareAndExchange(p, old, nv);
            Rec.recCas(k, f, EventKind.RMW_MB, EventKind.RMW_FAIL_MB, site, Rec.ptr(w), Rec.ptr(old), Rec.ptr(nv));
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static int cmpxchg_acquire(Object p, IntField f, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int w = (int) f.vh.compareAndExchangeAcquire(p, old, nv);
            Rec.recCas(k, f, EventKind.RMW_ACQUIRE, EventKind.RMW_FAIL_ACQUIRE, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static int cmpxchg_release(Object p, IntField f, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int w = (int) f.vh.compareAndExchangeRelease(p, old, nv);
            Rec.recCas(k, f, EventKind.RMW_RELEASE, EventKind.RMW_FAIL_RELEASE, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static int cmpxchg_relaxed(Object p, IntField f, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int w = (int) f.vh.compareAndExchangeAcquire(p, old, nv);
            Rec.recCas(k, f, EventKind.RMW_RELAXED, EventKind.RMW_FAIL_RELAXED, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    // ---- try_cmpxchg

    public static boolean try_cmpxchg(Object p, IntField f, IntOld old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int expected = old.v;
            int w = (int) f.vh.compareAndExchange(p, expected, nv);
            Rec.recCas(k, f, EventKind.RMW_MB, EventKind.RMW_FAIL_MB, site, w, expected, nv);
            if (w == expected) {
                return true;
            }
            old.v = w;
            return false;
        } finally {
            Rec.release(k);
        }
    }

    public static <T> boolean try_cmpxchg(Object p, PtrField<T> f, Old<T> old, T nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            T expected = old.v;
            T w = (T) f.vh.compareAndExchange(p, expected, nv);
            Rec.recCas(k, f, EventKind.RMW_MB, EventKind.RMW_FAIL_MB, site, Rec.ptr(w), Rec.ptr(expected), Rec.ptr(nv));
            if (w == expected) {
                return true;
            }
            old.v = w;
            return false;
        } finally {
            Rec.release(k);
        }
    }

    public static boolean try_cmpxchg_acquire(Object p, IntField f, IntOld old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int expected = old.v;
            int w = (int) f.vh.compareAndExchangeAcquire(p, expected, nv);
            Rec.recCas(k, f, EventKind.RMW_ACQUIRE, EventKind.RMW_FAIL_ACQUIRE, site, w, expected, nv);
            if (w == expected) {
                return true;
            }
            old.v = w;
            return false;
        } finally {
            Rec.release(k);
        }
    }

    public static boolean try_cmpxchg_release(Object p, IntField f, IntOld old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int expected = old.v;
            int w = (int) f.vh.compareAndExchangeRelease(p, expected, nv);
            Rec.recCas(k, f, EventKind.RMW_RELEASE, EventKind.RMW_FAIL_RELEASE, site, w, expected, nv);
            if (w == expected) {
                return true;
            }
            old.v = w;
            return false;
        } finally {
            Rec.release(k);
        }
    }

    public static boolean try_cmpxchg_relaxed(Object p, IntField f, IntOld old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(p, rec);
        try {
            int expected = old.v;
            int w = (int) f.vh.compareAndExchangeAcquire(p, expected, nv);
            Rec.recCas(k, f, EventKind.RMW_RELAXED, EventKind.RMW_FAIL_RELAXED, site, w, expected, nv);
            if (w == expected) {
                return true;
            }
            old.v = w;
            return false;
        } finally {
            Rec.release(k);
        }
    }

    // ---- atomic_t

    public static int atomic_read(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int r = (int) AtomicT.COUNTER.vh.getOpaque(v);
            Rec.recRead(k, AtomicT.COUNTER, EventKind.R_ONCE, site, r);
            return r;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_read_acquire(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int r = (int) AtomicT.COUNTER.vh.getAcquire(v);
            Rec.recRead(k, AtomicT.COUNTER, EventKind.R_ACQUIRE, site, r);
            return r;
        } finally {
            Rec.release(k);
        }
    }

    public static void atomic_set(AtomicT v, int i, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            AtomicT.COUNTER.vh.setOpaque(v, i);
            Rec.recWrite(k, AtomicT.COUNTER, EventKind.W_ONCE, site, i);
        } finally {
            Rec.release(k);
        }
    }

    public static void atomic_set_release(AtomicT v, int i, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            AtomicT.COUNTER.vh.setRelease(v, i);
            Rec.recWrite(k, AtomicT.COUNTER, EventKind.W_RELEASE, site, i);
        } finally {
            Rec.release(k);
        }
    }

    public static void atomic_inc(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, 1);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_NORETURN, site, old, old + (1));
            
        } finally {
            Rec.release(k);
        }
    }

    public static void atomic_dec(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, -1);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_NORETURN, site, old, old + (-1));
            
        } finally {
            Rec.release(k);
        }
    }

    public static void atomic_add(int i, AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, i);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_NORETURN, site, old, old + (i));
            
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_inc_return(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, 1);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_MB, site, old, old + (1));
            return old + (1);
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_dec_return(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, -1);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_MB, site, old, old + (-1));
            return old + (-1);
        } finally {
            Rec.release(k);
        }
    }

    public static boolean atomic_dec_and_test(AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, -1);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_MB, site, old, old + (-1));
            return old + (-1) == 0;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_fetch_add(int i, AtomicT v, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndAdd(v, i);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_MB, site, old, old + (i));
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_xchg(AtomicT v, int i, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int old = (int) AtomicT.COUNTER.vh.getAndSet(v, i);
            Rec.recRmw(k, AtomicT.COUNTER, EventKind.RMW_MB, site, old, i);
            return old;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_cmpxchg(AtomicT v, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int w = (int) AtomicT.COUNTER.vh.compareAndExchange(v, old, nv);
            Rec.recCas(k, AtomicT.COUNTER, EventKind.RMW_MB, EventKind.RMW_FAIL_MB, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_cmpxchg_acquire(AtomicT v, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int w = (int) AtomicT.COUNTER.vh.compareAndExchangeAcquire(v, old, nv);
            Rec.recCas(k, AtomicT.COUNTER, EventKind.RMW_ACQUIRE, EventKind.RMW_FAIL_ACQUIRE, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    public static int atomic_cmpxchg_relaxed(AtomicT v, int old, int nv, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(v, rec);
        try {
            int w = (int) AtomicT.COUNTER.vh.compareAndExchangeAcquire(v, old, nv);
            Rec.recCas(k, AtomicT.COUNTER, EventKind.RMW_RELAXED, EventKind.RMW_FAIL_RELAXED, site, w, old, nv);
            return w;
        } finally {
            Rec.release(k);
        }
    }

    // ---- spinlocks

    public static void spin_lock(SpinLock l, int site, Object rec) {
        while (!spin_trylock(l, site, rec)) {
            Thread.onSpinWait();
        }
    }

    public static boolean spin_trylock(SpinLock l, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(l, rec);
        try {
            int w = (int) SpinLock.LOCKED.vh.compareAndExchangeAcquire(l, 0, 1);
            Rec.recCas(k, SpinLock.LOCKED, EventKind.LOCK, EventKind.LOCK_FAIL, site, w, 0, 1);
            return w == 0;
        } finally {
            Rec.release(k);
        }
    }

    public static void spin_unlock(SpinLock l, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(l, rec);
        try {
            SpinLock.LOCKED.vh.setRelease(l, 0);
            Rec.recWrite(k, SpinLock.LOCKED, EventKind.UNLOCK, site, 0);
        } finally {
            Rec.release(k);
        }
    }

    public static boolean spin_is_locked(SpinLock l, int site, Object rec) {
        Sched.point();
        ThreadRecorder k = Rec.acquire(l, rec);
        try {
            int v = (int) SpinLock.LOCKED.vh.getOpaque(l);
            Rec.recRead(k, SpinLock.LOCKED, EventKind.R_ONCE, site, v);
            return v != 0;
        } finally {
            Rec.release(k);
        }
    }

    // ---- RCU

    public static void rcu_read_lock(int site) {
        Sched.point();
        Rcu.readLock();
        Rec.recSimple(EventKind.RCU_READ_LOCK, site);
    }

    public static void rcu_read_unlock(int site) {
        Sched.point();
        Rec.recSimple(EventKind.RCU_READ_UNLOCK, site);
        Rcu.readUnlock();
    }

    public static void synchronize_rcu(int site) {
        Sched.point();
        VarHandle.fullFence();
        Rcu.waitForReaders();
        VarHandle.fullFence();
        Rec.recSimple(EventKind.F_SYNC_RCU, site);
    }

    // ---- KCSAN annotations

    public static void data_race_begin(int site) {
        Rec.recSimple(EventKind.DATA_RACE_BEGIN, site);
    }

    public static void data_race_end(int site) {
        Rec.recSimple(EventKind.DATA_RACE_END, site);
    }

    public static void ASSERT_EXCLUSIVE_WRITER(Object p, Field f, int site) {
        Rec.recLocation(EventKind.ASSERT_EXCLUSIVE_WRITER, site, p, f);
    }

    public static void ASSERT_EXCLUSIVE_ACCESS(Object p, Field f, int site) {
        Rec.recLocation(EventKind.ASSERT_EXCLUSIVE_ACCESS, site, p, f);
    }
}

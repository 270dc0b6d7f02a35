package smptrace.demo.agentit;

import smptrace.kernel.IntOld;
import smptrace.kernel.Old;
import smptrace.kernel.SpinLock;
import smptrace.kernel.TraceHooks;

import static smptrace.kernel.Kernel.*;

/** Calls every primitive and control hook once or more, with values the test checks. */
public final class AllPrimitives {
    private AllPrimitives() { }

    static volatile int vol;

    public static void main(String[] args) {
        Cell c = new Cell();
        Cell d = new Cell();
        SpinLock l = new SpinLock();
        TraceHooks.kobj_name(c, "cell_c");
        TraceHooks.task_on_cpu(7, 1);
        WRITE_ONCE(c, Cell.V, 41);
        int x = READ_ONCE(c, Cell.V);
        c.w = x + 1;              // plain write 42
        int y = c.w;              // plain read 42
        c.wide = 1L << 40;        // plain long write
        long z = c.wide;
        c.slots[2] = 5;           // array element write
        int s2 = c.slots[2];      // array element read
        WRITE_ONCE(c, Cell.P, d);
        Cell p = READ_ONCE(c, Cell.P);
        smp_store_release(c, Cell.V, 43);
        smp_load_acquire(c, Cell.V);
        smp_store_release(c, Cell.P, null);
        smp_load_acquire(c, Cell.P);
        rcu_assign_pointer(c, Cell.P, d);
        rcu_read_lock();
        rcu_dereference(c, Cell.P);
        rcu_read_unlock();
        synchronize_rcu();
        smp_mb();
        smp_wmb();
        smp_rmb();
        smp_acquire__after_ctrl_dep();
        smp_mb__before_atomic();
        smp_mb__after_atomic();
        smp_mb__after_spinlock();
        barrier();
        cpu_relax();
        xchg(c, Cell.V, 50);
        xchg(c, Cell.P, c);
        xchg_acquire(c, Cell.V, 51);
        xchg_release(c, Cell.V, 52);
        xchg_relaxed(c, Cell.V, 53);
        cmpxchg(c, Cell.V, 53, 54);           // success, fully ordered
        cmpxchg(c, Cell.V, 0, 99);            // failure: a read of 54
        cmpxchg(c, Cell.P, c, d);
        cmpxchg_acquire(c, Cell.V, 54, 55);
        cmpxchg_acquire(c, Cell.V, 0, 99);
        cmpxchg_release(c, Cell.V, 55, 56);
        cmpxchg_release(c, Cell.V, 0, 99);
        cmpxchg_relaxed(c, Cell.V, 56, 57);
        cmpxchg_relaxed(c, Cell.V, 0, 99);
        try_cmpxchg(c, Cell.V, new IntOld(57), 58);
        try_cmpxchg(c, Cell.P, new Old<>(d), c);
        try_cmpxchg_acquire(c, Cell.V, new IntOld(58), 59);
        try_cmpxchg_release(c, Cell.V, new IntOld(59), 60);
        try_cmpxchg_relaxed(c, Cell.V, new IntOld(0), 61);   // failure
        smp_cond_load_acquire(c, Cell.V, v -> v == 60);       // R_COND, then the acquire fence
        smp_cond_load_relaxed(c, Cell.V, v -> v != 0);
        atomic_set(c.cnt, 1);
        atomic_read(c.cnt);
        atomic_set_release(c.cnt, 2);
        atomic_read_acquire(c.cnt);
        atomic_inc(c.cnt);
        atomic_dec(c.cnt);
        atomic_add(3, c.cnt);
        atomic_inc_return(c.cnt);
        atomic_dec_return(c.cnt);
        atomic_dec_and_test(c.cnt);
        atomic_fetch_add(2, c.cnt);
        atomic_xchg(c.cnt, 9);
        atomic_cmpxchg(c.cnt, 9, 10);
        atomic_cmpxchg_acquire(c.cnt, 10, 11);
        atomic_cmpxchg_relaxed(c.cnt, 0, 12);
        spin_lock(l);
        spin_trylock(l);                      // fails: LOCK_FAIL
        spin_is_locked(l);
        spin_unlock(l);
        data_race_begin();
        int r = c.w;
        data_race_end();
        ASSERT_EXCLUSIVE_WRITER(c, Cell.V);
        ASSERT_EXCLUSIVE_ACCESS(c, Cell.V);
        TraceHooks.preempt_disable(1);
        TraceHooks.preempt_enable(0);
        TraceHooks.irq_disable();
        TraceHooks.irq_enable();
        TraceHooks.irq_enter(1);
        TraceHooks.irq_exit(1);
        TraceHooks.ipi_send(1, 2);
        TraceHooks.cpu_online(2, false);
        TraceHooks.stop_machine_enter(1);
        TraceHooks.stop_machine_exit(1);
        TraceHooks.flush_begin(1, 2);
        TraceHooks.flush_end(1);
        TraceHooks.data_race(true);
        TraceHooks.data_race(false);
        TraceHooks.assert_exclusive(c, Cell.V, true);
        TraceHooks.mark(3, 4);
        Cell dying = new Cell();
        TraceHooks.kobj_role(dying, smptrace.kernel.Role.CSD_DATA, 1, -1); // ROLE
        TraceHooks.kfree(dying);                                          // KFREE
        TraceHooks.stuck(1, "test stuck");
        TraceHooks.task_off_cpu(7, 1);
        // Java's synchronisation (this class is an application class): a monitor, a volatile field
        synchronized (AllPrimitives.class) {
            vol = 1;
        }
        int v = vol;
        System.out.println("ok " + (x + y + z + s2 + r + (p == d ? 1 : 0) + v - 1));
    }
}

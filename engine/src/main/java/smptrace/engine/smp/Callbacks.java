package smptrace.engine.smp;

import smptrace.kernel.TraceHooks;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.atomic_inc;
import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_store_release;

import smptrace.engine.sim.Ctx;
import smptrace.engine.sim.Machine;

/**
 * The callbacks (smp_call_func_t) the scenarios send: named singletons, run on the target CPU.
 * Each reports its run to the run's oracle (simulator bookkeeping, found through the running context).
 */
public final class Callbacks {
    private Callbacks() { }

    private static void report(Object info) {
        Ctx me = Machine.current();
        if (me != null) {
            me.machine().mon.ran(info);
        }
    }

    /** scf_handler(): reads the request's payload (plain, published by llist_add/llist_del_all). */
    public static final class scf_handler implements smp_call_func_t {
        @Override
        public void call(Object info) {
            scf_check c = (scf_check) info;
            int v = c.scfc_data;
            if (v < 0) {
                throw new IllegalStateException("corrupt scf_check");
            }
            report(info);
        }
    }

    /**
     * scf_handler() of a request nobody waits for: scftorture's handler kfree()s it, being its last user
     * (the sender returned at once).
     */
    public static final class scf_handler_kfree implements smp_call_func_t {
        @Override
        public void call(Object info) {
            scf_check c = (scf_check) info;
            int v = c.scfc_data;
            if (v < 0) {
                throw new IllegalStateException("corrupt scf_check");
            }
            report(info);
            smptrace.kernel.TraceHooks.kfree(c);
        }
    }

    /** slow_handler(): a callback that keeps its CPU busy for a while (the "busy target" of seed 000). */
    public static final class slow_handler implements smp_call_func_t {
        public static final int SPINS = 30;

        @Override
        public void call(Object info) {
            scf_check c = (scf_check) info;
            int v = c.scfc_data;
            Ctx me = Machine.current();
            for (int i = 0; i < SPINS + (v & 1); i++) {
                cpu_relax();
                if (me != null) {
                    me.machine().spin("udelay", -1); // simulator bookkeeping: udelay() busy-waits, so PCT runs others beside it
                }
            }
            if (me != null) {
                me.machine().spinDone();
            }
            report(info);
        }
    }

    /** kick_handler(): consumes kick_dev.pending (the seed-002 pattern). */
    public static final class kick_handler implements smp_call_func_t {
        @Override
        public void call(Object info) {
            kick_dev d = (kick_dev) info;
            if (READ_ONCE(d, kick_dev.PENDING) != 0) {
                WRITE_ONCE(d, kick_dev.PENDING, 0);
                d.handled++;
            }
            report(info);
        }
    }

    /** scf_result_handler(): computes a result from the waiter's on-stack info (plain read of arg, plain write of result). */
    public static final class scf_result_handler implements smp_call_func_t {
        @Override
        public void call(Object info) {
            scf_result r = (scf_result) info;
            r.result = r.arg * 2 + 1;
            report(info);
        }
    }

    /** count_handler(): every CPU of an on_each_cpu() call bumps the waiter's counter. */
    public static final class count_handler implements smp_call_func_t {
        @Override
        public void call(Object info) {
            scf_result r = (scf_result) info;
            atomic_inc(r.count);
            report(info);
        }
    }

    /** rearm_even() / rearm_odd(): the two callbacks a rearm_dev's CSD alternates between; each signals done. */
    public static final class rearm_handler implements smp_call_func_t {
        private final int parity;

        rearm_handler(int parity) {
            this.parity = parity;
        }

        @Override
        public void call(Object info) {
            rearm_req r = (rearm_req) info;
            int seq = r.seq;
            if ((seq & 1) != parity) {
                throw new IllegalStateException("rearm: callback of parity " + parity + " ran request " + seq);
            }
            report(info);
            smp_store_release(r.dev, rearm_dev.DONE, seq + 1);
        }
    }

    /** irq_work_count(): an irq_work's func (called with the work): bumps its owner's counter. */
    public static final class irq_work_count implements smp_call_func_t {
        @Override
        public void call(Object work) {
            scf_result r = (scf_result) ((irq_work) work).owner;
            atomic_inc(r.count);
            Ctx me = Machine.current();
            if (me != null) {
                me.machine().mon.path("irq_work ran");
            }
        }
    }

    /** cond_even(): an smp_cond_func_t selecting even CPUs. */
    public static final class cond_even implements smp_cond_func_t {
        @Override
        public boolean test(int cpu, Object info) {
            return (cpu & 1) == 0;
        }
    }

    public static final smp_call_func_t SCF_HANDLER = new scf_handler();
    public static final smp_call_func_t SCF_HANDLER_KFREE = new scf_handler_kfree();
    public static final smp_call_func_t SLOW_HANDLER = new slow_handler();
    public static final smp_call_func_t KICK_HANDLER = new kick_handler();
    public static final smp_cond_func_t COND_EVEN = new cond_even();
    public static final smp_call_func_t SCF_RESULT_HANDLER = new scf_result_handler();
    public static final smp_call_func_t COUNT_HANDLER = new count_handler();
    public static final smp_call_func_t REARM_EVEN = new rearm_handler(0);
    public static final smp_call_func_t REARM_ODD = new rearm_handler(1);
    public static final smp_call_func_t IRQ_WORK_COUNT = new irq_work_count();

    /**
     * Names each callback after its function, so a function pointer's value prints as its symbol, as in the
     * kernel (never as an object number). Called where the machine is set up, outside any scheduled run: a
     * static initialiser would record at a scheduling point while other tasks wait on the class's init lock.
     */
    static void name_symbols() {
        TraceHooks.obj_name(SCF_HANDLER, "scf_handler");
        TraceHooks.obj_name(SCF_HANDLER_KFREE, "scf_handler_kfree");
        TraceHooks.obj_name(SLOW_HANDLER, "slow_handler");
        TraceHooks.obj_name(KICK_HANDLER, "kick_handler");
        TraceHooks.obj_name(COND_EVEN, "cond_even");
        TraceHooks.obj_name(SCF_RESULT_HANDLER, "scf_result_handler");
        TraceHooks.obj_name(COUNT_HANDLER, "count_handler");
        TraceHooks.obj_name(IRQ_WORK_COUNT, "irq_work_count");
        TraceHooks.obj_name(REARM_EVEN, "rearm_handler_even");
        TraceHooks.obj_name(REARM_ODD, "rearm_handler_odd");
    }
}

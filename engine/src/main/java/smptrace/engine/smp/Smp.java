package smptrace.engine.smp;

import static smptrace.engine.smp.cpumask.__cpumask_clear_cpu;
import static smptrace.engine.smp.cpumask.__cpumask_set_cpu;
import static smptrace.engine.smp.cpumask.cpumask_and;
import static smptrace.engine.smp.cpumask.cpumask_any_and_but;
import static smptrace.engine.smp.cpumask.cpumask_clear;
import static smptrace.engine.smp.cpumask.cpumask_next;
import static smptrace.engine.smp.cpumask.cpumask_test_cpu;
import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.atomic_cmpxchg_acquire;
import static smptrace.kernel.Kernel.atomic_dec;
import static smptrace.kernel.Kernel.atomic_inc;
import static smptrace.kernel.Kernel.atomic_inc_return;
import static smptrace.kernel.Kernel.atomic_read;
import static smptrace.kernel.Kernel.atomic_set_release;
import static smptrace.kernel.Kernel.cmpxchg;
import static smptrace.kernel.Kernel.cmpxchg_relaxed;
import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_acquire__after_ctrl_dep;
import static smptrace.kernel.Kernel.smp_cond_load_acquire;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_mb;
import static smptrace.kernel.Kernel.smp_mb__before_atomic;
import static smptrace.kernel.Kernel.smp_store_release;
import static smptrace.kernel.Kernel.smp_wmb;
import static smptrace.kernel.Kernel.try_cmpxchg_acquire;
import static smptrace.kernel.Llist.llist_add;
import static smptrace.kernel.Llist.llist_del_all;
import static smptrace.kernel.Llist.llist_empty;
import static smptrace.kernel.Llist.llist_reverse_order;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import smptrace.engine.Patch;
import smptrace.engine.RunConfig;
import smptrace.engine.Variant;
import smptrace.engine.sim.Ctx;
import smptrace.engine.sim.Machine;
import smptrace.engine.sim.Monitor;
import smptrace.kernel.IntOld;
import smptrace.kernel.LlistNode;
import smptrace.kernel.Mirrors;
import smptrace.kernel.Role;
import smptrace.kernel.Sched;
import smptrace.kernel.TraceHooks;

/**
 * kernel/smp.c of the 2026 baseline (CachyOS 06978ced), with the five seed patches as switches.
 * Every method mirrors the kernel function of the same name, with the kernel's order of accesses
 * and barriers (smp-model.md). Plain kernel accesses are plain field accesses; marked ones go
 * through {@link smptrace.kernel.Kernel}. Calls into {@code m} (the machine) and {@code mon} (the
 * oracle) are simulator bookkeeping, not kernel memory.
 */
public final class Smp {
    public static final int CSD_FLAG_LOCK = 0x01;
    public static final int CSD_TYPE_ASYNC = 0x00;
    public static final int CSD_TYPE_SYNC = 0x10;
    public static final int CSD_TYPE_IRQ_WORK = 0x20;
    public static final int CSD_TYPE_TTWU = 0x30;
    public static final int CSD_FLAG_TYPE_MASK = 0xF0;
    public static final int SCF_WAIT = 1 << 0;
    public static final int SCF_RUN_LOCAL = 1 << 1;
    public static final int ENXIO = 6;
    public static final int EBUSY = 16;

    private final RunConfig cfg;
    private final Machine m;
    private final Monitor mon;
    /** The scheduler's wake-up path (kernel/sched/core.c) when a scenario wakes tasks through the wakelist, else null. */
    Ttwu ttwu;
    public final smp_globals g;
    private final List<per_cpu_data> pcpu;
    public final int nr_cpu_ids;
    /** CONFIG_CSD_LOCK_WAIT_DEBUG (build option): src/dst are filled and the debug functions exist. */
    @Mirrors(value = "CONFIG_CSD_LOCK_WAIT_DEBUG", lines = "147-362")
    public final boolean CONFIG_CSD_LOCK_WAIT_DEBUG;
    /**
     * static_branch_unlikely(&csdlock_debug_enabled) (boot option csdlock_debug=); a key only ever on with
     * the config. Seed 001 moves its definition out of the #ifdef (the model's key is always defined).
     */
    @Mirrors(value = "csdlock_debug_enabled", hunks = {"001:-137,10"}, lines = "149")
    public final boolean csdlock_debug_enabled;
    /** csd_lock_timeout in ms (module parameter); logical ms (scheduling steps) in controlled runs. */
    public final long csd_lock_timeout;
    /** panic_on_ipistall: 0, never panic. */
    @Mirrors(value = "panic_on_ipistall", lines = "183")
    public final int panic_on_ipistall = 0;
    /** The once-flag of csd_lock_wait_toolong()'s WARN_ONCE (a static in .data..once; not modelled as kernel memory). */
    private boolean toolong_cpu_warned;

    @Mirrors(value = "call_function_init", lines = "111-119")
    public Smp(RunConfig cfg, Machine m, long csdLockTimeoutMs) {
        this.cfg = cfg;
        this.m = m;
        this.mon = m.mon;
        this.nr_cpu_ids = cfg.cpus();
        this.g = new smp_globals(nr_cpu_ids);
        TraceHooks.kobj_name(g, "smp_globals");
        TraceHooks.kobj_name(g.cpu_online_mask, "cpu_online_mask");
        TraceHooks.kobj_role(g.cpu_online_mask, Role.CPU_ONLINE_MASK, -1, -1);
        TraceHooks.kobj_name(g.__num_online_cpus, "__num_online_cpus");
        TraceHooks.kobj_name(g.csd_bug_count, "csd_bug_count");
        TraceHooks.kobj_name(g.n_csd_lock_stuck, "n_csd_lock_stuck");
        Callbacks.name_symbols();
        List<per_cpu_data> l = new ArrayList<>();
        for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
            per_cpu_data p = new per_cpu_data(cpu, nr_cpu_ids);
            TraceHooks.kobj_name(p, "per_cpu(" + cpu + ")");
            TraceHooks.kobj_role(p, Role.PER_CPU, cpu, -1);
            TraceHooks.kobj_name(p.call_single_queue, "per_cpu(call_single_queue, " + cpu + ")");
            TraceHooks.kobj_role(p.call_single_queue, Role.CALL_SINGLE_QUEUE, cpu, -1);
            TraceHooks.kobj_name(p.csd_data, "per_cpu(csd_data, " + cpu + ")");
            TraceHooks.kobj_role(p.csd_data, Role.CSD_DATA, cpu, -1);
            TraceHooks.kobj_name(p.cfd_data, "per_cpu(cfd_data, " + cpu + ")");
            TraceHooks.kobj_role(p.cfd_data, Role.CFD_DATA, cpu, -1);
            TraceHooks.kobj_name(p.cfd_data.cpumask, "cfd_data[" + cpu + "].cpumask");
            TraceHooks.kobj_role(p.cfd_data.cpumask, Role.CFD_CPUMASK, cpu, -1);
            TraceHooks.kobj_name(p.cfd_data.cpumask_ipi, "cfd_data[" + cpu + "].cpumask_ipi");
            TraceHooks.kobj_role(p.cfd_data.cpumask_ipi, Role.CFD_CPUMASK_IPI, cpu, -1);
            TraceHooks.obj_name(p.cfd_data.csd, "cfd_data[" + cpu + "].csd");
            for (int d = 0; d < nr_cpu_ids; d++) {
                TraceHooks.kobj_name(p.cfd_data.csd[d], "cfd_data[" + cpu + "].csd[" + d + "]");
                TraceHooks.kobj_role(p.cfd_data.csd[d], Role.CFD_CSD, cpu, d);
            }
            TraceHooks.kobj_name(p.trigger_backtrace, "per_cpu(trigger_backtrace, " + cpu + ")");
            TraceHooks.kobj_role(p.trigger_backtrace, Role.TRIGGER_BACKTRACE, cpu, -1);
            TraceHooks.kobj_name(p.rq_lock, "cpu_rq(" + cpu + ")->__lock");
            cpu_stopper stopper = new cpu_stopper();
            TraceHooks.kobj_name(stopper, "per_cpu(cpu_stopper, " + cpu + ")");
            m.setStopper(cpu, stopper);
            m.setRqLock(cpu, p.rq_lock);
            l.add(p);
        }
        this.pcpu = Collections.unmodifiableList(l);
        this.CONFIG_CSD_LOCK_WAIT_DEBUG = cfg.configCsdLockWaitDebug();
        this.csdlock_debug_enabled = cfg.csdlockDebugEnabled();
        this.csd_lock_timeout = csdLockTimeoutMs;
        m.setHandlers(this::generic_smp_call_function_single_interrupt, this::flush_smp_call_function_queue);
    }

    @Mirrors(value = "per_cpu", file = "include/linux/percpu-defs.h")
    public per_cpu_data per_cpu(int cpu) {
        return pcpu.get(cpu);
    }

    @Mirrors(value = "this_cpu_ptr", file = "include/linux/percpu-defs.h")
    private per_cpu_data this_cpu_ptr() {
        return pcpu.get(smp_processor_id());
    }

    // ---- preemption, IRQs, CPU identity (include/linux/preempt.h, irqflags.h, smp.h) -----------

    /** smp_processor_id(). */
    @Mirrors(value = "smp_processor_id", file = "include/linux/smp.h")
    public int smp_processor_id() {
        return m.smpProcessorId();
    }

    /** preempt_disable(). */
    @Mirrors(value = "preempt_disable", file = "include/linux/preempt.h")
    public void preempt_disable() {
        m.preemptDisable();
    }

    /** preempt_enable(): may reschedule here. */
    @Mirrors(value = "preempt_enable", file = "include/linux/preempt.h")
    public void preempt_enable() {
        m.preemptEnable();
    }

    /** get_cpu(): preempt_disable(); smp_processor_id(). */
    @Mirrors(value = "get_cpu", file = "include/linux/smp.h")
    public int get_cpu() {
        m.preemptDisable();
        return m.smpProcessorId();
    }

    /** put_cpu(): preempt_enable(). */
    @Mirrors(value = "put_cpu", file = "include/linux/smp.h")
    public void put_cpu() {
        m.preemptEnable();
    }

    /** local_irq_save(): returns the flags (true: IRQs were already off). */
    @Mirrors(value = "local_irq_save", file = "include/linux/irqflags.h")
    public boolean local_irq_save() {
        return m.irqSave();
    }

    /** local_irq_restore(). */
    @Mirrors(value = "local_irq_restore", file = "include/linux/irqflags.h")
    public void local_irq_restore(boolean flags) {
        m.irqRestore(flags);
    }

    @Mirrors(value = "irqs_disabled", file = "include/linux/irqflags.h")
    public boolean irqs_disabled() {
        return m.irqsDisabled();
    }

    @Mirrors(value = "in_task", file = "include/linux/preempt.h")
    public boolean in_task() {
        return m.inTask();
    }

    /** lockdep_assert_preemption_disabled(). */
    @Mirrors(value = "lockdep_assert_preemption_disabled", file = "include/linux/lockdep.h")
    private void lockdep_assert_preemption_disabled() {
        Ctx me = Machine.current();
        if (me.preemptCount() == 0 && !me.inIrq()) {
            mon.warn("lockdep: preemption enabled in " + me.name);
        }
    }

    /** lockdep_assert_irqs_enabled(). */
    @Mirrors(value = "lockdep_assert_irqs_enabled", file = "include/linux/lockdep.h")
    private void lockdep_assert_irqs_enabled() {
        if (irqs_disabled()) {
            mon.warn("lockdep: IRQs disabled in " + Machine.current().name);
        }
    }

    /** WARN_ON_ONCE(!in_task()). */
    @Mirrors(value = "WARN_ON_ONCE", file = "include/asm-generic/bug.h")
    private void warn_on_not_in_task() {
        if (!in_task()) {
            mon.warn("!in_task()");
        }
    }

    /** cpu_online(cpu): test_bit on cpu_online_mask (a marked read). */
    @Mirrors(value = "cpu_online", file = "include/linux/cpumask.h")
    public boolean cpu_online(int cpu) {
        return ((READ_ONCE(g.cpu_online_mask, cpumask.BITS) >>> cpu) & 1) != 0;
    }

    /** num_online_cpus(): atomic_read(&__num_online_cpus). */
    @Mirrors(value = "num_online_cpus", file = "include/linux/cpumask.h")
    public int num_online_cpus() {
        return atomic_read(g.__num_online_cpus);
    }

    /** set_cpu_online(cpu, online): cpumask_test_and_set/clear_cpu (fully ordered RMW) + atomic_inc/dec. */
    @Mirrors(value = "set_cpu_online", file = "kernel/cpu.c")
    public void set_cpu_online(int cpu, boolean online) {
        int bit = 1 << cpu;
        int old = READ_ONCE(g.cpu_online_mask, cpumask.BITS);
        while (true) {
            int nv = online ? old | bit : old & ~bit;
            int w = cmpxchg(g.cpu_online_mask, cpumask.BITS, old, nv);
            if (w == old) {
                break;
            }
            old = w;
        }
        TraceHooks.cpu_online(cpu, online);
        if (online && (old & bit) == 0) {
            atomic_inc(g.__num_online_cpus);
        } else if (!online && (old & bit) != 0) {
            atomic_dec(g.__num_online_cpus);
        }
    }

    /** ktime_get_mono_fast_ns(). */
    @Mirrors(value = "ktime_get_mono_fast_ns", file = "kernel/time/timekeeping.c")
    private long ktime_get_mono_fast_ns() {
        return m.nowNanos();
    }

    @Mirrors(value = "CSD_TYPE", lines = "39")
    private static int CSD_TYPE(__call_single_node csd) {
        return csd.u_flags & CSD_FLAG_TYPE_MASK;
    }

    @Mirrors(value = "for_each_cpu", file = "include/linux/cpumask.h")
    private int for_each_cpu_next(int cpu, cpumask mask) {
        return cpumask_next(cpu, mask, nr_cpu_ids);
    }

    // ---- kernel/smp.c ---------------------------------------------------------------------------

    /** smpcfd_dying_cpu(): runs in the dying CPU's stopper (take_cpu_down), IRQs off. */
    @Mirrors(value = "smpcfd_dying_cpu", hunks = {"004:-93,6"}, lines = "93-109")
    public int smpcfd_dying_cpu(int cpu) {
        /*
         * This runs with interrupts disabled inside the stopper task invoked by
         * stop_machine(), ensuring mutually exclusive CPU offlining and IPI flush.
         */
        TraceHooks.flush_begin(cpu, 2);
        __flush_smp_call_function_queue(false);
        TraceHooks.flush_end(cpu);
        m.dyingFlushed(cpu);
        // irq_work_run(): no irq_work in this model
        return 0;
    }

    /**
     * smpcfd_prepare_cpu(): the CPUHP_SMPCFD_PREPARE startup, on the control CPU before the CPU comes up. The
     * cpumasks are embedded (zalloc_cpumask_var_node() allocates nothing; the scratch masks are cleared); the
     * 2026 series allocates cfd->csd once and keeps it, the pre-series code allocated it again here after
     * smpcfd_dead_cpu() had freed it (patches.md 003 (d5): the mutant's fresh CSDs).
     */
    @Mirrors(value = "smpcfd_prepare_cpu", lines = "55-82")
    public int smpcfd_prepare_cpu(int cpu) {
        call_function_data cfd = pcpu.get(cpu).cfd_data;    // &per_cpu(cfd_data, cpu)

        // zalloc_cpumask_var_node(&cfd->cpumask / &cfd->cpumask_ipi, ...): without CPUMASK_OFFSTACK, cpumask_clear()
        cpumask_clear(cfd.cpumask);
        cpumask_clear(cfd.cpumask_ipi);
        if (cfg.is(Variant.M003_FREE_CSD_ON_DEAD)) {
            for (int d = 0; d < nr_cpu_ids; d++) {            // mutant (d5): cfd->csd = alloc_percpu(call_single_data_t)
                call_single_data csd = new call_single_data();
                TraceHooks.kobj_name(csd, "cfd_data[" + cpu + "].csd[" + d + "]");
                TraceHooks.kobj_role(csd, Role.CFD_CSD, cpu, d);
                cfd.csd[d] = csd;
            }
        }
        return 0;
    }

    /**
     * smpcfd_dead_cpu(): the CPUHP_SMPCFD_PREPARE teardown, on a control CPU after the CPU died. The
     * cpumasks are embedded (no CONFIG_CPUMASK_OFFSTACK), so free_cpumask_var() frees nothing; the 2026
     * series keeps cfd->csd allocated across offline, the pre-series code freed it (patches.md 003 (d5)).
     */
    @Mirrors(value = "smpcfd_dead_cpu", lines = "84-91")
    public int smpcfd_dead_cpu(int cpu) {
        call_function_data cfd = pcpu.get(cpu).cfd_data;    // &per_cpu(cfd_data, cpu)

        // free_cpumask_var(cfd->cpumask); free_cpumask_var(cfd->cpumask_ipi): no-ops
        if (cfg.is(Variant.M003_FREE_CSD_ON_DEAD)) {
            for (int d = 0; d < nr_cpu_ids; d++) {
                TraceHooks.free_percpu(cfd.csd[d]);         // mutant (d5): free_percpu(cfd->csd)
            }
        }
        return 0;
    }

    /** call_function_single_prep_ipi(): false only for a polling idle CPU; the model has none. */
    @Mirrors(value = "call_function_single_prep_ipi", file = "kernel/sched/core.c")
    private boolean call_function_single_prep_ipi(int cpu) {
        return true;
    }

    /** send_call_function_single_ipi(). */
    @Mirrors(value = "send_call_function_single_ipi", lines = "121-129")
    private void send_call_function_single_ipi(int cpu) {
        if (call_function_single_prep_ipi(cpu)) {
            arch_send_call_function_single_ipi(cpu);
        }
    }

    /** arch_send_call_function_single_ipi(): the doorbell; no ordering. */
    @Mirrors(value = "arch_send_call_function_single_ipi", file = "arch/x86/include/asm/smp.h")
    private void arch_send_call_function_single_ipi(int cpu) {
        m.sendIpi(smp_processor_id(), cpu);
    }

    /** send_call_function_ipi_mask(). */
    @Mirrors(value = "send_call_function_ipi_mask", lines = "131-137")
    private void send_call_function_ipi_mask(cpumask mask) {
        arch_send_call_function_ipi_mask(mask);
    }

    /** arch_send_call_function_ipi_mask(): one IPI per CPU in the mask (plain reads of the mask). */
    @Mirrors(value = "arch_send_call_function_ipi_mask", file = "arch/x86/include/asm/smp.h")
    private void arch_send_call_function_ipi_mask(cpumask mask) {
        for (int cpu = for_each_cpu_next(-1, mask); cpu < nr_cpu_ids; cpu = for_each_cpu_next(cpu, mask)) {
            m.sendIpi(smp_processor_id(), cpu);
        }
    }

    /** csd_do_func(). */
    @Mirrors(value = "csd_do_func", lines = "139-145")
    private void csd_do_func(smp_call_func_t func, Object info, call_single_data csd) {
        func.call(info);
    }

    /** __csd_lock_record(): CSD_LOCK_WAIT_DEBUG diagnostics; seed 000 makes both stores of cur_csd releases. */
    @Mirrors(value = "__csd_lock_record", hunks = {"000:-182,16"}, lines = "189-202")
    private void __csd_lock_record(call_single_data csd) {
        per_cpu_data p = this_cpu_ptr();
        if (csd == null) {
            if (!Patch.P000.applied(cfg)) {
                smp_mb(); /* NULL cur_csd after unlock. */
                p.cur_csd = null;                   // __this_cpu_write(cur_csd, NULL)
            } else if (cfg.is(Variant.M000_PLAIN_CLEAR)) {
                p.cur_csd = null;                   // M0b: plain store, no barrier
            } else {
                /* Pairs with smp_load_acquire() of cur_csd in csd_lock_wait_toolong(). */
                smp_store_release(p, per_cpu_data.CUR_CSD, null);
            }
            return;
        }
        if (cfg.is(Variant.M000_FUNC_AFTER_RELEASE)) {
            smp_store_release(p, per_cpu_data.CUR_CSD, csd);  // M0d: published before func/info
        }
        p.cur_csd_func = csd.func;                  // __this_cpu_write(cur_csd_func, csd->func)
        p.cur_csd_info = csd.info;                  // __this_cpu_write(cur_csd_info, csd->info)
        if (!Patch.P000.applied(cfg)) {
            smp_wmb(); /* func and info before csd. */
            p.cur_csd = csd;                        // __this_cpu_write(cur_csd, csd)
            smp_mb(); /* Update cur_csd before function call. Or before unlock, as the case may be. */
        } else if (cfg.is(Variant.M000_PLAIN_PUBLISH)) {
            p.cur_csd = csd;                        // M0a: plain store, no smp_wmb()/release
        } else if (!cfg.is(Variant.M000_FUNC_AFTER_RELEASE)) {
            /* Pairs with smp_load_acquire() of cur_csd in csd_lock_wait_toolong(). */
            smp_store_release(p, per_cpu_data.CUR_CSD, csd);
        }
    }

    /** csd_lock_record(). */
    @Mirrors(value = "csd_lock_record", lines = "204-208")
    private void csd_lock_record(call_single_data csd) {
        if (CONFIG_CSD_LOCK_WAIT_DEBUG && csdlock_debug_enabled) {
            __csd_lock_record(csd);
        }
    }

    /** csd_lock_wait_getcpu(). */
    @Mirrors(value = "csd_lock_wait_getcpu", lines = "210-218")
    private int csd_lock_wait_getcpu(call_single_data csd) {
        int csd_type = CSD_TYPE(csd);
        if (csd_type == CSD_TYPE_ASYNC || csd_type == CSD_TYPE_SYNC) {
            return csd.dst; /* Other CSD_TYPE_ values might not have ->dst. */
        }
        return -1;
    }

    /** csd_lock_wait_toolong(): one spin of the debug wait; seed 000 comments the acquire of cur_csd. */
    @Mirrors(value = "csd_lock_wait_toolong", hunks = {"000:-272,7"}, lines = "238-318")
    private boolean csd_lock_wait_toolong(call_single_data csd, long ts0, WaitState st) {
        int cpu = -1;
        int cpux;
        boolean firsttime;
        long ts2;
        long ts_delta;
        call_single_data cpu_cur_csd;
        int flags = READ_ONCE(csd, __call_single_node.U_FLAGS);
        long csd_lock_timeout_ns = csd_lock_timeout * 1_000_000L;

        if ((flags & CSD_FLAG_LOCK) == 0) {
            if (st.bug_id == 0) {
                return true;
            }
            cpu = csd_lock_wait_getcpu(csd);
            // pr_alert("csd: CSD lock (#%d) got unstuck on CPU#%02d, CPU#%02d released the lock.\n", ..., cpu)
            atomic_dec(g.n_csd_lock_stuck);
            return true;
        }

        ts2 = ktime_get_mono_fast_ns();
        /* How long since we last checked for a stuck CSD lock.*/
        ts_delta = ts2 - st.ts1;
        if (ts_delta <= csd_lock_timeout_ns * (st.nmessages + 1)
                * (st.nmessages == 0 ? 1 : (ilog2(num_online_cpus()) / 2 + 1))
                || csd_lock_timeout_ns == 0) {
            return false;
        }

        if (ts0 > ts2) {
            /* Our own sched_clock went backward; don't blame another CPU. */
            ts_delta = ts0 - ts2;
            // pr_alert("sched_clock on CPU %d went backward by %llu ns\n", raw_smp_processor_id(), ts_delta)
            st.ts1 = ts2;
            return false;
        }

        firsttime = st.bug_id == 0;
        if (firsttime) {
            st.bug_id = atomic_inc_return(g.csd_bug_count);
        }
        cpu = csd_lock_wait_getcpu(csd);
        if (WARN_ONCE(cpu < 0 || cpu >= nr_cpu_ids, "csd_lock_wait_toolong: cpu = ", cpu)) {
            cpux = 0;
        } else {
            cpux = cpu;
        }
        per_cpu_data t = pcpu.get(cpux);
        if (cfg.is(Variant.M000_READER_ONCE)) {
            cpu_cur_csd = READ_ONCE(t, per_cpu_data.CUR_CSD);          // M0c: no acquire
        } else {
            /*
             * Pairs with smp_store_release() of cur_csd in __csd_lock_record() (seed 000; before it,
             * "Before func and info."): a non-NULL cur_csd implies the matching cur_csd_func/info.
             */
            cpu_cur_csd = smp_load_acquire(t, per_cpu_data.CUR_CSD);
        }
        /* How long since this CSD lock was stuck. */
        ts_delta = ts2 - ts0;
        // pr_alert("csd: %s non-responsive CSD lock (#%d) on CPU#%d, waiting %lld ns for CPU#%02d %pS(%ps).\n",
        //          ..., cpu, csd->func, csd->info): the plain reads of the print
        smp_call_func_t pf = csd.func;
        Object pi = csd.info;
        st.nmessages++;
        if (firsttime) {
            atomic_inc(g.n_csd_lock_stuck);
        }
        // BUG_ON(panic_on_ipistall > 0 && ...): panic_on_ipistall is 0
        boolean prior = cpu_cur_csd != null && csd != cpu_cur_csd;
        if (prior) {
            // pr_alert("\tcsd: CSD lock (#%d) handling prior %pS(%ps) request.\n", *bug_id,
            //          READ_ONCE(per_cpu(cur_csd_func, cpux)), READ_ONCE(per_cpu(cur_csd_info, cpux)))
            smp_call_func_t cf = READ_ONCE(t, per_cpu_data.CUR_CSD_FUNC);
            Object ci = READ_ONCE(t, per_cpu_data.CUR_CSD_INFO);
        }
        // else pr_alert("\tcsd: CSD lock (#%d) %s.\n", !cpu_cur_csd ? "unresponsive" : "handling this request")
        mon.toolong(prior);
        if (cpu >= 0) {
            if (atomic_cmpxchg_acquire(pcpu.get(cpu).trigger_backtrace, 1, 0) != 0) {
                dump_cpu_task(cpu);
            }
            if (cpu_cur_csd == null) {
                // pr_alert("csd: Re-sending CSD lock (#%d) IPI from CPU#%02d to CPU#%02d\n")
                arch_send_call_function_single_ipi(cpu);
            }
        }
        // if (firsttime) dump_stack();
        st.ts1 = ts2;
        return false;
    }

    /** WARN_ONCE(cond, "%s: cpu = %d\n", __func__, cpu): warns the first time cond holds; returns cond. */
    @Mirrors(value = "WARN_ONCE", file = "include/asm-generic/bug.h")
    private boolean WARN_ONCE(boolean cond, String fmt, int arg) {
        if (cond && !toolong_cpu_warned) {
            toolong_cpu_warned = true;
            mon.warn(fmt + arg);
        }
        return cond;
    }

    /** ilog2(). */
    @Mirrors(value = "ilog2", file = "include/linux/log2.h")
    private static long ilog2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    /** dump_cpu_task(): prints the target's stack (no memory traffic in this model). */
    @Mirrors(value = "dump_cpu_task", file = "kernel/sched/core.c")
    private void dump_cpu_task(int cpu) {
    }

    /** The locals of __csd_lock_wait() that csd_lock_wait_toolong() updates through pointers (ts1, bug_id, nmessages). */
    private static final class WaitState {
        long nmessages;
        int bug_id;
        long ts1;
    }

    /** __csd_lock_wait(): the debug wait loop, with guard(preempt)() of the 2026 baseline. */
    @Mirrors(value = "__csd_lock_wait", lines = "327-342")
    private void __csd_lock_wait(call_single_data csd) {
        WaitState st = new WaitState();
        long ts0;

        preempt_disable();                          // guard(preempt)()
        ts0 = ktime_get_mono_fast_ns();
        st.ts1 = ts0;
        for (;;) {
            if (csd_lock_wait_toolong(csd, ts0, st)) {
                break;
            }
            m.spin("__csd_lock_wait", mon.waitHint(csd));
            cpu_relax();
        }
        m.spinDone();
        smp_acquire__after_ctrl_dep();
        preempt_enable();                           // end of guard(preempt)()
    }

    /** csd_lock_wait(). */
    @Mirrors(value = "csd_lock_wait", lines = "344-352")
    private void csd_lock_wait(call_single_data csd) {
        if (CONFIG_CSD_LOCK_WAIT_DEBUG && csdlock_debug_enabled) {
            __csd_lock_wait(csd);
            return;
        }
        smp_cond_load_acquire(csd, __call_single_node.U_FLAGS, VAL -> {
            if ((VAL & CSD_FLAG_LOCK) == 0) {
                return true;
            }
            m.spin("csd_lock_wait", mon.waitHint(csd)); // simulator bookkeeping: who waits for whom
            return false;
        });
        m.spinDone();
    }

    /** csd_lock(): seed 001 makes the debug path a try_cmpxchg_acquire loop. */
    @Mirrors(value = "csd_lock", hunks = {"001:-342,6", "001:-354,8"}, lines = "364-375") // -342: the !CONFIG __csd_lock_wait() stub its debug branch calls
    private void csd_lock(call_single_data csd) {
        if (Patch.P001.applied(cfg) && CONFIG_CSD_LOCK_WAIT_DEBUG && csdlock_debug_enabled
                && !cfg.is(Variant.M001_PLAIN_RMW_IN_DEBUG)) {
            IntOld flags = new IntOld(0);
            for (;;) {
                __csd_lock_wait(csd);
                flags.v = READ_ONCE(csd, __call_single_node.U_FLAGS);
                if ((flags.v & CSD_FLAG_LOCK) == 0
                        && try_cmpxchg_acquire(csd, __call_single_node.U_FLAGS, flags, flags.v | CSD_FLAG_LOCK)) {
                    break;
                }
                if (cfg.is(Variant.M001_SINGLE_CAS_ATTEMPT)) {
                    break;                          // mutant: carries on after one failed attempt
                }
            }
        } else {
            csd_lock_wait(csd);
            csd.u_flags |= CSD_FLAG_LOCK;
        }
        mon.acquired(csd);

        /*
         * prevent CPU from reordering the above assignment
         * to ->flags with any subsequent assignments to other
         * fields of the specified call_single_data_t structure:
         */
        smp_wmb();
    }

    /** csd_unlock(). */
    @Mirrors(value = "csd_unlock", lines = "377-385")
    private void csd_unlock(call_single_data csd) {
        if ((csd.u_flags & CSD_FLAG_LOCK) == 0) {   // WARN_ON(!(csd->node.u_flags & CSD_FLAG_LOCK))
            mon.warn("csd_unlock of an unlocked CSD");
        }
        mon.released(csd);
        /*
         * ensure we're all done before releasing data:
         */
        smp_store_release(csd, __call_single_node.U_FLAGS, 0);
    }

    /** get_single_csd_data() of b0473dcd4b1d: the destination's CSD with the debug key on. */
    @Mirrors(value = "get_single_csd_data", lines = "390-395")
    private call_single_data get_single_csd_data(int cpu) {
        if ((CONFIG_CSD_LOCK_WAIT_DEBUG && csdlock_debug_enabled) || cfg.is(Variant.M001_DEST_CSD_NONDEBUG)) {
            if (cpu < 0 || cpu >= nr_cpu_ids) {
                // per_cpu_ptr(&csd_data, cpu) past nr_cpu_ids is out of bounds in the kernel: the model says so
                mon.warn("get_single_csd_data: per_cpu_ptr(&csd_data, " + cpu + ") past nr_cpu_ids");
                return this_cpu_ptr().csd_data;
            }
            return pcpu.get(cpu).csd_data;          // per_cpu_ptr(&csd_data, cpu)
        }
        return this_cpu_ptr().csd_data;             // this_cpu_ptr(&csd_data)
    }

    /** __smp_call_single_queue(). */
    @Mirrors(value = "__smp_call_single_queue", lines = "403-437")
    public void __smp_call_single_queue(int cpu, __call_single_node node) {
        /*
         * The list addition should be visible to the target CPU when it pops
         * the head of the list to pull the entry off it in the IPI handler
         * because of normal cache coherency rules implied by the underlying
         * llist ops.
         */
        mon.beforeEnqueue(node, cpu);
        boolean first = llist_add(node, pcpu.get(cpu).call_single_queue);
        mon.afterEnqueue(node);
        if (cfg.is(Variant.M002_IPI_ONLY_IF_QUEUED) ? !first : first) {
            send_call_function_single_ipi(cpu);
        }
    }

    /** generic_exec_single(): the caller has preemption disabled; seed 004 comments why. */
    @Mirrors(value = "generic_exec_single", hunks = {"004:-418,6"}, lines = "444-476")
    private int generic_exec_single(int cpu, call_single_data csd) {
        /*
         * Preemption already disabled here so stopper cannot run on this CPU,
         * ensuring mutually exclusive CPU offlining and last IPI flush.
         */
        if (cpu == smp_processor_id()) {
            smp_call_func_t func = csd.func;
            Object info = csd.info;
            boolean flags;

            /*
             * We can unlock early even for the synchronous on-stack case,
             * since we're doing this from the same CPU..
             */
            csd_lock_record(csd);
            csd_unlock(csd);
            flags = local_irq_save();
            csd_do_func(func, info, null);
            csd_lock_record(null);
            local_irq_restore(flags);
            return 0;
        }

        if (cpu < 0 || cpu >= nr_cpu_ids
                || !cfg.is(Variant.M004_ONLINE_CHECK_OUTSIDE_PINNED) && !cpu_online(cpu)) { // 004 mutant: the caller checked, preemptible
            csd_unlock(csd);
            mon.enxio();
            return -ENXIO;
        }

        __smp_call_single_queue(cpu, csd);

        return 0;
    }

    /** generic_smp_call_function_single_interrupt(): the IPI handler. */
    @Mirrors(value = "generic_smp_call_function_single_interrupt", lines = "484-487")
    public void generic_smp_call_function_single_interrupt() {
        int cpu = smp_processor_id();
        TraceHooks.flush_begin(cpu, 0);
        __flush_smp_call_function_queue(true);
        TraceHooks.flush_end(cpu);
    }

    /** __flush_smp_call_function_queue(): SYNC pass, then the rest (ASYNC unlocks before the call). */
    @Mirrors(value = "__flush_smp_call_function_queue", hunks = {"002:-297,6"}, lines = "503-618")
    private void __flush_smp_call_function_queue(boolean warn_cpu_offline) {
        __call_single_node csd;                     // llist_for_each_entry_safe(csd, ...): SYNC/ASYNC are call_single_data
        __call_single_node csd_next;
        LlistNode entry;
        LlistNode prev;
        int cpu = smp_processor_id();
        per_cpu_data p = this_cpu_ptr();

        // lockdep_assert_irqs_disabled();
        if (!irqs_disabled()) {
            mon.warn("__flush_smp_call_function_queue with IRQs on");
        }
        m.setInFlush(cpu, true);
        m.flushStart(cpu);

        /* Allow waiters to send backtrace NMI from here onwards */
        atomic_set_release(p.trigger_backtrace, 1);

        entry = llist_del_all(p.call_single_queue);
        mon.dequeuedAll(entry);
        entry = llist_reverse_order(entry);

        /* There shouldn't be any pending callbacks on an offline CPU. */
        if (warn_cpu_offline && !cpu_online(cpu) && g.warned == 0 && entry != null) {
            g.warned = 1;
            mon.warn("IPI on offline CPU " + cpu);
            for (LlistNode n = entry; n != null; n = n.next) {
                m.flushIteration(cpu);
                Sched.point();
                __call_single_node c = (__call_single_node) n;
                int type = CSD_TYPE(c);
                if (type == CSD_TYPE_ASYNC || type == CSD_TYPE_SYNC) {
                    smp_call_func_t f = ((call_single_data) c).func;     // pr_warn("IPI callback %pS sent to offline CPU\n", csd->func)
                    if (f == null) {
                        mon.warn("NULL callback");
                    }
                }
            }
        }

        /*
         * First; run all SYNC callbacks, people are waiting for us.
         */
        prev = null;
        for (csd = (__call_single_node) entry; csd != null; csd = csd_next) {
            csd_next = (__call_single_node) csd.next;        // llist_for_each_entry_safe
            m.flushIteration(cpu);
            Sched.point();
            /* Do we wait until *after* callback? */
            if (CSD_TYPE(csd) == CSD_TYPE_SYNC) {
                call_single_data sync = (call_single_data) csd;
                smp_call_func_t func = sync.func;
                Object info = sync.info;

                if (prev != null) {
                    prev.next = csd_next;
                } else {
                    entry = csd_next;
                }

                csd_lock_record(sync);
                if (cfg.is(Variant.M000_SYNC_UNLOCK_BEFORE_FUNC)) { csd_unlock(sync); } csd_do_func(func, info, sync); // mutant: unlock first
                if (!cfg.is(Variant.M000_SYNC_UNLOCK_BEFORE_FUNC)) { csd_unlock(sync); }
                csd_lock_record(null);
            } else {
                prev = csd;
            }
        }

        if (entry == null) {
            m.setInFlush(cpu, false);
            return;
        }

        /*
         * Second; run all !SYNC callbacks.
         */
        prev = null;
        for (csd = (__call_single_node) entry; csd != null; csd = csd_next) {
            csd_next = (__call_single_node) csd.next;
            m.flushIteration(cpu);
            Sched.point();
            int type = CSD_TYPE(csd);

            if (type != CSD_TYPE_TTWU) {
                if (prev != null) {
                    prev.next = csd_next;
                } else {
                    entry = csd_next;
                }

                if (type == CSD_TYPE_ASYNC) {
                    call_single_data async = (call_single_data) csd;
                    smp_call_func_t func = async.func;
                    Object info = async.info;

                    csd_lock_record(async);
                    csd_unlock(async);
                    if (Patch.P002.applied(cfg) && !cfg.is(Variant.M002_NO_MB_IN_FLUSH)) {
                        /*
                         * Ensures any LOAD of func() will be after
                         * the above UNLOCK, this guarantees that
                         * func() will observe any state prior
                         * to _async() returning -EBUSY.
                         */
                        smp_mb();
                    }
                    csd_do_func(func, info, async);
                    csd_lock_record(null);
                } else if (type == CSD_TYPE_IRQ_WORK) {
                    IrqWork.irq_work_single((irq_work) csd);
                }
            } else {
                prev = csd;
            }
        }

        /*
         * Third; only CSD_TYPE_TTWU is left, issue those.
         */
        if (entry != null) {
            if (ttwu == null) {
                mon.warn("TTWU node on call_single_queue without the scheduler's wake-up model");
            } else {
                ttwu.sched_ttwu_pending(entry);    // csd_do_func(sched_ttwu_pending, entry, csd)
            }
        }
        m.setInFlush(cpu, false);
    }

    /** flush_smp_call_function_queue(): idle / migration-thread path. */
    @Mirrors(value = "flush_smp_call_function_queue", lines = "633-649")
    public void flush_smp_call_function_queue() {
        boolean flags;

        if (llist_empty(this_cpu_ptr().call_single_queue)) {
            return;
        }

        flags = local_irq_save();
        int cpu = smp_processor_id();
        TraceHooks.flush_begin(cpu, 1);
        __flush_smp_call_function_queue(true);
        TraceHooks.flush_end(cpu);
        // do_softirq_post_smp_call_flush(): no softirqs in this model
        local_irq_restore(flags);
    }

    /**
     * __smp_call_function_single() of the 2026 baseline: smp_call_function_single() and, with a mask,
     * smp_call_function_any(). Seed 004 comments the get_cpu(); the pre-series shape (003 pre-series)
     * waits before put_cpu().
     */
    @Mirrors(value = "smp_call_function_single", hunks = {"004:-640,6"}, lines = "651-721")
    private int __smp_call_function_single(int cpu, smp_call_func_t func, Object info, cpumask mask, boolean wait) {
        call_single_data csd;
        call_single_data csd_stack = new call_single_data(CSD_FLAG_LOCK | CSD_TYPE_SYNC);
        int this_cpu;
        int err;

        TraceHooks.kobj_role(csd_stack, Role.STACK_CSD, -1, current().pid);
        if (cfg.is(Variant.M004_ONLINE_CHECK_OUTSIDE_PINNED)) {
            // mutant: the online check is done while still preemptible
            if (cpu != smp_processor_id() && !cpu_online(cpu)) {
                mon.enxio();
                TraceHooks.kobj_returned(csd_stack);
                return -ENXIO;
            }
        }

        /*
         * Prevent preemption and reschedule on another CPU, as well as CPU
         * removal. This prevents stopper from running on this CPU, thus
         * providing mutual exclusion of the below cpu_online() check and
         * IPI sending ensuring IPI are not missed by CPU going offline.
         */
        this_cpu = get_cpu();

        if (mask != null) {
            /* Try for same CPU (cheapest) */
            if (!cpumask_test_cpu(this_cpu, mask)) {
                // sched_numa_find_nth_cpu(mask, 0, cpu_to_node(this_cpu)), !NUMA: the first online CPU of mask
                cpu = cpumask.cpumask_nth_and(0, mask, g.cpu_online_mask, nr_cpu_ids);
            } else {
                cpu = this_cpu;
            }
        }

        /*
         * Can deadlock when called with interrupts disabled.
         * We allow cpu's that are not yet online though, as no one else can
         * send smp call function interrupt to this cpu and as such deadlocks
         * can't happen.
         */
        if (cpu_online(this_cpu) && irqs_disabled()) {   // WARN_ON_ONCE(... && !oops_in_progress)
            mon.warn("smp_call_function_single with IRQs off");
        }
        warn_on_not_in_task();

        csd = csd_stack;
        mon.acquired(csd_stack);                    // the on-stack CSD starts LOCKed: owned by us
        if (!wait) {
            mon.released(csd_stack);
            csd = get_single_csd_data(cpu);
            csd_lock(csd);
        }

        csd.func = func;
        csd.info = info;
        if (CONFIG_CSD_LOCK_WAIT_DEBUG) {
            csd.src = this_cpu;
            csd.dst = cpu;
        }

        err = generic_exec_single(cpu, csd);
        if (err == 0) {
            mon.expect(info);
        }

        if (!cfg.is(Variant.M003_PRE_SERIES)) {
            /*
             * @csd is stack-allocated when @wait is true. No concurrent access
             * except from the IPI completion path, so we can re-enable preemption
             * early to reduce latency.
             */
            put_cpu();
            if (wait) {
                csd_lock_wait(csd);
            }
        } else {
            // 003 pre-series: wait with preemption still disabled
            if (wait) {
                csd_lock_wait(csd);
            }
            put_cpu();
        }

        TraceHooks.kobj_returned(csd_stack);        // the frame holding csd_stack returns
        return err;
    }

    /** smp_call_function_single(). */
    @Mirrors(value = "smp_call_function_single", lines = "732-735")
    public int smp_call_function_single(int cpu, smp_call_func_t func, Object info, boolean wait) {
        return __smp_call_function_single(cpu, func, info, null, wait);
    }

    /** smp_call_function_any(). */
    @Mirrors(value = "smp_call_function_any", lines = "797-801")
    public int smp_call_function_any(cpumask mask, smp_call_func_t func, Object info, boolean wait) {
        return __smp_call_function_single(-1, func, info, mask, wait);
    }

    /** smp_call_function_single_async(): seed 002 makes the test-and-set a cmpxchg. */
    @Mirrors(value = "smp_call_function_single_async", hunks = {"002:-397,16", "002:-414,13"}, lines = "761-781")
    public int smp_call_function_single_async(int cpu, call_single_data csd) {
        int err = 0;

        preempt_disable();

        if (Patch.P002.applied(cfg)) {
            /*
             * We still need RELEASE like semantics, even when the cmpxchg() fails.
             * Pairs with the smp_mb() in flush_smp_call_function_queue().
             */
            if (!cfg.is(Variant.M002_NO_MB_BEFORE_ATOMIC)) {
                smp_mb__before_atomic();
            }
            if (cmpxchg_relaxed(csd, __call_single_node.U_FLAGS, 0, CSD_FLAG_LOCK) != 0
                    && !cfg.is(Variant.M002_ENQUEUE_ON_FAILED_CAS)) {
                err = -EBUSY;
                mon.ebusy();
                preempt_enable();
                return err;
            }
            mon.acquired(csd);
            /* ctrl-dep orders later stores */
        } else {
            if ((csd.u_flags & CSD_FLAG_LOCK) != 0) {
                err = -EBUSY;
                mon.ebusy();
                preempt_enable();                   // out:
                return err;
            }

            csd.u_flags = CSD_FLAG_LOCK;
            mon.acquired(csd);
            smp_wmb();
        }

        err = generic_exec_single(cpu, csd);

        preempt_enable();                           // out:

        return err;
    }

    /** smp_task_ipi_mask(): the task-local wait mask (CONFIG_PREEMPTION), NULL for init/idle tasks. */
    @Mirrors(value = "smp_task_ipi_mask", lines = "828-839")
    private cpumask smp_task_ipi_mask(task_struct cur) {
        if (cfg.is(Variant.M003_WAIT_ON_PERCPU_MASK) || cfg.is(Variant.M003_PRE_SERIES)) {
            return null;                            // mutant / pre-series: wait over the per-CPU cfd->cpumask
        }
        return cur.ipi_mask_ptr;
    }

    /** current. */
    @Mirrors(value = "current", file = "arch/x86/include/asm/current.h")
    private task_struct current() {
        return Machine.current().ts;
    }

    /** smp_call_function_many_cond(): seed 003 moves preemption control inside and re-enables it before the wait. */
    @Mirrors(value = "smp_call_function_many_cond", hunks = {"003:-858,15", "003:-952,6"}, lines = "856-975")
    private void smp_call_function_many_cond(cpumask mask, smp_call_func_t func, Object info, int scf_flags,
                                             smp_cond_func_t cond_func) {
        cpumask cpumask;
        cpumask task_mask;
        boolean wait = (scf_flags & SCF_WAIT) != 0;
        call_function_data cfd;
        int cpu;
        int last_cpu = -1;
        int this_cpu;
        boolean run_remote = false;
        int nr_cpus = 0;

        if (Patch.P003.applied(cfg)) {
            this_cpu = get_cpu();
        } else {
            this_cpu = smp_processor_id();          // seed 003's pre-image: the caller pins
            lockdep_assert_preemption_disabled();
        }
        cfd = pcpu.get(this_cpu).cfd_data;          // this_cpu_ptr(&cfd_data)
        task_mask = smp_task_ipi_mask(current());
        if (task_mask != null) {
            cpumask = task_mask;
        } else {
            cpumask = cfd.cpumask;
        }

        /*
         * Can deadlock when called with interrupts disabled.
         * We allow cpu's that are not yet online though, as no one else can
         * send smp call function interrupt to this cpu and as such deadlocks
         * can't happen.
         */
        if (cpu_online(this_cpu)) {                 // && !oops_in_progress && !early_boot_irqs_disabled
            lockdep_assert_irqs_enabled();
        }

        /*
         * When @wait we can deadlock when we interrupt between llist_add() and
         * arch_send_call_function_ipi*(); when !@wait we can deadlock due to
         * csd_lock() on because the interrupt context uses the same csd
         * storage.
         */
        warn_on_not_in_task();

        /* Check if we need remote execution, i.e., any CPU excluding this one. */
        if (cpumask_any_and_but(mask, g.cpu_online_mask, this_cpu, nr_cpu_ids) < nr_cpu_ids) {
            cpumask_and(cpumask, mask, g.cpu_online_mask);
            __cpumask_clear_cpu(this_cpu, cpumask);
            if (cpumask == cfd.cpumask) {
                mon.maskWrite(cpumask);
            }

            cpumask_clear(cfd.cpumask_ipi);
            mon.maskWrite(cfd.cpumask_ipi);
            if (cfg.is(Variant.M003_PUT_CPU_BEFORE_LOCK)) {
                put_cpu();                          // mutant (d2): the acquisitions below are preemptible
            }
            for (cpu = for_each_cpu_next(-1, cpumask); cpu < nr_cpu_ids; cpu = for_each_cpu_next(cpu, cpumask)) {
                call_single_data csd = cfd.csd[cpu];  // per_cpu_ptr(cfd->csd, cpu)

                if (cond_func != null && !cond_func.test(cpu, info)) {
                    __cpumask_clear_cpu(cpu, cpumask);
                    continue;
                }

                /* Work is enqueued on a remote CPU. */
                run_remote = true;

                csd_lock(csd);
                if (wait) {
                    csd.u_flags |= CSD_TYPE_SYNC;
                }
                csd.func = func;
                csd.info = info;
                if (CONFIG_CSD_LOCK_WAIT_DEBUG) {
                    csd.src = this_cpu;
                    csd.dst = cpu;
                }
                mon.expect(info);

                /*
                 * Kick the remote CPU if this is the first work
                 * item enqueued.
                 */
                mon.beforeEnqueue(csd, cpu);
                boolean first = llist_add(csd, pcpu.get(cpu).call_single_queue);
                mon.afterEnqueue(csd);
                if (first) {
                    __cpumask_set_cpu(cpu, cfd.cpumask_ipi);
                    mon.maskWrite(cfd.cpumask_ipi);
                    nr_cpus++;
                    last_cpu = cpu;
                }
            }

            if (cfg.is(Variant.M003_PUT_CPU_BEFORE_SEND)) {
                put_cpu();                          // mutant (d1): cpumask_ipi is read after a preemption point
            }

            /*
             * Choose the most efficient way to send an IPI. Note that the
             * number of CPUs might be zero due to concurrent changes to the
             * provided mask.
             */
            if (nr_cpus == 1) {
                send_call_function_single_ipi(last_cpu);
            } else if (nr_cpus > 1) {
                mon.maskRead(cfd.cpumask_ipi, null);
                send_call_function_ipi_mask(cfd.cpumask_ipi);
            }
        } else if (cfg.is(Variant.M003_PUT_CPU_BEFORE_LOCK) || cfg.is(Variant.M003_PUT_CPU_BEFORE_SEND)) {
            put_cpu();                              // the mutants' put_cpu() on the no-remote path
        }

        /* Check if we need local execution. */
        if ((scf_flags & SCF_RUN_LOCAL) != 0 && cpumask_test_cpu(this_cpu, mask)
                && (cond_func == null || cond_func.test(this_cpu, info))) {
            boolean flags;

            mon.expect(info);
            flags = local_irq_save();
            csd_do_func(func, info, null);
            local_irq_restore(flags);
        }

        if (Patch.P003.applied(cfg) && !cfg.is(Variant.M003_PUT_CPU_BEFORE_LOCK) && !cfg.is(Variant.M003_PUT_CPU_BEFORE_SEND)) {
            /*
             * The IPI work has been queued and dispatched. On PREEMPT kernels,
             * tasks created through dup_task_struct() have task-local wait masks.
             * The boot init_task can fall back to cfd->cpumask when the mask is
             * not inlined, but other tasks still use task-local masks and cannot
             * overwrite it. On !PREEMPT kernels, preempt_enable() cannot schedule
             * another task, so the per-CPU mask remains protected.
             */
            put_cpu();
        }

        if (run_remote && wait) {
            for (cpu = for_each_cpu_next(-1, cpumask); cpu < nr_cpu_ids; cpu = for_each_cpu_next(cpu, cpumask)) {
                call_single_data csd;

                if (cpumask == cfd.cpumask) {
                    mon.maskRead(cpumask, null);
                }
                csd = cfd.csd[cpu];                 // per_cpu_ptr(cfd->csd, cpu)
                if (m.cpuDeadOrFlushed(this_cpu)) {
                    mon.path("wait on an offline CPU's cfd->csd");
                }
                csd_lock_wait(csd);
            }
        }
        // Seed 003's shape: one get_cpu(), one put_cpu() (not the baseline's extra "if (!task_mask) put_cpu()").
        // cfd_data[this_cpu].csd[*] stay allocated: the 2026 smpcfd_dead_cpu() no longer frees them (see there).
    }

    /** smp_call_function_many(); seed 003 drops "Preemption must be disabled" from its kernel-doc. */
    @Mirrors(value = "smp_call_function_many", hunks = {"003:-964,15"}, lines = "991-995")
    public void smp_call_function_many(cpumask mask, smp_call_func_t func, Object info, boolean wait) {
        smp_call_function_many_cond(mask, func, info, wait ? SCF_WAIT : 0, null);
    }

    /** smp_call_function(): all other online CPUs (003 pre-series: wrapped in preempt_disable/enable). */
    @Mirrors(value = "smp_call_function", lines = "1011-1015")
    public void smp_call_function(smp_call_func_t func, Object info, boolean wait) {
        if (cfg.is(Variant.M003_PRE_SERIES)) {
            preempt_disable();
        }
        smp_call_function_many_cond(g.cpu_online_mask, func, info, wait ? SCF_WAIT : 0, null);
        if (cfg.is(Variant.M003_PRE_SERIES)) {
            preempt_enable();
        }
    }

    /** on_each_cpu_cond_mask() (003 pre-series: wrapped in preempt_disable/enable). */
    @Mirrors(value = "on_each_cpu_cond_mask", lines = "1129-1138")
    public void on_each_cpu_cond_mask(smp_cond_func_t cond_func, smp_call_func_t func, Object info, boolean wait,
                                      cpumask mask) {
        int scf_flags = SCF_RUN_LOCAL;

        if (wait) {
            scf_flags |= SCF_WAIT;
        }

        if (cfg.is(Variant.M003_PRE_SERIES)) {
            preempt_disable();
        }
        smp_call_function_many_cond(mask, func, info, scf_flags, cond_func);
        if (cfg.is(Variant.M003_PRE_SERIES)) {
            preempt_enable();
        }
    }
}

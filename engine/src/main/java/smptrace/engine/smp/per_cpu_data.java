package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;
import smptrace.kernel.LlistHead;
import smptrace.kernel.PtrField;
import smptrace.kernel.SpinLock;

/**
 * The per-CPU variables of kernel/smp.c for one CPU, gathered in one object:
 * {@code call_single_queue}, {@code csd_data}, {@code cfd_data}, {@code trigger_backtrace}, and the
 * CSD_LOCK_WAIT_DEBUG diagnostics {@code cur_csd}, {@code cur_csd_func}, {@code cur_csd_info}.
 * {@code rq_lock} is the runqueue lock of kernel/sched (rq->__lock), taken at context switches.
 */
public final class per_cpu_data extends KernelObject {
    public static final PtrField<call_single_data> CUR_CSD = PtrField.of(MethodHandles.lookup(), per_cpu_data.class, "cur_csd", call_single_data.class);
    public static final PtrField<smp_call_func_t> CUR_CSD_FUNC = PtrField.of(MethodHandles.lookup(), per_cpu_data.class, "cur_csd_func", smp_call_func_t.class);
    public static final PtrField<Object> CUR_CSD_INFO = PtrField.of(MethodHandles.lookup(), per_cpu_data.class, "cur_csd_info", Object.class);

    public final int cpu;
    public final LlistHead call_single_queue;
    public final call_single_data csd_data;
    public final call_function_data cfd_data;
    public final AtomicT trigger_backtrace;
    public final SpinLock rq_lock;
    public call_single_data cur_csd;
    public smp_call_func_t cur_csd_func;
    public Object cur_csd_info;

    public per_cpu_data(int cpu, int nr_cpu_ids) {
        this.cpu = cpu;
        this.call_single_queue = new LlistHead();
        this.csd_data = new call_single_data();
        this.cfd_data = new call_function_data(nr_cpu_ids);
        this.trigger_backtrace = new AtomicT(1);
        this.rq_lock = new SpinLock();
    }
}

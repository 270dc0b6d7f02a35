package smptrace.kernel;

/**
 * What an object is to kernel/smp.c, declared with {@link TraceHooks#kobj_role} when the engine
 * creates it, so that a trace carries roles structurally and no analysis has to parse display
 * names. The codes are part of the trace format ({@code smptrace.trace.ObjectRole} has the same
 * table; a test checks they agree): never renumber, only add.
 */
public enum Role {
    /** per_cpu(call_single_queue, cpu). */
    CALL_SINGLE_QUEUE(1),
    /** per_cpu(csd_data, cpu). */
    CSD_DATA(2),
    /** per_cpu(cfd_data, cpu)->cpumask. */
    CFD_CPUMASK(3),
    /** per_cpu(cfd_data, cpu)->cpumask_ipi. */
    CFD_CPUMASK_IPI(4),
    /** per_cpu_ptr(cfd->csd, index) of source cpu. */
    CFD_CSD(5),
    /** cpu_online_mask. */
    CPU_ONLINE_MASK(6),
    /** task-&gt;ipi_mask_ptr; index: the task's pid. */
    TASK_IPI_MASK(7),
    /** The on-stack CSD of smp_call_function_single(wait); index: the pid of the task whose stack holds it. */
    STACK_CSD(8),
    /** A CSD its caller owns and hands to smp_call_function_single_async(). */
    CALLER_CSD(9),
    /** The per-CPU variables of one CPU (cur_csd, cur_csd_func, cur_csd_info). */
    PER_CPU(10),
    /** per_cpu(trigger_backtrace, cpu). */
    TRIGGER_BACKTRACE(11),
    /** per_cpu(cfd_data, cpu). */
    CFD_DATA(12),
    /** A request's info argument; index: the requesting task's pid (-1: none). */
    REQUEST_INFO(13),
    /** An irq_work node on call_single_queue. */
    IRQ_WORK(14),
    /** A task's wake_entry on call_single_queue; index: the task's pid. */
    TTWU_ENTRY(15);

    public final int code;

    Role(int code) {
        this.code = code;
    }
}

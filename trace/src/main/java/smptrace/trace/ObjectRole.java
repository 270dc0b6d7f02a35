package smptrace.trace;

/**
 * What an object is to kernel/smp.c, declared structurally by the engine when it creates the object
 * (a ROLE event: role, the CPU it belongs to, an index) so that the analyzer never has to parse
 * display names. Codes are part of the trace format (docs/trace-format.md, "Object roles"): never
 * renumber, only add. The engine declares the same codes in {@code smptrace.kernel.Role}; a test
 * checks the two tables agree.
 */
public enum ObjectRole {
    /** per_cpu(call_single_queue, cpu): the llist_head the flush of {@code cpu} drains. */
    CALL_SINGLE_QUEUE(1),
    /** per_cpu(csd_data, cpu): the CSD of smp_call_function_single(!wait). */
    CSD_DATA(2),
    /** per_cpu(cfd_data, cpu)->cpumask: per-CPU scratch (target and, for init_task, wait set). */
    CFD_CPUMASK(3),
    /** per_cpu(cfd_data, cpu)->cpumask_ipi: per-CPU scratch, the CPUs to kick. */
    CFD_CPUMASK_IPI(4),
    /** per_cpu_ptr(per_cpu(cfd_data, cpu)->csd, index): source {@code cpu}'s CSD for destination {@code index}. */
    CFD_CSD(5),
    /** cpu_online_mask. */
    CPU_ONLINE_MASK(6),
    /** A task's IPI wait mask (task-&gt;ipi_mask_ptr); index: the task's pid. */
    TASK_IPI_MASK(7),
    /** The on-stack CSD of smp_call_function_single(wait); index: the pid of the task whose stack holds it. */
    STACK_CSD(8),
    /** A CSD owned by a caller of smp_call_function_single_async() (a driver's INIT_CSD'd CSD). */
    CALLER_CSD(9),
    /** The per-CPU variables of one CPU (cur_csd, cur_csd_func, cur_csd_info live here). */
    PER_CPU(10),
    /** per_cpu(trigger_backtrace, cpu). */
    TRIGGER_BACKTRACE(11),
    /** per_cpu(cfd_data, cpu): the struct call_function_data. */
    CFD_DATA(12),
    /** The info argument of a request: what the callback reads and writes; index: the requesting task's pid (-1: none). */
    REQUEST_INFO(13),
    /** An irq_work queued on call_single_queue (CSD_TYPE_IRQ_WORK node). */
    IRQ_WORK(14),
    /** A task's wake_entry queued on call_single_queue (CSD_TYPE_TTWU node); index: the task's pid. */
    TTWU_ENTRY(15);

    public final int code;

    private static final ObjectRole[] BY_CODE = new ObjectRole[64];

    static {
        for (ObjectRole r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    ObjectRole(int code) {
        this.code = code;
    }

    /** The role with this code, or null if the code is unknown (a newer engine's role). */
    public static ObjectRole ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** A CSD of any kind: per-CPU, cfd, on-stack, caller-owned. */
    public boolean isCsd() {
        return this == CSD_DATA || this == CFD_CSD || this == STACK_CSD || this == CALLER_CSD;
    }
}

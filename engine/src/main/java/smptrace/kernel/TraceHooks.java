package smptrace.kernel;

/**
 * Control events: what the machine model does that is not a memory access but that the analyzer
 * needs (which task runs on which CPU, preemption and IRQ state, IPIs, hotplug, stop_machine,
 * KCSAN annotations). Each method is a no-op here; the agent redirects every call site to its
 * recorder. Arguments are what the event records; the calling thread is the context.
 */
public final class TraceHooks {
    private TraceHooks() { }

    /** A kernel object was allocated (kmalloc, per-CPU setup, an on-stack CSD). */
    public static void kobj_alloc(KernelObject o) { }

    /** Gives an object its kernel name for reports, e.g. "per_cpu(csd_data, 2)". */
    public static void kobj_name(KernelObject o, String name) { }

    /**
     * Gives an object that is not a KernelObject its kernel name: a callback its function's symbol
     * ("scf_handler", as a function pointer's value prints in the kernel), a kernel array its
     * variable ("cfd_data[0].csd"). Every trace that mentions the object carries the name.
     */
    public static void obj_name(Object o, String name) { }

    /**
     * Declares what {@code o} is to kernel/smp.c ({@link Role}), the CPU it belongs to and an index
     * (a cfd CSD's destination, a task's pid; -1 when none). Analyses find queues, scratch masks and
     * CSDs by this, never by name.
     */
    public static void kobj_role(KernelObject o, Role role, int cpu, int index) { }

    /** kfree(o): a heap object (a request's info, a driver's CSD) dies; any later access is a use after free. */
    public static void kfree(KernelObject o) { }

    /** free_percpu(): a per-CPU allocation dies (cfd->csd in the pre-series smpcfd_dead_cpu()). */
    public static void free_percpu(KernelObject o) { }

    /**
     * The function whose stack frame holds {@code o} returns: an on-stack CSD or an on-stack info is
     * dead from here on (KASAN's stack-out-of-scope).
     */
    public static void kobj_returned(KernelObject o) { }

    /** The calling thread now runs task {@code task} on {@code cpu} (switch-in or after migration). */
    public static void task_on_cpu(int task, int cpu) { }

    /** The calling thread's task is switched out of {@code cpu}. */
    public static void task_off_cpu(int task, int cpu) { }

    /** preempt_disable() / get_cpu(): the task's preempt count is now {@code count}. */
    public static void preempt_disable(int count) { }

    /** preempt_enable() / put_cpu(): the task's preempt count is now {@code count}. */
    public static void preempt_enable(int count) { }

    /** local_irq_save() / local_irq_disable() on the current CPU. */
    public static void irq_disable() { }

    /** local_irq_restore() that re-enables IRQs (a restore to "still disabled" records nothing). */
    public static void irq_enable() { }

    /** The calling thread enters an interrupt handler on {@code cpu} (a new context). */
    public static void irq_enter(int cpu) { }

    /** The interrupt handler on {@code cpu} returns to the interrupted context. */
    public static void irq_exit(int cpu) { }

    /** arch_send_call_function_single_ipi / _ipi_mask: one IPI from src to dst. */
    public static void ipi_send(int src, int dst) { }

    /** set_cpu_online(cpu, online). */
    public static void cpu_online(int cpu, boolean online) { }

    /** The stopper of {@code cpu} enters / leaves multi_cpu_stop(). */
    public static void stop_machine_enter(int cpu) { }

    public static void stop_machine_exit(int cpu) { }

    /** __flush_smp_call_function_queue on {@code cpu}; reason 0 IPI, 1 idle, 2 dying. */
    public static void flush_begin(int cpu, int reason) { }

    public static void flush_end(int cpu) { }

    /** The watchdog found {@code cpu} stuck; the run ends here. */
    public static void stuck(int cpu, String reason) { }

    /** data_race(...) opens ({@code true}) or closes. */
    public static void data_race(boolean begin) { }

    /** ASSERT_EXCLUSIVE_WRITER ({@code access == false}) or ASSERT_EXCLUSIVE_ACCESS on (p, f). */
    public static void assert_exclusive(Object p, Field f, boolean access) { }

    /**
     * Batch recording: from here on, record into a new trace at {@code dir} (the current one, if
     * any, is closed complete). {@code header} is "key=value" lines for the new trace's header.
     */
    public static void trace_begin(String dir, String header) { }

    /** Batch recording: close the current trace; record nothing until the next trace_begin. */
    public static void trace_end() { }

    /** A free-form marker a scenario or test places in the trace (e.g. its phase). */
    public static void mark(int code, long arg) { }
}

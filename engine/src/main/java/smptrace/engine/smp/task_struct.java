package smptrace.engine.smp;

import smptrace.kernel.KernelObject;

/**
 * The part of struct task_struct the model needs: the task-local IPI wait mask of the 2026
 * preemption series ({@code ipi_mask_ptr}, allocated in dup_task_struct(); NULL for init/idle
 * tasks, which fall back to {@code cfd->cpumask}). The model keeps ipi_mask_inlined off, so the
 * mask is a separate object.
 */
public final class task_struct extends KernelObject {
    public final int pid;
    public final cpumask ipi_mask_ptr;

    public task_struct(int pid, boolean withIpiMask) {
        this.pid = pid;
        this.ipi_mask_ptr = withIpiMask ? new cpumask() : null;
    }
}

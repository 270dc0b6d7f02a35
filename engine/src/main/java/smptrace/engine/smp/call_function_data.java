package smptrace.engine.smp;

import smptrace.kernel.KernelObject;

/**
 * struct call_function_data, the per-CPU "cfd_data": {@code csd} is the per-CPU array of CSDs
 * this (source) CPU sends with, indexed by the destination CPU ({@code per_cpu_ptr(cfd->csd, cpu)});
 * {@code cpumask} and {@code cpumask_ipi} are per-CPU scratch masks.
 */
public final class call_function_data extends KernelObject {
    public final call_single_data[] csd;
    public final cpumask cpumask;
    public final cpumask cpumask_ipi;

    public call_function_data(int nr_cpu_ids) {
        this.csd = new call_single_data[nr_cpu_ids];
        for (int i = 0; i < nr_cpu_ids; i++) {
            this.csd[i] = new call_single_data();
        }
        this.cpumask = new cpumask();
        this.cpumask_ipi = new cpumask();
    }
}

package smptrace.engine.smp;

import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;

/**
 * Global kernel state the model uses: {@code cpu_online_mask} (and {@code __num_online_cpus}),
 * the debug counters {@code csd_bug_count} and {@code n_csd_lock_stuck}, and the flush's
 * {@code static bool warned}.
 */
public final class smp_globals extends KernelObject {
    public final cpumask cpu_online_mask;
    public final AtomicT __num_online_cpus;
    public final AtomicT csd_bug_count;
    public final AtomicT n_csd_lock_stuck;
    public int warned;

    public smp_globals(int ncpus) {
        this.cpu_online_mask = new cpumask();
        this.cpu_online_mask.bits = ncpus >= 32 ? -1 : (1 << ncpus) - 1; // boot: every CPU online
        this.__num_online_cpus = new AtomicT(ncpus);
        this.csd_bug_count = new AtomicT(0);
        this.n_csd_lock_stuck = new AtomicT(0);
    }
}

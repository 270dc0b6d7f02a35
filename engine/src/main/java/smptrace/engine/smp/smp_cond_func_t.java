package smptrace.engine.smp;

/** typedef bool (*smp_cond_func_t)(int cpu, void *info). */
public interface smp_cond_func_t {
    boolean test(int cpu, Object info);
}

package smptrace.engine.smp;

/** typedef int (*cpu_stop_fn_t)(void *arg). */
public interface cpu_stop_fn_t {
    int call(Object arg);
}

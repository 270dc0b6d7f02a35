package smptrace.engine.smp;

/** typedef void (*smp_call_func_t)(void *info). Implementations are named singletons (see {@link Callbacks}). */
public interface smp_call_func_t {
    void call(Object info);
}

package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.PtrField;

/** struct __call_single_data / call_single_data_t: {@code node} (the superclass), {@code func}, {@code info}. */
public class call_single_data extends __call_single_node {
    public static final PtrField<smp_call_func_t> FUNC = PtrField.of(MethodHandles.lookup(), call_single_data.class, "func", smp_call_func_t.class);
    public static final PtrField<Object> INFO = PtrField.of(MethodHandles.lookup(), call_single_data.class, "info", Object.class);

    public smp_call_func_t func;
    public Object info;

    public call_single_data() {
    }

    /** The on-stack CSD of smp_call_function_single(wait=1): {@code .node = { .u_flags = CSD_FLAG_LOCK | CSD_TYPE_SYNC }}. */
    public call_single_data(int u_flags) {
        this.u_flags = u_flags;
    }
}

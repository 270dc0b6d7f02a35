package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

/**
 * A driver-like user of smp_call_function_single_async() (seed 002's "pending" pattern): it sets
 * {@code pending}, then kicks the CSD embedded in it; the callback consumes {@code pending}. Two
 * tasks share the one {@code csd} and rely on -EBUSY.
 */
public final class kick_dev extends KernelObject {
    public static final IntField PENDING = IntField.of(MethodHandles.lookup(), kick_dev.class, "pending");

    public int pending;
    public int handled;
    public final call_single_data csd = new call_single_data();
}

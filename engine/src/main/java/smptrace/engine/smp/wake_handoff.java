package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

/**
 * The ttwu scenario's driver state: {@code data}, which the waker writes (plain) before it wakes the sleeper
 * and the sleeper reads (plain) once it runs again, and {@code round}, the sleeper's "I am going to sleep for
 * round N" (a release the waker acquires; it stands for the wait queue a real waker finds the task on).
 */
public final class wake_handoff extends KernelObject {
    public static final IntField ROUND = IntField.of(MethodHandles.lookup(), wake_handoff.class, "round");

    public int data;
    public int round;
}

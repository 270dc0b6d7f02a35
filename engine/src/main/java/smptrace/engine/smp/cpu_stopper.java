package smptrace.engine.smp;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;

/**
 * struct cpu_stopper (kernel/stop_machine.c), reduced to what orders a queued stop work before the
 * stopper runs it: the kernel queues under stopper->lock and the stopper dequeues under it; the model
 * publishes the queued work with a release store of {@code works} that the stopper reads with acquire.
 */
public final class cpu_stopper extends KernelObject {
    public static final IntField WORKS = IntField.of(MethodHandles.lookup(), cpu_stopper.class, "works");

    /** Stop works queued so far (stands for the stopper's work list). */
    public int works;
}

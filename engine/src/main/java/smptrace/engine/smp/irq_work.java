package smptrace.engine.smp;

/**
 * struct irq_work (include/linux/irq_work_types.h): a {@code __call_single_node} whose {@code u_flags}
 * word is the irq_work's atomic {@code a_flags} (IRQ_WORK_PENDING/BUSY in the low bits, CSD_TYPE_IRQ_WORK
 * in the type bits), and the function it runs; {@code func} is called with the work itself.
 */
public final class irq_work extends __call_single_node {
    public static final int IRQ_WORK_PENDING = 1 << 0;
    public static final int IRQ_WORK_BUSY = 1 << 1;
    public static final int IRQ_WORK_CLAIMED = IRQ_WORK_PENDING | IRQ_WORK_BUSY;

    public smp_call_func_t func;
    /** What func works on (the container_of() of a real irq_work user). */
    public Object owner;
}

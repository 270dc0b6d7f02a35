package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;

/**
 * struct task_struct, the fields a remote wake-up through the wakelist uses: the task's {@code wake_entry}
 * (a {@code __call_single_node} whose {@code u_flags} is CSD_TYPE_TTWU from __sched_fork(); the node is this
 * object, container_of is identity as for CSDs), {@code __state}, {@code on_rq} and {@code wake_cpu}.
 */
public final class ttwu_task extends __call_single_node {
    public static final IntField STATE = IntField.of(MethodHandles.lookup(), ttwu_task.class, "__state");
    public static final IntField ON_RQ = IntField.of(MethodHandles.lookup(), ttwu_task.class, "on_rq");

    public static final int TASK_RUNNING = 0x0000;
    public static final int TASK_INTERRUPTIBLE = 0x0001;
    public static final int TASK_WAKING = 0x0200;

    public int __state;
    public int on_rq = 1;
    /** The CPU the task last ran on, where try_to_wake_up() queues it (select_task_rq() keeps it there). */
    public final int wake_cpu;

    public ttwu_task(int wake_cpu) {
        this.wake_cpu = wake_cpu;
        this.u_flags = Smp.CSD_TYPE_TTWU;       // __sched_fork(): p->wake_entry.u_flags = CSD_TYPE_TTWU
    }
}

package smptrace.agent.rt;

import smptrace.kernel.Field;
import smptrace.kernel.KernelObject;
import smptrace.kernel.Sched;
import smptrace.trace.EventKind;

/** Recording twins of {@link smptrace.kernel.TraceHooks}: the control events. */
@SuppressWarnings("unused")
public final class RHooks {
    private RHooks() { }

    public static void kobj_alloc(KernelObject o, int site) {
        Rec.recAlloc(o);
    }

    public static void kobj_name(KernelObject o, String name, int site) {
        Rec.recName(o, name);
    }

    public static void obj_name(Object o, String name, int site) {
        Rec.recObjName(o, name);
    }

    public static void kobj_role(KernelObject o, smptrace.kernel.Role role, int cpu, int index, int site) {
        Rec.recRole(o, role.code, cpu, index, site);
    }

    public static void kfree(KernelObject o, int site) {
        Rec.recFree(o, EventKind.FREE_KFREE, site);
    }

    public static void free_percpu(KernelObject o, int site) {
        Rec.recFree(o, EventKind.FREE_PERCPU, site);
    }

    public static void kobj_returned(KernelObject o, int site) {
        Rec.recFree(o, EventKind.FREE_RETURNED, site);
    }

    public static void task_on_cpu(int task, int cpu, int site) {
        Rec.recArgs(EventKind.TASK_ON_CPU, site, task, cpu, 2);
    }

    public static void task_off_cpu(int task, int cpu, int site) {
        Rec.recArgs(EventKind.TASK_OFF_CPU, site, task, cpu, 2);
    }

    public static void preempt_disable(int count, int site) {
        Rec.recArgs(EventKind.PREEMPT_DISABLE, site, count, 0, 1);
    }

    public static void preempt_enable(int count, int site) {
        Rec.recArgs(EventKind.PREEMPT_ENABLE, site, count, 0, 1);
    }

    public static void irq_disable(int site) {
        Rec.recSimple(EventKind.IRQ_DISABLE, site);
    }

    public static void irq_enable(int site) {
        Rec.recSimple(EventKind.IRQ_ENABLE, site);
    }

    public static void irq_enter(int cpu, int site) {
        Rec.recArgs(EventKind.IRQ_ENTER, site, cpu, 0, 1);
    }

    public static void irq_exit(int cpu, int site) {
        Rec.recArgs(EventKind.IRQ_EXIT, site, cpu, 0, 1);
    }

    public static void ipi_send(int src, int dst, int site) {
        Rec.recArgs(EventKind.IPI_SEND, site, src, dst, 2);
    }

    public static void cpu_online(int cpu, boolean online, int site) {
        Rec.recArgs(EventKind.CPU_ONLINE, site, cpu, online ? 1 : 0, 2);
    }

    public static void stop_machine_enter(int cpu, int site) {
        Rec.recArgs(EventKind.STOP_MACHINE_ENTER, site, cpu, 0, 1);
    }

    public static void stop_machine_exit(int cpu, int site) {
        Rec.recArgs(EventKind.STOP_MACHINE_EXIT, site, cpu, 0, 1);
    }

    public static void flush_begin(int cpu, int reason, int site) {
        Rec.recArgs(EventKind.FLUSH_BEGIN, site, cpu, reason, 2);
    }

    public static void flush_end(int cpu, int site) {
        Rec.recArgs(EventKind.FLUSH_END, site, cpu, 0, 1);
    }

    public static void stuck(int cpu, String reason, int site) {
        Rec.recArgText(EventKind.STUCK, site, cpu, reason);
    }

    public static void data_race(boolean begin, int site) {
        Rec.recSimple(begin ? EventKind.DATA_RACE_BEGIN : EventKind.DATA_RACE_END, site);
    }

    public static void assert_exclusive(Object p, Field f, boolean access, int site) {
        Rec.recLocation(access ? EventKind.ASSERT_EXCLUSIVE_ACCESS : EventKind.ASSERT_EXCLUSIVE_WRITER, site, p, f);
    }

    public static void trace_begin(String dir, String header, int site) {
        Rec.beginTrace(dir, header);
    }

    public static void trace_end(int site) {
        Rec.endTrace();
    }

    public static void mark(int code, long arg, int site) {
        Rec.recArgs(EventKind.MARK, site, code, arg, 2);
    }
}

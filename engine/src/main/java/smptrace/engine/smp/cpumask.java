package smptrace.engine.smp;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.IntField;

/**
 * struct cpumask for at most 32 CPUs: one bitmap word, {@code bits}. The helpers mirror
 * include/linux/cpumask.h: the non-atomic ones (__cpumask_set_cpu, cpumask_and, for_each_cpu's
 * find_next_bit, ...) are plain accesses; set_cpu_online's test_and_set/clear are value-returning
 * atomics (modelled as a cmpxchg loop) and cpu_online()'s test_bit is a READ_ONCE.
 */
public final class cpumask extends smptrace.kernel.KernelObject {
    public static final IntField BITS = IntField.of(MethodHandles.lookup(), cpumask.class, "bits");
    public static final int NR_CPUS = 32;

    public int bits;

    /** cpumask_test_cpu() on a private or scratch mask: a plain read of the word. */
    @smptrace.kernel.Mirrors(value = "cpumask_test_cpu", file = "include/linux/cpumask.h") public static boolean cpumask_test_cpu(int cpu, cpumask m) {
        return ((m.bits >>> cpu) & 1) != 0;
    }

    /** __cpumask_set_cpu(): non-atomic. */
    @smptrace.kernel.Mirrors(value = "__cpumask_set_cpu", file = "include/linux/cpumask.h") public static void __cpumask_set_cpu(int cpu, cpumask m) {
        m.bits |= 1 << cpu;
    }

    /** __cpumask_clear_cpu(): non-atomic. */
    @smptrace.kernel.Mirrors(value = "__cpumask_clear_cpu", file = "include/linux/cpumask.h") public static void __cpumask_clear_cpu(int cpu, cpumask m) {
        m.bits &= ~(1 << cpu);
    }

    /** cpumask_clear(). */
    @smptrace.kernel.Mirrors(value = "cpumask_clear", file = "include/linux/cpumask.h") public static void cpumask_clear(cpumask m) {
        m.bits = 0;
    }

    /** cpumask_and(dst, a, b): plain bitmap_and. */
    @smptrace.kernel.Mirrors(value = "cpumask_and", file = "include/linux/cpumask.h") public static boolean cpumask_and(cpumask dst, cpumask a, cpumask b) {
        int v = a.bits & b.bits;
        dst.bits = v;
        return v != 0;
    }

    /** cpumask_copy(). */
    @smptrace.kernel.Mirrors(value = "cpumask_copy", file = "include/linux/cpumask.h") public static void cpumask_copy(cpumask dst, cpumask src) {
        dst.bits = src.bits;
    }

    /** cpumask_next(n, m): the next set bit after n, or nr_cpu_ids (find_next_bit: plain read). */
    @smptrace.kernel.Mirrors(value = "cpumask_next", file = "include/linux/cpumask.h") public static int cpumask_next(int n, cpumask m, int nr_cpu_ids) {
        int w = m.bits;
        for (int c = n + 1; c < nr_cpu_ids; c++) {
            if (((w >>> c) & 1) != 0) {
                return c;
            }
        }
        return nr_cpu_ids;
    }

    /** cpumask_first(). */
    @smptrace.kernel.Mirrors(value = "cpumask_first", file = "include/linux/cpumask.h") public static int cpumask_first(cpumask m, int nr_cpu_ids) {
        return cpumask_next(-1, m, nr_cpu_ids);
    }

    /** cpumask_nth_and(n, a, b): the n-th CPU (from 0) in a &amp; b, or nr_cpu_ids (plain reads of both masks). */
    @smptrace.kernel.Mirrors(value = "cpumask_nth_and", file = "include/linux/cpumask.h") public static int cpumask_nth_and(int n, cpumask a, cpumask b, int nr_cpu_ids) {
        int w = a.bits & b.bits;
        for (int c = 0; c < nr_cpu_ids; c++) {
            if (((w >>> c) & 1) != 0 && n-- == 0) {
                return c;
            }
        }
        return nr_cpu_ids;
    }

    /** cpumask_any_and_but(mask, and, but): a CPU in mask & and other than but, or nr_cpu_ids. */
    @smptrace.kernel.Mirrors(value = "cpumask_any_and_but", file = "include/linux/cpumask.h") public static int cpumask_any_and_but(cpumask mask, cpumask and, int but, int nr_cpu_ids) {
        int w = mask.bits & and.bits & ~(1 << but);
        for (int c = 0; c < nr_cpu_ids; c++) {
            if (((w >>> c) & 1) != 0) {
                return c;
            }
        }
        return nr_cpu_ids;
    }

    /** cpumask_weight(). */
    @smptrace.kernel.Mirrors(value = "cpumask_weight", file = "include/linux/cpumask.h") public static int cpumask_weight(cpumask m) {
        return Integer.bitCount(m.bits);
    }
}

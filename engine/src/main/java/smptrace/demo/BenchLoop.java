package smptrace.demo;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/**
 * The loop `smptrace bench` times with and without the agent: per iteration two plain accesses
 * and two marked ones on a per-thread object, i.e. four recorded events.
 */
public final class BenchLoop {
    /** Per-thread kernel memory, so threads do not contend (the recorder's cost is what is measured). */
    public static final class Cell extends KernelObject {
        public static final IntField V = IntField.of(MethodHandles.lookup(), Cell.class, "v");
        public int v;
        public int w;
    }

    public static final int EVENTS_PER_ITERATION = 4;

    private BenchLoop() { }

    public static long loop(Cell c, long iterations) {
        long sum = 0;
        for (long i = 0; i < iterations; i++) {
            c.w = (int) i;                      // W_PLAIN
            sum += c.w;                         // R_PLAIN
            WRITE_ONCE(c, Cell.V, (int) i);     // W_ONCE
            sum += READ_ONCE(c, Cell.V);        // R_ONCE
        }
        return sum;
    }
}

package smptrace.demo.agentit;

import smptrace.kernel.TraceHooks;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.atomic_inc;
import static smptrace.kernel.Kernel.atomic_read;
import static smptrace.kernel.Kernel.cmpxchg;

/**
 * N threads hammer K shared cells with marked and plain accesses; every write writes a value that
 * names its thread and iteration, so a test can check each read against the write it claims.
 * Args: threads iterations cells.
 */
public final class Concurrent {
    private Concurrent() { }

    public static int value(int thread, int iteration) {
        return (thread + 1) << 20 | iteration;
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int ncells = Integer.parseInt(args[2]);
        Cell[] cells = new Cell[ncells];
        for (int i = 0; i < ncells; i++) {
            cells[i] = new Cell();
        }
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int me = t;
            ts[t] = new Thread(() -> {
                TraceHooks.task_on_cpu(me, me);
                long sink = 0;
                for (int j = 0; j < iterations; j++) {
                    Cell c = cells[(j * 31 + me * 7) % ncells];
                    switch (j % 6) {
                        case 0: WRITE_ONCE(c, Cell.V, value(me, j)); break;
                        case 1: c.w = value(me, j); break;
                        case 2: sink += READ_ONCE(c, Cell.V); break;
                        case 3: sink += c.w; break;
                        case 4: {
                            int cur = READ_ONCE(c, Cell.V);
                            sink += cmpxchg(c, Cell.V, cur, value(me, j));
                            break;
                        }
                        default: atomic_inc(c.cnt);
                    }
                }
                if (sink == 42) {
                    System.out.print("");
                }
            }, "worker-" + t);
        }
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long incs = 0;
        for (Cell c : cells) {
            incs += atomic_read(c.cnt);
        }
        System.out.println("incs=" + incs);
    }
}

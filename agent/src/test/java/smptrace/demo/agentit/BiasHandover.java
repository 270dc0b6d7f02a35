package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/**
 * The owner-biased shadow lock under its two hard cases (see Rec.lockBiased).
 *
 * <p>{@code contend THREADS ROUNDS}: every thread runs bursts of accesses to one shared cell (a lock kept
 * biased across a burst, then wanted by the others: handed over) and to its own cell (biased for good);
 * every write writes a value naming its thread and iteration. Each thread's last act is a write of the
 * shared cell, so main's final read takes the lock from a thread that has ended.
 *
 * <p>{@code blocked}: a thread writes a cell (its lock now biased to it) and then sleeps in code the agent
 * does not see; another thread reads and writes the cell and must not wait for the sleeper. Prints the
 * value it read and how long its accesses took.
 */
public final class BiasHandover {
    private BiasHandover() { }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("blocked")) {
            blocked();
            return;
        }
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Cell shared = new Cell();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int me = t;
            ts[t] = new Thread(() -> {
                Cell mine = new Cell();
                long sink = 0;
                int j = 0;
                for (int round = 0; round < rounds; round++) {
                    int burst = 1 + (round * 7 + me * 3) % 23;
                    for (int b = 0; b < burst; b++, j++) {
                        switch (j & 3) {
                            case 0: WRITE_ONCE(shared, Cell.V, Concurrent.value(me, j)); break;
                            case 1: sink += READ_ONCE(shared, Cell.V); break;
                            case 2: shared.w = Concurrent.value(me, j); break;
                            default: sink += shared.w;
                        }
                    }
                    for (int b = 0; b < 5; b++, j++) {
                        mine.w = Concurrent.value(me, j);
                        sink += mine.w;
                        WRITE_ONCE(mine, Cell.V, Concurrent.value(me, j));
                    }
                }
                WRITE_ONCE(shared, Cell.V, Concurrent.value(me, j)); // the last act: shared's lock biased to a thread that ends
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
        System.out.println("last=" + READ_ONCE(shared, Cell.V));
    }

    private static void blocked() throws InterruptedException {
        Cell c = new Cell();
        Thread sleeper = new Thread(() -> {
            WRITE_ONCE(c, Cell.V, 1);
            try {
                Thread.sleep(120_000); // not a sync event the agent brackets: the bias stays
            } catch (InterruptedException e) {
                // main wakes it when the other thread is done
            }
        }, "sleeper");
        sleeper.setDaemon(true);
        sleeper.start();
        // wait (unrecorded) until the sleeper has written and sleeps
        while (sleeper.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        int[] seen = new int[1];
        long[] took = new long[1];
        Thread other = new Thread(() -> {
            long t0 = System.nanoTime();
            seen[0] = READ_ONCE(c, Cell.V);
            WRITE_ONCE(c, Cell.V, 2);
            c.w = 3;
            took[0] = System.nanoTime() - t0;
        }, "other");
        other.start();
        other.join(30_000);
        if (other.isAlive()) {
            System.out.println("stalled");
            System.exit(3);
        }
        sleeper.interrupt();
        sleeper.join();
        System.out.println("read=" + seen[0] + " tookMs=" + took[0] / 1_000_000);
    }
}

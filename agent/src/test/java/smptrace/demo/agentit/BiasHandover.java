package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/**
 * The owner-biased shadow lock under its two hard cases (see Rec.lockBiased).
 *
 * <p>{@code contend THREADS ROUNDS}: the threads work in pairs, each pair along its own row of ROUNDS cells.
 * Per cell the leader runs a burst of accesses (the cell's lock biased to it) and then marks the cell done
 * (a long field: the ordinary lock of writeValue meeting the leader's own bias); the follower waits for the
 * mark, reading it while the leader is still at work there (wanting the leader's bias: handed over at the leader's next access, or stolen from a
 * leader that does not come back: preempted, or busy in a local loop, as each thread is in one of every 16
 * bursts), then runs its own burst and marks the cell done too, which the leader waits for before its next cell. After each cell both access their own cell (biased anew at every
 * cell: a bias is dropped when its thread moves on). Every int write writes a value naming its thread and
 * iteration. Each thread's last act is a write of its own final cell, so the lock of every final cell is
 * biased to a thread that has ended when main reads them all (printed as {@code last=V,V,...}).
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
        Cell[][] rows = new Cell[(threads + 1) / 2][rounds];
        Cell[] last = new Cell[threads];
        for (Cell[] row : rows) {
            for (int i = 0; i < rounds; i++) {
                row[i] = new Cell();
            }
        }
        for (int t = 0; t < threads; t++) {
            last[t] = new Cell();
        }
        Thread[] ts = new Thread[threads];
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            final int me = t;
            ts[t] = new Thread(() -> {
                Cell mine = new Cell();
                try {
                    go.await(); // all start together
                } catch (InterruptedException e) {
                    return;
                }
                long sink = 0;
                int j = 0;
                for (int round = 0; round < rounds; round++) {
                    Cell shared = rows[me / 2][round];
                    if ((me & 1) != 0) {
                        while (shared.wide == 0) { // the follower: until the leader is done with the cell
                            Thread.yield();
                        }
                    } else if (round > 0 && me + 1 < threads) {
                        while (rows[me / 2][round - 1].wide != 2) { // the leader: until the follower is done with the last
                            Thread.yield();
                        }
                    }
                    int burst = 1 + (round * 7 + me * 3) % 23;
                    for (int b = 0; b < burst; b++, j++) {
                        if (b == burst / 2 && (round & 15) == (me & 15)) {
                            sink += spin(200_000); // busy in code the agent does not see, its bias held: stolen
                        }
                        switch (j & 3) {
                            case 0: WRITE_ONCE(shared, Cell.V, Concurrent.value(me, j)); break;
                            case 1: sink += READ_ONCE(shared, Cell.V); break;
                            case 2: shared.w = Concurrent.value(me, j); break;
                            default: sink += shared.w;
                        }
                    }
                    shared.wide = 1 + (me & 1); // done with the cell: a long field (writeValue's ordinary lock meets a bias)
                    for (int b = 0; b < 3; b++, j++) {
                        mine.w = Concurrent.value(me, j);
                        sink += mine.w;
                        WRITE_ONCE(mine, Cell.V, Concurrent.value(me, j));
                    }
                }
                WRITE_ONCE(last[me], Cell.V, Concurrent.value(me, j)); // the last act: a lock biased to a thread that ends
                if (sink == 42) {
                    System.out.print("");
                }
            }, "worker-" + t);
        }
        for (Thread t : ts) {
            t.start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        StringBuilder out = new StringBuilder("last=");
        for (int t = 0; t < threads; t++) {
            out.append(t == 0 ? "" : ",").append(READ_ONCE(last[t], Cell.V));
        }
        System.out.println(out);
    }

    /** Local arithmetic only: no recorded access, no scheduling point. */
    private static long spin(int n) {
        long x = n;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
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

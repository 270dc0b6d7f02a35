package userapp;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * 64 threads at once: each does ROUNDS times a counter increment under one shared monitor, a store
 * to its own slot of a shared array and an AtomicInteger increment. The counter's reads and writes
 * are totally ordered by the monitor, so every read must read exactly the write before it.
 */
public final class Many {
    public static final int THREADS = 64;
    public static final int ROUNDS = 200;

    static final class Shared {
        int counter;
    }

    private Many() { }

    public static void main(String[] args) throws InterruptedException {
        Shared s = new Shared();
        Object lock = new Object();
        int[] slots = new int[THREADS];
        AtomicInteger atomic = new AtomicInteger();
        Thread[] ts = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            ts[t] = new Thread(() -> {
                for (int i = 1; i <= ROUNDS; i++) {
                    synchronized (lock) {
                        s.counter++;
                    }
                    slots[me] = i;
                    atomic.incrementAndGet();
                }
            }, "many-" + t);
        }
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        System.out.println("counter=" + s.counter + " atomic=" + atomic.get());
    }
}

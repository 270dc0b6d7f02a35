package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/**
 * The main thread publishes a few setup writes (far less than a block) and then only waits, while
 * N workers read them and record until the JVM is killed: the shape a kill -9 used to reduce to a
 * few dozen events (the setup block was only written at the end). Prints "running" once under way.
 * Args: workers.
 */
public final class SetupThenWork {
    private SetupThenWork() { }

    public static final int SETUP = 50;

    public static void main(String[] args) throws InterruptedException {
        int workers = Integer.parseInt(args[0]);
        Cell[] setup = new Cell[SETUP];
        for (int i = 0; i < SETUP; i++) {
            setup[i] = new Cell();
            WRITE_ONCE(setup[i], Cell.V, i + 1);
        }
        Thread[] ts = new Thread[workers];
        for (int t = 0; t < workers; t++) {
            Cell mine = new Cell();
            ts[t] = new Thread(() -> {
                for (int i = 0; ; i++) {
                    int v = READ_ONCE(setup[i % SETUP], Cell.V);
                    WRITE_ONCE(mine, Cell.V, v + i);
                }
            }, "worker-" + t);
            ts[t].setDaemon(true);
            ts[t].start();
        }
        Thread.sleep(300);
        System.out.println("running");
        System.out.flush();
        ts[0].join();
    }
}

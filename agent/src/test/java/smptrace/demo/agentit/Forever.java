package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/** Two threads record until the JVM is killed; prints "running" once recording is under way. */
public final class Forever {
    private Forever() { }

    public static void main(String[] args) throws InterruptedException {
        Cell c = new Cell();
        Runnable loop = () -> {
            for (int i = 0; ; i++) {
                WRITE_ONCE(c, Cell.V, i);
                c.w = READ_ONCE(c, Cell.V);
            }
        };
        Thread a = new Thread(loop, "a");
        Thread b = new Thread(loop, "b");
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        Thread.sleep(300);
        System.out.println("running");
        System.out.flush();
        a.join();
    }
}

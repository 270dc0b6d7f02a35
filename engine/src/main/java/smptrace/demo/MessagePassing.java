package smptrace.demo;

import smptrace.kernel.TraceHooks;

import static smptrace.kernel.Kernel.cpu_relax;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_store_release;

/**
 * The demo scenario until the smp.c model is recorded: CPU 0 publishes {@code rounds} messages
 * (plain store of the payload, smp_store_release of the flag), CPU 1 waits for each flag with
 * smp_load_acquire and reads the payload plainly. Correct under the LKMM; its trace shows the
 * release/acquire pairs the analyzer builds happens-before from.
 */
public final class MessagePassing {
    private MessagePassing() { }

    /** Runs the demo; returns the sum of the payloads the consumer saw (rounds*(rounds+1)/2 * 7 when correct). */
    public static long run(int rounds) throws InterruptedException {
        Mailbox box = new Mailbox();
        TraceHooks.kobj_name(box, "mailbox");
        long[] seen = new long[1];
        Thread producer = new Thread(() -> {
            TraceHooks.task_on_cpu(1, 0);
            for (int i = 1; i <= rounds; i++) {
                while (smp_load_acquire(box, Mailbox.ACK) != i - 1) {
                    cpu_relax();
                }
                box.data = 7 * i;
                smp_store_release(box, Mailbox.FLAG, i);
            }
        }, "producer@cpu0");
        Thread consumer = new Thread(() -> {
            TraceHooks.task_on_cpu(2, 1);
            long sum = 0;
            for (int i = 1; i <= rounds; i++) {
                while (smp_load_acquire(box, Mailbox.FLAG) != i) {
                    cpu_relax();
                }
                sum += box.data;
                smp_store_release(box, Mailbox.ACK, i);
            }
            seen[0] = sum;
        }, "consumer@cpu1");
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        return seen[0];
    }
}

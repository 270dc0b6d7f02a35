package example;

import org.junit.jupiter.api.Test;
import smptrace.junit.RecordTrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_store_release;

/** Message passing between two Java threads with the kernel primitives: a fixed and a racy version. */
@RecordTrace
public class MessagePassingCases {
    @Test
    void fixed() throws InterruptedException {
        Mailbox m = new Mailbox();
        int[] got = new int[1];
        Thread producer = new Thread(() -> {
            m.data = 42;
            smp_store_release(m, Mailbox.FLAG, 1);
        });
        Thread consumer = new Thread(() -> {
            while (smp_load_acquire(m, Mailbox.FLAG) == 0) {
                Thread.onSpinWait();
            }
            got[0] = m.data;
        });
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        assertEquals(42, got[0]);
    }

    @Test
    void racy() throws InterruptedException {
        Mailbox m = new Mailbox();
        int[] got = new int[1];
        Thread producer = new Thread(() -> {
            m.data = 42;
            WRITE_ONCE(m, Mailbox.FLAG, 1); // no release: the payload is not published
        });
        Thread consumer = new Thread(() -> {
            while (READ_ONCE(m, Mailbox.FLAG) == 0) {
                Thread.onSpinWait();
            }
            got[0] = m.data;
        });
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        assertEquals(42, got[0]); // passes on x86: only the trace shows the bug
    }
}

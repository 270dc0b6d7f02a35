package smptrace.agent.rt;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import org.junit.jupiter.api.Test;

/**
 * A JVM that records many traces (batch mode: thousands of engine runs; the JUnit extension: every test) must
 * not keep its finished threads: RJava maps each Thread weakly to its ThreadRecorder, so the recorder must not
 * reach its thread again (it once did, and 9 000 runs held 6 GB of dead threads' buffers).
 */
class FinishedThreadsAreCollectableTest {

    @Test
    void aFinishedThreadWhoseRecorderIsStillMappedCanBeCollected() throws Exception {
        Map<Thread, ThreadRecorder> threads = java.util.Collections.synchronizedMap(new WeakHashMap<>());
        Thread t = new Thread(() -> threads.put(Thread.currentThread(), new ThreadRecorder(-1, null, 0)));
        t.start();
        t.join();
        WeakReference<Thread> gone = new WeakReference<>(t);
        t = null;
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(gone.get(), "a recorder kept its finished thread reachable");
    }
}

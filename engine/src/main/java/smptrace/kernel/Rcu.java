package smptrace.kernel;

import java.util.concurrent.ConcurrentHashMap;

/** Grace-period bookkeeping behind rcu_read_lock()/synchronize_rcu(): a reader registry, nothing clever. */
public final class Rcu {
    private static final class Reader {
        volatile int nesting;
        volatile long sections; // completed outermost sections
    }

    private static final ConcurrentHashMap<Thread, Reader> READERS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Reader> SELF = ThreadLocal.withInitial(() -> {
        Reader r = new Reader();
        READERS.put(Thread.currentThread(), r);
        return r;
    });

    private Rcu() { }

    public static void readLock() {
        Reader r = SELF.get();
        r.nesting = r.nesting + 1;
    }

    public static void readUnlock() {
        Reader r = SELF.get();
        int n = r.nesting - 1;
        if (n < 0) {
            throw new IllegalStateException("rcu_read_unlock() without rcu_read_lock()");
        }
        if (n == 0) {
            r.sections = r.sections + 1;
        }
        r.nesting = n;
    }

    public static void waitForReaders() {
        Reader self = READERS.get(Thread.currentThread());
        for (var e : READERS.entrySet()) {
            Reader r = e.getValue();
            if (r == self || !e.getKey().isAlive()) {
                continue;
            }
            if (r.nesting > 0) {
                long seen = r.sections;
                while (r.nesting > 0 && r.sections == seen) {
                    Sched.point();
                    Thread.onSpinWait();
                }
            }
        }
    }
}

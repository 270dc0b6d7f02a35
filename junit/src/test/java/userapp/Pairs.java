package userapp;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;
import static smptrace.kernel.Kernel.smp_load_acquire;
import static smptrace.kernel.Kernel.smp_store_release;

/**
 * A user's program (package userapp, not smptrace's): one small message-passing or counting program per
 * Java synchronisation mechanism, each in a correct form and in a broken one with the synchronisation
 * removed (replaced by a sleep, so that it still ends). Every racy location is named {@code data} or
 * {@code counter}. {@code Pairs CASE correct|broken} runs one.
 */
public final class Pairs {
    /** Shared memory of one run: a plain payload, a counter, flags of each kind. */
    static final class Box {
        int data;
        int counter;
        boolean plainFlag;
        volatile boolean flag;
        int vhFlag;
        static final VarHandle VH_FLAG;

        static {
            try {
                VH_FLAG = MethodHandles.lookup().findVarHandle(Box.class, "vhFlag", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        synchronized void incSync() {
            counter++;
        }

        void incPlain() {
            counter++;
        }
    }

    /** Kernel memory written with the kernel primitives from Java threads. */
    static final class Mail extends KernelObject {
        static final IntField FLAG = IntField.of(MethodHandles.lookup(), Mail.class, "flag");
        int flag;
        int data;
    }

    static int counter; // a static field: the static-field cases

    interface Case {
        void run(boolean correct) throws Exception;
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread thread(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    static {
        CASES.put("start-join", ok -> {
            Box b = new Box();
            b.data = 1; // before start: ordered by Thread.start
            Thread t = thread(() -> b.data = b.data + 1);
            if (ok) {
                t.join();
            } else {
                pause();
            }
            int v = b.data;
            t.join();
            check(v >= 1);
        });
        CASES.put("synchronized-block", ok -> {
            Box b = new Box();
            Object lock = new Object();
            Runnable inc = () -> {
                for (int i = 0; i < 50; i++) {
                    if (ok) {
                        synchronized (lock) {
                            b.counter++;
                        }
                    } else {
                        b.counter++;
                    }
                }
            };
            Thread t = thread(inc);
            inc.run();
            t.join();
        });
        CASES.put("synchronized-method", ok -> {
            Box b = new Box();
            Runnable inc = () -> {
                for (int i = 0; i < 50; i++) {
                    if (ok) {
                        b.incSync();
                    } else {
                        b.incPlain();
                    }
                }
            };
            Thread t = thread(inc);
            inc.run();
            t.join();
        });
        CASES.put("static-synchronized", ok -> {
            Object lock = Pairs.class;
            Runnable inc = () -> {
                for (int i = 0; i < 50; i++) {
                    if (ok) {
                        synchronized (lock) {
                            counter++;
                        }
                    } else {
                        counter++;
                    }
                }
            };
            Thread t = thread(inc);
            inc.run();
            t.join();
        });
        CASES.put("wait-notify", ok -> {
            Box b = new Box();
            Object lock = new Object();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    synchronized (lock) {
                        b.plainFlag = true;
                        lock.notifyAll();
                    }
                }
            });
            if (ok) {
                synchronized (lock) {
                    while (!b.plainFlag) {
                        lock.wait();
                    }
                }
            } else {
                pause();
            }
            int v = b.data;
            t.join();
            check(!ok || v == 42);
        });
        CASES.put("volatile", ok -> {
            Box b = new Box();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    b.flag = true;
                }
            });
            if (ok) {
                while (!b.flag) {
                    Thread.onSpinWait();
                }
            } else {
                pause();
            }
            int v = b.data;
            t.join();
            check(!ok || v == 42);
        });
        CASES.put("varhandle-release-acquire", ok -> {
            Box b = new Box();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    Box.VH_FLAG.setRelease(b, 1);
                } else {
                    Box.VH_FLAG.set(b, 1);
                }
            });
            if (ok) {
                while ((int) Box.VH_FLAG.getAcquire(b) == 0) {
                    Thread.onSpinWait();
                }
            } else {
                while ((int) Box.VH_FLAG.getOpaque(b) == 0) {
                    Thread.onSpinWait();
                }
            }
            int v = b.data;
            t.join();
            check(v == 42);
        });
        CASES.put("varhandle-volatile", ok -> {
            Box b = new Box();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    Box.VH_FLAG.setVolatile(b, 1);
                } else {
                    Box.VH_FLAG.setOpaque(b, 1);
                }
            });
            while ((int) (ok ? Box.VH_FLAG.getVolatile(b) : Box.VH_FLAG.getOpaque(b)) == 0) {
                Thread.onSpinWait();
            }
            int v = b.data;
            t.join();
            check(v == 42);
        });
        CASES.put("atomic", ok -> {
            Box b = new Box();
            AtomicInteger flag = new AtomicInteger();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    flag.set(1);
                } else {
                    flag.setPlain(1);
                }
            });
            while ((ok ? flag.get() : flag.getOpaque()) == 0) {
                Thread.onSpinWait();
            }
            int v = b.data;
            t.join();
            check(v == 42);
        });
        CASES.put("atomic-counter", ok -> {
            AtomicInteger n = new AtomicInteger();
            int[] data = new int[2];
            Runnable r = () -> {
                data[Thread.currentThread().getName().equals("main") ? 0 : 1] = 1; // each its own slot, then count
                if (ok) {
                    n.incrementAndGet();
                } else {
                    // counted without ordering: a relaxed CAS loop (a lazySet of a read value could lose an
                    // update, and main would then wait forever for the count)
                    int v;
                    do {
                        v = n.getOpaque();
                    } while (!n.weakCompareAndSetPlain(v, v + 1));
                }
            };
            Thread t = thread(r);
            r.run();
            while ((ok ? n.get() : n.getOpaque()) < 2) {
                Thread.onSpinWait();
            }
            int v = data[0] + data[1];
            t.join();
            check(v == 2);
        });
        CASES.put("reentrant-lock", ok -> {
            Box b = new Box();
            ReentrantLock lock = new ReentrantLock();
            Runnable inc = () -> {
                for (int i = 0; i < 50; i++) {
                    if (ok) {
                        lock.lock();
                        try {
                            b.counter++;
                        } finally {
                            lock.unlock();
                        }
                    } else {
                        b.counter++;
                    }
                }
            };
            Thread t = thread(inc);
            inc.run();
            t.join();
        });
        CASES.put("read-write-lock", ok -> {
            Box b = new Box();
            ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
            Thread w = thread(() -> {
                for (int i = 0; i < 20; i++) {
                    if (ok) {
                        rw.writeLock().lock();
                        try {
                            b.data++;
                        } finally {
                            rw.writeLock().unlock();
                        }
                    } else {
                        b.data++;
                    }
                }
            });
            int seen = 0;
            for (int i = 0; i < 20; i++) {
                if (ok) {
                    rw.readLock().lock();
                    try {
                        seen += b.data;
                    } finally {
                        rw.readLock().unlock();
                    }
                } else {
                    seen += b.data;
                }
            }
            w.join();
            check(seen >= 0);
        });
        CASES.put("condition", ok -> {
            Box b = new Box();
            ReentrantLock lock = new ReentrantLock();
            Condition ready = lock.newCondition();
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    lock.lock();
                    try {
                        b.plainFlag = true;
                        ready.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            });
            if (ok) {
                lock.lock();
                try {
                    while (!b.plainFlag) {
                        ready.await();
                    }
                } finally {
                    lock.unlock();
                }
            } else {
                pause();
            }
            int v = b.data;
            t.join();
            check(!ok || v == 42);
        });
        CASES.put("count-down-latch", ok -> {
            int[] data = new int[4];
            CountDownLatch done = new CountDownLatch(4);
            Thread[] ts = new Thread[4];
            for (int i = 0; i < 4; i++) {
                int me = i;
                ts[i] = thread(() -> {
                    data[me] = me + 1;
                    done.countDown();
                });
            }
            if (ok) {
                done.await();
            } else {
                pause();
            }
            int sum = 0;
            for (int v : data) {
                sum += v;
            }
            for (Thread t : ts) {
                t.join();
            }
            check(!ok || sum == 10);
        });
        CASES.put("semaphore", ok -> {
            Box b = new Box();
            Semaphore s = new Semaphore(0);
            Thread t = thread(() -> {
                b.data = 42;
                if (ok) {
                    s.release();
                }
            });
            if (ok) {
                s.acquire();
            } else {
                pause();
            }
            int v = b.data;
            t.join();
            check(!ok || v == 42);
        });
        CASES.put("cyclic-barrier", ok -> {
            int[] data = new int[2];
            CyclicBarrier barrier = new CyclicBarrier(2);
            int[] seen = new int[2];
            Runnable side0 = () -> {
                data[0] = 1;
                await(barrier, ok);
                seen[0] = data[1];
            };
            Thread t = thread(() -> {
                data[1] = 2;
                await(barrier, ok);
                seen[1] = data[0];
            });
            side0.run();
            t.join();
        });
        CASES.put("executor-future", ok -> {
            Box b = new Box();
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                b.data = 1; // before submit: ordered by the submission
                Future<?> f = ex.submit(() -> {
                    b.counter = b.data + 1;
                });
                if (ok) {
                    f.get();
                } else {
                    pause();
                }
                int v = b.counter;
                f.get();
                check(!ok || v == 2);
            } finally {
                ex.shutdown();
            }
        });
        CASES.put("executor-callable", ok -> {
            Box b = new Box();
            ExecutorService ex = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> f = ex.submit(() -> {
                    b.data = 7;
                    return 1;
                });
                if (ok) {
                    check(f.get() == 1);
                } else {
                    pause();
                }
                int v = b.data;
                f.get();
                check(!ok || v == 7);
            } finally {
                ex.shutdown();
            }
        });
        CASES.put("kernel-mp-join", ok -> {
            // the example: smp_store_release / smp_load_acquire between two Java threads, the
            // consumer's result read by main after join()
            Mail m = new Mail();
            int[] result = new int[1];
            Thread producer = thread(() -> {
                m.data = 7;
                if (ok) {
                    smp_store_release(m, Mail.FLAG, 1);
                } else {
                    WRITE_ONCE(m, Mail.FLAG, 1);
                }
            });
            Thread consumer = thread(() -> {
                while ((ok ? smp_load_acquire(m, Mail.FLAG) : READ_ONCE(m, Mail.FLAG)) == 0) {
                    Thread.onSpinWait();
                }
                result[0] = m.data;
            });
            producer.join();
            consumer.join();
            check(result[0] == 7);
        });
    }

    static void await(CyclicBarrier b, boolean ok) {
        if (!ok) {
            pause();
            return;
        }
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void check(boolean c) {
        if (!c) {
            throw new AssertionError("the program computed a wrong result");
        }
    }

    public static void main(String[] args) throws Exception {
        Case c = CASES.get(args[0]);
        if (c == null) {
            System.err.println("unknown case " + args[0] + "; cases: " + CASES.keySet());
            System.exit(2);
        }
        c.run(args[1].equals("correct"));
        System.out.println(args[0] + " " + args[1] + " done");
    }
}

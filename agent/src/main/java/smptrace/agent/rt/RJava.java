package smptrace.agent.rt;

import smptrace.kernel.KernelObject;
import smptrace.kernel.Sched;
import smptrace.trace.EventKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;

/**
 * Recording twins of Java's own memory accesses and synchronisation, for application classes (the
 * agent's "app" scope; the engine's classes keep the kernel-model rules of {@link Rec}).
 *
 * <p>Every field of every object is memory here, not only KernelObjects': a plain object's fields and
 * a class's static fields live in the object's (the Class's) foreign shadow, as arrays already do.
 * Java synchronisation is recorded on a separate <em>sync location</em> per synchronisation object
 * (a monitor, a Lock, a latch, a Thread, a submitted task): {@link EventKind#SYNC_RELEASE} writes it,
 * {@link EventKind#SYNC_ACQUIRE} reads it, both under the location's shadow lock, so the acquire
 * names exactly the release it follows (reads-from is exact, as for kernel memory). What each one
 * means to the memory model is stated once, in the analysis' LkmmSync.
 *
 * <p>Order of record and action: an acquire is recorded after the action returned (the lock is held,
 * the thread was joined), a release before the action (the lock is still held). Records of one sync
 * location are therefore in the order of the real synchronisation.
 */
public final class RJava {
    private RJava() { }

    /**
     * Slots of a sync location, field ids of their own (so a report names them): a monitor, lock, latch,
     * semaphore or barrier, and a thread's or task's start, use "monitor"; a thread's or task's end
     * "end"; an Atomic* object's value "value". Registered when recording starts ({@link #init}), so
     * their ids are small and a sync shadow stays small.
     */
    static int MON;
    static int START;
    static int END;
    static int VALUE;

    /** Registers the sync slots' field ids; called by the agent before any class is instrumented. */
    public static void init() {
        MON = Rec.fieldId("java/lang/Object", "(monitor)", "I");
        START = MON;
        END = Rec.fieldId("java/lang/Object", "(end)", "I");
        VALUE = Rec.fieldId("java/lang/Object", "(value)", "I");
    }

    /** Shadows of synchronisation objects (monitors, threads, j.u.c.); a new table per trace, like Rec's FOREIGN. */
    private static volatile IdentityTable<ArrayShadow> SYNC = new IdentityTable<>();

    /** A new trace begins (batch mode): forget the previous runs' synchronisation objects. */
    static void resetSync() {
        SYNC = new IdentityTable<>();
    }
    private static final Map<Thread, ThreadRecorder> THREADS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Map<Object, Task> FUTURES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final ThreadLocal<Task> LAST_TASK = new ThreadLocal<>();

    static boolean on() {
        return Rec.on;
    }

    // ---- call sites: one entry before and one after a synchronising call ----------------------------
    //
    // The agent rewrites a call recv.m(args) of a synchronising JDK method into: stash the args (Stash),
    // [before(recv, what, site)], reload the args, the call, [after*(recv, result, what, site)]. "what"
    // names the operation (the constants below); the result is passed through unchanged.

    public static final int THREAD_START = 1;
    public static final int THREAD_JOIN = 2;
    public static final int OBJECT_WAIT = 3;
    public static final int LOCK = 4;
    public static final int UNLOCK = 5;
    public static final int CONDITION_AWAIT = 6;
    /** CountDownLatch.countDown, Semaphore.release: a release only. */
    public static final int RELEASE = 7;
    /** CountDownLatch.await, Semaphore.acquire: an acquire once the call returned (true). */
    public static final int ACQUIRE = 8;
    /** CyclicBarrier.await: a release on arrival, an acquire when it returns. */
    public static final int BARRIER = 9;
    public static final int FUTURE_GET = 10;

    public static void before(Object o, int what, int site) {
        if (Rec.on) {
            try {
                Rec.dropBiasOf(Rec.me()); // the call may block: no bias held across it
            } catch (Throwable t) {
                Rec.fail(t);
            }
        }
        switch (what) {
            case THREAD_START: threadStart((Thread) o, site); break;
            case OBJECT_WAIT: waitBegin(o, site); break;
            case UNLOCK: unlocking(o, site); break;
            case CONDITION_AWAIT: awaitBegin(o, site); break;
            case RELEASE: case BARRIER: releasing(o, site); break;
            default: break;
        }
    }

    public static void afterV(Object o, int what, int site) {
        switch (what) {
            case THREAD_JOIN: threadJoined((Thread) o, site); break;
            case OBJECT_WAIT: waitEnd(o, site); break;
            case LOCK: locked(o, site); break;
            case CONDITION_AWAIT: awaitEnd(o, site); break;
            case ACQUIRE: case BARRIER: acquired(o, site); break;
            default: break;
        }
    }

    public static boolean afterZ(Object o, boolean z, int what, int site) {
        switch (what) {
            case LOCK: return tryLocked(o, z, site);
            case CONDITION_AWAIT: awaitEnd(o, site); return z;
            case ACQUIRE: return acquiredIf(o, z, site);
            default: afterV(o, what, site); return z;
        }
    }

    public static int afterI(Object o, int v, int what, int site) {
        afterV(o, what, site);
        return v;
    }

    public static long afterJ(Object o, long v, int what, int site) {
        afterV(o, what, site);
        return v;
    }

    public static Object afterA(Object o, Object v, int what, int site) {
        if (what == FUTURE_GET) {
            return futureGot(o, v, site);
        }
        afterV(o, what, site);
        return v;
    }

    // ---- sync locations ---------------------------------------------------------------------------

    /** The sync shadow of o, announced (ALLOC with o's class) once per trace into r. */
    static ArrayShadow sync(Object o, ThreadRecorder r) {
        ArrayShadow s = SYNC.get(o);
        if (s == null) {
            s = SYNC.putIfAbsent(o, new ArrayShadow(KernelObject.allocateOid()));
        }
        int g = Rec.generation();
        if (s.announced != g) {
            s.announced = g;
            int cid = Rec.classId(o.getClass());
            r.room();
            r.control(EventKind.ALLOC, 0, s.oid, cid);
            r.end();
        }
        return s;
    }

    static void acquire(Object o, int slot, int site) {
        if (!Rec.on || o == null) {
            return;
        }
        try {
            ThreadRecorder r = Rec.me();
            Rec.dropBiasOf(r); // a sync event: the thread may have waited, or may wait next
            acquireInto(r, sync(o, r), slot, site);
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    private static void acquireInto(ThreadRecorder r, ArrayShadow s, int slot, int site) {
        Rec.lock(s);
        try {
            Rec.read(r, EventKind.SYNC_ACQUIRE, site, Rec.loc(s.oid, slot), Rec.shadow(s, slot), slot, 0);
        } finally {
            Rec.unlock(s);
        }
    }

    static void release(Object o, int slot, int site) {
        if (!Rec.on || o == null) {
            return;
        }
        try {
            ThreadRecorder r = Rec.me();
            Rec.dropBiasOf(r);
            ArrayShadow s = sync(o, r);
            Rec.lock(s);
            try {
                Rec.write(r, EventKind.SYNC_RELEASE, site, Rec.loc(s.oid, slot), Rec.shadow(s, slot), slot, 0);
            } finally {
                Rec.unlock(s);
            }
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    // ---- threads ----------------------------------------------------------------------------------

    /** Thread.start(): what the parent did before it happens before everything the child does. */
    public static void threadStart(Thread t, int site) {
        release(t, START, site);
        if (Rec.on) {
            try {
                // the child's events read this release: hand it to the writer now, so that a recording cut
                // short (a killed JVM) still holds what the child did after it
                Rec.me().flush();
            } catch (Throwable e) {
                Rec.fail(e);
            }
        }
    }

    /** A thread's first event in this trace (Rec.newRecorder): it acquires its own start. */
    static void threadBegins(ThreadRecorder r) {
        if (r.tid < 0 || !Rec.on) {
            return;
        }
        try {
            Thread t = Thread.currentThread();
            THREADS.put(t, r);
            ArrayShadow s = SYNC.get(t);
            if (s != null && s.announced == Rec.generation()) {
                acquireInto(r, s, START, 0); // started by recorded code: its release is in this trace
            }
        } catch (Throwable e) {
            Rec.fail(e);
        }
    }

    /**
     * After Thread.join() returned: if the thread has terminated, everything it did happens before
     * what follows. A terminated thread records nothing more, so its end (a release) is appended to
     * its own stream here, once, by the first thread that joins it; then the joiner acquires it.
     */
    public static void threadJoined(Thread t, int site) {
        if (!Rec.on || t == null || t.isAlive()) {
            return;
        }
        try {
            ThreadRecorder me = Rec.me();
            ArrayShadow s = sync(t, me);
            ThreadRecorder dead = THREADS.get(t);
            Rec.lock(s);
            try {
                int[] sh = Rec.shadow(s, END);
                if (sh[2 * END] == 0 && dead != null && dead.tid >= 0 && dead != me && dead.generation == Rec.generation()) {
                    synchronized (dead) {
                        if (!dead.isClosed()) {
                            Rec.write(dead, EventKind.SYNC_RELEASE, site, Rec.loc(s.oid, END), sh, END, 0);
                        }
                    }
                }
                Rec.read(me, EventKind.SYNC_ACQUIRE, site, Rec.loc(s.oid, END), sh, END, 0);
            } finally {
                Rec.unlock(s);
            }
        } catch (Throwable e) {
            Rec.fail(e);
        }
    }

    // ---- monitors: synchronized blocks and methods, Object.wait -----------------------------------

    public static void monitorEnter(Object o, int site) {
        acquire(o, MON, site);
    }

    public static void monitorExit(Object o, int site) {
        release(o, MON, site);
    }

    /** Object.wait releases the monitor and takes it again before it returns. */
    public static void waitBegin(Object o, int site) {
        release(o, MON, site);
    }

    public static void waitEnd(Object o, int site) {
        acquire(o, MON, site);
    }

    // ---- java.util.concurrent ---------------------------------------------------------------------

    private static final ClassValue<java.lang.reflect.Field> SYNC_FIELD = new ClassValue<>() {
        @Override
        protected java.lang.reflect.Field computeValue(Class<?> c) {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (String n : new String[] {"sync", "this$0"}) {
                    try {
                        java.lang.reflect.Field f = k.getDeclaredField(n);
                        if (!f.getType().isPrimitive()) {
                            f.setAccessible(true);
                            return f;
                        }
                    } catch (NoSuchFieldException | RuntimeException e) {
                        // next
                    }
                }
            }
            return null;
        }
    };

    /**
     * The synchronisation object a JDK lock stands for: ReentrantLock, a ReentrantReadWriteLock's read
     * and write locks and their Conditions share their AbstractQueuedSynchronizer ("sync", or a
     * ConditionObject's "this$0"), so that a write lock's unlock orders a read lock's lock and a
     * Condition.await releases the lock it belongs to. Other locks stand for themselves.
     */
    static Object lockKey(Object lock) {
        if (lock == null || !lock.getClass().getName().startsWith("java.util.concurrent.")) {
            return lock;
        }
        try {
            java.lang.reflect.Field f = SYNC_FIELD.get(lock.getClass());
            Object k = f == null ? null : f.get(lock);
            return k != null ? k : lock;
        } catch (Throwable t) {
            return lock;
        }
    }

    /** Lock.lock(), lockInterruptibly() returned: the lock is held. */
    public static void locked(Object lock, int site) {
        acquire(lockKey(lock), MON, site);
    }

    /** Lock.tryLock(...) returned. */
    public static boolean tryLocked(Object lock, boolean ok, int site) {
        if (ok) {
            acquire(lockKey(lock), MON, site);
        }
        return ok;
    }

    /** Lock.unlock(), about to be called. */
    public static void unlocking(Object lock, int site) {
        release(lockKey(lock), MON, site);
    }

    /** Condition.await*: releases the lock, takes it again before returning. */
    public static void awaitBegin(Object condition, int site) {
        release(lockKey(condition), MON, site);
    }

    public static void awaitEnd(Object condition, int site) {
        acquire(lockKey(condition), MON, site);
    }

    /** A release on o (CountDownLatch.countDown, Semaphore.release, arrival at a CyclicBarrier). */
    public static void releasing(Object o, int site) {
        release(o, MON, site);
    }

    /** An acquire on o after a blocking call returned (await, acquire, a barrier's trip). */
    public static void acquired(Object o, int site) {
        acquire(o, MON, site);
    }

    /** As {@link #acquired} if the timed/try variant succeeded. */
    public static boolean acquiredIf(Object o, boolean ok, int site) {
        if (ok) {
            acquire(o, MON, site);
        }
        return ok;
    }

    /** As {@link #acquired} for a call returning a count (CyclicBarrier.await's arrival index). */
    public static int acquiredInt(Object o, int v, int site) {
        acquire(o, MON, site);
        return v;
    }

    // ---- executors: submission, run, Future.get ---------------------------------------------------

    /**
     * A task handed to an Executor, wrapped at the call site: its submission happens before its run
     * (START), its run before a Future.get() that returned its result (END).
     */
    static final class Task implements Runnable, Callable<Object> {
        private final Runnable runnable;
        private final Callable<?> callable;

        Task(Runnable r, Callable<?> c) {
            this.runnable = r;
            this.callable = c;
        }

        @Override
        public void run() {
            acquire(this, START, 0);
            try {
                if (runnable != null) {
                    runnable.run();
                } else {
                    try {
                        callable.call();
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }
            } finally {
                release(this, END, 0);
            }
        }

        @Override
        public Object call() throws Exception {
            acquire(this, START, 0);
            try {
                return callable != null ? callable.call() : run0();
            } finally {
                release(this, END, 0);
            }
        }

        private Object run0() {
            runnable.run();
            return null;
        }

        @Override
        public String toString() {
            return String.valueOf(runnable != null ? runnable : callable);
        }
    }

    public static Runnable submitRunnable(Runnable r, int site) {
        if (!Rec.on || r == null || r instanceof Task) {
            return r;
        }
        Task t = new Task(r, null);
        release(t, START, site);
        LAST_TASK.set(t);
        return t;
    }

    @SuppressWarnings({"rawtypes"})
    public static Callable submitCallable(Callable c, int site) {
        if (!Rec.on || c == null || c instanceof Task) {
            return c;
        }
        Task t = new Task(null, c);
        release(t, START, site);
        LAST_TASK.set(t);
        return t;
    }

    /** ExecutorService.submit returned its Future: remember which task it stands for. */
    public static Object submitted(Object future, int site) {
        Task t = LAST_TASK.get();
        if (t != null) {
            LAST_TASK.remove();
            if (future != null) {
                FUTURES.put(future, t);
            }
        }
        return future;
    }

    /** Future.get() returned: the task's run happens before. */
    public static Object futureGot(Object future, Object value, int site) {
        Task t = future == null ? null : FUTURES.get(future);
        if (t != null) {
            acquire(t, END, site);
        }
        return value;
    }

    // ---- fields of any object, static fields, volatile fields ---------------------------------------
    //
    // Same bracketing as Rec's (the recorder travels on the operand stack): readBegin -> r; the load;
    // readEnd(r, v). KernelObjects keep their own shadow; every other object (a Class for a static
    // field) has its foreign shadow, with the field id as the slot.

    /** The shadow owner of an object's fields: the KernelObject itself, or its foreign shadow. */
    static Object owner(Object o) {
        return o instanceof KernelObject ? o : Rec.foreign(o);
    }

    static int oid(Object w) {
        return w instanceof KernelObject ? ((KernelObject) w).oid : ((ArrayShadow) w).oid;
    }

    static void lockOwner(Object w) {
        if (w instanceof KernelObject) {
            Rec.lock((KernelObject) w);
        } else {
            Rec.lock((ArrayShadow) w);
        }
    }

    static void unlockOwner(Object w) {
        if (w instanceof KernelObject) {
            Rec.unlock((KernelObject) w);
        } else {
            Rec.unlock((ArrayShadow) w);
        }
    }

    static int[] shadowOf(Object w, int slot) {
        return w instanceof KernelObject ? Rec.shadow((KernelObject) w, slot) : Rec.shadow((ArrayShadow) w, slot);
    }

    /** Before GETFIELD / GETSTATIC of a plain field (o: the object, or the Class for a static field). */
    public static Object readBegin(Object o, int fieldId, int site) {
        return readBegin(o, fieldId, site, null);
    }

    /** As readBegin, with the method's recorder slot (Rec.me(Object)); the instrumented code keeps the result there. */
    public static Object readBegin(Object o, int fieldId, int site, Object rec) {
        if (!Rec.on || o == null) {
            return null;
        }
        if (o instanceof KernelObject) {
            return Rec.readBegin(o, fieldId, site, rec);
        }
        if (Rec.pointsOnPlain) {
            Sched.point();
        }
        try {
            ThreadRecorder r = Rec.me(rec);
            ArrayShadow a = Rec.foreign(o);
            Rec.lock(a);
            r.pend(a, Rec.loc(a.oid, fieldId), fieldId, site);
            return r;
        } catch (Throwable t) {
            Rec.fail(t);
            return null;
        }
    }

    /** Before the load of a volatile field: an smp_mb(), then the bracket; end with readEndV*. */
    public static Object readBeginV(Object o, int fieldId, int site) {
        if (!Rec.on || o == null) {
            return null;
        }
        try {
            ThreadRecorder r = Rec.me();
            r.room();
            r.bare(EventKind.F_MB, site);
            r.end();
            Object w = owner(o);
            lockOwner(w);
            r.pend(w, Rec.loc(oid(w), fieldId), fieldId, site);
            return r;
        } catch (Throwable t) {
            Rec.fail(t);
            return null;
        }
    }

    public static void readEndVI(Object r, int v) {
        readEndV(r, v);
    }

    public static void readEndVJ(Object r, long v) {
        readEndV(r, v);
    }

    public static void readEndVF(Object r, float v) {
        readEndV(r, Float.floatToRawIntBits(v));
    }

    public static void readEndVD(Object r, double v) {
        readEndV(r, Double.doubleToRawLongBits(v));
    }

    public static void readEndVA(Object r, Object v) {
        if (r != null) {
            long value = 0;
            try {
                value = Rec.ptr(v);
            } catch (Throwable t) {
                Rec.fail(t);
            }
            readEndV(r, value);
        }
    }

    private static void readEndV(Object rr, long v) {
        if (rr == null) {
            return;
        }
        ThreadRecorder r = (ThreadRecorder) rr;
        Object w = r.pendObj;
        try {
            if (Rec.on) {
                Rec.read(r, EventKind.R_VOLATILE, r.pendSite, r.pendLoc, shadowOf(w, r.pendIdx), r.pendIdx, v);
            }
        } catch (Throwable t) {
            Rec.fail(t);
        } finally {
            unlockOwner(w);
        }
    }

    /**
     * A store to a field of any object (o; the Class for a static field) of any type: records it
     * under o's shadow lock and returns the recorder; the store follows, then Rec.writeEnd(r).
     * {@code vol}: a volatile field (an smp_mb() first; the store is a release).
     */
    private static Object store(Object o, long v, int fieldId, int site, boolean vol) {
        if (!Rec.on || o == null) {
            return null;
        }
        if (!vol && Rec.pointsOnPlain) {
            Sched.point();
        }
        try {
            ThreadRecorder r = Rec.me();
            if (vol) {
                r.room();
                r.bare(EventKind.F_MB, site);
                r.end();
            }
            Object w = owner(o);
            lockOwner(w);
            try {
                Rec.write(r, vol ? EventKind.W_VOLATILE : EventKind.W_PLAIN, site, Rec.loc(oid(w), fieldId),
                        shadowOf(w, fieldId), fieldId, v);
            } catch (Throwable t) {
                Rec.fail(t);
            }
            r.pendObj = w;
            return r;
        } catch (Throwable t) {
            Rec.fail(t);
            return null;
        }
    }

    public static Object writeI(Object o, int v, int fieldId, int site) {
        return writeI(o, v, fieldId, site, null);
    }

    /** As writeI, with the method's recorder slot; the instrumented code keeps the result there. */
    public static Object writeI(Object o, int v, int fieldId, int site, Object rec) {
        if (o instanceof KernelObject) {
            return Rec.writeI(o, v, fieldId, site, rec); // kernel memory: the engine's own fast path
        }
        return store(o, v, fieldId, site, false);
    }

    public static Object writeJ(Object o, long v, int fieldId, int site) {
        return store(o, v, fieldId, site, false);
    }

    public static Object writeF(Object o, float v, int fieldId, int site) {
        return store(o, Float.floatToRawIntBits(v), fieldId, site, false);
    }

    public static Object writeD(Object o, double v, int fieldId, int site) {
        return store(o, Double.doubleToRawLongBits(v), fieldId, site, false);
    }

    public static Object writeA(Object o, Object v, int fieldId, int site) {
        return Rec.on ? store(o, ptrOf(v), fieldId, site, false) : null;
    }

    public static Object writeVI(Object o, int v, int fieldId, int site) {
        return store(o, v, fieldId, site, true);
    }

    public static Object writeVJ(Object o, long v, int fieldId, int site) {
        return store(o, v, fieldId, site, true);
    }

    public static Object writeVF(Object o, float v, int fieldId, int site) {
        return store(o, Float.floatToRawIntBits(v), fieldId, site, true);
    }

    public static Object writeVD(Object o, double v, int fieldId, int site) {
        return store(o, Double.doubleToRawLongBits(v), fieldId, site, true);
    }

    public static Object writeVA(Object o, Object v, int fieldId, int site) {
        return Rec.on ? store(o, ptrOf(v), fieldId, site, true) : null;
    }

    static long ptrOf(Object v) {
        try {
            return Rec.ptr(v);
        } catch (Throwable t) {
            Rec.fail(t);
            return 0;
        }
    }

    // ---- VarHandles: which field a handle accesses ------------------------------------------------

    /** What a VarHandle found by recorded code accesses: a field (id, static or not), or null. */
    static final class VhInfo {
        final int fieldId;
        final Class<?> declaring;
        final boolean isStatic;

        VhInfo(int fieldId, Class<?> declaring, boolean isStatic) {
            this.fieldId = fieldId;
            this.declaring = declaring;
            this.isStatic = isStatic;
        }
    }

    private static final Map<VarHandle, VhInfo> HANDLES = Collections.synchronizedMap(new WeakHashMap<>());

    public static VarHandle findVarHandle(MethodHandles.Lookup l, Class<?> c, String name, Class<?> type, int site)
            throws NoSuchFieldException, IllegalAccessException {
        VarHandle vh = l.findVarHandle(c, name, type);
        HANDLES.put(vh, new VhInfo(Rec.fieldId(c.getName().replace('.', '/'), name, type.descriptorString()), c, false));
        return vh;
    }

    public static VarHandle findStaticVarHandle(MethodHandles.Lookup l, Class<?> c, String name, Class<?> type, int site)
            throws NoSuchFieldException, IllegalAccessException {
        VarHandle vh = l.findStaticVarHandle(c, name, type);
        HANDLES.put(vh, new VhInfo(Rec.fieldId(c.getName().replace('.', '/'), name, type.descriptorString()), c, true));
        return vh;
    }

    /** The field id of a handle found elsewhere: one synthetic field per handle object. */
    static VhInfo info(VarHandle vh) {
        VhInfo i = HANDLES.get(vh);
        if (i == null) {
            int id = Rec.fieldId("java/lang/invoke/VarHandle", "vh@" + Integer.toHexString(System.identityHashCode(vh)),
                    vh.varType().descriptorString());
            i = new VhInfo(id, null, vh.coordinateTypes().isEmpty());
            HANDLES.put(vh, i);
        }
        return i;
    }

    // ---- the access in progress of an Atomic* or VarHandle twin (RAtomic, RVarHandle) --------------

    /** Per thread: the location a twin is accessing; reused, so a twin allocates nothing. */
    static final class Ctx {
        ThreadRecorder r;
        Object owner;
        long loc;
        int slot;
        int site;
    }

    private static final ThreadLocal<Ctx> CTX = ThreadLocal.withInitial(Ctx::new);

    /** Begin an access of slot of owner w (KernelObject or ArrayShadow); fence: an smp_mb() first. Locks w. */
    private static Ctx begin(Object w, int slot, int site, boolean fence) {
        ThreadRecorder r = Rec.me();
        if (fence) {
            r.room();
            r.bare(EventKind.F_MB, site);
            r.end();
        }
        Ctx c = CTX.get();
        c.r = r;
        c.owner = w;
        c.slot = slot;
        c.site = site;
        c.loc = Rec.loc(oid(w), slot);
        lockOwner(w);
        return c;
    }

    /** An Atomic* object's value: its sync location. */
    static Ctx beginAtomic(Object atomic, int site, boolean fence) {
        if (!Rec.on || atomic == null) {
            return null;
        }
        try {
            ThreadRecorder r = Rec.me();
            return begin(sync(atomic, r), VALUE, site, fence);
        } catch (Throwable t) {
            Rec.fail(t);
            return null;
        }
    }

    /** A VarHandle access: coordinates () static field, (o) instance field, (array, index) element. */
    static Ctx beginVh(VarHandle vh, Object o, int index, int coords, int site, boolean fence) {
        if (!Rec.on || vh == null) {
            return null;
        }
        try {
            if (coords == 2) {
                if (o == null || index < 0 || index >= 0xffff || (o.getClass().isArray() && index >= java.lang.reflect.Array.getLength(o))) {
                    return null;
                }
                return begin(owner(o), index, site, fence);
            }
            VhInfo i = info(vh);
            Object target = coords == 0 ? (i.declaring != null ? i.declaring : vh) : o;
            if (target == null) {
                return null;
            }
            return begin(owner(target), i.fieldId, site, fence);
        } catch (Throwable t) {
            Rec.fail(t);
            return null;
        }
    }

    static void end(Ctx c) {
        if (c != null) {
            Object w = c.owner;
            c.owner = null;
            c.r = null;
            unlockOwner(w);
        }
    }

    static void read(Ctx c, EventKind k, long v) {
        if (c == null || !Rec.on) {
            return;
        }
        try {
            Rec.read(c.r, k, c.site, c.loc, shadowOf(c.owner, c.slot), c.slot, v);
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    static void write(Ctx c, EventKind k, long v) {
        if (c == null || !Rec.on) {
            return;
        }
        try {
            Rec.write(c.r, k, c.site, c.loc, shadowOf(c.owner, c.slot), c.slot, v);
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    static void rmw(Ctx c, EventKind k, long old, long nv) {
        if (c == null || !Rec.on) {
            return;
        }
        try {
            Rec.rmw(c.r, k, c.site, c.loc, shadowOf(c.owner, c.slot), c.slot, old, nv);
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    static void failed(Ctx c, EventKind k, long v, long expected) {
        if (c == null || !Rec.on) {
            return;
        }
        try {
            Rec.failedRmw(c.r, k, c.site, c.loc, shadowOf(c.owner, c.slot), c.slot, v, expected);
        } catch (Throwable t) {
            Rec.fail(t);
        }
    }

    /** A CAS outcome: RMW (kind) on success, failed read (failKind) of the value seen otherwise. */
    static void cas(Ctx c, EventKind kind, EventKind failKind, boolean ok, long witness, long expected, long nv) {
        if (ok) {
            rmw(c, kind, expected, nv);
        } else {
            failed(c, failKind, witness, expected);
        }
    }
}

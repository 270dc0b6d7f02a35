package smptrace.agent.rt;

import smptrace.kernel.Field;
import smptrace.kernel.KernelObject;
import smptrace.kernel.Sched;
import smptrace.trace.EventKind;
import smptrace.trace.TraceFormat;
import smptrace.trace.TraceWriter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recorder the instrumented engine calls. Every access is performed and recorded as one step
 * under its object's shadow lock, which is what makes reads-from exact when engine threads run in
 * parallel: a read records the coherence index of the write it read, a write records its own
 * index and how many reads saw the write it replaced.
 *
 * <p>A failure inside the recorder never breaks the program: recording stops, one line goes to
 * stderr, and what was recorded so far is closed as a readable trace whose end record says the
 * agent failed. The failing thread only sets two fields ({@link #fail}): closing the trace is the
 * flusher thread's work, so a failure deep in a stack (a StackOverflowError inside the agent's own
 * code) or inside a controlled schedule costs the program nothing more. After a failure the
 * scheduling points the agent added stay where they were, so a controlled schedule goes on
 * exactly as it would have with recording still on (with points=marked: as without the agent).
 *
 * <p>A flusher thread hands every thread's finished events to the writer every
 * {@link #FLUSH_MILLIS} ms, so a killed JVM loses at most that much of any thread's recording.
 */
public final class Rec {
    private static final VarHandle KOBJ_LOCK;
    private static final VarHandle ARR_LOCK;

    static {
        try {
            KOBJ_LOCK = MethodHandles.lookup().findVarHandle(KernelObject.class, "shadowLock", int.class);
            ARR_LOCK = MethodHandles.lookup().findVarHandle(ArrayShadow.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** True while recording; read on every event. */
    static volatile boolean on;
    /** After a failure: the plain accesses stay scheduling points (as while recording) though nothing is recorded. */
    static volatile boolean keepPoints;
    /** The first internal error; set by {@link #fail}, handled by the flusher. */
    private static volatile Throwable failure;
    private static volatile boolean failureHandled;
    /** How often every thread's finished events are handed to the writer (-Dsmptrace.flushMillis). */
    static final long FLUSH_MILLIS = Math.max(10, Long.getLong("smptrace.flushMillis", 200));
    private static Thread flusher;
    /** Plain accesses are scheduling points too (the agent's "points=all"). */
    static volatile boolean pointsOnPlain = true;
    private static volatile TraceWriter writer;
    private static volatile BlockPipe pipe;
    /** Bumped at every new trace: a thread's recorder of an older trace is replaced on its next event. */
    private static volatile int generation;
    private static final List<ThreadRecorder> RECORDERS = new ArrayList<>();
    /**
     * Shadows of the objects that are not KernelObjects. Strong keys, so a JVM that records many traces
     * (batch mode, the JUnit extension) starts a new table with every trace: the objects of finished runs
     * must not stay reachable (measured: 9 000 engine runs in one JVM held 6 GB of dead threads' buffers).
     */
    private static volatile IdentityTable<ArrayShadow> FOREIGN = new IdentityTable<>();
    /** Names given with TraceHooks.obj_name, kept across traces (weak keys: a name never keeps its object). */
    private static final Map<Object, String> OBJ_NAMES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    // The dictionaries outlive a trace (sites and fields are assigned when a class is instrumented),
    // so they live here and are replayed into every new trace. Guarded by Rec.class.
    private static final List<String[]> SITES = new ArrayList<>();
    private static final List<String[]> FIELDS = new ArrayList<>();
    private static final List<String> CLASSES = new ArrayList<>();
    private static final ConcurrentHashMap<String, Integer> FIELD_IDS = new ConcurrentHashMap<>();
    private static final ClassValue<Integer> CLASS_IDS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            synchronized (Rec.class) {
                int id = CLASSES.size();
                CLASSES.add(type.getName());
                TraceWriter w = writer;
                if (w != null) {
                    w.putClass(id, type.getName());
                }
                return id;
            }
        }
    };
    private static final ThreadLocal<ThreadRecorder> CURRENT = ThreadLocal.withInitial(Rec::newRecorder);

    private Rec() { }

    // ---- lifecycle ----------------------------------------------------------------------------------

    public static synchronized void start(TraceWriter w, boolean plainPoints) {
        pointsOnPlain = plainPoints;
        open(w);
    }

    /** Instrumentation without a trace yet: batch mode, where the program opens traces itself. */
    public static synchronized void startIdle(boolean plainPoints) {
        pointsOnPlain = plainPoints;
        multiTrace = true;
    }

    /** Makes w the current trace: replays the dictionaries into it and starts recording. Caller holds Rec.class. */
    private static void open(TraceWriter w) {
        for (int i = 0; i < SITES.size(); i++) {
            String[] st = SITES.get(i);
            w.putSite(i + 1, st[0], st[1], st[2], Integer.parseInt(st[3]));
        }
        for (int i = 0; i < FIELDS.size(); i++) {
            w.putField(i, FIELDS.get(i)[0], FIELDS.get(i)[1], FIELDS.get(i)[2]);
        }
        for (int i = 0; i < CLASSES.size(); i++) {
            w.putClass(i, CLASSES.get(i));
        }
        writer = w;
        pipe = new BlockPipe(w);
        generation++;
        on = failure == null;
        if (flusher == null) {
            flusher = new Thread(Rec::flusherLoop, "smptrace-flush");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    /** Every FLUSH_MILLIS: hand off each thread's finished events; close the trace after a failure. */
    private static void flusherLoop() {
        while (true) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                // go on: the flusher ends with the JVM
            }
            try {
                if (failure != null && !failureHandled) {
                    handleFailure();
                    continue;
                }
                List<ThreadRecorder> all;
                synchronized (Rec.class) {
                    if (!on) {
                        continue;
                    }
                    all = new ArrayList<>(RECORDERS);
                }
                for (ThreadRecorder r : all) {
                    r.cut();
                }
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    /** Says so once, and closes the trace with what was recorded; the end record says the agent failed. */
    private static void handleFailure() {
        synchronized (Rec.class) {
            if (failureHandled) {
                return;
            }
            failureHandled = true;
        }
        Throwable t = failure;
        System.err.println("smptrace agent: recording stopped after an internal error (" + describe(t)
                + "); the trace keeps every event recorded before it");
        stop(TraceFormat.END_AGENT_FAILED, describe(t));
    }

    private static String describe(Throwable t) {
        String m = String.valueOf(t);
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    /** The JVM exits: close the trace (as failed, if the recorder failed), never waiting on a stuck writer. */
    public static void shutdown() {
        try {
            if (failure != null) {
                handleFailure();
            }
            stop(TraceFormat.END_COMPLETE, "");
            if (BIAS_STATS) {
                System.err.println(biasStats());
            }
        } catch (Throwable t) {
            // the JVM must be able to exit whatever happens here
        }
    }

    /** The current trace's generation (bumped by every new trace). */
    static int generation() {
        return generation;
    }

    // ---- coherence state of a later trace (batch mode, the JUnit extension, the Recording API) --------
    //
    // A trace starts every location at coherence index 0. An object that lives on from one trace into
    // the next (a static lock, a test class's shared array) must not carry the old trace's indices, or
    // its first read in the new trace would name a write the new trace does not hold. Shadows are
    // registered when their per-location array is first allocated, once recording can span traces
    // (batch mode), and cleared when a trace opens; a single-trace run (out=DIR) registers nothing.

    /** Set in batch mode: more than one trace per JVM. */
    static volatile boolean multiTrace;
    private static final List<java.lang.ref.WeakReference<Object>> SHADOWED = new ArrayList<>();

    private static void registerShadow(Object owner) {
        if (multiTrace) {
            synchronized (SHADOWED) {
                SHADOWED.add(new java.lang.ref.WeakReference<>(owner));
            }
        }
    }

    /** Recording is off; the caller does not hold Rec.class (a thread inside an access may need it). */
    private static void resetShadows() {
        synchronized (SHADOWED) {
            java.util.Iterator<java.lang.ref.WeakReference<Object>> it = SHADOWED.iterator();
            while (it.hasNext()) {
                Object o = it.next().get();
                if (o == null) {
                    it.remove();
                } else if (o instanceof KernelObject) {
                    KernelObject k = (KernelObject) o;
                    lock(k);
                    k.shadowCo = null;
                    unlock(k);
                } else {
                    ArrayShadow a = (ArrayShadow) o;
                    lock(a);
                    a.co = null;
                    unlock(a);
                }
            }
            SHADOWED.clear(); // re-registered at their next first allocation
        }
    }

    public static TraceWriter writer() {
        return writer;
    }

    /** Set while a stop() closes a trace (Rec.class): a later stop() waits for it (see stop). */
    private static java.util.concurrent.CountDownLatch closing;
    /**
     * -Dsmptrace.test.flusherCloseDelayMillis=N (the agent's tests only): the flusher, closing a trace after a
     * failure, waits N ms between taking the trace and writing its end, so that the JVM's exit comes meanwhile.
     */
    private static final long FLUSHER_CLOSE_DELAY_MILLIS = Long.getLong("smptrace.test.flusherCloseDelayMillis", 0);

    /**
     * Flushes every thread's finished events and writes the end record. A stop() that finds the trace already
     * being closed by another thread (the flusher after a failure, while the JVM exits) waits until that close
     * has written the end record: the exit hook returning early would let the JVM end the daemon flusher
     * halfway, leaving a trace cut short that does not say it failed. The wait is bounded like the close
     * itself (a stuck writer is given up after the pipe's stall time).
     */
    public static void stop(byte status, String detail) {
        TraceWriter w;
        BlockPipe p;
        List<ThreadRecorder> all = null;
        java.util.concurrent.CountDownLatch done;
        synchronized (Rec.class) {
            w = writer;
            p = pipe;
            if (w == null) {
                done = closing;
            } else {
                on = false;
                all = new ArrayList<>(RECORDERS);
                RECORDERS.clear();
                writer = null;
                pipe = null;
                closing = done = new java.util.concurrent.CountDownLatch(1);
            }
        }
        if (w == null) {
            if (done != null) {
                awaitClose(done);
            }
            return;
        }
        try {
            if (failure != null && status == TraceFormat.END_COMPLETE) {
                status = TraceFormat.END_AGENT_FAILED;
                detail = describe(failure);
            }
            try {
                for (ThreadRecorder r : all) {
                    r.closeFromAnyThread();
                }
                if (p != null) {
                    p.drain();
                }
            } finally {
                if (FLUSHER_CLOSE_DELAY_MILLIS > 0 && Thread.currentThread() == flusher) {
                    sleepQuietly(FLUSHER_CLOSE_DELAY_MILLIS);
                }
                w.close(status, detail); // whatever failed above, the trace says how it ended
            }
        } finally {
            synchronized (Rec.class) {
                if (closing == done) {
                    closing = null;
                }
            }
            done.countDown();
        }
    }

    private static void awaitClose(java.util.concurrent.CountDownLatch done) {
        long deadline = System.nanoTime() + 2 * BlockPipe.STALL_NANOS;
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    if (left <= 0 || done.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Batch mode (TraceHooks.trace_begin): close the current trace, if any, and record into a new one. */
    static void beginTrace(String dir, String header) {
        if (failure != null) {
            return;
        }
        stop(TraceFormat.END_COMPLETE, "");
        try {
            java.util.Map<String, String> h = new java.util.LinkedHashMap<>(RunFacts.jvmFacts());
            for (String line : (header == null ? "" : header).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    h.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            TraceWriter w = new TraceWriter(java.nio.file.Paths.get(dir), h);
            resetShadows();
            FOREIGN = new IdentityTable<>(); // the next trace announces what it mentions anew
            RJava.resetSync();
            synchronized (Rec.class) {
                open(w);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Batch mode (TraceHooks.trace_end). */
    static void endTrace() {
        stop(TraceFormat.END_COMPLETE, "");
    }

    /**
     * The recorder hit an internal error: stop recording now; the flusher says so once and closes
     * the trace with what was recorded. Only field writes here (no lock, no allocation, no I/O), so
     * it works with an almost exhausted stack and never blocks the program.
     */
    public static void fail(Throwable t) {
        if (on) {
            keepPoints = pointsOnPlain;
        }
        on = false;
        if (failure == null) {
            failure = t;
        }
    }

    private static ThreadRecorder newRecorder() {
        try {
            ThreadRecorder r;
            synchronized (Rec.class) {
                TraceWriter w = writer;
                if (w == null) {
                    return new ThreadRecorder(-1, null, generation); // not recording now: into the void
                }
                Thread t = Thread.currentThread();
                int id = w.addThread(t.getName(), t.getId());
                r = new ThreadRecorder(id, pipe, generation);
                RECORDERS.add(r);
            }
            RJava.threadBegins(r); // outside Rec.class: it takes a shadow lock
            return r;
        } catch (Throwable t) {
            fail(t);
            return new ThreadRecorder(-1, null, generation); // records into the void from now on
        }
    }

    static ThreadRecorder me() {
        ThreadRecorder r = CURRENT.get();
        if (r.generation != generation) {
            if (r.inAccess == 0) {
                dropBiasOutside(r);
            } // else: inside an access (current(r), ptr(v) in readEndA) that ends with r; a waiter steals the bias later
            r = newRecorder();
            CURRENT.set(r);
        }
        return r;
    }

    /**
     * This thread's recorder, given what an instrumented method keeps in its recorder slot (a local the
     * agent adds to every method it rewrites, null at method entry): {@code rec} itself while it belongs
     * to the current trace, else the thread-local lookup. So a method that records many accesses looks
     * its recorder up once per invocation, not once per access. The slot only ever holds a recorder of
     * the thread running the method (it is a local of that thread's frame).
     */
    static ThreadRecorder me(Object rec) {
        if (rec != null) {
            ThreadRecorder r = (ThreadRecorder) rec;
            if (r.generation == generation) {
                return r;
            }
        }
        return me();
    }

    /**
     * Before a call of a marked primitive's twin: the recorder to keep in the method's recorder slot and to
     * pass to the twin (see {@link #me(Object)}); null while not recording.
     */
    public static Object mine(Object rec) {
        if (!on) {
            return null;
        }
        try {
            return me(rec);
        } catch (Throwable t) {
            fail(t);
            return null;
        }
    }

    // ---- dictionaries -------------------------------------------------------------------------------

    /** A new source site (instrumentation time): its id in every trace of this JVM. */
    public static int siteId(String className, String method, String file, int line) {
        synchronized (Rec.class) {
            SITES.add(new String[] {className, method, file, String.valueOf(line)});
            int id = SITES.size(); // site 0 = no site
            TraceWriter w = writer;
            if (w != null) {
                w.putSite(id, className, method, file, line);
            }
            return id;
        }
    }

    /** The trace field id of owner#name (instrumentation time, and first use of a Field handle). */
    public static int fieldId(String ownerInternalName, String name, String type) {
        String owner = ownerInternalName.replace('/', '.');
        String key = owner + "#" + name;
        Integer id = FIELD_IDS.get(key);
        if (id != null) {
            return id;
        }
        synchronized (Rec.class) {
            id = FIELD_IDS.get(key);
            if (id == null) {
                id = FIELDS.size();
                FIELDS.add(new String[] {owner, name, type});
                TraceWriter w = writer;
                if (w != null) {
                    w.putField(id, owner, name, type);
                }
                FIELD_IDS.put(key, id);
            }
            return id;
        }
    }

    static int fieldId(Field f) {
        int id = f.traceId;
        if (id < 0) {
            id = fieldId(f.ownerInternalName(), f.name, f.descriptor());
            f.traceId = id;
        }
        return id;
    }

    static int classId(Class<?> c) {
        return CLASS_IDS.get(c);
    }

    /** The value a pointer has in the trace: the object's id, 0 for NULL. */
    static long ptr(Object o) {
        if (o == null) {
            return 0;
        }
        if (o instanceof KernelObject) {
            return ((KernelObject) o).oid;
        }
        return foreign(o).oid;
    }

    static ArrayShadow foreign(Object o) {
        ArrayShadow s = FOREIGN.get(o);
        if (s == null) {
            s = FOREIGN.putIfAbsent(o, new ArrayShadow(KernelObject.allocateOid()));
        }
        if (s.announced != generation && on) {
            // every trace names the class of each non-kernel object it mentions (once per trace)
            s.announced = generation;
            ThreadRecorder r = me();
            r.room();
            r.control(EventKind.ALLOC, 0, s.oid, classId(o.getClass()));
            r.end();
            String name = o instanceof Class ? ((Class<?>) o).getName() : OBJ_NAMES.get(o); // a class's static fields: after the class
            if (name != null) {
                r.room();
                r.controlText(EventKind.NAME, 0, s.oid, name);
                r.end();
            }
            // ptr(v) runs inside accesses (readEndA, the pointer twins) whose event follows with no room
            // check of its own (readInRoom/writeInRoom): leave the room they count on
            r.room();
        }
        return s;
    }

    // ---- shadow locking -----------------------------------------------------------------------------

    // A shadow lock is held for one access and its record. Waiting spins briefly, then yields the
    // core (64 threads on 2 cores: the holder may be preempted), and gives up once recording is
    // off, so a lock left held (a StackOverflowError between lock and unlock) cannot hang the
    // program; held for LOCK_GIVE_UP_NANOS, it stops the recording.

    private static final int SPINS = 64;
    private static final long LOCK_GIVE_UP_NANOS = 2_000_000_000L;

    // A KernelObject's shadow lock word: 0 free; LOCKED (1) held for one access; NOBIAS (8) free and
    // never biased again (it was contended), NOBIAS|LOCKED held; or a bias word (tag << 3 | BIASED) with
    // WANTED (4) set by a thread that waits for it. A lock biased to a thread stays its own between its
    // accesses: its next access to the same object checks the word (a plain load) instead of a
    // compare-and-set. The word never says free while any thread is inside an access, so mutual
    // exclusion needs no fence on the owner's side. A thread that wants a biased lock sets WANTED; the
    // owner hands the lock over (to NOBIAS) at its next access or access end; an owner that does not
    // come back (blocked, spinning in code the agent does not see, ended) loses the bias to the waiter
    // after a safepoint shows it outside any access (steal). Biased only while no scheduling hook is
    // installed (a controlled machine switches threads at every point, where a bias would only be in
    // the way).
    //
    // Why the owner needs no fence (an asymmetric Dekker handshake). Owner O: S = inAccess := 1
    // (opaque), then L = load of the word; if L sees O's bias word, O goes on without a CAS. Waiter W:
    // CAS the word to bias|WANTED, then t.getStackTrace() (H: a handshake or safepoint with O), then read
    // inAccess and steal only if 0. Let P be the point in O's program order where O takes part in H (a
    // poll in Java code, or a transition into a safe state: blocked, native). HotSpot orders O's accesses
    // before P with everything W does after H returns, and W's CAS (done before H) with O's accesses after
    // P. So: P before S: L comes after P and sees WANTED (or the stolen word): O takes the slow path. P
    // after S and before O's access ends: W reads inAccess = 1 and does not steal. P after the access's
    // end: the whole access, its event included, happens before W's steal. Opaque accesses keep C2 from
    // moving S below L, and there is no poll between them. The other paths: handOver and dropBias/
    // dropBiasOutside take a wanted word with a CAS (to NOBIAS), so a thief's and the owner's updates
    // cannot both succeed; dropBias's plain store of 0 runs inside an access (inAccess = 1), so no steal
    // can race with it, and a WANTED it overwrites only sends the waiter round again to a free word. A
    // NOBIAS word is never biased again, so a stale r.biased can never match its word again (no ABA). An
    // ended owner (Thread.isAlive false: its writes happen before) or an unreachable recorder is stolen
    // from without a handshake; its committed events reach the trace with the next cut or at stop, as a
    // thread's events always did after an unlock. This relies on HotSpot's handshake semantics, not on
    // the Java memory model. lock()/unlock() (RJava, writeValue, resetShadows) meet a biased word in
    // lockSlow: their own bias is converted to a plain lock, another thread's is wanted and stolen like
    // lockBiased's. ArrayShadow locks are never biased.

    static final int LOCKED = 1;
    static final int BIASED = 2;
    static final int WANTED = 4;
    static final int NOBIAS = 8;
    /** How long a waiter lets a biased owner come back before it looks whether it can steal the bias. */
    private static final long STEAL_AFTER_NANOS = Long.getLong("smptrace.biasStealMicros", 100) * 1000L;
    /** -Dsmptrace.bias=false: never bias (every access takes the lock with a compare-and-set). */
    private static final boolean BIAS = !"false".equals(System.getProperty("smptrace.bias"));
    /**
     * -Dsmptrace.test.biasNoHandshake=true (the agent's tests only): a broken protocol that steals from a live
     * owner without the handshake, to see whether BiasedShadowLockIT notices (it may not: the window is small).
     */
    private static final boolean NO_HANDSHAKE = Boolean.getBoolean("smptrace.test.biasNoHandshake");
    private static final VarHandle IN_ACCESS;
    private static final Sched.Hook DEFAULT_HOOK;
    private static final java.util.concurrent.atomic.AtomicInteger TAGS = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * -Dsmptrace.test.biasStats=true (the agent's tests): how often each way of the protocol was taken (a lock
     * biased, a wanted bias handed over by its owner, stolen from a live owner after a handshake, stolen from a
     * gone owner); printed to stderr when the JVM exits. Counted on slow paths only.
     */
    private static final boolean BIAS_STATS = Boolean.getBoolean("smptrace.test.biasStats");
    private static final java.util.concurrent.atomic.AtomicLongArray BIAS_COUNTS = new java.util.concurrent.atomic.AtomicLongArray(4);
    private static final int BIASED_COUNT = 0;
    private static final int HANDED_OVER = 1;
    private static final int STOLEN_LIVE = 2;
    private static final int STOLEN_GONE = 3;

    private static void count(int what) {
        if (BIAS_STATS) {
            BIAS_COUNTS.incrementAndGet(what);
        }
    }

    /** The bias counts (-Dsmptrace.test.biasStats), as printed at exit. */
    static String biasStats() {
        return "smptrace agent: bias biased=" + BIAS_COUNTS.get(BIASED_COUNT) + " handedOver=" + BIAS_COUNTS.get(HANDED_OVER)
                + " stolenLive=" + BIAS_COUNTS.get(STOLEN_LIVE) + " stolenGone=" + BIAS_COUNTS.get(STOLEN_GONE);
    }
    /** Bias tag -> its recorder (weak: a recorder nobody refers to is in no access). */
    private static final ConcurrentHashMap<Integer, java.lang.ref.WeakReference<ThreadRecorder>> BIASERS =
            new ConcurrentHashMap<>();

    static {
        try {
            IN_ACCESS = MethodHandles.lookup().findVarHandle(ThreadRecorder.class, "inAccess", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        Sched.Hook h = Sched.installed();
        DEFAULT_HOOK = h.getClass().getNestHost() == Sched.class ? h : null;
    }

    /** Locks o; false (not locked) once recording is off. */
    static boolean lock(KernelObject o) {
        if (KOBJ_LOCK.compareAndSet(o, 0, LOCKED)) {
            return true;
        }
        return lockSlow(o, null, null);
    }

    /** Releases a lock taken by lock(o) (LOCKED or NOBIAS|LOCKED: nobody else changes a held word). */
    static void unlock(KernelObject o) {
        int w = (int) KOBJ_LOCK.getOpaque(o);
        KOBJ_LOCK.setRelease(o, w & ~LOCKED);
    }

    /**
     * Locks o for one access by r's thread, keeping it biased to r afterwards; end the access with
     * {@link #endAccess}. False (not locked) once recording is off.
     */
    static boolean lockBiased(KernelObject o, ThreadRecorder r) {
        IN_ACCESS.setOpaque(r, 1);
        if (r.biased == o && (int) KOBJ_LOCK.getOpaque(o) == r.biasWord) {
            return true; // still ours, and nobody waits for it
        }
        if (lockBiasedSlow(o, r)) {
            return true;
        }
        IN_ACCESS.setRelease(r, 0);
        return false;
    }

    /** Ends an access begun by lockBiased (or by lock: then it unlocks): hands the lock over if wanted. */
    static void endAccess(ThreadRecorder r, KernelObject o) {
        int w = (int) KOBJ_LOCK.getOpaque(o);
        if ((w & BIASED) == 0) {
            KOBJ_LOCK.setRelease(o, w & ~LOCKED);
        } else if (w != r.biasWord) {
            handOver(r, o, w);
        }
        IN_ACCESS.setRelease(r, 0);
    }

    /** r's bias on o is wanted (w: bias | WANTED): free o for good (NOBIAS). Owner thread only. */
    private static void handOver(ThreadRecorder r, KernelObject o, int w) {
        if (w == (r.biasWord | WANTED) && KOBJ_LOCK.compareAndSet(o, w, NOBIAS)) { // fails only if a stealer took it
            count(HANDED_OVER);
        }
        if (r.biased == o) {
            r.biased = null;
        }
    }

    /**
     * Owner thread, inside an access (inAccess set): drops r's bias on another object. A plain store
     * suffices unless it is wanted: a stealer never takes a bias whose owner may be inside an access.
     */
    private static void dropBias(ThreadRecorder r) {
        KernelObject b = r.biased;
        if (b == null) {
            return;
        }
        r.biased = null;
        int w = (int) KOBJ_LOCK.getOpaque(b);
        if (w == r.biasWord) {
            KOBJ_LOCK.setRelease(b, 0);
        } else if (w == (r.biasWord | WANTED) && KOBJ_LOCK.compareAndSet(b, w, NOBIAS)) {
            count(HANDED_OVER);
        }
    }

    /** Owner thread, outside any access (a new trace's recorder replaces r): drops r's bias by CAS. */
    static void dropBiasOutside(ThreadRecorder r) {
        KernelObject b = r.biased;
        if (b == null) {
            return;
        }
        r.biased = null;
        int w = (int) KOBJ_LOCK.getOpaque(b);
        if (w == r.biasWord) {
            KOBJ_LOCK.compareAndSet(b, w, 0);
        } else if (w == (r.biasWord | WANTED) && KOBJ_LOCK.compareAndSet(b, w, NOBIAS)) {
            count(HANDED_OVER);
        }
    }

    /** Before the thread may stop for long (a sync event, a wait, a park): drops its bias, if any. */
    static void dropBiasOf(ThreadRecorder r) {
        if (r != null && r.biased != null) {
            dropBiasOutside(r);
        }
    }

    private static boolean lockBiasedSlow(KernelObject o, ThreadRecorder r) {
        if (r.biased != null && r.biased != o) {
            dropBias(r);
        }
        int w = (int) KOBJ_LOCK.getOpaque(o);
        if (w == r.biasWord && w != 0) {
            r.biased = o; // ours already (r.biased was cleared by a failure, say)
            return true;
        }
        if (w == (r.biasWord | WANTED) && r.biasWord != 0) {
            handOver(r, o, w); // someone waits for it: it is contended, hand it over and queue like anyone
        } else if (w == 0 && BIAS && Sched.installed() == DEFAULT_HOOK && DEFAULT_HOOK != null) {
            int bw = r.biasWord;
            if (bw == 0) {
                bw = newBiasWord(r);
            }
            if (bw != 0 && KOBJ_LOCK.compareAndSet(o, 0, bw)) {
                r.biased = o;
                count(BIASED_COUNT);
                return true;
            }
        } else if (w == 0 && KOBJ_LOCK.compareAndSet(o, 0, LOCKED)) {
            return true;
        }
        return lockSlow(o, null, r);
    }

    private static int newBiasWord(ThreadRecorder r) {
        int tag = TAGS.incrementAndGet();
        if (tag >= 1 << 28) {
            return 0; // out of tags: this recorder does not bias
        }
        BIASERS.put(tag, new java.lang.ref.WeakReference<>(r));
        if ((tag & 1023) == 0) {
            BIASERS.values().removeIf(ref -> ref.get() == null);
        }
        r.biasWord = tag << 3 | BIASED;
        return r.biasWord;
    }

    static boolean lock(ArrayShadow s) {
        if (ARR_LOCK.compareAndSet(s, 0, 1)) {
            return true;
        }
        return lockSlow(null, s, null);
    }

    /**
     * Waits for o's (or s's) lock. For o: a word biased to another thread gets WANTED and, once its owner
     * stays away, is stolen ({@link #steal}); a word biased to this thread is converted (the caller locks
     * it as an ordinary lock). {@code me}: the caller's recorder if known.
     */
    private static boolean lockSlow(KernelObject o, ArrayShadow s, ThreadRecorder me) {
        long since = 0;
        long waitStart = 0;
        for (int i = 1; ; i++) {
            if (o == null) {
                if (ARR_LOCK.compareAndSet(s, 0, 1)) {
                    return true;
                }
            } else {
                int w = (int) KOBJ_LOCK.getOpaque(o);
                if ((w & LOCKED) == 0 && (w & BIASED) == 0) {
                    if (KOBJ_LOCK.compareAndSet(o, w, w | LOCKED)) { // 0 -> LOCKED, NOBIAS -> NOBIAS|LOCKED
                        return true;
                    }
                    continue;
                }
                if ((w & BIASED) != 0) {
                    if (me == null) {
                        me = CURRENT.get();
                    }
                    int bw = w & ~WANTED;
                    if (bw == me.biasWord) { // our own bias, taken by an ordinary locker of this thread
                        if (KOBJ_LOCK.compareAndSet(o, w, (w & WANTED) != 0 ? NOBIAS | LOCKED : LOCKED)) {
                            if (me.biased == o) {
                                me.biased = null;
                            }
                            return true;
                        }
                        continue;
                    }
                    if ((w & WANTED) == 0) {
                        KOBJ_LOCK.compareAndSet(o, w, w | WANTED);
                        continue;
                    }
                    long now = System.nanoTime();
                    if (waitStart == 0) {
                        waitStart = now;
                    } else if (now - waitStart > STEAL_AFTER_NANOS || i == SPINS) {
                        if (steal(o, w, i == SPINS)) {
                            return true;
                        }
                        if (i != SPINS) {
                            waitStart = now;
                        }
                    }
                }
            }
            if (!on || failure != null) {
                return false;
            }
            if (i < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if ((i & 1023) == 0) {
                long now = System.nanoTime();
                if (since == 0) {
                    since = now;
                } else if (now - since > LOCK_GIVE_UP_NANOS) {
                    fail(new IllegalStateException("a shadow lock stayed held for "
                            + LOCK_GIVE_UP_NANOS / 1_000_000_000L + " s; its holder left the agent's code without releasing it"));
                    return false;
                }
            }
        }
    }

    /**
     * Takes o's lock (word w: a bias with WANTED) from an owner that is not inside an access: one that is
     * gone (its recorder unreachable, its thread ended: Thread.isAlive gives the ended thread's writes), or
     * unless {@code onlyIfGone}, one that a safepoint shows outside any access. The safepoint (a stack trace
     * of the owner) serialises the owner: either its inAccess store is visible here, or its next check of
     * the word sees WANTED and it takes the slow path. Locked as NOBIAS|LOCKED.
     */
    private static boolean steal(KernelObject o, int w, boolean onlyIfGone) {
        java.lang.ref.WeakReference<ThreadRecorder> ref = BIASERS.get(w >>> 3);
        ThreadRecorder owner = ref == null ? null : ref.get();
        Thread t = owner == null ? null : owner.owner();
        boolean gone = owner == null || t == null || t == Thread.currentThread() || !t.isAlive();
        if (!gone) {
            if (onlyIfGone) {
                return false;
            }
            if (!NO_HANDSHAKE) {
                t.getStackTrace(); // a handshake: the owner is stopped at a poll or outside Java code
            }
            if ((int) IN_ACCESS.getAcquire(owner) != 0) {
                return false;
            }
        }
        if (!KOBJ_LOCK.compareAndSet(o, w, NOBIAS | LOCKED)) {
            return false;
        }
        count(gone ? STOLEN_GONE : STOLEN_LIVE);
        return true;
    }

    static void unlock(ArrayShadow s) {
        ARR_LOCK.setRelease(s, 0);
    }

    /** The (co, reads) pair array of o covering slot, grown under o's lock. */
    static int[] shadow(KernelObject o, int slot) {
        int[] s = o.shadowCo;
        if (s == null || s.length <= 2 * slot + 1) {
            int[] bigger = new int[Math.max(2 * slot + 2, 8)];
            if (s != null) {
                System.arraycopy(s, 0, bigger, 0, s.length);
            } else {
                registerShadow(o);
            }
            o.shadowCo = s = bigger;
        }
        return s;
    }

    static int[] shadow(ArrayShadow a, int slot) {
        int[] s = a.co;
        if (s == null || s.length <= 2 * slot + 1) {
            int[] bigger = new int[Math.max(2 * slot + 2, 8)];
            if (s != null) {
                System.arraycopy(s, 0, bigger, 0, s.length);
            } else {
                registerShadow(a);
            }
            a.co = s = bigger;
        }
        return s;
    }

    // ---- encoding of memory events (caller holds the object's shadow lock) --------------------------

    static void read(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long value) {
        r.room();
        readInRoom(r, k, site, loc, sh, slot, value);
    }

    /**
     * As read, for the hot paths whose access began with r.room() (readBegin, acquire) and encoded
     * nothing since: the room is still there, and checking it twice per event is measurable.
     */
    static void readInRoom(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long value) {
        long co = sh[2 * slot];
        sh[2 * slot + 1]++;
        r.read(k, site, loc, value, co);
        r.end();
    }

    static void write(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long value) {
        r.room();
        writeInRoom(r, k, site, loc, sh, slot, value);
    }

    /** As write, after r.room() with nothing encoded since (see readInRoom). */
    static void writeInRoom(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long value) {
        long co = ++sh[2 * slot];
        int readsOfPrev = sh[2 * slot + 1];
        sh[2 * slot + 1] = 0;
        r.write(k, site, loc, value, co, readsOfPrev);
        r.end();
    }

    static void rmw(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long old, long nv) {
        long co = ++sh[2 * slot];
        int readsOfPrev = sh[2 * slot + 1];
        sh[2 * slot + 1] = 0;
        r.room();
        r.rmw(k, site, loc, old, nv, co, readsOfPrev);
        r.end();
    }

    static void failedRmw(ThreadRecorder r, EventKind k, int site, long loc, int[] sh, int slot, long value, long expected) {
        long co = sh[2 * slot];
        sh[2 * slot + 1]++;
        r.room();
        r.failedRmw(k, site, loc, value, expected, co);
        r.end();
    }

    static long loc(int oid, int slot) {
        return ((long) oid << 16) | (slot & 0xffff);
    }

    // ---- plain accesses (bytecode GETFIELD / PUTFIELD / xALOAD / xASTORE) -----------------------------
    //
    // Reads:  DUP; readBegin(o, field, site) -> r; SWAP; GETFIELD; DUP_X1; readEnd(r, v)
    // Writes: DUP2; write(o, v, field, site) -> r; DUP_X2; POP; PUTFIELD; writeEnd(r)
    // The recorder r travels on the operand stack, so an access costs one thread-local lookup.
    // Long/double fields and array stores, whose stack shapes do not allow that, keep r in the
    // recorder's pending slot instead (preWrite / writeValue / postWrite).

    /** Before a plain load: a scheduling point, then lock the object. Returns the recorder, or null. */
    public static Object readBegin(Object o, int fieldId, int site) {
        return readBegin(o, fieldId, site, null);
    }

    /** As readBegin, with the method's recorder slot; the instrumented code keeps the result in the slot. */
    public static Object readBegin(Object o, int fieldId, int site, Object rec) {
        if (!(o instanceof KernelObject)) {
            return null;
        }
        if (!on) {
            if (keepPoints) {
                Sched.point();
            }
            return null;
        }
        if (pointsOnPlain) {
            Sched.point(); // outside the try: the scheduler may end a task by throwing
        }
        try {
            KernelObject k = (KernelObject) o;
            ThreadRecorder r = me(rec);
            r.room();
            if (!lockBiased(k, r)) {
                return null;
            }
            r.pend(k, loc(k.oid, fieldId), fieldId, site);
            return r;
        } catch (Throwable t) {
            fail(t);
            return null;
        }
    }

    public static Object arrayReadBegin(Object array, int index, int site) {
        return arrayReadBegin(array, index, site, null);
    }

    /** As arrayReadBegin, with the method's recorder slot. */
    public static Object arrayReadBegin(Object array, int index, int site, Object rec) {
        if (array == null) {
            return null;
        }
        if (!on) {
            if (keepPoints) {
                Sched.point();
            }
            return null;
        }
        if (pointsOnPlain) {
            Sched.point();
        }
        try {
            if (index < 0 || index >= java.lang.reflect.Array.getLength(array) || index > 0xffff) {
                return null; // the load throws; nothing happened to record
            }
            ThreadRecorder r = me(rec);
            ArrayShadow a = foreign(array);
            r.room();
            if (!lock(a)) {
                return null;
            }
            r.pend(a, loc(a.oid, index), index, site);
            return r;
        } catch (Throwable t) {
            fail(t);
            return null;
        }
    }

    public static void readEndI(Object r, int v) {
        if (r != null) {
            readEnd((ThreadRecorder) r, v);
        }
    }

    public static void readEndJ(Object r, long v) {
        if (r != null) {
            readEnd((ThreadRecorder) r, v);
        }
    }

    public static void readEndF(Object r, float v) {
        if (r != null) {
            readEnd((ThreadRecorder) r, Float.floatToRawIntBits(v));
        }
    }

    public static void readEndD(Object r, double v) {
        if (r != null) {
            readEnd((ThreadRecorder) r, Double.doubleToRawLongBits(v));
        }
    }

    public static void readEndA(Object r, Object v) {
        if (r != null) {
            long value = 0;
            try {
                value = ptr(v);
            } catch (Throwable t) {
                fail(t);
            }
            readEnd((ThreadRecorder) r, value);
        }
    }

    private static void readEnd(ThreadRecorder r, long v) {
        Object o = r.pendObj;
        try {
            if (on) {
                int[] sh = o instanceof KernelObject ? shadow((KernelObject) o, r.pendIdx) : shadow((ArrayShadow) o, r.pendIdx);
                readInRoom(r, EventKind.R_PLAIN, r.pendSite, r.pendLoc, sh, r.pendIdx, v);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            endPending(r, o);
        }
    }

    /** A plain store of an int-like value: point, lock, record. The store follows; then writeEnd. */
    public static Object writeI(Object o, int v, int fieldId, int site) {
        return write(o, v, fieldId, site, null);
    }

    public static Object writeF(Object o, float v, int fieldId, int site) {
        return write(o, Float.floatToRawIntBits(v), fieldId, site, null);
    }

    public static Object writeA(Object o, Object v, int fieldId, int site) {
        return writeA(o, v, fieldId, site, null);
    }

    /** The write* hooks with the method's recorder slot; the instrumented code keeps the result in the slot. */
    public static Object writeI(Object o, int v, int fieldId, int site, Object rec) {
        return write(o, v, fieldId, site, rec);
    }

    public static Object writeF(Object o, float v, int fieldId, int site, Object rec) {
        return write(o, Float.floatToRawIntBits(v), fieldId, site, rec);
    }

    public static Object writeA(Object o, Object v, int fieldId, int site, Object rec) {
        if (!on || !(o instanceof KernelObject)) {
            return write(o, 0, fieldId, site, rec); // not recording: only the scheduling point, if any
        }
        long value;
        try {
            value = ptr(v);
        } catch (Throwable t) {
            fail(t);
            return null;
        }
        return write(o, value, fieldId, site, rec);
    }

    private static Object write(Object o, long v, int fieldId, int site, Object rec) {
        if (!(o instanceof KernelObject)) {
            return null;
        }
        if (!on) {
            if (keepPoints) {
                Sched.point();
            }
            return null;
        }
        if (pointsOnPlain) {
            Sched.point();
        }
        KernelObject k = (KernelObject) o;
        try {
            ThreadRecorder r = me(rec);
            r.room();
            if (!lockBiased(k, r)) {
                return null;
            }
            try {
                writeInRoom(r, EventKind.W_PLAIN, site, loc(k.oid, fieldId), shadow(k, fieldId), fieldId, v);
            } catch (Throwable t) {
                fail(t);
            }
            r.pendObj = k;
            return r;
        } catch (Throwable t) {
            fail(t);
            return null;
        }
    }

    /** After the store: release the lock write() took. */
    public static void writeEnd(Object r) {
        if (r != null) {
            ThreadRecorder t = (ThreadRecorder) r;
            endPending(t, t.pendObj);
        }
    }

    /** Long/double fields: before PUTFIELD, a scheduling point; the value and the lock come with writeValue*. */
    public static void preWrite(Object o, int fieldId, int site) {
        if (!on) {
            if (keepPoints && o instanceof KernelObject) {
                Sched.point();
            }
            return;
        }
        if (pointsOnPlain && o instanceof KernelObject) {
            Sched.point();
        }
        try {
            ThreadRecorder r = me();
            r.pending = false;
            if (o instanceof KernelObject && on) {
                KernelObject k = (KernelObject) o;
                r.pend(k, loc(k.oid, fieldId), fieldId, site);
                r.pending = true;
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Array stores: as preWrite, for element {@code index}. */
    public static void preArrayWrite(Object array, int index, int site) {
        if (array == null) {
            return;
        }
        if (!on) {
            if (keepPoints) {
                Sched.point();
            }
            return;
        }
        if (pointsOnPlain) {
            Sched.point();
        }
        try {
            ThreadRecorder r = me();
            r.pending = false;
            if (!on || index < 0 || index >= java.lang.reflect.Array.getLength(array) || index > 0xffff) {
                return;
            }
            ArrayShadow a = foreign(array);
            r.pend(a, loc(a.oid, index), index, site);
            r.pending = true;
        } catch (Throwable t) {
            fail(t);
        }
    }

    public static void writeValueI(int v) {
        writeValue(v);
    }

    public static void writeValueJ(long v) {
        writeValue(v);
    }

    public static void writeValueF(float v) {
        writeValue(Float.floatToRawIntBits(v));
    }

    public static void writeValueD(double v) {
        writeValue(Double.doubleToRawLongBits(v));
    }

    public static void writeValueA(Object v) {
        if (!on) {
            return;
        }
        long value;
        try {
            value = ptr(v);
        } catch (Throwable t) {
            me().pending = false;
            fail(t);
            return;
        }
        writeValue(value);
    }

    /** Locks the object and records the write; the lock is held until {@link #postWrite()}. */
    private static void writeValue(long v) {
        if (!on) {
            return;
        }
        ThreadRecorder r = me();
        if (!r.pending) {
            return;
        }
        Object o = r.pendObj;
        r.room();
        if (!(o instanceof KernelObject ? lock((KernelObject) o) : lock((ArrayShadow) o))) {
            r.pending = false;
            return;
        }
        r.pendLockOwner = o;
        try {
            int[] sh = o instanceof KernelObject ? shadow((KernelObject) o, r.pendIdx) : shadow((ArrayShadow) o, r.pendIdx);
            write(r, EventKind.W_PLAIN, r.pendSite, r.pendLoc, sh, r.pendIdx, v);
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** After PUTFIELD (long/double) or xASTORE: release the lock writeValue took. */
    public static void postWrite() {
        try {
            ThreadRecorder r = CURRENT.get();
            Object o = r.pendLockOwner;
            r.pending = false;
            if (o != null) {
                r.pendLockOwner = null;
                unlockPending(o);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** Ends the access of a read or write bracket: endAccess for kernel memory (biased or not), else unlock. */
    private static void endPending(ThreadRecorder r, Object o) {
        if (o instanceof KernelObject) {
            endAccess(r, (KernelObject) o);
        } else if (o instanceof ArrayShadow) {
            unlock((ArrayShadow) o);
        }
    }

    private static void unlockPending(Object o) {
        if (o instanceof KernelObject) {
            unlock((KernelObject) o);
        } else if (o instanceof ArrayShadow) {
            unlock((ArrayShadow) o);
        }
    }

    // ---- helpers for the recording twins of marked primitives ---------------------------------------

    /**
     * Locks p's shadow if recording; returns the recorder to pass to the rec* calls and release (null:
     * not recording). The recorder holds the locked object ({@link ThreadRecorder#held}) until release, so
     * a marked primitive costs one thread-local lookup, not one per call.
     */
    static ThreadRecorder acquire(Object p) {
        return acquire(p, null);
    }

    /** As {@link #acquire(Object)}, with the caller's recorder slot ({@link #mine}). */
    static ThreadRecorder acquire(Object p, Object rec) {
        if (!on || !(p instanceof KernelObject)) {
            return null;
        }
        KernelObject k = (KernelObject) p;
        ThreadRecorder r;
        try {
            r = me(rec);
            r.room(); // a full block is handed off before the lock, not while others wait for it
        } catch (Throwable t) {
            fail(t);
            return null;
        }
        if (!lockBiased(k, r)) {
            return null;
        }
        r.held = k;
        return r;
    }

    static void release(ThreadRecorder r) {
        if (r != null) {
            KernelObject k = r.held;
            r.held = null;
            endAccess(r, k);
        }
    }

    /** The recorder to encode into: r, unless a new trace began since acquire (then this thread's new one). */
    private static ThreadRecorder current(ThreadRecorder r) {
        if (r.generation == generation) {
            return r;
        }
        ThreadRecorder now = me();
        now.room(); // the new trace's recorder: acquire made room in the old one
        return now;
    }

    static void recRead(ThreadRecorder r, Field f, EventKind kind, int site, long v) {
        if (r == null) {
            return;
        }
        try {
            KernelObject k = r.held;
            int fid = fieldId(f);
            readInRoom(current(r), kind, site, loc(k.oid, fid), shadow(k, fid), fid, v);
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recWrite(ThreadRecorder r, Field f, EventKind kind, int site, long v) {
        if (r == null) {
            return;
        }
        try {
            KernelObject k = r.held;
            int fid = fieldId(f);
            writeInRoom(current(r), kind, site, loc(k.oid, fid), shadow(k, fid), fid, v);
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** A cmpxchg-like outcome: a successful RMW (kind) or a failed one (failKind, a read only). */
    static void recCas(ThreadRecorder r, Field f, EventKind kind, EventKind failKind, int site, long witness, long expected, long nv) {
        if (r == null) {
            return;
        }
        try {
            KernelObject k = r.held;
            int fid = fieldId(f);
            if (witness == expected) {
                rmw(current(r), kind, site, loc(k.oid, fid), shadow(k, fid), fid, witness, nv);
            } else {
                failedRmw(current(r), failKind, site, loc(k.oid, fid), shadow(k, fid), fid, witness, expected);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recRmw(ThreadRecorder r, Field f, EventKind kind, int site, long old, long nv) {
        if (r == null) {
            return;
        }
        try {
            KernelObject k = r.held;
            int fid = fieldId(f);
            rmw(current(r), kind, site, loc(k.oid, fid), shadow(k, fid), fid, old, nv);
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** An event with no location: fences and control events with integer arguments. */
    static void recSimple(EventKind kind, int site) {
        if (!on) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.bare(kind, site);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recArgs(EventKind kind, int site, long a, long b, int nargs) {
        if (!on) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.control(kind, site, a, b);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recArgText(EventKind kind, int site, long a, String text) {
        if (!on) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.controlText(kind, site, a, text);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recLocation(EventKind kind, int site, Object p, Field f) {
        if (!on || !(p instanceof KernelObject)) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.control(kind, site, loc(((KernelObject) p).oid, fieldId(f)), 0);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recAlloc(KernelObject o) {
        if (!on) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.control(EventKind.ALLOC, 0, o.oid, classId(o.getClass()));
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    static void recName(KernelObject o, String name) {
        if (!on || o == null) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.controlText(EventKind.NAME, 0, o.oid, name);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** NAME of an object that is not a KernelObject: kept with its shadow, so every later trace names it too. */
    static void recObjName(Object o, String name) {
        if (o == null || o instanceof KernelObject) {
            if (o != null) {
                recName((KernelObject) o, name);
            }
            return;
        }
        try {
            OBJ_NAMES.put(o, name);
            ArrayShadow s = FOREIGN.get(o);
            if (s == null) {
                s = FOREIGN.putIfAbsent(o, new ArrayShadow(KernelObject.allocateOid()));
            }
            if (on) {
                if (s.announced == generation) {
                    ThreadRecorder r = me();
                    r.room();
                    r.controlText(EventKind.NAME, 0, s.oid, name);
                    r.end();
                } else {
                    foreign(o); // its ALLOC and NAME in this trace
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** ROLE: what the object is to kernel/smp.c (declared by the engine when it creates it). */
    static void recRole(KernelObject o, int role, int cpu, int index, int site) {
        if (!on || o == null) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.role(site, o.oid, role, cpu, index);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** KFREE: the object died (kfree, free_percpu, or the end of the stack frame that held it). */
    static void recFree(KernelObject o, int how, int site) {
        if (!on || o == null) {
            return;
        }
        try {
            ThreadRecorder r = me();
            r.room();
            r.control(EventKind.KFREE, site, o.oid, how);
            r.end();
        } catch (Throwable t) {
            fail(t);
        }
    }
}

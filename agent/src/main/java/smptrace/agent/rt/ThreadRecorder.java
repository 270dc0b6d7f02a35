package smptrace.agent.rt;

import smptrace.trace.BlockEncoder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One recording thread's block buffer. Only the owner encodes into it. A full block goes to the
 * background writer and the owner continues in its second buffer (two per thread, recycled: no
 * allocation in steady state).
 *
 * <p>Another thread (the periodic flusher, shutdown, a failure) can hand off what the owner has
 * finished without stopping it: under this object's lock it copies the events published in
 * {@link #committed} that were not handed off yet ({@link #cut()}), so a thread that stops
 * recording (parked, waiting, killed) still has its events in the trace within one flush period,
 * and no half-written event ever reaches the trace. The owner's next flush sends only the rest.
 */
final class ThreadRecorder extends BlockEncoder {
    private static final VarHandle COMMITTED;

    static {
        try {
            COMMITTED = MethodHandles.lookup().findVarHandle(ThreadRecorder.class, "committed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int tid;
    /** The thread, for a thread that steals a bias from this recorder (Rec.steal). */
    Thread owner() {
        return ownerThread.get();
    }

    private final BlockPipe pipe;
    /** The buffer the writer handed back; null while both are in use. */
    private volatile byte[] spare = new byte[BLOCK];
    /**
     * The recording thread, for the writer's wake-up. Weak: RJava's thread map holds recorders as values of
     * weak Thread keys, and a strong reference back would keep every finished thread (and its buffers) alive.
     */
    private final java.lang.ref.WeakReference<Thread> ownerThread;
    /**
     * (events << 32) | bytes fully encoded in buf, published together so another thread can cut there. The
     * owner's own count of complete events and the end of the last complete one: one store per event.
     */
    private long committed;
    private long firstSeq;
    /** Events and bytes at the start of buf already handed off by cut(); guarded by this. */
    private int sentEvents;
    private int sentBytes;
    private boolean closed;

    // the access in progress, between a pre* call and its post* call
    Object pendObj;
    long pendLoc;
    int pendSite;
    int pendIdx;
    Object pendLockOwner;
    boolean pending;
    /** The object a marked primitive locked (Rec.acquire), until Rec.release. */
    smptrace.kernel.KernelObject held;

    // ---- the owner-biased shadow lock (Rec.lockBiased) ----
    /** The object whose shadow lock is biased to this recorder (kept across its accesses), or null. */
    smptrace.kernel.KernelObject biased;
    /** This recorder's bias word (Rec.biasWordOf(tag)); 0 until it first biases a lock. */
    int biasWord;
    /**
     * 1 while this thread is inside a biased-path access (from its bias check to its end), else 0.
     * Written by the owner only (plain / release stores); read by a thread that steals a bias after a
     * safepoint (Rec.steal), which is what makes the owner's check of its bias need no fence.
     */
    int inAccess;

    /** Remembers the access in progress: its shadow owner, location, slot and site. */
    void pend(Object owner, long loc, int slot, int site) {
        pendObj = owner;
        pendLoc = loc;
        pendIdx = slot;
        pendSite = site;
    }

    /** The trace generation this recorder belongs to (see Rec.me()). */
    final int generation;

    ThreadRecorder(int tid, BlockPipe pipe, int generation) {
        this.tid = tid;
        this.pipe = pipe;
        this.generation = generation;
        this.ownerThread = new java.lang.ref.WeakReference<>(Thread.currentThread());
    }

    /** The writer returns a written buffer. */
    void recycle(byte[] b) {
        spare = b;
        Thread t = ownerThread.get();
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Before an event (owner thread only): drops whatever an event left half-encoded (an error
     * thrown inside the encoder, a StackOverflowError) and flushes first if the next might not fit.
     */
    void room() {
        int lastEnd = (int) committed; // where the last complete event ends in buf (owner only)
        if (pos != lastEnd) {
            // the dropped event already changed the encoding context: hand off what is complete and start
            // the next block afresh, so encoder and reader agree again
            pos = lastEnd;
            flush();
        } else if (full()) {
            flush();
        }
    }

    /** Marks the event just encoded as complete. */
    void end() {
        COMMITTED.setRelease(this, ((committed >>> 32) + 1) << 32 | pos);
    }

    // ---- flushing -----------------------------------------------------------------------------

    /** Fault injection for the agent's own tests: -Dsmptrace.test.failAfterBlocks=N fails the N+1st flush. */
    private static final long FAIL_AFTER_BLOCKS = Long.getLong("smptrace.test.failAfterBlocks", -1);
    private static final java.util.concurrent.atomic.AtomicLong FLUSHES = new java.util.concurrent.atomic.AtomicLong();

    /** Owner: hand the buffer off as one block and continue in the spare one. */
    synchronized void flush() {
        if (FAIL_AFTER_BLOCKS >= 0 && FLUSHES.incrementAndGet() > FAIL_AFTER_BLOCKS) {
            throw new IllegalStateException("injected recorder failure (smptrace.test.failAfterBlocks)");
        }
        int count = (int) (committed >>> 32);
        if (!closed && pipe != null && count > sentEvents) {
            byte[] full = buf;
            byte[] next;
            while ((next = spare) == null) {
                if (!pipe.alive()) {
                    next = new byte[BLOCK]; // the writer is gone: it will not hand a buffer back
                    break;
                }
                if (!pipe.writeOne()) { // the writer is behind: help it, or wait; never drop
                    LockSupport.parkNanos(this, 50_000);
                }
            }
            spare = null;
            pipe.submit(new BlockPipe.Block(this, tid, firstSeq + sentEvents, count - sentEvents, full, sentBytes, pos - sentBytes,
                    sentBytes > 0));
            buf = next;
        }
        firstSeq += count;
        pos = 0;
        sentEvents = 0;
        sentBytes = 0;
        COMMITTED.setRelease(this, 0L);
    }

    /** Whether the trace no longer takes this thread's events (RJava appends for a terminated owner). */
    synchronized boolean isClosed() {
        return closed;
    }

    /** Any thread: hand off the events the owner has finished and that were not handed off yet. */
    synchronized void cut() {
        if (closed || pipe == null) {
            return;
        }
        long state = (long) COMMITTED.getAcquire(this);
        int events = (int) (state >>> 32);
        int upTo = (int) state;
        if (events > sentEvents) {
            // a copy: the owner may still be encoding into buf past upTo
            byte[] part = Arrays.copyOfRange(buf, sentBytes, upTo);
            pipe.submit(new BlockPipe.Block(null, tid, firstSeq + sentEvents, events - sentEvents, part, 0, part.length,
                    sentBytes > 0));
            sentEvents = events;
            sentBytes = upTo;
        }
    }

    /** Any thread: write what the owner has finished, and stop recording this thread. */
    synchronized void closeFromAnyThread() {
        cut();
        closed = true;
    }
}

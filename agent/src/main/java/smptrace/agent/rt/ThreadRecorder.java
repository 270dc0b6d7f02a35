package smptrace.agent.rt;

import smptrace.trace.BlockEncoder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One recording thread's block buffer. Only the owner encodes into it. A full block goes to the
 * background writer and the owner continues in its second buffer (two per thread, recycled: no
 * allocation in steady state). A flush from another thread (shutdown, agent failure) takes the
 * lock and hands off only the events the owner had finished ({@link #committed}), so no
 * half-written event ever reaches the trace.
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
    private final BlockPipe pipe;
    /** The buffer the writer handed back; null while both are in use. */
    private volatile byte[] spare = new byte[BLOCK];
    private Thread ownerThread;
    /** (events << 32) | bytes fully encoded in buf, published together so another thread can cut there. */
    private long committed;
    private int count;
    private long firstSeq;
    private boolean closed;

    // the access in progress, between a pre* call and its post* call
    Object pendObj;
    long pendLoc;
    int pendSite;
    int pendIdx;
    Object pendLockOwner;
    boolean pending;

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
        this.ownerThread = Thread.currentThread();
    }

    /** The writer returns a written buffer. */
    void recycle(byte[] b) {
        spare = b;
        LockSupport.unpark(ownerThread);
    }

    /** Flushes first if the next event might not fit (owner thread only). */
    void room() {
        if (full()) {
            flush();
        }
    }

    /** Marks the event just encoded as complete. */
    void end() {
        count++;
        COMMITTED.setRelease(this, ((long) count << 32) | pos);
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
        if (!closed && pipe != null && count > 0) {
            byte[] full = buf;
            byte[] next;
            while ((next = spare) == null) {
                LockSupport.parkNanos(this, 50_000); // the writer is behind: wait, never drop
            }
            spare = null;
            pipe.submit(new BlockPipe.Block(this, tid, firstSeq, count, full, pos));
            buf = next;
        }
        firstSeq += count;
        count = 0;
        pos = 0;
        COMMITTED.setRelease(this, 0L);
    }

    /** Whether the trace no longer takes this thread's events (RJava appends for a terminated owner). */
    synchronized boolean isClosed() {
        return closed;
    }

    /** Any thread: write what the owner has finished, and stop recording this thread. */
    synchronized void closeFromAnyThread() {
        if (closed) {
            return;
        }
        long state = (long) COMMITTED.getAcquire(this);
        int events = (int) (state >>> 32);
        int upTo = (int) state;
        if (events > 0 && pipe != null) {
            // a copy: the owner may still be encoding into buf past upTo
            pipe.submit(new BlockPipe.Block(null, tid, firstSeq, events, Arrays.copyOf(buf, upTo), upTo));
        }
        closed = true;
    }
}

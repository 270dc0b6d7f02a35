package smptrace.agent.rt;

import smptrace.trace.BlockEncoder;
import smptrace.trace.TraceWriter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One recording thread's block buffer. Only the owner encodes into it; a flush from another
 * thread (shutdown, agent failure) takes the lock and writes only the events the owner had
 * finished ({@link #committed}), so no half-written event ever reaches the trace.
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
    private final TraceWriter writer;
    /** (events << 32) | bytes fully encoded in buf, published together so another thread can cut there. */
    private long committed;
    private int count;
    private long firstSeq;
    private boolean closed;

    // the access in progress, between a pre* call and its post* call
    Object pendObj;
    long pendLoc;
    int pendSite;
    /** The shadow slot pair (co, reads) of the pending access, in pendShadow. */
    int[] pendShadow;
    int pendIdx;
    Object pendLockOwner;
    boolean pending;

    ThreadRecorder(int tid, TraceWriter writer) {
        this.tid = tid;
        this.writer = writer;
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

    /** Owner: write the buffer as one block. */
    synchronized void flush() {
        if (!closed && writer != null) {
            writer.writeBlock(tid, firstSeq, count, buf, pos);
        }
        firstSeq += count;
        count = 0;
        pos = 0;
        COMMITTED.setRelease(this, 0L);
    }

    /** Any thread: write what the owner has finished, and stop recording this thread. */
    synchronized void closeFromAnyThread() {
        if (closed) {
            return;
        }
        long state = (long) COMMITTED.getAcquire(this);
        int events = (int) (state >>> 32);
        int upTo = (int) state;
        if (events > 0 && writer != null) {
            writer.writeBlock(tid, firstSeq, events, buf, upTo);
        }
        closed = true;
    }
}

package smptrace.agent.rt;

import smptrace.trace.EventKind;
import smptrace.trace.TraceWriter;
import smptrace.trace.Varint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One recording thread's block buffer. Only the owner encodes into it; a flush from another
 * thread (shutdown, agent failure) takes the lock and writes only the events the owner had
 * finished ({@link #committed}), so no half-written event ever reaches the trace.
 */
final class ThreadRecorder {
    static final int BLOCK = 64 * 1024;
    /** Room always left for one more event (strings are cut to fit). */
    private static final int MAX_EVENT = 1200;
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
    final byte[] buf = new byte[BLOCK];
    int pos;
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

    // ---- encoding (owner thread only) -------------------------------------------------------------

    void begin(EventKind k, int site) {
        if (pos > BLOCK - MAX_EVENT) {
            flush();
        }
        buf[pos++] = (byte) k.code;
        pos = Varint.putU(buf, pos, site);
    }

    void u(long v) {
        pos = Varint.putU(buf, pos, v);
    }

    void s(long v) {
        pos = Varint.putS(buf, pos, v);
    }

    void str(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_EVENT - 64);
        pos = Varint.putU(buf, pos, n);
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
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

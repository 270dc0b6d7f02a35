package smptrace.agent.rt;

import smptrace.trace.TraceWriter;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands blocks from the recording threads to one background writer thread, so a recording thread
 * pays for encoding only, not for paging in the mapped queue file (about 30 ns per event on this
 * machine's ext4). Order per thread is kept: one FIFO, one writer. Back-pressure while the writer
 * works: a producer waits when the queue is full, and gets its buffer back once it is written. Once
 * the writer has stopped (a failure, or no progress for {@link #STALL_NANOS}) nothing waits any
 * more: a block that cannot be handed over is counted as lost, so shutdown never hangs.
 *
 * <p>A producer that waits for its buffer helps: it writes the block at the head of the queue
 * itself ({@link #writeOne}). With 64 recording threads on 2 cores the writer thread gets one
 * 65th of the CPU and would hold every producer up; helping keeps the cost per event near that of
 * two threads. Taking a block and writing it happen under one lock, so blocks are written in
 * queue order whoever writes them (a thread's blocks stay in order).
 */
final class BlockPipe {
    /** One block in flight: {@code buf[off, off + len)}; {@code owner} gets {@code buf} back after the write (null: no recycling). */
    /** continues: the block starts mid-buffer, so its events continue the previous block's encoding context. */
    record Block(ThreadRecorder owner, int thread, long firstSeq, int count, byte[] buf, int off, int len, boolean continues) { }

    private static final Block STOP = new Block(null, -1, 0, 0, null, 0, 0, false);
    /** A writer that has written nothing for this long while blocks wait is given up on. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("smptrace.writerStallSeconds", 20));

    private final TraceWriter writer;
    private final ArrayBlockingQueue<Block> queue = new ArrayBlockingQueue<>(256);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long lastProgress = System.nanoTime();
    /** Held while a block is taken from the queue and written. */
    private final Object writeLock = new Object();

    BlockPipe(TraceWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::run, "smptrace-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether blocks handed over now can still be written. */
    boolean alive() {
        return !stopped && thread.isAlive();
    }

    /** Queues b for writing; if the writer is gone (or stalled), counts its events as lost instead. */
    void submit(Block b) {
        boolean interrupted = false;
        try {
            while (true) {
                if (!alive()) {
                    lose(b);
                    return;
                }
                try {
                    if (queue.offer(b, 10, TimeUnit.MILLISECONDS)) {
                        LockSupport.unpark(thread);
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the block must not be lost; keep the interrupt for the caller
                }
                if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    stopped = true;
                    Rec.fail(new IllegalStateException("the trace writer made no progress for "
                            + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s"));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lose(Block b) {
        if (b != STOP && b.count() > 0) {
            writer.countLost(b.count());
        }
        if (b.owner() != null) {
            b.owner().recycle(b.buf());
        }
    }

    /** Writes the block at the head of the queue, if there is one (any thread); false if there was none. */
    boolean writeOne() {
        synchronized (writeLock) {
            Block b = queue.peek();
            if (b == null || b == STOP) {
                return false;
            }
            queue.poll();
            write(b);
            return true;
        }
    }

    private void write(Block b) {
        try {
            if (!writer.writeBlock(b.thread(), b.firstSeq(), b.count(), b.buf(), b.off(), b.len(), b.continues())) {
                Rec.fail(new java.io.IOException(String.valueOf(writer.failure())));
            }
        } catch (Throwable t) {
            writer.countLost(b.count());
            Rec.fail(t);
        } finally {
            lastProgress = System.nanoTime();
            if (b.owner() != null) {
                b.owner().recycle(b.buf());
            }
        }
    }

    private void run() {
        while (true) {
            if (writeOne()) {
                continue;
            }
            if (queue.peek() == STOP) {
                queue.poll();
                stopped = true;
                break;
            }
            LockSupport.parkNanos(this, 1_000_000); // submit() unparks
        }
        // whatever is still queued after STOP was submitted too late: it is lost, and counted
        Block rest;
        while ((rest = queue.poll()) != null) {
            lose(rest);
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Writes everything submitted so far, then stops the writer thread; gives up on a stalled writer. */
    void drain() {
        if (isWriterThread()) {
            return; // a failure inside the writer: what is still queued is counted by run()
        }
        submit(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (thread.isAlive() && System.nanoTime() - lastProgress > STALL_NANOS) {
                stopped = true;
                break; // the writer is stuck (a hung disk): shutdown must not hang with it
            }
        }
        stopped = true;
        Block rest;
        while ((rest = queue.poll()) != null) {
            lose(rest);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package smptrace.agent.rt;

import smptrace.trace.TraceWriter;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Hands full blocks from the recording threads to one background writer thread, so a recording
 * thread pays for encoding only, not for paging in the mapped queue file (about 30 ns per event on
 * this machine's ext4). Order per thread is kept: one FIFO, one writer. Back-pressure, never loss:
 * a producer blocks when the queue is full, and gets its buffer back once it is written.
 */
final class BlockPipe {
    /** One block in flight; {@code owner} gets {@code buf} back after the write (null: no recycling). */
    record Block(ThreadRecorder owner, int thread, long firstSeq, int count, byte[] buf, int len) { }

    private static final Block STOP = new Block(null, -1, 0, 0, null, 0);

    private final TraceWriter writer;
    private final ArrayBlockingQueue<Block> queue = new ArrayBlockingQueue<>(256);
    private final Thread thread;

    BlockPipe(TraceWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::run, "smptrace-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(Block b) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(b);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the block must not be lost; keep the interrupt for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Block b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (b == STOP) {
                return;
            }
            try {
                writer.writeBlock(b.thread(), b.firstSeq(), b.count(), b.buf(), b.len());
            } catch (Throwable t) {
                Rec.fail(t);
            } finally {
                if (b.owner() != null) {
                    b.owner().recycle(b.buf());
                }
            }
        }
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Writes everything submitted so far, then stops the writer thread. */
    void drain() {
        if (isWriterThread()) {
            return; // a failure inside the writer: what is still queued cannot be written
        }
        submit(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package smptrace.trace;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.SingleThreadedChecked;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Appends a trace to a Chronicle Queue directory: the header, dictionary records as they are
 * created, and per-thread blocks of encoded events (docs/trace-format.md). Thread-safe: every
 * record goes through one appender under this object's lock; blocks are large, so the lock is
 * taken once per thousands of events.
 */
public final class TraceWriter implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private int nextSite = 1; // site 0 = "no site"
    private int nextField = 0;
    private int nextClass = 0;
    private int nextThread = 0;
    private long blocks;
    private long events;
    private long payloadBytes;
    private boolean closed;
    private final Path dir;
    /** The queue file is allocated (zero-filled) up to here; see {@link #allocateAhead(long)}. */
    private long allocatedUpTo;
    private Path allocatedFile;
    private static final long ALLOCATE_CHUNK = 64L << 20;
    private static final long BLOCK_SIZE = Long.getLong("smptrace.trace.blockSize", 0);
    private static final long ALLOCATE_MARGIN = 1L << 20;

    public TraceWriter(Path dir, Map<String, String> header) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            if (files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
                throw new IOException("trace directory " + dir + " already holds a trace; choose an empty one");
            }
        }
        // Chronicle's default 64 MiB mapping block makes every trace file at least 80 MB (sparse, so
        // little disk); -Dsmptrace.trace.blockSize=1048576 gives compact files for archived reproducers.
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir.toFile());
        if (BLOCK_SIZE > 0) {
            builder.blockSize(BLOCK_SIZE);
        }
        this.queue = builder.build();
        this.appender = queue.createAppender();
        // one appender for every recording thread, serialised by this object's lock
        if (appender instanceof SingleThreadedChecked) {
            ((SingleThreadedChecked) appender).singleThreadedCheckDisabled(true);
        }
        StringBuilder text = new StringBuilder();
        text.append(TraceFormat.KEY_MAGIC).append('=').append(TraceFormat.MAGIC).append('\n');
        text.append(TraceFormat.KEY_VERSION).append('=').append(TraceFormat.VERSION).append('\n');
        for (Map.Entry<String, String> e : header.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue().replace('\n', ' ')).append('\n');
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte(TraceFormat.DOC_HEADER);
            b.writeUtf8(text.toString());
        }
    }

    public synchronized int addSite(String className, String method, String file, int line) {
        int id = nextSite;
        putSite(id, className, method, file, line);
        return id;
    }

    /** Writes a site record with an id the caller assigned (a recorder that keeps one dictionary across traces). */
    public synchronized void putSite(int id, String className, String method, String file, int line) {
        nextSite = Math.max(nextSite, id + 1);
        if (closed) {
            return;
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte(TraceFormat.DOC_SITE);
            b.writeInt(id);
            b.writeUtf8(className);
            b.writeUtf8(method);
            b.writeUtf8(file == null ? "?" : file);
            b.writeInt(line);
        }
    }

    /** A field with its JVM type descriptor (I, J, Lsome/Class;): readers tell pointers from integers by it. */
    public synchronized void putField(int id, String owner, String name, String type) {
        nextField = Math.max(nextField, id + 1);
        if (!closed) {
            writeNamed(TraceFormat.DOC_FIELD, id, owner + "#" + name + "#" + type);
        }
    }

    public synchronized void putClass(int id, String name) {
        nextClass = Math.max(nextClass, id + 1);
        if (!closed) {
            writeNamed(TraceFormat.DOC_CLASS, id, name);
        }
    }

    public synchronized int addField(String owner, String name, String type) {
        int id = nextField;
        putField(id, owner, name, type);
        return id;
    }

    public synchronized int addClass(String name) {
        int id = nextClass;
        putClass(id, name);
        return id;
    }

    public synchronized int addThread(String name, long javaThreadId) {
        int id = nextThread++;
        if (!closed) {
            try (DocumentContext dc = appender.writingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                b.writeByte(TraceFormat.DOC_THREAD);
                b.writeInt(id);
                b.writeLong(javaThreadId);
                b.writeUtf8(name);
            }
        }
        return id;
    }

    private void writeNamed(byte kind, int id, String text) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte(kind);
            b.writeInt(id);
            b.writeUtf8(text);
        }
    }

    /** One block: {@code count} events of {@code thread} starting at its event {@code firstSeq}. */
    public synchronized void writeBlock(int thread, long firstSeq, int count, byte[] payload, int len) {
        if (closed || count == 0) {
            return;
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            allocateAhead(b.writePosition());
            b.writeByte(TraceFormat.DOC_BLOCK);
            b.writeInt(thread);
            b.writeLong(firstSeq);
            b.writeInt(count);
            b.writeInt(len);
            b.write(payload, 0, len);
        }
        blocks++;
        events += count;
        payloadBytes += len + 21;
    }

    /**
     * Chronicle's queue file is sparse, and on this kind of machine (ext4 in a VM) the first write to
     * each mapped page pays for block allocation: about 0.45 GB/s, i.e. ~30 ns per event. Writing
     * zeros with plain file I/O ahead of the write position allocates the same blocks at ~5 GB/s,
     * after which mapped writes run at ~7 GB/s. Only regions beyond the write position (plus a
     * margin) and inside the file's current length are touched, under this writer's lock, so no
     * record can be overwritten: they are zero already.
     */
    private void allocateAhead(long writePosition) {
        if (writePosition + ALLOCATE_MARGIN < allocatedUpTo) {
            return;
        }
        try {
            Path file = newestQueueFile();
            if (file == null) {
                return;
            }
            if (!file.equals(allocatedFile)) {
                allocatedFile = file;
                allocatedUpTo = 0;
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                long from = Math.max(allocatedUpTo, writePosition + ALLOCATE_MARGIN);
                long to = Math.min(ch.size(), writePosition + ALLOCATE_CHUNK);
                java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(1 << 20);
                for (long off = from; off < to; off += zeros.capacity()) {
                    zeros.clear();
                    zeros.limit((int) Math.min(zeros.capacity(), to - off));
                    while (zeros.hasRemaining()) {
                        ch.write(zeros, off + zeros.position());
                    }
                }
                allocatedUpTo = Math.max(allocatedUpTo, to);
            }
        } catch (IOException | RuntimeException e) {
            allocatedUpTo = Long.MAX_VALUE; // an optimisation only: stop trying, keep recording
        }
    }

    private Path newestQueueFile() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        }
    }

    public synchronized long events() {
        return events;
    }

    /** Bytes of block records written so far (payload plus block header). */
    public synchronized long blockBytes() {
        return payloadBytes;
    }

    public synchronized long blocks() {
        return blocks;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Writes the end record and closes. {@code status}: TraceFormat.END_*. Idempotent. */
    public synchronized void close(byte status, String detail) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                b.writeByte(TraceFormat.DOC_END);
                b.writeByte(status);
                b.writeLong(events);
                b.writeUtf8(detail == null ? "" : detail);
            }
        } finally {
            appender.close();
            queue.close();
        }
    }

    @Override
    public void close() {
        close(TraceFormat.END_COMPLETE, "");
    }
}

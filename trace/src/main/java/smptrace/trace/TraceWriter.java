package smptrace.trace;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.SingleThreadedChecked;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Appends a trace to a Chronicle Queue directory: the header, dictionary records as they are
 * created, and per-thread blocks of encoded events (docs/trace-format.md). Thread-safe: every
 * record goes through one appender under this object's lock; blocks are large, so the lock is
 * taken once per thousands of events.
 *
 * <p>Every record ends with the CRC32C of its bytes. Disk space is claimed ahead of the records
 * with ordinary writes (so a full disk is an {@link IOException} here, never a fault in a mapped
 * page), always keeping room for the end record: a block that cannot be written is not written
 * (its events are counted as lost), everything before it stays readable, and the end record
 * says so. When the trace is closed the queue file is cut to its content.
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
    private long lost;
    private long records;
    private long payloadBytes;
    private boolean closed;
    /** Set once a record could not be written: nothing more is, except the end record. */
    private String failure;
    private final Path dir;
    /** The queue file is claimed (written with zeros) up to here. */
    private long allocatedUpTo;
    private Path allocatedFile;
    /** Where the data of the newest queue file ends (after the last record written). */
    private long dataEnd;
    private final byte[] scratch = new byte[64];
    private Out out = new Out();
    private final CRC32C crc = new CRC32C();
    /** Claimed ahead of the write position per step: a few MB, never tens. */
    private static final long ALLOCATE_CHUNK = 4L << 20;
    /** Always claimed beyond a record: Chronicle's index pages (about 32 KB) and the end record. */
    private static final long RESERVE = 256L << 10;
    /**
     * Chronicle's mapping block: its 64 MiB default (fewer remaps on long runs). The file is sparse
     * while recording (no disk needed for the unwritten part) and cut to its content at close.
     */
    private static final long BLOCK_SIZE = Long.getLong("smptrace.trace.blockSize", 0);
    /** Fault injection for tests: the queue "fills up" after this many bytes of block records. */
    private static final long TEST_DISK_BYTES = Long.getLong("smptrace.test.diskBytes", -1);

    public TraceWriter(Path dir, Map<String, String> header) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            if (files.anyMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
                throw new IOException("trace directory " + dir + " already holds a trace; choose an empty one");
            }
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("trace directory " + dir + " is not writable");
        }
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir.toFile());
        if (BLOCK_SIZE > 0) {
            builder.blockSize(BLOCK_SIZE);
        }
        try {
            this.queue = builder.build();
        } catch (RuntimeException | Error e) {
            throw new IOException("cannot create a queue in " + dir + ": " + TraceException.clean(String.valueOf(e.getMessage())), e);
        }
        this.appender = queue.createAppender();
        // one appender for every recording thread, serialised by this object's lock
        if (appender instanceof SingleThreadedChecked) {
            ((SingleThreadedChecked) appender).singleThreadedCheckDisabled(true);
        }
        StringBuilder text = new StringBuilder();
        text.append(TraceFormat.KEY_MAGIC).append('=').append(TraceFormat.MAGIC).append('\n');
        text.append(TraceFormat.KEY_VERSION).append('=').append(TraceFormat.VERSION).append('\n');
        for (Map.Entry<String, String> e : header.entrySet()) {
            text.append(oneLine(e.getKey())).append('=').append(oneLine(e.getValue())).append('\n');
        }
        out.reset(TraceFormat.DOC_HEADER).utf8(text.toString());
        if (!writeRecord()) {
            IOException e = new IOException("cannot write the trace header to " + dir + ": " + failure);
            try {
                appender.close();
                queue.close();
            } catch (RuntimeException ignored) {
                // the first error is the one to report
            }
            throw e;
        }
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }

    public synchronized int addSite(String className, String method, String file, int line) {
        int id = nextSite;
        putSite(id, className, method, file, line);
        return id;
    }

    /** Writes a site record with an id the caller assigned (a recorder that keeps one dictionary across traces). */
    public synchronized void putSite(int id, String className, String method, String file, int line) {
        nextSite = Math.max(nextSite, id + 1);
        if (writable()) {
            out.reset(TraceFormat.DOC_SITE).i(id).utf8(className).utf8(method).utf8(file == null ? "?" : file).i(line);
            writeRecord();
        }
    }

    /** A field with its JVM type descriptor (I, J, Lsome/Class;): readers tell pointers from integers by it. */
    public synchronized void putField(int id, String owner, String name, String type) {
        nextField = Math.max(nextField, id + 1);
        writeNamed(TraceFormat.DOC_FIELD, id, owner + "#" + name + "#" + type);
    }

    public synchronized void putClass(int id, String name) {
        nextClass = Math.max(nextClass, id + 1);
        writeNamed(TraceFormat.DOC_CLASS, id, name);
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
        if (writable()) {
            out.reset(TraceFormat.DOC_THREAD).i(id).l(javaThreadId).utf8(name);
            writeRecord();
        }
        return id;
    }

    private void writeNamed(byte kind, int id, String text) {
        if (writable()) {
            out.reset(kind).i(id).utf8(text);
            writeRecord();
        }
    }

    private boolean writable() {
        return !closed && failure == null;
    }

    /**
     * One block: {@code count} events of {@code thread} starting at its event {@code firstSeq}, the
     * bytes {@code payload[off, off + len)}. Returns false (and counts the events as lost) when it
     * could not be written; the trace before it stays readable.
     */
    public synchronized boolean writeBlock(int thread, long firstSeq, int count, byte[] payload, int off, int len) {
        return writeBlock(thread, firstSeq, count, payload, off, len, false);
    }

    /**
     * A block of events; {@code continues}: its events were encoded after the thread's previous block
     * without the encoder starting afresh (part of a buffer handed off), so the reader keeps that
     * block's context (TraceFormat.BLOCK_CONTINUES).
     */
    public synchronized boolean writeBlock(int thread, long firstSeq, int count, byte[] payload, int off, int len, boolean continues) {
        if (count == 0) {
            return true;
        }
        if (!writable()) {
            lost += count;
            return false;
        }
        byte[] h = scratch;
        h[0] = TraceFormat.DOC_BLOCK;
        putInt(h, 1, thread);
        putInt(h, 5, (int) firstSeq);
        putInt(h, 9, (int) (firstSeq >>> 32));
        putInt(h, 13, continues ? count | TraceFormat.BLOCK_CONTINUES : count);
        putInt(h, 17, len);
        crc.reset();
        crc.update(h, 0, TraceFormat.BLOCK_HEAD);
        crc.update(payload, off, len);
        putInt(h, TraceFormat.BLOCK_HEAD, (int) crc.getValue());
        if (!append(h, TraceFormat.BLOCK_HEAD, payload, off, len, h, TraceFormat.BLOCK_HEAD, 4)) {
            lost += count;
            return false;
        }
        blocks++;
        events += count;
        payloadBytes += len + TraceFormat.BLOCK_HEAD + 4;
        return true;
    }

    /** The whole payload array from 0. */
    public boolean writeBlock(int thread, long firstSeq, int count, byte[] payload, int len) {
        return writeBlock(thread, firstSeq, count, payload, 0, len);
    }

    /** Counts events that never reached this writer (a recorder that could not hand them over). */
    public synchronized void countLost(long n) {
        lost += n;
    }

    /** Appends out's record with its checksum; false (and the writer failed) if it could not. */
    private boolean writeRecord() {
        Out o = out;
        crc.reset();
        crc.update(o.a, 0, o.n);
        o.i((int) crc.getValue());
        return append(o.a, o.n, null, 0, 0, null, 0, 0);
    }

    /** One excerpt of up to three pieces; on any failure it is rolled back, never committed half-written. */
    private boolean append(byte[] a, int an, byte[] b, int boff, int bn, byte[] c, int coff, int cn) {
        long size = an + bn + cn;
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> bytes = dc.wire().bytes();
                long at = bytes.writePosition();
                claim(at, size);
                bytes.write(a, 0, an);
                if (bn > 0) {
                    bytes.write(b, boff, bn);
                }
                if (cn > 0) {
                    bytes.write(c, coff, cn);
                }
                dataEnd = (bytes.writePosition() + 3) & ~3L;
            } catch (Throwable t) {
                dc.rollbackOnClose();
                throw t;
            }
        } catch (Throwable t) {
            failure = TraceException.clean(t instanceof IOException ? t.getMessage() : String.valueOf(t));
            return false;
        }
        records++;
        return true;
    }

    /**
     * Claims the disk blocks [at, at + size + RESERVE) of the newest queue file by writing zeros
     * ahead with plain file I/O, a chunk at a time (on ext4 in a VM that is also about ten times
     * faster than the page faults of first writes to a sparse mapping). Only regions past the write
     * position are touched, under this writer's lock, so no record can be overwritten: they are zero.
     * Past the reserve a failure here ends the trace before the record, not inside it.
     */
    private void claim(long at, long size) throws IOException {
        if (TEST_DISK_BYTES >= 0 && payloadBytes + size > TEST_DISK_BYTES) {
            throw new IOException("No space left on device (injected by smptrace.test.diskBytes)");
        }
        long need = at + size + RESERVE;
        if (need <= allocatedUpTo) {
            return;
        }
        Path file = newestQueueFile();
        if (file == null) {
            return;
        }
        if (!file.equals(allocatedFile)) {
            allocatedFile = file;
            allocatedUpTo = at; // a new cycle's file: nothing of it claimed yet past its start
        }
        long from = Math.max(allocatedUpTo, at);
        long to = Math.max(need, from + ALLOCATE_CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ZEROS.duplicate();
            long off = from;
            while (off < to) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), to - off));
                while (zeros.hasRemaining()) {
                    off += ch.write(zeros, off);
                }
            }
        } catch (IOException e) {
            // keep what could be claimed: the end record fits in the reserve before it
            throw new IOException("cannot claim disk space for the trace in " + dir + ": " + e.getMessage(), e);
        }
        allocatedUpTo = to;
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private Path newestQueueFile() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        }
    }

    private static void putInt(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }

    public synchronized long events() {
        return events;
    }

    /** Events that could not be written (counted in the end record). */
    public synchronized long lost() {
        return lost;
    }

    /** Why writing stopped, or null. */
    public synchronized String failure() {
        return failure;
    }

    /** Bytes of block records written so far (payload plus block fields and checksum). */
    public synchronized long blockBytes() {
        return payloadBytes;
    }

    public synchronized long blocks() {
        return blocks;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Writes the end record (status TraceFormat.END_*, events written, events lost, records before
     * it), closes and cuts the queue file to its content. A writer that failed ends with
     * END_AGENT_FAILED and its failure, whatever the caller says. Idempotent.
     */
    public synchronized void close(byte status, String detail) {
        if (closed) {
            return;
        }
        String d = detail == null ? "" : detail;
        if (failure != null) {
            status = TraceFormat.END_AGENT_FAILED;
            d = d.isEmpty() ? "writing the trace failed: " + failure : d + "; writing the trace failed: " + failure;
        }
        try {
            out.reset(TraceFormat.DOC_END).b(status).l(events).l(lost).l(records).utf8(d);
            failure = null; // the reserve is there for this record
            writeRecord();
        } finally {
            closed = true;
            try {
                appender.close();
                queue.close();
            } catch (RuntimeException | Error ignored) {
                // the records are in the file; closing Chronicle's handles is all that failed
            }
            trim();
        }
    }

    /** Cuts the newest queue file after its last record: the claimed zeros are not part of the trace. */
    private void trim() {
        try {
            Path file = newestQueueFile();
            if (file != null && dataEnd > 0 && file.equals(allocatedFile)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    if (ch.size() > dataEnd) {
                        ch.truncate(dataEnd);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an untrimmed file reads the same
        }
    }

    @Override
    public void close() {
        close(TraceFormat.END_COMPLETE, "");
    }

    /** A record being assembled: little-endian fields, texts as LEB128 byte length + UTF-8. */
    private static final class Out {
        byte[] a = new byte[256];
        int n;

        Out reset(byte kind) {
            n = 0;
            return b(kind);
        }

        private void room(int k) {
            if (n + k > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
            }
        }

        Out b(byte v) {
            room(1);
            a[n++] = v;
            return this;
        }

        Out i(int v) {
            room(4);
            putInt(a, n, v);
            n += 4;
            return this;
        }

        Out l(long v) {
            i((int) v);
            return i((int) (v >>> 32));
        }

        Out utf8(String s) {
            byte[] t = s.getBytes(StandardCharsets.UTF_8);
            room(t.length + 5);
            long len = t.length;
            while ((len & ~0x7FL) != 0) {
                a[n++] = (byte) ((len & 0x7F) | 0x80);
                len >>>= 7;
            }
            a[n++] = (byte) len;
            System.arraycopy(t, 0, a, n, t.length);
            n += t.length;
            return this;
        }
    }
}

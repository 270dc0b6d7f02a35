package smptrace.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The record framing of a Chronicle Queue directory, read with plain file I/O (docs/trace-format.md,
 * "Container"). The reader never asks Chronicle to open a trace: Chronicle would parse the files'
 * own metadata (and look up the class names written there), and it answers a damaged record header
 * with "no more data". Here every record header is checked against the file's size and what follows
 * the last record is checked to be empty, so a damaged header is found, not taken for the end.
 *
 * <p>Framing: each excerpt is a 4-byte little-endian header word (bits 0-29 the length, bit 30
 * metadata, bit 31 not yet complete) followed by its bytes; excerpts are 4-byte aligned. A header
 * word 0 is the end of the data; {@code 0xC0000000} marks the end of a file that rolled over.
 * Chronicle publishes an excerpt by writing its header word after its bytes, so a JVM killed while
 * writing one leaves a zero header followed by that record's bytes: see {@link #unpublished}.
 */
final class QueueFile implements AutoCloseable {
    static final int NOT_COMPLETE = 0x80000000;
    static final int META_DATA = 0x40000000;
    static final int LENGTH_MASK = 0x3FFFFFFF;
    static final int END_OF_FILE = NOT_COMPLETE | META_DATA;
    /** An excerpt being written when the JVM died may have left this many bytes after its header. */
    static final int MAX_IN_PROGRESS = 256 * 1024;
    /** The largest data record smptrace writes (a block: 64 KiB payload plus its fields). */
    static final int MAX_RECORD = 1 << 20;

    /** How the data of the queue ends. */
    enum Tail { END, IN_PROGRESS, TRUNCATED }

    /** Receives every data record: which file, where its bytes start, how many. */
    interface Visitor {
        void record(int file, long pos, int len) throws TraceException;
    }

    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private final long[] sizes;
    private final ByteBuffer word = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    private Tail tail = Tail.END;
    private String tailDetail = "";

    /** The queue files of dir (regular files named *.cq4, in cycle order); every problem is one line. */
    static QueueFile open(Path dir) throws TraceException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .forEach(found::add);
        } catch (IOException | RuntimeException e) {
            throw new TraceException("cannot read " + dir + ": " + TraceException.clean(e.getMessage()));
        }
        if (found.isEmpty()) {
            throw new TraceException("not a trace: " + dir + " holds no queue file (*.cq4)");
        }
        for (Path p : found) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new TraceException("cannot read " + p + ": " + TraceException.clean(e.getMessage()));
            }
            if (!a.isRegularFile()) {
                // a FIFO or a device would block or never end; a link could point anywhere
                throw new TraceException("not a trace: " + p + " is not a regular file");
            }
        }
        QueueFile q = new QueueFile(dir, found);
        try {
            for (int i = 0; i < found.size(); i++) {
                FileChannel ch = FileChannel.open(found.get(i), StandardOpenOption.READ);
                q.channels.add(ch);
                q.sizes[i] = ch.size();
            }
        } catch (IOException | RuntimeException e) {
            q.close();
            throw new TraceException("cannot read " + dir + ": " + TraceException.clean(e.getMessage()));
        }
        return q;
    }

    private QueueFile(Path dir, List<Path> files) {
        this.dir = dir;
        this.files.addAll(files);
        this.sizes = new long[files.size()];
    }

    Path file(int i) {
        return files.get(i);
    }

    /** How the data ended, after {@link #scan}. */
    Tail tail() {
        return tail;
    }

    String tailDetail() {
        return tailDetail;
    }

    /** Visits every complete data record, in order; checks that nothing follows the end. */
    void scan(Visitor v) throws TraceException {
        for (int f = 0; f < files.size(); f++) {
            boolean last = f == files.size() - 1;
            long size = sizes[f];
            long pos = 0;
            while (true) {
                if (pos + 4 > size) {
                    if (pos < size || !last) {
                        tail = Tail.TRUNCATED;
                        tailDetail = "the queue file " + files.get(f).getFileName() + " ends inside a record header";
                        return;
                    }
                    return; // a trimmed file: the data ends with the file
                }
                int h = readInt(f, pos);
                if (pos == 0 && ((h & META_DATA) == 0 || (h & NOT_COMPLETE) != 0) && h != 0) {
                    // every queue file opens with Chronicle's own (metadata) header record
                    throw corrupt(files.get(f).getFileName() + " is not a queue file (it does not start with a queue header)");
                }
                if (h == 0) {
                    if (last && unpublished(f, pos)) {
                        tail = Tail.IN_PROGRESS;
                        tailDetail = "the last record was being written when the recording stopped (its header not yet published)";
                        return;
                    }
                    requireEmpty(f, pos + 4, "an empty record header at byte " + pos);
                    if (!last) {
                        throw corrupt("the queue file " + files.get(f).getFileName() + " ends at byte " + pos
                                + " without its end-of-file mark but later files follow");
                    }
                    return;
                }
                if (h == END_OF_FILE) {
                    requireEmpty(f, pos + 4, "the end-of-file mark at byte " + pos);
                    break; // the next cycle's file goes on
                }
                if ((h & NOT_COMPLETE) != 0) {
                    // an excerpt the writer had not finished: the JVM died while writing it
                    requireEmpty(f, pos + 4 + MAX_IN_PROGRESS, "an unfinished record at byte " + pos);
                    if (!last) {
                        throw corrupt("an unfinished record at byte " + pos + " of " + files.get(f).getFileName()
                                + " but later files follow");
                    }
                    tail = Tail.IN_PROGRESS;
                    tailDetail = "the last record was being written when the recording stopped";
                    return;
                }
                int len = h & LENGTH_MASK;
                if (pos + 4 + len > size) {
                    if (!last) {
                        throw corrupt("a record at byte " + pos + " of " + files.get(f).getFileName() + " runs past the file's end");
                    }
                    tail = Tail.TRUNCATED;
                    tailDetail = "the queue file " + files.get(f).getFileName() + " ends inside a record";
                    return;
                }
                if ((h & META_DATA) == 0) {
                    if (len > MAX_RECORD) {
                        throw corrupt("a record of " + len + " bytes at byte " + pos + " (the largest smptrace writes is "
                                + MAX_RECORD + ")");
                    }
                    v.record(f, pos + 4, len);
                }
                pos = (pos + 4 + len + 3) & ~3L;
            }
        }
    }

    /** The first byte of Chronicle's own metadata excerpts (an event name in its binary wire). */
    static final int CHRONICLE_META_FIRST = 0xB9;
    /** What Chronicle writes of an index page before publishing it: its template (about 40 bytes), no entries. */
    static final int CHRONICLE_META_UNPUBLISHED = 256;

    /**
     * Whether the zero header word at pos of the last file is a record the writer had not published
     * yet: Chronicle writes an excerpt's bytes first and its header word last (a compare-and-swap
     * from 0), so a JVM killed in between leaves a zero header followed by that one record's bytes,
     * in whole or in part, and zeros after. The record's own fields bound it: an smptrace record
     * says how long it is (a block's {@code len}, a text's length), and whatever of those fields was
     * not written yet reads as zero, which never makes the bound shorter than what was written.
     * True when some byte after the header is not zero and every one of them lies within that bound;
     * false when nothing follows (the plain end). A zeroed header followed by more records, or data
     * that is no record smptrace or Chronicle writes, is corrupt.
     */
    private boolean unpublished(int f, long pos) throws TraceException {
        long start = pos + 4;
        if (start >= sizes[f] || lastNonZero(f, start) < 0) {
            return false;
        }
        int kind = byteAt(f, start);
        long end; // exclusive: where the record's bytes end
        switch (kind) {
            case TraceFormat.DOC_BLOCK -> {
                long len = intAt(f, start + TraceFormat.BLOCK_HEAD - 4) & 0xFFFFFFFFL;
                if (len > MAX_RECORD) {
                    throw corrupt("an empty record header at byte " + pos + " of " + files.get(f).getFileName()
                            + " is followed by a block of " + len + " bytes (a damaged record header)");
                }
                end = start + TraceFormat.BLOCK_HEAD + len + 4;
            }
            case TraceFormat.DOC_SITE -> end = utf8End(f, utf8End(f, utf8End(f, start + 5))) + 4 + 4;
            case TraceFormat.DOC_FIELD, TraceFormat.DOC_CLASS -> end = utf8End(f, start + 5) + 4;
            case TraceFormat.DOC_THREAD -> end = utf8End(f, start + 13) + 4;
            case TraceFormat.DOC_END -> end = utf8End(f, start + 26) + 4;
            case TraceFormat.DOC_HEADER -> end = utf8End(f, start + 1) + 4;
            case CHRONICLE_META_FIRST -> end = start + CHRONICLE_META_UNPUBLISHED;
            default -> {
                return false; // not the start of a record: requireEmpty reports the damage
            }
        }
        requireEmpty(f, end, "an empty record header at byte " + pos + " and the record being written after it");
        return true;
    }

    /** The end of a LEB128-length-prefixed text starting at at (zeros past the file's end). */
    private long utf8End(int f, long at) throws TraceException {
        long len = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = byteAt(f, at++);
            len |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (len > MAX_RECORD) {
            throw corrupt("an empty record header is followed by a text of " + len + " bytes at byte " + at + " of "
                    + files.get(f).getFileName() + " (a damaged record header)");
        }
        return at + len;
    }

    private int byteAt(int f, long at) throws TraceException {
        if (at >= sizes[f]) {
            return 0;
        }
        word.clear().limit(1);
        read(f, at, word);
        return word.get(0) & 0xFF;
    }

    private int intAt(int f, long at) throws TraceException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= byteAt(f, at + i) << (8 * i);
        }
        return v;
    }

    /** The last byte of file f at or after from that is not zero, or -1. */
    private long lastNonZero(int f, long from) throws TraceException {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long found = -1;
        long pos = from;
        try {
            while (pos < sizes[f]) {
                b.clear();
                int n = channels.get(f).read(b, pos);
                if (n <= 0) {
                    break;
                }
                byte[] a = b.array();
                for (int i = n - 1; i >= 0; i--) {
                    if (a[i] != 0) {
                        found = pos + i;
                        break;
                    }
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new TraceException("cannot read " + files.get(f) + ": " + TraceException.clean(e.getMessage()));
        }
        return found;
    }

    /** Everything from {@code from} to the end of file f must be zero (never written). */
    private void requireEmpty(int f, long from, String what) throws TraceException {
        long size = sizes[f];
        if (from >= size) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        long pos = from;
        try {
            while (pos < size) {
                b.clear();
                int n = channels.get(f).read(b, pos);
                if (n <= 0) {
                    return;
                }
                byte[] a = b.array();
                for (int i = 0; i < n; i++) {
                    if (a[i] != 0) {
                        throw corrupt(what + " of " + files.get(f).getFileName() + " is followed by more data at byte "
                                + (pos + i) + " (a damaged record header)");
                    }
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new TraceException("cannot read " + files.get(f) + ": " + TraceException.clean(e.getMessage()));
        }
    }

    private int readInt(int f, long pos) throws TraceException {
        word.clear();
        read(f, pos, word);
        return word.getInt(0);
    }

    /** Reads exactly dst's remaining bytes at pos of file f. */
    void read(int f, long pos, ByteBuffer dst) throws TraceException {
        try {
            FileChannel ch = channels.get(f);
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos);
                if (n < 0) {
                    throw corrupt(files.get(f).getFileName() + " became shorter while being read");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new TraceException("cannot read " + files.get(f) + ": " + TraceException.clean(e.getMessage()));
        }
    }

    void read(int f, long pos, byte[] dst, int len) throws TraceException {
        read(f, pos, ByteBuffer.wrap(dst, 0, len));
    }

    private TraceException corrupt(String what) {
        return new TraceException("corrupt trace " + dir + ": " + what);
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to save
            }
        }
    }
}

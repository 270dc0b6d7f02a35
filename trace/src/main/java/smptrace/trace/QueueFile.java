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

package smptrace.trace;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a trace directory and streams its events in one order consistent with program order,
 * reads-from and coherence (see {@link Event}).
 *
 * <p>Opening scans the queue once for the header, the dictionaries and where each thread's blocks
 * are; streaming then gives each thread a cursor of its own and merges: an event is delivered once
 * the write it read from (or, for a write, the write it overwrote and every read of that write) has
 * been. Memory: one block per thread plus per-location state; nothing grows with the trace's length
 * except the block index (one long per block of thousands of events).
 */
public final class TraceReader implements EventSource {
    private final Path dir;
    private final ChronicleQueue queue;
    private final TraceInfo info = new TraceInfo();
    private final List<Cursor> cursors = new ArrayList<>();
    private byte endStatus = -1;
    private String endDetail = "";
    private long recordedEvents;
    private long blockBytes;
    private long delivered;
    private TraceEnd end;

    // per-location merge state, by LocationTable index
    private final LocationTable locs = new LocationTable();
    private long[] writes = new long[1024];
    private long[] readsOfCurrent = new long[1024];
    private long[] lastWriter = new long[1024];

    private int current;
    private int irqContexts;

    /** Opens a trace; every problem is a TraceException with a one-line message. */
    public static TraceReader open(Path dir) throws TraceException {
        if (!Files.exists(dir)) {
            throw new TraceException("no trace at " + dir + ": the directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new TraceException("not a trace: " + dir + " is a file, not a trace directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
                throw new TraceException("not a trace: " + dir + " holds no queue file (*.cq4)");
            }
        } catch (IOException e) {
            throw new TraceException("cannot read " + dir + ": " + e.getMessage());
        }
        ChronicleQueue q;
        try {
            q = SingleChronicleQueueBuilder.binary(dir.toFile()).readOnly(true).build();
        } catch (Exception | Error e) { // Chronicle also throws checked exceptions undeclared
            throw new TraceException("corrupt trace " + dir + ": the queue cannot be opened (" + oneLine(e) + ")");
        }
        TraceReader r = new TraceReader(dir, q);
        try {
            r.scan();
        } catch (TraceException e) {
            r.close();
            throw e;
        } catch (Exception | Error e) {
            r.close();
            throw new TraceException("corrupt trace " + dir + ": " + oneLine(e));
        }
        return r;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private TraceReader(Path dir, ChronicleQueue queue) {
        this.dir = dir;
        this.queue = queue;
    }

    // ---- pass 1: header, dictionaries, block index ----------------------------------------------------

    private void scan() throws TraceException {
        ExcerptTailer t = queue.createTailer();
        boolean first = true;
        while (true) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Bytes<?> b = dc.wire().bytes();
                if (b.readRemaining() < 1) {
                    throw new TraceException("corrupt trace " + dir + ": an empty record at index " + Long.toHexString(dc.index()));
                }
                byte kind = b.readByte();
                if (first) {
                    if (kind != TraceFormat.DOC_HEADER) {
                        throw new TraceException("not an smptrace trace: " + dir + " does not start with a header");
                    }
                    readHeader(b.readUtf8());
                    first = false;
                    continue;
                }
                switch (kind) {
                    case TraceFormat.DOC_SITE: {
                        int id = b.readInt();
                        String cls = b.readUtf8();
                        String method = b.readUtf8();
                        String file = b.readUtf8();
                        int line = b.readInt();
                        info.addSite(new Site(id, cls, method, file, line));
                        break;
                    }
                    case TraceFormat.DOC_FIELD: {
                        int id = b.readInt();
                        String text = b.readUtf8();
                        String[] parts = text.split("#", 3); // owner#name#type
                        if (parts.length < 2) {
                            throw new TraceException("corrupt trace " + dir + ": a damaged field record");
                        }
                        info.addField(new FieldInfo(id, parts[0], parts[1], parts.length > 2 ? parts[2] : "?"));
                        break;
                    }
                    case TraceFormat.DOC_CLASS:
                        info.addClass(b.readInt(), b.readUtf8());
                        break;
                    case TraceFormat.DOC_THREAD: {
                        int id = b.readInt();
                        long jtid = b.readLong();
                        info.addThread(new ThreadInfo(id, b.readUtf8(), jtid));
                        break;
                    }
                    case TraceFormat.DOC_BLOCK: {
                        int thread = b.readInt();
                        long firstSeq = b.readLong();
                        int count = b.readInt();
                        int len = b.readInt();
                        if (thread < 0 || thread > 1_000_000 || count <= 0 || len < 0 || len > b.readRemaining()) {
                            throw new TraceException("corrupt trace " + dir + ": a damaged event block at index " + Long.toHexString(dc.index()));
                        }
                        Cursor c = cursor(thread);
                        if (firstSeq != c.indexedEvents) {
                            throw new TraceException("corrupt trace " + dir + ": thread " + thread + " has a gap before event " + firstSeq);
                        }
                        c.addBlock(dc.index());
                        c.indexedEvents += count;
                        recordedEvents += count;
                        blockBytes += len + 21L + 4L; // payload, block header, Chronicle's 4-byte excerpt header
                        break;
                    }
                    case TraceFormat.DOC_END:
                        endStatus = b.readByte();
                        b.readLong();
                        endDetail = b.readUtf8();
                        break;
                    default:
                        throw new TraceException("corrupt trace " + dir + ": unknown record kind " + kind);
                }
            }
        }
        if (first) {
            throw new TraceException("empty trace: " + dir + " holds no records");
        }
        for (ThreadInfo ti : info.threads()) {
            if (ti != null) {
                cursor(ti.id());
            }
        }
    }

    private void readHeader(String text) throws TraceException {
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                info.putHeader(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!TraceFormat.MAGIC.equals(info.header(TraceFormat.KEY_MAGIC))) {
            throw new TraceException("not an smptrace trace: " + dir + " has no smptrace header");
        }
        int v;
        try {
            v = Integer.parseInt(info.header(TraceFormat.KEY_VERSION));
        } catch (RuntimeException e) {
            throw new TraceException("corrupt trace " + dir + ": unreadable format version");
        }
        if (v < TraceFormat.OLDEST_READABLE || v > TraceFormat.VERSION) {
            throw new TraceException("unsupported trace format version " + v + " in " + dir
                    + "; this smptrace reads versions " + TraceFormat.OLDEST_READABLE + " to " + TraceFormat.VERSION);
        }
    }

    private Cursor cursor(int thread) {
        while (cursors.size() <= thread) {
            cursors.add(new Cursor(cursors.size()));
        }
        return cursors.get(thread);
    }

    @Override
    public TraceInfo info() {
        return info;
    }

    /** Bytes of the trace's event block records, headers included (known after opening). */
    public long blockBytes() {
        return blockBytes;
    }

    /** Events the trace's blocks hold (known after opening). */
    public long recordedEvents() {
        return recordedEvents;
    }

    // ---- pass 2: merge ------------------------------------------------------------------------------

    @Override
    public boolean next(Event e) throws TraceException {
        if (end != null) {
            return false;
        }
        int n = cursors.size();
        for (int tried = 0; tried <= n; tried++) {
            if (n == 0) {
                break;
            }
            Cursor c = cursors.get(current);
            if (c.hasPending() || c.advance(this)) {
                if (enabled(c)) {
                    deliver(c, e);
                    return true;
                }
            }
            current = (current + 1) % n;
        }
        // nothing enabled: either every cursor is done, or the trace ends inside a dependency
        int waiting = 0;
        for (Cursor c : cursors) {
            if (c.hasPending()) {
                waiting++;
            }
        }
        if (waiting == 0) {
            end = endRecord(null);
            return false;
        }
        if (endStatus < 0) {
            end = new TraceEnd(TraceEnd.Status.CUT_SHORT, delivered, "cut short: " + waiting
                    + " thread(s) stop at events that read writes which were never recorded");
            return false;
        }
        throw new TraceException("corrupt trace " + dir + ": events of " + waiting
                + " thread(s) read from writes that are not in the trace");
    }

    private TraceEnd endRecord(String extra) {
        if (endStatus < 0) {
            return new TraceEnd(TraceEnd.Status.CUT_SHORT, delivered,
                    "cut short: no end record (the recording JVM died); read up to the last complete block");
        }
        if (endStatus == TraceFormat.END_AGENT_FAILED) {
            return new TraceEnd(TraceEnd.Status.AGENT_FAILED, delivered, "the agent stopped recording: " + endDetail);
        }
        return new TraceEnd(TraceEnd.Status.COMPLETE, delivered, extra == null ? "" : extra);
    }

    @Override
    public TraceEnd end() {
        return end;
    }

    /** The locations delivered so far, by the dense index of {@link Event#locIndex}. */
    public LocationTable locations() {
        return locs;
    }

    private int loc(long loc) {
        int i = locs.indexOf(loc);
        if (i >= writes.length) {
            int n = writes.length * 2;
            writes = Arrays.copyOf(writes, n);
            readsOfCurrent = Arrays.copyOf(readsOfCurrent, n);
            lastWriter = Arrays.copyOf(lastWriter, n);
        }
        return i;
    }

    /** The dense index of the cursor's event's location, cached while the cursor stays on one location. */
    private int locIndex(Cursor c) {
        Event ev = c.ev;
        if (ev.loc != c.cachedLoc) {
            c.cachedLoc = ev.loc;
            c.cachedIndex = loc(ev.loc);
        }
        return c.cachedIndex;
    }

    private boolean enabled(Cursor c) throws TraceException {
        Event ev = c.ev;
        switch (ev.kind.shape) {
            case READ:
            case FAILED_RMW: {
                int i = locIndex(c);
                if (writes[i] > ev.co) {
                    throw new TraceException("corrupt trace " + dir + ": a read of " + ev.loc + " names write " + ev.co
                            + " after write " + writes[i] + " was delivered");
                }
                return writes[i] == ev.co;
            }
            case WRITE:
            case RMW: {
                int i = locIndex(c);
                return writes[i] == ev.co - 1 && readsOfCurrent[i] == ev.readsOfPrev;
            }
            default:
                return true;
        }
    }

    private void deliver(Cursor c, Event out) {
        Event ev = c.ev;
        switch (ev.kind.shape) {
            case READ:
            case FAILED_RMW: {
                int i = c.cachedIndex;
                readsOfCurrent[i]++;
                ev.rfId = writes[i] == 0 ? -1 : lastWriter[i];
                break;
            }
            case WRITE: {
                int i = c.cachedIndex;
                writes[i] = ev.co;
                readsOfCurrent[i] = 0;
                lastWriter[i] = ev.id();
                ev.rfId = -1;
                break;
            }
            case RMW: {
                int i = c.cachedIndex;
                ev.rfId = writes[i] == 0 ? -1 : lastWriter[i];
                writes[i] = ev.co;
                readsOfCurrent[i] = 0;
                lastWriter[i] = ev.id();
                break;
            }
            default:
                control(c, ev);
        }
        ev.locIndex = ev.kind.isMemory() ? c.cachedIndex : -1;
        c.consumed();
        out.copyFrom(ev);
        delivered++;
    }

    /** Context bookkeeping from control events; runs before the event is handed out. */
    private void control(Cursor c, Event ev) {
        switch (ev.kind) {
            case ALLOC:
                info.objectAllocated((int) ev.a, (int) ev.b);
                break;
            case NAME:
                info.objectNamed((int) ev.a, ev.text);
                break;
            case TASK_ON_CPU:
                ev.task = (int) ev.a;
                ev.cpu = (int) ev.b;
                ev.ctx = (int) ev.a;
                break;
            case TASK_OFF_CPU:
                ev.cpu = -1;
                break;
            case PREEMPT_DISABLE:
            case PREEMPT_ENABLE:
                ev.preemptCount = (int) ev.a;
                break;
            case IRQ_DISABLE:
                ev.irqsOff = true;
                break;
            case IRQ_ENABLE:
                ev.irqsOff = false;
                break;
            case IRQ_ENTER:
                c.pushContext();
                ev.inIrq = true;
                ev.irqsOff = true;
                ev.cpu = (int) ev.a;
                ev.ctx = 2_000_000 + irqContexts++;
                break;
            case IRQ_EXIT:
                c.popContext();
                break;
            case DATA_RACE_BEGIN:
                c.dataRaceDepth++;
                ev.inDataRace = true;
                break;
            case DATA_RACE_END:
                c.dataRaceDepth = Math.max(0, c.dataRaceDepth - 1);
                ev.inDataRace = c.dataRaceDepth > 0;
                break;
            default:
                break;
        }
    }

    @Override
    public void close() {
        for (Cursor c : cursors) {
            c.close();
        }
        try {
            queue.close();
        } catch (Exception | Error ignored) {
            // closing a damaged queue must not hide the message about it
        }
    }

    /** One thread's stream: its block index, a tailer to fetch blocks, and the decoded next event. */
    private final class Cursor {
        final int thread;
        long indexedEvents;
        private long[] blocks = new long[8];
        private int nblocks;
        private int nextBlock;
        private ExcerptTailer tailer;
        private byte[] buf = new byte[64 * 1024];
        /** Format version 3 on: events are coded against their block's context. */
        private final boolean contextual = info.formatVersion() >= TraceFormat.V_BLOCK_CONTEXT;
        private final BlockContext cx = new BlockContext();
        private int pos;
        private int len;
        private int left; // events left in the loaded block
        private long seq;
        private boolean pending;
        final Event ev = new Event();
        long cachedLoc = -1;
        int cachedIndex;
        // context saved across an interrupt handler
        private final int[] savedInts = new int[5 * 8];
        private final boolean[] savedIrqs = new boolean[8];
        private int depth;
        int dataRaceDepth;

        Cursor(int thread) {
            this.thread = thread;
            ev.thread = thread;
            ev.cpu = -1;
            ev.task = -1;
            ev.ctx = 1_000_000 + thread;
        }

        void addBlock(long index) {
            if (nblocks == blocks.length) {
                blocks = Arrays.copyOf(blocks, nblocks * 2);
            }
            blocks[nblocks++] = index;
        }

        boolean hasPending() {
            return pending;
        }

        void consumed() {
            pending = false;
        }

        void pushContext() {
            if (depth < 8) {
                int o = 5 * depth;
                savedInts[o] = ev.cpu;
                savedInts[o + 1] = ev.ctx;
                savedInts[o + 2] = ev.task;
                savedInts[o + 3] = ev.preemptCount;
                savedInts[o + 4] = ev.inIrq ? 1 : 0;
                savedIrqs[depth] = ev.irqsOff;
            }
            depth++;
        }

        void popContext() {
            if (depth == 0) {
                return;
            }
            depth--;
            if (depth < 8) {
                int o = 5 * depth;
                ev.cpu = savedInts[o];
                ev.ctx = savedInts[o + 1];
                ev.task = savedInts[o + 2];
                ev.preemptCount = savedInts[o + 3];
                ev.inIrq = savedInts[o + 4] != 0;
                ev.irqsOff = savedIrqs[depth];
            }
        }

        /** Decodes the next event into ev; false when the thread has no more. */
        boolean advance(TraceReader r) throws TraceException {
            if (left == 0 && !loadBlock(r)) {
                return false;
            }
            decode(r);
            left--;
            pending = true;
            return true;
        }

        private boolean loadBlock(TraceReader r) throws TraceException {
            if (nextBlock >= nblocks) {
                return false;
            }
            if (tailer == null) {
                tailer = queue.createTailer();
            }
            long index = blocks[nextBlock++];
            try {
                if (!tailer.moveToIndex(index)) {
                    throw new TraceException("corrupt trace " + dir + ": block " + Long.toHexString(index) + " of thread " + thread + " vanished");
                }
                try (DocumentContext dc = tailer.readingDocument()) {
                    Bytes<?> b = dc.wire().bytes();
                    b.readByte();
                    b.readInt();
                    b.readLong();
                    left = b.readInt();
                    len = b.readInt();
                    if (buf.length < len) {
                        buf = new byte[len];
                    }
                    b.read(buf, 0, len);
                    pos = 0;
                    cx.reset();
                }
            } catch (TraceException e) {
                throw e;
            } catch (Exception | Error e) {
                throw new TraceException("corrupt trace " + dir + ": " + oneLine(e));
            }
            return true;
        }

        private long u() throws TraceException {
            if (pos < len) {
                byte first = buf[pos];
                if (first >= 0) { // most fields are one byte
                    pos++;
                    return first;
                }
            }
            long v = 0;
            int shift = 0;
            while (true) {
                if (pos >= len) {
                    throw new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " runs past its block");
                }
                byte x = buf[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new TraceException("corrupt trace " + dir + ": a malformed number in thread " + thread);
                }
            }
        }

        private long s() throws TraceException {
            return Varint.zigzagDecode(u());
        }

        private void decode(TraceReader r) throws TraceException {
            if (pos >= len) {
                throw new TraceException("corrupt trace " + dir + ": thread " + thread + " has fewer events than its block says");
            }
            int op = buf[pos++];
            if (contextual) {
                decodeInContext(op & 0xff);
                return;
            }
            EventKind k = EventKind.ofCode(op);
            if (k == null) {
                throw new TraceException("corrupt trace " + dir + ": unknown event code " + op + " in thread " + thread);
            }
            Event e = start(k, (int) u());
            switch (k.shape) {
                case READ:
                    e.loc = u();
                    e.value = s();
                    e.co = u();
                    break;
                case WRITE:
                    e.loc = u();
                    e.value = s();
                    e.co = u();
                    e.readsOfPrev = u();
                    break;
                case RMW:
                    e.loc = u();
                    e.value = s();
                    e.value2 = s();
                    e.co = u();
                    e.readsOfPrev = u();
                    break;
                case FAILED_RMW:
                    e.loc = u();
                    e.value = s();
                    e.value2 = s();
                    e.co = u();
                    break;
                case FENCE:
                    break;
                default:
                    decodeControl(k, e);
            }
        }

        private Event start(EventKind k, int site) {
            Event e = ev;
            e.kind = k;
            e.seq = seq++;
            e.site = site;
            e.loc = 0;
            e.value = 0;
            e.value2 = 0;
            e.co = 0;
            e.readsOfPrev = 0;
            e.rfId = -1;
            e.a = 0;
            e.b = 0;
            e.text = null;
            return e;
        }

        /** An event of format version 3 on: coded against the block's context (BlockContext, BlockEncoder). */
        private void decodeInContext(int op) throws TraceException {
            EventKind k = EventKind.ofCode(op & ~BlockContext.SITE_PREDICTED);
            if (k == null) {
                throw new TraceException("corrupt trace " + dir + ": unknown event code " + (op & ~BlockContext.SITE_PREDICTED) + " in thread " + thread);
            }
            BlockContext x = cx;
            int site;
            if ((op & BlockContext.SITE_PREDICTED) != 0) {
                site = x.predicted();
                if (site < 0) {
                    throw new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " names a site its block never predicted");
                }
            } else {
                site = (int) (x.prevSite + s());
            }
            x.sawSite(site);
            Event e = start(k, site);
            EventKind.Shape shape = k.shape;
            if (shape == EventKind.Shape.FENCE) {
                return;
            }
            if (shape == EventKind.Shape.CONTROL) {
                decodeControl(k, e);
                return;
            }
            long f = u();
            int h;
            int coBias = shape == EventKind.Shape.WRITE || shape == EventKind.Shape.RMW ? 1 : 0;
            if (f < BlockContext.SLOTS) {
                h = (int) f;
                if (!x.valid(h)) {
                    throw new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " names an empty location cache entry");
                }
                e.loc = x.loc[h];
                e.value = x.value[h] + s();
                e.co = x.co[h] + s() + coBias;
            } else {
                e.loc = x.prevLoc + Varint.zigzagDecode(f - BlockContext.SLOTS);
                h = BlockContext.slot(e.loc);
                e.value = s();
                e.co = u();
            }
            long seen = e.value;
            switch (shape) {
                case WRITE:
                    e.readsOfPrev = u();
                    break;
                case RMW:
                    e.value2 = e.value + s();
                    e.readsOfPrev = u();
                    seen = e.value2;
                    break;
                case FAILED_RMW:
                    e.value2 = s();
                    break;
                default:
                    break;
            }
            x.saw(h, e.loc, seen, e.co);
        }

        private void decodeControl(EventKind k, Event e) throws TraceException {
            switch (k.args) {
                case NONE:
                    break;
                case ONE:
                    e.a = s();
                    break;
                case TWO:
                    e.a = s();
                    e.b = s();
                    break;
                case OID_CLASS:
                    e.a = u();
                    e.b = u();
                    break;
                case OID_TEXT:
                    e.a = u();
                    e.text = text();
                    break;
                case ONE_TEXT:
                    e.a = s();
                    e.text = text();
                    break;
                case LOC:
                    e.loc = u();
                    break;
                default:
                    throw new TraceException("corrupt trace " + dir + ": no layout for " + k);
            }
        }

        private String text() throws TraceException {
            int n = (int) u();
            if (n < 0 || pos + n > len) {
                throw new TraceException("corrupt trace " + dir + ": a damaged text in thread " + thread);
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        void close() {
            if (tailer != null) {
                try {
                    tailer.close();
                } catch (RuntimeException ignored) {
                    // nothing to save
                }
            }
        }
    }
}

package smptrace.trace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a trace directory and streams its events in one order consistent with program order,
 * reads-from and coherence (see {@link Event}).
 *
 * <p>Opening scans the queue once ({@link QueueFile}: plain file reads, never Chronicle's own
 * parser): the header, the dictionaries and where each thread's blocks are; from format version 3
 * every record's checksum is verified there, so nothing is answered about bytes that were not
 * checked. Every count, length and id is checked against what the records seen so far can hold
 * before anything is allocated for it. Streaming then gives each thread a cursor of its own and
 * merges: an event is delivered once the write it read from (or, for a write, the write it
 * overwrote and every read of that write) has been. Memory: one block per thread plus
 * per-location state; nothing grows with the trace's length except the block index (one long per
 * block of thousands of events).
 */
public final class TraceReader implements EventSource {
    private final Path dir;
    private final QueueFile queue;
    private final boolean salvage;
    private final TraceInfo info = new TraceInfo();
    private final List<Cursor> cursors = new ArrayList<>();
    /** The cursors once the trace is open (the merge's array: no list access per event). */
    private Cursor[] streams = new Cursor[0];
    private int version;
    private byte endStatus = -1;
    private String endDetail = "";
    private long endLost;
    private long recordedEvents;
    private long blockBytes;
    private long delivered;
    private long records;
    private TraceEnd end;
    /** Set when a block failed its check and --salvage kept the intact prefix: what was damaged. */
    private String damage;
    private int siteRecords;
    private int fieldRecords;
    private int classRecords;
    private int threadRecords;

    // per-location merge state, by LocationTable index
    private final LocationTable locs = new LocationTable();
    /**
     * The merge state of each location index i, side by side so that an event touches one cache line: at 3i the
     * writes delivered, at 3i + 1 the reads delivered of the current write, at 3i + 2 the id of its writer.
     */
    private long[] merge = new long[3 * 1024];

    private int current;
    private int irqContexts;

    /** Opens a trace; every problem is a TraceException with a one-line message. */
    public static TraceReader open(Path dir) throws TraceException {
        return open(dir, false);
    }

    /**
     * Opens a trace. With {@code salvage}, an event block that fails its checksum (or does not
     * parse) ends its thread's stream there instead of refusing the trace: the events before it are
     * analysed and {@link #end()} states the damage. A damaged header or dictionary is always refused.
     */
    public static TraceReader open(Path dir, boolean salvage) throws TraceException {
        if (!Files.exists(dir)) {
            throw new TraceException("no trace at " + dir + ": the directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new TraceException("not a trace: " + dir + " is a file, not a trace directory");
        }
        QueueFile q = QueueFile.open(dir);
        TraceReader r = new TraceReader(dir, q, salvage);
        try {
            r.scan();
        } catch (TraceException e) {
            r.close();
            throw e;
        } catch (Exception | Error e) { // a reader bug must still be one line
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
        return TraceException.clean(nl < 0 ? m : m.substring(0, nl));
    }

    private TraceReader(Path dir, QueueFile queue, boolean salvage) {
        this.dir = dir;
        this.queue = queue;
        this.salvage = salvage;
    }

    private TraceException corrupt(String what) {
        return new TraceException("corrupt trace " + dir + ": " + what);
    }

    // ---- pass 1: header, dictionaries, block index ----------------------------------------------------

    /** The bytes of one record, parsed little-endian with bounds checks (docs/trace-format.md). */
    private final class Fields {
        byte[] a = new byte[4096];
        int pos;
        int limit;
        long where; // the record's byte position, for messages

        void load(int file, long at, int len) throws TraceException {
            if (a.length < len) {
                a = new byte[Math.max(len, a.length * 2)];
            }
            queue.read(file, at, a, len);
            pos = 0;
            limit = len;
            where = at;
        }

        private void need(int n) throws TraceException {
            if (limit - pos < n) {
                throw corrupt("a record at byte " + where + " ends inside its fields");
            }
        }

        byte b() throws TraceException {
            need(1);
            return a[pos++];
        }

        int i() throws TraceException {
            need(4);
            int v = (a[pos] & 0xff) | (a[pos + 1] & 0xff) << 8 | (a[pos + 2] & 0xff) << 16 | (a[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        long l() throws TraceException {
            long lo = i() & 0xffffffffL;
            long hi = i() & 0xffffffffL;
            return lo | hi << 32;
        }

        /** Chronicle's writeUtf8: a stop-bit (LEB128) byte length, then the UTF-8 bytes. */
        String utf8() throws TraceException {
            long n = 0;
            int shift = 0;
            while (true) {
                byte x = b();
                n |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    break;
                }
                shift += 7;
                if (shift > 28) {
                    throw corrupt("a damaged text length in the record at byte " + where);
                }
            }
            if (n > limit - pos) {
                throw corrupt("a text in the record at byte " + where + " runs past its record");
            }
            String s = new String(a, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        boolean crcOk() {
            if (limit < 5) {
                return false;
            }
            CRC32C c = new CRC32C();
            c.update(a, 0, limit - 4);
            int stored = (a[limit - 4] & 0xff) | (a[limit - 3] & 0xff) << 8 | (a[limit - 2] & 0xff) << 16 | (a[limit - 1] & 0xff) << 24;
            return (int) c.getValue() == stored;
        }
    }

    private void scan() throws TraceException {
        Fields f = new Fields();
        boolean[] first = {true};
        queue.scan((file, at, len) -> {
            records++;
            if (len < 1) {
                throw corrupt("an empty record at byte " + at);
            }
            if (endStatus >= 0) {
                throw corrupt("a record at byte " + at + " follows the end record");
            }
            if (first[0]) {
                f.load(file, at, len);
                byte kind = f.b();
                if (kind != TraceFormat.DOC_HEADER) {
                    throw new TraceException("not an smptrace trace: " + dir + " does not start with a header");
                }
                readHeader(f);
                first[0] = false;
                return;
            }
            record(f, file, at, len);
        });
        if (first[0]) {
            if (queue.tail() != QueueFile.Tail.END) {
                throw corrupt(queue.tailDetail() + " before any record");
            }
            throw new TraceException("empty trace: " + dir + " holds no records");
        }
        if (endStatus >= 0 && queue.tail() != QueueFile.Tail.END) {
            throw corrupt(queue.tailDetail() + " after the end record");
        }
        for (ThreadInfo ti : info.threads()) {
            if (ti != null) {
                cursor(ti.id());
            }
        }
        streams = cursors.toArray(new Cursor[0]);
    }

    private boolean checksummed() {
        return version >= TraceFormat.CHECKSUMS_SINCE;
    }

    /** One record after the header: a dictionary entry, a block (indexed, not decoded) or the end. */
    private void record(Fields f, int file, long at, int len) throws TraceException {
        boolean check = checksummed();
        f.load(file, at, len);
        byte kind = f.b();
        if (check) {
            if (!f.crcOk()) {
                if (kind == TraceFormat.DOC_BLOCK && salvage && len >= TraceFormat.BLOCK_HEAD + 5) {
                    damagedBlock(f, at, "fails its checksum");
                    return;
                }
                throw corrupt(recordName(kind) + " at byte " + at + " fails its checksum");
            }
            f.limit -= 4;
        }
        switch (kind) {
            case TraceFormat.DOC_SITE: {
                int id = f.i();
                checkId("site", id, siteRecords + 1);
                siteRecords++;
                String cls = f.utf8();
                String method = f.utf8();
                String file2 = f.utf8();
                int line = f.i();
                info.addSite(new Site(id, cls, method, file2, line));
                break;
            }
            case TraceFormat.DOC_FIELD: {
                int id = f.i();
                checkId("field", id, fieldRecords);
                fieldRecords++;
                String text = f.utf8();
                String[] parts = text.split("#", 3); // owner#name#type
                if (parts.length < 2) {
                    throw corrupt("a damaged field record at byte " + at);
                }
                info.addField(new FieldInfo(id, parts[0], parts[1], parts.length > 2 ? parts[2] : "?"));
                break;
            }
            case TraceFormat.DOC_CLASS: {
                int id = f.i();
                checkId("class", id, classRecords);
                classRecords++;
                info.addClass(id, f.utf8());
                break;
            }
            case TraceFormat.DOC_THREAD: {
                int id = f.i();
                checkId("thread", id, threadRecords);
                threadRecords++;
                long jtid = f.l();
                info.addThread(new ThreadInfo(id, f.utf8(), jtid));
                break;
            }
            case TraceFormat.DOC_BLOCK: {
                int thread = f.i();
                long firstSeq = f.l();
                int count = f.i();
                boolean continues = false;
                if (info.formatVersion() >= TraceFormat.V_BLOCK_CONTEXT && (count & TraceFormat.BLOCK_CONTINUES) != 0) {
                    continues = true;
                    count &= ~TraceFormat.BLOCK_CONTINUES;
                }
                int plen = f.i();
                int expectLen = len - TraceFormat.BLOCK_HEAD - (check ? 4 : 0);
                if (thread < 0 || thread >= threadRecords || count <= 0 || plen != expectLen || count > plen) {
                    if (salvage && check) {
                        damagedBlock(f, at, "is damaged");
                        return;
                    }
                    throw corrupt("a damaged event block at byte " + at);
                }
                Cursor c = cursor(thread);
                if (c.damaged) {
                    return; // salvage: the thread's stream ended at its damaged block
                }
                if (firstSeq != c.indexedEvents) {
                    throw corrupt("thread " + thread + " has a gap before event " + firstSeq + " (block at byte " + at + ")");
                }
                if (continues && c.indexedEvents == 0) {
                    throw corrupt("the first event block of thread " + thread + " (at byte " + at + ") continues no earlier block");
                }
                c.addBlock(file, at, continues ? -count : count);
                c.indexedEvents += count;
                recordedEvents += count;
                blockBytes += len + 4L; // the record (fields, payload, checksum) and Chronicle's 4-byte excerpt header
                break;
            }
            case TraceFormat.DOC_END: {
                byte status = f.b();
                long events = f.l();
                if (check) {
                    endLost = f.l();
                    long recs = f.l();
                    if (recs != records - 1) {
                        throw corrupt("the end record counts " + recs + " records before it, the queue holds " + (records - 1));
                    }
                    if (damage == null && events != recordedEvents) {
                        throw corrupt("the end record counts " + events + " events, the blocks hold " + recordedEvents);
                    }
                }
                if (status != TraceFormat.END_COMPLETE && status != TraceFormat.END_AGENT_FAILED) {
                    throw corrupt("an end record with unknown status " + status);
                }
                endDetail = TraceException.clean(f.utf8());
                endStatus = status;
                break;
            }
            default:
                throw corrupt("unknown record kind " + (kind & 0xff) + " at byte " + at);
        }
    }

    private static String recordName(byte kind) {
        switch (kind) {
            case TraceFormat.DOC_HEADER: return "the header";
            case TraceFormat.DOC_SITE: return "a site record";
            case TraceFormat.DOC_FIELD: return "a field record";
            case TraceFormat.DOC_CLASS: return "a class record";
            case TraceFormat.DOC_THREAD: return "a thread record";
            case TraceFormat.DOC_BLOCK: return "an event block";
            case TraceFormat.DOC_END: return "the end record";
            default: return "a record of unknown kind " + (kind & 0xff);
        }
    }

    /** Ids are dense, in the order their records are written: an id past the next one is damage. */
    private void checkId(String what, int id, int next) throws TraceException {
        if (id < 0 || id > next) {
            throw corrupt("a " + what + " record with id " + id + " (the next is " + next + ")");
        }
    }

    /** Salvage: the thread named by a damaged block (if its fields still say which) ends before it. */
    private void damagedBlock(Fields f, long at, String why) throws TraceException {
        f.pos = 1;
        int thread = f.i();
        long firstSeq = f.l();
        String which;
        if (thread >= 0 && thread < threadRecords && firstSeq == cursor(thread).indexedEvents && !cursor(thread).damaged) {
            cursor(thread).damaged = true;
            which = "the block of thread " + thread + " from event " + firstSeq + " at byte " + at + " " + why
                    + "; thread " + thread + " is read up to event " + firstSeq;
        } else {
            // which thread it belongs to cannot be trusted: every stream ends here
            for (Cursor c : cursors) {
                c.damaged = true;
            }
            for (int t = cursors.size(); t < threadRecords; t++) {
                cursor(t).damaged = true;
            }
            which = "the block at byte " + at + " " + why + " and names no thread that can be trusted; every thread is read up to it";
        }
        damage = damage == null ? which : damage + "; " + which;
    }

    private void readHeader(Fields f) throws TraceException {
        // the version decides whether the header carries a checksum, so it is read before the check
        int len = f.limit;
        String text = f.utf8();
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
            throw corrupt("unreadable format version");
        }
        if (v < TraceFormat.OLDEST_READABLE || v > TraceFormat.VERSION) {
            throw new TraceException("unsupported trace format version " + v + " in " + dir
                    + "; this smptrace reads versions " + TraceFormat.OLDEST_READABLE + " to " + TraceFormat.VERSION);
        }
        version = v;
        if (checksummed()) {
            if (!f.crcOk()) {
                throw corrupt("the header fails its checksum");
            }
            if (f.pos != len - 4) {
                throw corrupt("the header has " + (len - 4 - f.pos) + " stray bytes");
            }
        }
        for (String value : info.header().values()) {
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) < 0x20 && value.charAt(i) != '\t') {
                    throw corrupt("the header holds control characters");
                }
            }
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
        Event v = nextView();
        if (v == null) {
            return false;
        }
        e.copyFrom(v);
        return true;
    }

    /**
     * The next event as the reader's own view of it, without the copy {@link #next} makes: valid, and not to be
     * changed, until the next call; null at the end (then {@link #end()} says how the trace ended).
     */
    public Event nextView() throws TraceException {
        if (end != null) {
            return null;
        }
        Cursor[] cs = streams;
        int n = cs.length;
        for (int tried = 0; tried <= n; tried++) {
            if (n == 0) {
                break;
            }
            Cursor c = cs[current];
            if (c.pending || c.advance()) {
                if (enabled(c)) {
                    deliver(c);
                    return c.ev;
                }
            }
            current = current + 1 == n ? 0 : current + 1;
        }
        return nothingEnabled();
    }

    /**
     * No cursor had an enabled event in a full turn (out of line, so that {@link #nextView}'s loop is small enough to
     * be compiled into its caller): a forgotten dead location re-synchronised, the end of the trace, or an error.
     */
    private Event nothingEnabled() throws TraceException {
        if (dead.anyForgotten() && resyncForgotten()) {
            return nextView(); // an access to a forgotten dead location was waiting for its merge state
        }
        // nothing enabled: either every cursor is done, or the trace ends inside a dependency
        StringBuilder waitingThreads = new StringBuilder();
        int waiting = 0;
        for (Cursor c : cursors) {
            if (c.hasPending()) {
                waiting++;
                if (waiting <= 8) {
                    waitingThreads.append(waiting == 1 ? "" : ", ").append(c.thread).append(" at event ").append(c.ev.seq);
                }
            }
        }
        if (waiting == 0) {
            end = endRecord(null);
            return null;
        }
        if (endStatus < 0 || damage != null || endStatus == TraceFormat.END_AGENT_FAILED) {
            // the writes they read were lost with the end of the recording (or with a damaged block)
            end = endRecord(waiting + " thread(s) stop early at reads of writes that were never recorded (thread "
                    + waitingThreads + (waiting > 8 ? ", ..." : "") + ")");
            return null;
        }
        throw corrupt("events of " + waiting + " thread(s) read from writes that are not in the trace (thread "
                + waitingThreads + (waiting > 8 ? ", ..." : "") + ")");
    }

    /** How the trace ended; {@code stopped}: threads that stop early because what they read is missing. */
    private TraceEnd endRecord(String stopped) {
        String also = stopped == null ? "" : "; " + stopped;
        String lost = endLost > 0 ? "; the recorder lost " + endLost + " event(s) it could not write" : "";
        if (damage != null) {
            return new TraceEnd(TraceEnd.Status.DAMAGED, delivered, "damaged: " + damage + "; analysed the intact "
                    + delivered + " of " + recordedEvents + " events" + also + lost);
        }
        if (endStatus < 0) {
            String why = queue.tail() == QueueFile.Tail.END ? "no end record (the recording JVM died)" : queue.tailDetail();
            return new TraceEnd(TraceEnd.Status.CUT_SHORT, delivered, "cut short: " + why + "; read " + delivered + " of "
                    + recordedEvents + " recorded events, up to the last complete block of each of "
                    + cursors.size() + " thread(s)" + also);
        }
        if (endStatus == TraceFormat.END_AGENT_FAILED) {
            return new TraceEnd(TraceEnd.Status.AGENT_FAILED, delivered, "the agent stopped recording: " + endDetail
                    + "; read " + delivered + " events recorded before it" + also + lost);
        }
        if (endLost > 0) {
            return new TraceEnd(TraceEnd.Status.AGENT_FAILED, delivered, "incomplete: the recorder lost " + endLost
                    + " event(s) it could not write" + also);
        }
        return new TraceEnd(TraceEnd.Status.COMPLETE, delivered, "");
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
        if (3 * i >= merge.length) {
            merge = Arrays.copyOf(merge, 3 * Math.max(i + 1, merge.length / 3 * 2));
        }
        if (locs.lastAdded() && dead.size() > 0 && dead.take(loc, taken)) {
            // the location is new to the table (nothing delivered on its index since it was assigned: a live
            // location never enters the dead table, a dead one leaves the location table), and it is a dead
            // object's: its accesses after the free continue from the writes and reads delivered before it
            merge[3 * i] = taken[0];
            merge[3 * i + 1] = taken[1];
            merge[3 * i + 2] = taken[2];
        }
        return i;
    }

    /**
     * A KFREE: the object's locations leave the location table (their indices are recycled, so per-location
     * state stays as large as the live locations); their merge state moves to {@link DeadLocations}, which a
     * later access of the dead object takes it back from.
     */
    private void free(int oid) {
        String cls = info.objectClass(oid);
        if (oid <= 0 || cls != null && cls.startsWith("[")) {
            locs.releaseNone(); // arrays are not freed in this model
            return;
        }
        int n = locs.releaseObject(oid);
        for (int k = 0; k < n; k++) {
            int i = locs.released(k);
            int j = 3 * i;
            if (j < merge.length) {
                if (merge[j] != 0 || merge[j + 1] != 0) {
                    dead.put(locs.releasedLocation(k), merge[j], merge[j + 1], merge[j + 2]);
                }
                merge[j] = 0;
                merge[j + 1] = 0;
                merge[j + 2] = 0;
            }
        }
        if (n > 0) {
            for (Cursor c : streams) {
                c.cachedLoc = NO_LOC; // the index a cursor cached may be recycled
            }
        }
    }

    /**
     * Nothing is enabled: re-synchronises the merge state of a forgotten dead location (its exact state left
     * {@link DeadLocations}' quarantine) from the waiting access to it that needs the fewest writes, so that
     * access is delivered (reading "no write"). False if no waiting access is to a forgotten location.
     */
    private boolean resyncForgotten() throws TraceException {
        Cursor best = null;
        long need = Long.MAX_VALUE;
        for (Cursor c : streams) {
            Event ev = c.ev;
            if (c.hasPending() && ev.kind.isMemory() && ev.kind.shape != EventKind.Shape.FENCE && dead.forgotten(ev.loc)) {
                long n = ev.kind.shape == EventKind.Shape.WRITE || ev.kind.shape == EventKind.Shape.RMW ? ev.co - 1 : ev.co;
                if (n < need) {
                    need = n;
                    best = c;
                }
            }
        }
        return best != null && resync(locIndex(best), best.ev);
    }

    /** Sets index i's merge state to what ev needs to be delivered next, its last writer unknown (read as none). */
    private boolean resync(int i, Event ev) {
        boolean writes = ev.kind.shape == EventKind.Shape.WRITE || ev.kind.shape == EventKind.Shape.RMW;
        merge[3 * i] = writes ? ev.co - 1 : ev.co;          // writes delivered
        merge[3 * i + 1] = writes ? ev.readsOfPrev : 0;     // reads of the current write
        merge[3 * i + 2] = -1;                              // its last writer: unknown
        resynced++;
        return true;
    }

    /** Accesses to forgotten dead locations delivered by re-synchronising (tests, benchmarks). */
    long resynced;

    /** The dead locations' table (tests). */
    DeadLocations deadLocations() {
        return dead;
    }

    private static final long NO_LOC = Long.MIN_VALUE;
    private final DeadLocations dead = new DeadLocations();
    private final long[] taken = new long[3];

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
        int sh = c.shape;
        if (sh >= S_FENCE) {
            return true;
        }
        Event ev = c.ev;
        int i = ev.loc == c.cachedLoc ? c.cachedIndex : locIndex(c);
        long[] m = merge;
        int j = 3 * i;
        long w = m[j];
        if (sh == S_READ || sh == S_FAILED) {
            if (w > ev.co) {
                if (dead.forgotten(ev.loc)) {
                    return resync(i, ev); // a read of a forgotten dead location (DeadLocations): re-synchronised
                }
                throw readAfter(ev, w);
            }
            return w == ev.co;
        }
        return w == ev.co - 1 && m[j + 1] == ev.readsOfPrev;
    }

    private TraceException readAfter(Event ev, long w) {
        return new TraceException("corrupt trace " + dir + ": a read of " + ev.loc + " names write " + ev.co
                + " after write " + w + " was delivered");
    }

    private void deliver(Cursor c) {
        Event ev = c.ev;
        int sh = c.shape;
        int i = c.cachedIndex;
        long[] m = merge;
        int j = 3 * i;
        switch (sh) {
            case S_READ:
            case S_FAILED:
                m[j + 1]++;
                ev.rfId = m[j] == 0 ? -1 : m[j + 2];
                ev.locIndex = i;
                break;
            case S_WRITE:
                m[j] = ev.co;
                m[j + 1] = 0;
                m[j + 2] = Event.id(c.thread, ev.seq);
                ev.rfId = -1;
                ev.locIndex = i;
                break;
            case S_RMW:
                ev.rfId = m[j] == 0 ? -1 : m[j + 2];
                m[j] = ev.co;
                m[j + 1] = 0;
                m[j + 2] = Event.id(c.thread, ev.seq);
                ev.locIndex = i;
                break;
            case S_FENCE:
                ev.locIndex = -1;
                break;
            default:
                control(c, ev);
                ev.locIndex = -1;
        }
        c.pending = false;
        delivered++;
    }

    /** Event shapes as small ints (EventKind.Shape's order), by opcode: the merge and the decoder switch on them. */
    private static final int S_READ = 0, S_WRITE = 1, S_RMW = 2, S_FAILED = 3, S_FENCE = 4, S_CONTROL = 5;
    private static final byte[] SHAPE_OF = new byte[128];

    static {
        for (EventKind k : EventKind.values()) {
            SHAPE_OF[k.code] = (byte) k.shape.ordinal();
        }
        if (EventKind.Shape.READ.ordinal() != S_READ || EventKind.Shape.WRITE.ordinal() != S_WRITE
                || EventKind.Shape.RMW.ordinal() != S_RMW || EventKind.Shape.FAILED_RMW.ordinal() != S_FAILED
                || EventKind.Shape.FENCE.ordinal() != S_FENCE || EventKind.Shape.CONTROL.ordinal() != S_CONTROL) {
            throw new AssertionError("EventKind.Shape changed its order");
        }
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
            case ROLE:
                info.objectRole((int) ev.a, (int) ev.b, (int) ev.value, (int) ev.value2);
                break;
            case KFREE:
                free((int) ev.a);
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
        queue.close();
    }

    /** One thread's stream: its block index, a tailer to fetch blocks, and the decoded next event. */
    private final class Cursor {
        final int thread;
        long indexedEvents;
        /** Salvage: the stream ends before a damaged block. */
        boolean damaged;
        /** Per block: (file << 44) | byte position of the record, and its event count. */
        private long[] blocks = new long[8];
        private int[] counts = new int[8];
        private int nblocks;
        private int nextBlock;
        private byte[] buf = new byte[64 * 1024];
        /** Format version 5 on: events are coded against their block's context. */
        private final boolean contextual = info.formatVersion() >= TraceFormat.V_BLOCK_CONTEXT;
        private final BlockContext cx = new BlockContext();
        private int pos;
        private int len;
        private int left; // events left in the loaded block
        private long seq;
        boolean pending;
        /** The pending event's shape (S_READ ... S_CONTROL). */
        int shape;
        /** Whether ev's control fields (a, b, text) may be set: a memory event clears them only then. */
        private boolean controlSet = true;
        final Event ev = new Event();
        long cachedLoc = NO_LOC;
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

        void addBlock(int file, long at, int count) {
            if (nblocks == blocks.length) {
                blocks = Arrays.copyOf(blocks, nblocks * 2);
                counts = Arrays.copyOf(counts, nblocks * 2);
            }
            counts[nblocks] = count; // negative: the block continues the previous block's context
            blocks[nblocks++] = ((long) file << 44) | at;
        }

        boolean hasPending() {
            return pending;
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
        boolean advance() throws TraceException {
            if (left == 0 && !nextBlock()) {
                return false;
            }
            if (contextual) {
                decodeInContext();
            } else {
                decode();
            }
            if (--left == 0 && pos != len) {
                throw bytesAfterLast();
            }
            pending = true;
            return true;
        }

        /** At the end of a block: the next one loaded, false when the thread has no more (out of line: rare). */
        private boolean nextBlock() throws TraceException {
            if (pos != len) {
                throw corrupt("the block of thread " + thread + " holds bytes after its last event");
            }
            return loadBlock();
        }

        private TraceException bytesAfterLast() {
            return corrupt("the block of thread " + thread + " holds " + (len - pos) + " bytes after its last event");
        }

        private boolean loadBlock() throws TraceException {
            if (nextBlock >= nblocks) {
                return false;
            }
            int b = nextBlock++;
            int file = (int) (blocks[b] >>> 44);
            long at = blocks[b] & ((1L << 44) - 1);
            // the payload only: its fields and checksum were checked when the trace was opened
            boolean continues = counts[b] < 0;
            left = Math.abs(counts[b]);
            long payloadAt = at + TraceFormat.BLOCK_HEAD;
            int n = payloadLength(file, at);
            if (buf.length < n) {
                buf = new byte[n];
            }
            queue.read(file, payloadAt, buf, n);
            len = n;
            pos = 0;
            if (!continues) {
                cx.reset();
            }
            return true;
        }

        private final byte[] lenBytes = new byte[4];

        private int payloadLength(int file, long at) throws TraceException {
            queue.read(file, at + TraceFormat.BLOCK_HEAD - 4, lenBytes, 4);
            int n = (lenBytes[0] & 0xff) | (lenBytes[1] & 0xff) << 8 | (lenBytes[2] & 0xff) << 16 | (lenBytes[3] & 0xff) << 24;
            if (n < 0 || n > QueueFile.MAX_RECORD) {
                throw corrupt("the block of thread " + thread + " at byte " + at + " changed since the trace was opened");
            }
            return n;
        }

        private long u() throws TraceException {
            int p = pos;
            byte[] b = buf;
            if (p + 3 <= len) {
                long x = b[p];
                if (x >= 0) { // most fields are one byte
                    pos = p + 1;
                    return x;
                }
                long y = b[p + 1];
                if (y >= 0) {
                    pos = p + 2;
                    return (x & 0x7F) | y << 7;
                }
                long z = b[p + 2];
                if (z >= 0) {
                    pos = p + 3;
                    return (x & 0x7F) | (y & 0x7F) << 7 | z << 14;
                }
            }
            return uLong();
        }

        /** The long or near-the-end cases of {@link #u}, out of line so that the short cases inline. */
        private long uLong() throws TraceException {
            byte[] b = buf;
            int p = pos;
            int n = len;
            long v = 0;
            for (int shift = 0; shift <= 63; shift += 7) {
                if (p >= n) {
                    pos = p;
                    throw pastBlock();
                }
                byte x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    pos = p;
                    return v;
                }
            }
            pos = p;
            throw malformed();
        }

        private TraceException pastBlock() {
            return new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " runs past its block");
        }

        private TraceException malformed() {
            return new TraceException("corrupt trace " + dir + ": a malformed number in thread " + thread);
        }

        private long s() throws TraceException {
            return Varint.zigzagDecode(u());
        }

        private TraceException fewerEvents() {
            return new TraceException("corrupt trace " + dir + ": thread " + thread + " has fewer events than its block says");
        }

        /** An event of format versions before 5: every field written in full. */
        private void decode() throws TraceException {
            if (pos >= len) {
                throw fewerEvents();
            }
            int op = buf[pos++];
            EventKind k = EventKind.ofCode(op);
            if (k == null) {
                throw new TraceException("corrupt trace " + dir + ": unknown event code " + op + " in thread " + thread);
            }
            long site = u();
            if (site > siteRecords) {
                throw corrupt("an event of thread " + thread + " names site " + site + " of " + siteRecords);
            }
            Event e = start(k, (int) site);
            shape = k.shape.ordinal();
            controlSet = true;
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

        /**
         * An event of format version 5 on: coded against the block's context (BlockContext, BlockEncoder). The
         * memory events (most of a trace) take the straight path: their fields set directly, no shape enum.
         */
        private void decodeInContext() throws TraceException {
            int p = pos;
            if (p >= len) {
                throw fewerEvents();
            }
            int op = buf[p] & 0xff;
            pos = p + 1;
            int code = op & ~BlockContext.SITE_PREDICTED;
            EventKind k = EventKind.ofCode(code);
            if (k == null) {
                throw unknownCode(code);
            }
            BlockContext x = cx;
            int site;
            if (op >= BlockContext.SITE_PREDICTED) {
                site = x.takePredicted();
                if (site < 0) {
                    throw unpredictedSite();
                }
            } else {
                site = siteByDelta(x);
            }
            Event e = ev;
            e.kind = k;
            e.seq = seq++;
            e.site = site;
            e.rfId = -1;
            int sh = SHAPE_OF[code];
            shape = sh;
            if (sh >= S_FENCE) {
                decodeNotMemory(k, e, sh);
            } else {
                decodeMemory(e, x, sh);
            }
        }

        /** The fields of a memory event (shape sh): in its own method so that both halves stay small enough to inline. */
        private void decodeMemory(Event e, BlockContext x, int sh) throws TraceException {
            if (controlSet) {
                clearControl(e);
            }
            long f = u();
            int h;
            long l;
            long value;
            long co;
            if (f < BlockContext.SLOTS) {
                h = (int) f;
                if (!x.valid(h)) {
                    throw emptySlot();
                }
                l = x.loc[h];
                value = x.value[h] + s();
                co = x.co[h] + s() + (sh == S_WRITE || sh == S_RMW ? 1 : 0);
            } else {
                l = x.prevLoc + Varint.zigzagDecode(f - BlockContext.SLOTS);
                h = BlockContext.slot(l);
                value = s();
                co = u();
            }
            long seen = value;
            long value2 = 0;
            long readsOfPrev = 0;
            switch (sh) {
                case S_WRITE:
                    readsOfPrev = u();
                    break;
                case S_RMW:
                    value2 = value + s();
                    readsOfPrev = u();
                    seen = value2;
                    break;
                case S_FAILED:
                    value2 = s();
                    break;
                default:
                    break;
            }
            e.loc = l;
            e.value = value;
            e.value2 = value2;
            e.co = co;
            e.readsOfPrev = readsOfPrev;
            x.saw(h, l, seen, co);
        }

        // the rare paths of decodeInContext, out of line so that its memory path stays small enough to inline

        private TraceException unknownCode(int code) {
            return new TraceException("corrupt trace " + dir + ": unknown event code " + code + " in thread " + thread);
        }

        private TraceException unpredictedSite() {
            return new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " names a site its block never predicted");
        }

        private TraceException emptySlot() {
            return new TraceException("corrupt trace " + dir + ": an event of thread " + thread + " names an empty location cache entry");
        }

        /** A site coded as a difference to the block's previous one. */
        private int siteByDelta(BlockContext x) throws TraceException {
            long d = x.prevSite + s();
            if (d < 0 || d > siteRecords) {
                throw corrupt("an event of thread " + thread + " names site " + d + " of " + siteRecords);
            }
            int site = (int) d;
            x.sawSite(site);
            return site;
        }

        /** A fence or a control event: no memory fields, the control fields decoded (or cleared for a fence). */
        private void decodeNotMemory(EventKind k, Event e, int sh) throws TraceException {
            e.loc = 0;
            e.value = 0;
            e.value2 = 0;
            e.co = 0;
            e.readsOfPrev = 0;
            e.a = 0;
            e.b = 0;
            e.text = null;
            controlSet = sh == S_CONTROL;
            if (controlSet) {
                decodeControl(k, e);
            }
        }

        /** The first memory event after a control event: the control fields cleared. */
        private void clearControl(Event e) {
            e.a = 0;
            e.b = 0;
            e.text = null;
            controlSet = false;
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
                    if (e.a > TraceFormat.MAX_OID || e.b >= classRecords) {
                        throw corrupt("an ALLOC of thread " + thread + " names object " + e.a + " of class " + e.b
                                + " (the trace has " + classRecords + " classes)");
                    }
                    break;
                case OID_TEXT:
                    e.a = u();
                    if (e.a > TraceFormat.MAX_OID) {
                        throw corrupt("an event of thread " + thread + " names object " + e.a);
                    }
                    e.text = text();
                    break;
                case ONE_TEXT:
                    e.a = s();
                    e.text = text();
                    break;
                case LOC:
                    e.loc = u();
                    break;
                case OID_ONE:
                    e.a = u();
                    e.b = s();
                    break;
                case OID_ROLE:
                    e.a = u();
                    e.b = u();
                    e.value = s();
                    e.value2 = s();
                    break;
                default:
                    throw new TraceException("corrupt trace " + dir + ": no layout for " + k);
            }
            checkArgs(k, e);
        }

        /** CPU numbers and task ids index the analyzer's tables: bounded here, as the format says. */
        private void checkArgs(EventKind k, Event e) throws TraceException {
            long cpu;
            long task = 0;
            switch (k) {
                case TASK_ON_CPU:
                case TASK_OFF_CPU:
                    task = e.a;
                    cpu = e.b;
                    break;
                case IPI_SEND:
                    if (e.b < -1 || e.b >= TraceFormat.MAX_CPUS) {
                        throw corrupt("an event of thread " + thread + " names CPU " + e.b);
                    }
                    cpu = e.a;
                    break;
                case IRQ_ENTER:
                case IRQ_EXIT:
                case CPU_ONLINE:
                case STOP_MACHINE_ENTER:
                case STOP_MACHINE_EXIT:
                case FLUSH_BEGIN:
                case FLUSH_END:
                case STUCK:
                    cpu = e.a;
                    break;
                default:
                    return;
            }
            if (cpu < -1 || cpu >= TraceFormat.MAX_CPUS || task < -1 || task > TraceFormat.MAX_TASK) {
                throw corrupt("an event of thread " + thread + " names CPU " + cpu + (task != 0 ? ", task " + task : ""));
            }
        }

        private String text() throws TraceException {
            long n = u();
            if (n > len - pos) {
                throw new TraceException("corrupt trace " + dir + ": a damaged text in thread " + thread);
            }
            String s = new String(buf, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

    }
}

package smptrace.trace;

import java.nio.charset.StandardCharsets;

/**
 * Encodes events into one thread's block buffer, in the payload layout of docs/trace-format.md.
 * Allocates nothing per event. Not thread-safe: one encoder per recording thread.
 *
 * <p>Since {@link TraceFormat#V_BLOCK_CONTEXT} an event is coded against what the same block already
 * said ({@link BlockContext}): the opcode byte's top bit means "the site that followed the previous
 * event's site last time", and a memory event's location, value and coherence index are coded against
 * a small cache of the block's recent locations. The context starts empty at every block (position 0),
 * so each block still decodes alone, and a block cut at any event boundary is still readable.
 */
public class BlockEncoder {
    public static final int BLOCK = 64 * 1024;
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    /** Room always kept for one more event; texts are cut to fit. */
    public static final int MAX_EVENT = 1200;

    /** The block being filled; a recorder may swap it for an empty one when it hands a full block off. */
    protected byte[] buf = new byte[BLOCK];
    protected int pos;
    /** False: the layout of versions 1 and 2 (every field on its own), for tests of old traces. */
    private final boolean contextual;

    // The block's context (what BlockContext keeps for the decoder), flattened for the hot path: the
    // same decisions, so the same bytes, with fewer loads and bounds checks per event.
    /** Bumped at every block (position 0); an entry of another generation says nothing. */
    private int gen;
    private int prevSite;
    private long prevLoc;
    /** Per site: (generation << 32) | the site that followed it last time in the block. */
    private long[] succ = new long[256];
    /** Per cache slot, four longs: location, value, co, generation. */
    private final long[] cache = new long[4 * BlockContext.SLOTS];

    public BlockEncoder() {
        this(TraceFormat.VERSION);
    }

    /** An encoder writing the event layout of trace format {@code formatVersion}. */
    protected BlockEncoder(int formatVersion) {
        this.contextual = formatVersion >= TraceFormat.V_BLOCK_CONTEXT;
    }

    /** True when the next event might not fit: flush first. */
    public final boolean full() {
        return pos > BLOCK - MAX_EVENT;
    }

    public final int position() {
        return pos;
    }

    public final byte[] buffer() {
        return buf;
    }

    protected final void head(EventKind k, int site) {
        byte[] b = buf;
        int p = pos;
        if (!contextual) {
            b[p] = (byte) k.code;
            pos = Varint.putU(b, p + 1, site);
            return;
        }
        if (p == 0) { // a new block: nothing said yet
            gen++;
            prevSite = 0;
            prevLoc = 0;
        }
        int ps = prevSite;
        long want = ((long) gen << 32) | (site & 0xFFFF_FFFFL);
        long[] sc = succ;
        if (ps >= 0 && ps < sc.length) {
            if (sc[ps] == want) { // the site that followed ps last time: not written
                b[p] = (byte) (k.code | BlockContext.SITE_PREDICTED);
                pos = p + 1;
            } else {
                b[p] = (byte) k.code;
                pos = Varint.putS(b, p + 1, site - ps);
                sc[ps] = want;
            }
        } else {
            b[p] = (byte) k.code;
            pos = Varint.putS(b, p + 1, site - ps);
            if (ps >= 0 && ps < BlockContext.MAX_PREDICTED_SITE) {
                // never longer than MAX_PREDICTED_SITE: a site past it is never predicted, as in BlockContext
                succ = sc = java.util.Arrays.copyOf(sc, Math.min(BlockContext.MAX_PREDICTED_SITE, Math.max(ps + 1, sc.length * 2)));
                sc[ps] = want;
            }
        }
        prevSite = site;
    }

    private void u(long v) {
        pos = Varint.putU(buf, pos, v);
    }

    private void s(long v) {
        pos = Varint.putS(buf, pos, v);
    }

    private void text(String t) {
        byte[] b = (t == null ? "" : t).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_EVENT - 64);
        u(n);
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
    }

    /**
     * The location, then the value read or written and the coherence index: against the cached entry
     * when the block saw loc recently, else loc as a distance from the block's previous location and the
     * value and co in full. {@code coBias} is 1 for writes (a write's co follows the one cached).
     */
    private int memory(long loc, long value, long co, int coBias) {
        if (!contextual) {
            u(loc);
            s(value);
            u(co);
            return -1;
        }
        int h = BlockContext.slot(loc);
        int i = h << 2;
        long[] c = cache;
        byte[] b = buf;
        int p = pos;
        if (c[i + 3] == gen && c[i] == loc) {
            b[p] = (byte) h; // a cache hit: the slot (< 16) in one byte
            p = Varint.putS(b, p + 1, value - c[i + 1]);
            pos = Varint.putS(b, p, co - c[i + 2] - coBias);
        } else {
            p = Varint.putU(b, p, BlockContext.SLOTS + Varint.zigzagEncode(loc - prevLoc));
            p = Varint.putS(b, p, value);
            pos = Varint.putU(b, p, co);
        }
        return h;
    }

    /**
     * The common memory event in one step, the bytes head() and memory() (and the shape's trailing
     * fields) would write: the site is the predicted one, the location is cached, and the value's and
     * co's differences and the {@code trailing} fields (0 to 2, already in their unsigned form) fit one
     * byte each. The cache then holds {@code cached} (an RMW's new value). False: nothing written, take
     * the general path.
     */
    private boolean common(EventKind k, int site, long loc, long value, long co, int coBias, int trailing, long t1, long t2, long cached) {
        int p = pos;
        int ps = prevSite;
        long[] sc = succ;
        if (p == 0 || !contextual || ps < 0 || ps >= sc.length || sc[ps] != (((long) gen << 32) | (site & 0xFFFF_FFFFL))) {
            return false;
        }
        int h = BlockContext.slot(loc);
        int i = h << 2;
        long[] c = cache;
        if (c[i + 3] != gen || c[i] != loc) {
            return false;
        }
        long dv = value - c[i + 1];
        long dc = co - c[i + 2] - coBias;
        long zv = (dv << 1) ^ (dv >> 63);
        long zc = (dc << 1) ^ (dc >> 63);
        if (((zv | zc | t1 | t2) & ~0x7FL) != 0) {
            return false;
        }
        byte[] b = buf;
        // opcode with the predicted-site bit, slot, value difference, co difference: one store
        INT_LE.set(b, p, (k.code | BlockContext.SITE_PREDICTED) | h << 8 | (int) zv << 16 | (int) zc << 24);
        if (trailing > 0) {
            b[p + 4] = (byte) t1;
            if (trailing > 1) {
                b[p + 5] = (byte) t2;
            }
        }
        pos = p + 4 + trailing;
        prevSite = site; // its successor entry already says site
        c[i + 1] = cached;
        c[i + 2] = co;
        prevLoc = loc;
        return true;
    }

    /** The block saw loc with this value and co (cache slot h). */
    private void saw(int h, long loc, long value, long co) {
        int i = h << 2;
        long[] c = cache;
        c[i] = loc;
        c[i + 1] = value;
        c[i + 2] = co;
        c[i + 3] = gen;
        prevLoc = loc;
    }

    /** READ shape: loc, value, co of the write read. */
    public final void read(EventKind k, int site, long loc, long value, long co) {
        if (common(k, site, loc, value, co, 0, 0, 0, 0, value)) {
            return;
        }
        head(k, site);
        int h = memory(loc, value, co, 0);
        if (h >= 0) {
            saw(h, loc, value, co);
        }
    }

    /** WRITE shape: loc, value, own co, reads of the overwritten write. */
    public final void write(EventKind k, int site, long loc, long value, long co, long readsOfPrev) {
        if (common(k, site, loc, value, co, 1, 1, readsOfPrev, 0, value)) {
            return;
        }
        head(k, site);
        int h = memory(loc, value, co, 1);
        u(readsOfPrev);
        if (h >= 0) {
            saw(h, loc, value, co);
        }
    }

    /** RMW shape: loc, old, new, own co, reads of the overwritten write. */
    public final void rmw(EventKind k, int site, long loc, long old, long nv, long co, long readsOfPrev) {
        if (common(k, site, loc, old, co, 1, 2, Varint.zigzagEncode(nv - old), readsOfPrev, nv)) {
            return;
        }
        head(k, site);
        if (!contextual) {
            u(loc);
            s(old);
            s(nv);
            u(co);
            u(readsOfPrev);
            return;
        }
        int h = memory(loc, old, co, 1);
        s(nv - old);
        u(readsOfPrev);
        saw(h, loc, nv, co);
    }

    /** FAILED_RMW shape: loc, value read, expected, co of the write read. */
    public final void failedRmw(EventKind k, int site, long loc, long value, long expected, long co) {
        if (common(k, site, loc, value, co, 0, 1, Varint.zigzagEncode(expected), 0, value)) {
            return;
        }
        head(k, site);
        if (!contextual) {
            u(loc);
            s(value);
            s(expected);
            u(co);
            return;
        }
        int h = memory(loc, value, co, 0);
        s(expected);
        saw(h, loc, value, co);
    }

    /** FENCE shape, and control events without arguments. */
    public final void bare(EventKind k, int site) {
        head(k, site);
    }

    /** Control events with integer arguments (their layout is {@link EventKind#args}). */
    public final void control(EventKind k, int site, long a, long b) {
        head(k, site);
        switch (k.args) {
            case NONE:
                break;
            case ONE:
                s(a);
                break;
            case TWO:
                s(a);
                s(b);
                break;
            case OID_CLASS:
                u(a);
                u(b);
                break;
            case LOC:
                u(a);
                break;
            case OID_ONE:
                u(a);
                s(b);
                break;
            default:
                throw new IllegalArgumentException(k + " carries a text or a role: use controlText / role");
        }
    }

    /** ROLE: the object's structural role, with the CPU it belongs to and an index (-1: none). */
    public final void role(int site, long oid, int role, int cpu, int index) {
        head(EventKind.ROLE, site);
        u(oid);
        u(role);
        s(cpu);
        s(index);
    }

    /** NAME (oid, text) and STUCK (cpu, text). */
    public final void controlText(EventKind k, int site, long a, String text) {
        head(k, site);
        if (k.args == EventKind.Args.OID_TEXT) {
            u(a);
        } else if (k.args == EventKind.Args.ONE_TEXT) {
            s(a);
        } else {
            throw new IllegalArgumentException(k + " carries no text");
        }
        text(text);
    }
}

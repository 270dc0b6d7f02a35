package smptrace.trace;

import java.nio.charset.StandardCharsets;

/**
 * The block encoder as it was before its fast path (BlockEncoder keeps its own flattened copy of the
 * block context): the reference that BlockEncoderIdentityTest holds the fast path to, byte for byte.
 */
class ReferenceBlockEncoder {
    static final int BLOCK = 64 * 1024;
    /** Room always kept for one more event; texts are cut to fit. */
    static final int MAX_EVENT = 1200;

    /** The block being filled; a recorder may swap it for an empty one when it hands a full block off. */
    protected byte[] buf = new byte[BLOCK];
    protected int pos;
    /** False: the layout of versions 1 and 2 (every field on its own), for tests of old traces. */
    private final boolean contextual;
    private final BlockContext cx = new BlockContext();

    ReferenceBlockEncoder() {
        this(TraceFormat.VERSION);
    }

    /** An encoder writing the event layout of trace format {@code formatVersion}. */
    ReferenceBlockEncoder(int formatVersion) {
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
        if (!contextual) {
            buf[pos++] = (byte) k.code;
            pos = Varint.putU(buf, pos, site);
            return;
        }
        if (pos == 0) {
            cx.reset(); // a new block: nothing said yet
        }
        if (cx.predicts(site)) {
            buf[pos++] = (byte) (k.code | BlockContext.SITE_PREDICTED);
        } else {
            buf[pos++] = (byte) k.code;
            pos = Varint.putS(buf, pos, site - cx.prevSite);
        }
        cx.sawSite(site);
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
        if (cx.has(h, loc)) {
            u(h);
            s(value - cx.value[h]);
            s(co - cx.co[h] - coBias);
        } else {
            u(BlockContext.SLOTS + Varint.zigzagEncode(loc - cx.prevLoc));
            s(value);
            u(co);
        }
        return h;
    }

    /** READ shape: loc, value, co of the write read. */
    public final void read(EventKind k, int site, long loc, long value, long co) {
        head(k, site);
        int h = memory(loc, value, co, 0);
        if (h >= 0) {
            cx.saw(h, loc, value, co);
        }
    }

    /** WRITE shape: loc, value, own co, reads of the overwritten write. */
    public final void write(EventKind k, int site, long loc, long value, long co, long readsOfPrev) {
        head(k, site);
        int h = memory(loc, value, co, 1);
        u(readsOfPrev);
        if (h >= 0) {
            cx.saw(h, loc, value, co);
        }
    }

    /** RMW shape: loc, old, new, own co, reads of the overwritten write. */
    public final void rmw(EventKind k, int site, long loc, long old, long nv, long co, long readsOfPrev) {
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
        cx.saw(h, loc, nv, co);
    }

    /** FAILED_RMW shape: loc, value read, expected, co of the write read. */
    public final void failedRmw(EventKind k, int site, long loc, long value, long expected, long co) {
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
        cx.saw(h, loc, value, co);
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

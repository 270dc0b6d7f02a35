package smptrace.trace;

import java.nio.charset.StandardCharsets;

/**
 * Encodes events into one thread's block buffer, in the payload layout of docs/trace-format.md:
 * every event is its opcode byte and its site (varint), then the fields its shape needs.
 * Allocates nothing per event. Not thread-safe: one encoder per recording thread.
 */
public class BlockEncoder {
    public static final int BLOCK = 64 * 1024;
    /** Room always kept for one more event; texts are cut to fit. */
    public static final int MAX_EVENT = 1200;

    /** The block being filled; a recorder may swap it for an empty one when it hands a full block off. */
    protected byte[] buf = new byte[BLOCK];
    protected int pos;

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
        buf[pos++] = (byte) k.code;
        pos = Varint.putU(buf, pos, site);
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

    /** READ shape: loc, value, co of the write read. */
    public final void read(EventKind k, int site, long loc, long value, long co) {
        head(k, site);
        u(loc);
        s(value);
        u(co);
    }

    /** WRITE shape: loc, value, own co, reads of the overwritten write. */
    public final void write(EventKind k, int site, long loc, long value, long co, long readsOfPrev) {
        head(k, site);
        u(loc);
        s(value);
        u(co);
        u(readsOfPrev);
    }

    /** RMW shape: loc, old, new, own co, reads of the overwritten write. */
    public final void rmw(EventKind k, int site, long loc, long old, long nv, long co, long readsOfPrev) {
        head(k, site);
        u(loc);
        s(old);
        s(nv);
        u(co);
        u(readsOfPrev);
    }

    /** FAILED_RMW shape: loc, value read, expected, co of the write read. */
    public final void failedRmw(EventKind k, int site, long loc, long value, long expected, long co) {
        head(k, site);
        u(loc);
        s(value);
        s(expected);
        u(co);
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

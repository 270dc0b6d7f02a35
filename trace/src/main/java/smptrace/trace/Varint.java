package smptrace.trace;

/** LEB128 unsigned varints and zigzag signed varints over a byte[]: the event payload encoding. */
public final class Varint {
    private Varint() { }

    /** Writes v (treated as unsigned) at pos; returns the new position. */
    public static int putU(byte[] b, int pos, long v) {
        if ((v & ~0x7FL) == 0) { // the common cases first: most fields fit in one or two bytes
            b[pos] = (byte) v;
            return pos + 1;
        }
        if ((v & ~0x3FFFL) == 0) {
            b[pos] = (byte) (v | 0x80);
            b[pos + 1] = (byte) (v >>> 7);
            return pos + 2;
        }
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    public static int putS(byte[] b, int pos, long v) {
        return putU(b, pos, zigzagEncode(v));
    }

    public static long zigzagEncode(long v) {
        return (v << 1) ^ (v >> 63);
    }

    public static long zigzagDecode(long u) {
        return (u >>> 1) ^ -(u & 1);
    }
}

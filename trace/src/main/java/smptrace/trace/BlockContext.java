package smptrace.trace;

/**
 * What a block has said so far, kept identically by the encoder and the decoder (trace format
 * {@link TraceFormat#V_BLOCK_CONTEXT}): the previous event's site and, per site, the site that
 * followed it last time (code runs in loops, so the next site is usually the one that came next last
 * time); the previous location; and a direct-mapped cache of recent locations with the value and
 * coherence index last seen at each (a thread re-reads what it wrote, or what it read before, and a
 * write's co usually follows the one it saw). Empty at the start of every block. No allocation per
 * event; the successor table grows with the number of sites only.
 */
final class BlockContext {
    /** The opcode byte's top bit: the site is the predicted one and is not written. */
    static final int SITE_PREDICTED = 0x80;
    /** Cache entries; a location field below this is a cache hit, at or above it a distance. */
    static final int SLOTS = 16;
    /** Sites above this get no prediction (their ids are written in full). */
    static final int MAX_PREDICTED_SITE = 1 << 20;

    int prevSite;
    long prevLoc;
    private int[] next = new int[256];
    private int[] nextGen = new int[256];
    final long[] loc = new long[SLOTS];
    final long[] value = new long[SLOTS];
    final long[] co = new long[SLOTS];
    private final int[] locGen = new int[SLOTS];
    private int gen;

    void reset() {
        gen++;
        prevSite = 0;
        prevLoc = 0;
    }

    /** Whether site is the one that followed prevSite last time in this block. */
    boolean predicts(int site) {
        int p = prevSite;
        return p >= 0 && p < next.length && nextGen[p] == gen && next[p] == site;
    }

    /** The predicted site after prevSite, or -1 when the block has none. */
    int predicted() {
        int p = prevSite;
        if (p >= 0 && p < next.length && nextGen[p] == gen) {
            return next[p];
        }
        return -1;
    }

    /**
     * The predicted site after prevSite, taken as the next site (what sawSite would do with it: the prediction it
     * would store is the one just used), or -1 when the block has none.
     */
    int takePredicted() {
        int site = predicted();
        if (site >= 0) {
            prevSite = site;
        }
        return site;
    }

    void sawSite(int site) {
        int p = prevSite;
        if (p >= 0 && p < MAX_PREDICTED_SITE) {
            if (p >= next.length) {
                int n = Math.max(p + 1, next.length * 2);
                next = java.util.Arrays.copyOf(next, n);
                nextGen = java.util.Arrays.copyOf(nextGen, n);
            }
            next[p] = site;
            nextGen[p] = gen;
        }
        prevSite = site;
    }

    static int slot(long loc) {
        long x = loc * 0x9E3779B97F4A7C15L;
        return (int) (x >>> 60); // top 4 bits: SLOTS = 16
    }

    boolean has(int h, long l) {
        return locGen[h] == gen && loc[h] == l;
    }

    /** Whether entry h holds a location of this block. */
    boolean valid(int h) {
        return locGen[h] == gen;
    }

    void saw(int h, long l, long v, long c) {
        loc[h] = l;
        value[h] = v;
        co[h] = c;
        locGen[h] = gen;
        prevLoc = l;
    }
}

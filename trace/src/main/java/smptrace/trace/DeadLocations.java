package smptrace.trace;

import java.util.Arrays;

/**
 * The reader's merge state of the locations of dead objects (after a KFREE), kept so that an access
 * after the free (a use after free, which the analysis reports) is still checked against the writes
 * and reads delivered before it, as every other access is. An entry leaves when its location is
 * accessed again (the state goes back to a live index).
 *
 * <p>Bounded like KASAN's quarantine: the exact state of the last {@link #QUARANTINE} dead locations put
 * (in the order of their frees) is kept; when a free would keep more, the oldest entries are forgotten and
 * their objects keep only a bit ("dead, merge state forgotten", one bit per object id, ids being dense as the
 * agent hands them out). An access to a forgotten location is still delivered (the reader re-synchronises
 * its merge state from the first access that needs it, {@link TraceReader}), but without its reads-from:
 * a read or RMW of it reads "no write" ({@code rfId == -1}), and its order against other contexts' accesses
 * to that same location after the free follows the streams, not the recorded coherence order. The analysis
 * still reports it as a use after free (its own record of the death is per object).
 *
 * <p>Entries are two words per location (the location, and its write count, reads of the last write and
 * last writer packed into one long when they fit: fewer than 4096 writes and reads, writer stream below 256,
 * writer event number below 2^32; otherwise in a second table of three words), in open addressing filled up
 * to three quarters.
 */
final class DeadLocations {
    /** Dead locations whose exact merge state is kept (the most recently freed). */
    static final int QUARANTINE = 1 << 17;
    private static final long EMPTY = Long.MIN_VALUE; // no location: oid 0, never freed
    /** The locations put, oldest first (a ring of {@code capacity}; an entry taken back meanwhile is stale). */
    private final long[] order;
    private int orderHead;
    private int orderSize;
    /** Per object id: a location of it was forgotten (evicted from the quarantine). */
    private long[] forgotten = new long[0];
    private long forgottenLocations;

    DeadLocations() {
        this(QUARANTINE);
    }

    /** Keeps the exact state of at most {@code capacity} dead locations. */
    DeadLocations(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        order = new long[capacity];
    }
    private long[] keys = newKeys(1024);
    private long[] vals = new long[1024];
    private int size;
    /** Entries whose state does not fit one long: keys and three longs each. */
    private long[] wideKeys = newKeys(16);
    private long[] wideVals = new long[16 * 3];
    private int wideSize;

    private static long[] newKeys(int n) {
        long[] k = new long[n];
        Arrays.fill(k, EMPTY);
        return k;
    }

    int size() {
        return size + wideSize;
    }

    void put(long loc, long co, long reads, long lastWriter) {
        if (loc == EMPTY) {
            return; // not a location of an object that can die
        }
        if (!contains(loc)) {
            if (orderSize == order.length) {
                evictOldest();
            }
            order[(orderHead + orderSize++) % order.length] = loc;
        }
        int thread = Event.threadOf(lastWriter);
        long seq = lastWriter & ((1L << 40) - 1);
        if (co >= 0 && co < 4096 && reads >= 0 && reads < 4096 && thread >= 0 && thread < 256 && seq >= 0
                && seq < (1L << 32) && lastWriter == Event.id(thread, seq)) {
            removeWide(loc);
            int i = slot(keys, loc);
            if (keys[i] == EMPTY) {
                if (4 * (size + 1) > 3 * keys.length) {
                    grow();
                    i = slot(keys, loc);
                }
                keys[i] = loc;
                size++;
            }
            vals[i] = seq | (long) thread << 32 | co << 40 | reads << 52;
            return;
        }
        removeCompact(loc);
        int i = slot(wideKeys, loc);
        if (wideKeys[i] == EMPTY) {
            if (4 * (wideSize + 1) > 3 * wideKeys.length) {
                growWide();
                i = slot(wideKeys, loc);
            }
            wideKeys[i] = loc;
            wideSize++;
        }
        wideVals[3 * i] = co;
        wideVals[3 * i + 1] = reads;
        wideVals[3 * i + 2] = lastWriter;
    }

    /** Whether a location of loc's object was forgotten (its exact state evicted from the quarantine). */
    boolean forgotten(long loc) {
        int w = Event.oidOf(loc) >>> 6;
        return w < forgotten.length && (forgotten[w] & 1L << (Event.oidOf(loc) & 63)) != 0;
    }

    /** Whether any location was forgotten so far. */
    boolean anyForgotten() {
        return forgottenLocations > 0;
    }

    /** Locations forgotten so far (evicted from the quarantine with their state). */
    long forgottenLocations() {
        return forgottenLocations;
    }

    /** The most entries ever held at once is at most this. */
    int capacity() {
        return order.length;
    }

    private boolean contains(long loc) {
        return size > 0 && keys[slot(keys, loc)] != EMPTY || wideSize > 0 && wideKeys[slot(wideKeys, loc)] != EMPTY;
    }

    /**
     * Makes room in the ring: its oldest entry leaves, and if its location is still held (not taken back
     * since; a location put again after a take has a later entry too, and goes with the older one) its state
     * is forgotten and its object marked.
     */
    private void evictOldest() {
        long loc = order[orderHead];
        orderHead = (orderHead + 1) % order.length;
        orderSize--;
        if (contains(loc)) {
            removeCompact(loc);
            removeWide(loc);
            int oid = Event.oidOf(loc);
            if (oid >= 0) {
                int w = oid >>> 6;
                if (w >= forgotten.length) {
                    forgotten = Arrays.copyOf(forgotten, Math.max(w + 1, 2 * forgotten.length));
                }
                forgotten[w] |= 1L << (oid & 63);
            }
            forgottenLocations++;
        }
    }

    /** Moves loc's state into out[0..2] (co, reads, last writer) and forgets it; false if absent. */
    boolean take(long loc, long[] out) {
        if (loc == EMPTY) {
            return false;
        }
        if (size > 0) {
            int i = slot(keys, loc);
            if (keys[i] != EMPTY) {
                long v = vals[i];
                out[0] = v >>> 40 & 0xfff;
                out[1] = v >>> 52;
                out[2] = Event.id((int) (v >>> 32 & 0xff), v & 0xffffffffL);
                remove(keys, vals, 1, i);
                size--;
                return true;
            }
        }
        if (wideSize > 0) {
            int i = slot(wideKeys, loc);
            if (wideKeys[i] != EMPTY) {
                out[0] = wideVals[3 * i];
                out[1] = wideVals[3 * i + 1];
                out[2] = wideVals[3 * i + 2];
                remove(wideKeys, wideVals, 3, i);
                wideSize--;
                return true;
            }
        }
        return false;
    }

    private void removeCompact(long loc) {
        if (size > 0) {
            int i = slot(keys, loc);
            if (keys[i] != EMPTY) {
                remove(keys, vals, 1, i);
                size--;
            }
        }
    }

    private void removeWide(long loc) {
        if (wideSize > 0) {
            int i = slot(wideKeys, loc);
            if (wideKeys[i] != EMPTY) {
                remove(wideKeys, wideVals, 3, i);
                wideSize--;
            }
        }
    }

    /** The slot of loc, or the empty slot where it would go. */
    private static int slot(long[] k, long loc) {
        int m = k.length - 1;
        int i = mix(loc) & m;
        while (k[i] != EMPTY && k[i] != loc) {
            i = (i + 1) & m;
        }
        return i;
    }

    /** Backward-shift deletion (no tombstones) of slot i; w values per slot. */
    private static void remove(long[] k, long[] v, int w, int i) {
        int m = k.length - 1;
        k[i] = EMPTY;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (k[j] == EMPTY) {
                return;
            }
            int home = mix(k[j]) & m;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                k[i] = k[j];
                System.arraycopy(v, w * j, v, w * i, w);
                k[j] = EMPTY;
                i = j;
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        long[] ov = vals;
        keys = newKeys(ok.length * 2);
        vals = new long[ok.length * 2];
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != EMPTY) {
                int i = slot(keys, ok[j]);
                keys[i] = ok[j];
                vals[i] = ov[j];
            }
        }
    }

    private void growWide() {
        long[] ok = wideKeys;
        long[] ov = wideVals;
        wideKeys = newKeys(ok.length * 2);
        wideVals = new long[ok.length * 2 * 3];
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != EMPTY) {
                int i = slot(wideKeys, ok[j]);
                wideKeys[i] = ok[j];
                System.arraycopy(ov, 3 * j, wideVals, 3 * i, 3);
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}

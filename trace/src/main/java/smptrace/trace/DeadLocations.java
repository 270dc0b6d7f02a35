package smptrace.trace;

import java.util.Arrays;

/**
 * The reader's merge state of the locations of dead objects (after a KFREE), kept so that an access
 * after the free (a use after free, which the analysis reports) is still checked against the writes
 * and reads delivered before it, as every other access is. An entry leaves when its location is
 * accessed again (the state goes back to a live index).
 *
 * <p>This is the one table of the analysis that grows with the number of objects that died (every
 * dead location that was accessed keeps its state, since a use after free may come at any distance), so
 * it is kept small: two words per location (the location, and its write count, reads of the last write
 * and last writer packed into one long when they fit: fewer than 4096 writes and reads, writer stream
 * below 256, writer event number below 2^32; otherwise in a second table of three words), in open
 * addressing filled up to three quarters.
 */
final class DeadLocations {
    private static final long EMPTY = Long.MIN_VALUE; // no location: oid 0, never freed
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

package smptrace.trace;

import java.util.Arrays;

/**
 * The reader's merge state of the locations of dead objects (after a KFREE), kept so that an access
 * after the free (a use after free, which the analysis reports) is still checked against the writes
 * and reads delivered before it, as every other access is. Three words per location instead of the
 * live tables' per-index arrays; an entry leaves when its location is accessed again (the state goes
 * back to a live index).
 */
final class DeadLocations {
    private long[] keys = new long[1024];
    private long[] coReads = new long[1024];
    private long[] writer = new long[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    int size() {
        return size;
    }

    void put(long loc, long co, long reads, long lastWriter) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int m = keys.length - 1;
        int i = mix(loc) & m;
        while (used[i]) {
            if (keys[i] == loc) {
                break;
            }
            i = (i + 1) & m;
        }
        if (!used[i]) {
            size++;
        }
        used[i] = true;
        keys[i] = loc;
        coReads[i] = co << 32 | (reads & 0xffffffffL);
        writer[i] = lastWriter;
    }

    /** Moves loc's state into out[0..2] (co, reads, last writer) and forgets it; false if absent. */
    boolean take(long loc, long[] out) {
        int m = keys.length - 1;
        int i = mix(loc) & m;
        while (used[i]) {
            if (keys[i] == loc) {
                out[0] = coReads[i] >>> 32;
                out[1] = coReads[i] & 0xffffffffL;
                out[2] = writer[i];
                remove(i);
                return true;
            }
            i = (i + 1) & m;
        }
        return false;
    }

    private void remove(int i) {
        int m = keys.length - 1;
        used[i] = false;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (!used[j]) {
                return;
            }
            int home = mix(keys[j]) & m;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                coReads[i] = coReads[j];
                writer[i] = writer[j];
                used[i] = true;
                used[j] = false;
                i = j;
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        long[] oc = coReads;
        long[] ow = writer;
        boolean[] ou = used;
        int n = ok.length * 2;
        keys = new long[n];
        coReads = new long[n];
        writer = new long[n];
        used = new boolean[n];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                put(ok[i], oc[i] >>> 32, oc[i] & 0xffffffffL, ow[i]);
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}

package smptrace.analysis;

import java.util.Arrays;

/** int → int open-addressing map (missing: -1); no boxing. */
final class IntIntMap {
    private int[] keys = new int[32];
    private int[] vals = new int[32];
    private boolean[] used = new boolean[32];
    private int size;

    int get(int k) {
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (used[i]) {
            if (keys[i] == k) {
                return vals[i];
            }
            i = (i + 1) & m;
        }
        return -1;
    }

    void put(int k, int v) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (used[i]) {
            if (keys[i] == k) {
                vals[i] = v;
                return;
            }
            i = (i + 1) & m;
        }
        used[i] = true;
        keys[i] = k;
        vals[i] = v;
        size++;
    }

    /** Removes k (backward-shift deletion: no tombstones, so a map of live keys stays as small as they are). */
    void remove(int k) {
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (used[i]) {
            if (keys[i] == k) {
                break;
            }
            i = (i + 1) & m;
        }
        if (!used[i]) {
            return;
        }
        used[i] = false;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (!used[j]) {
                return;
            }
            int home = mix(keys[j]) & m;
            // move j back to the hole at i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                vals[i] = vals[j];
                used[i] = true;
                used[j] = false;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] ok = keys;
        int[] ov = vals;
        boolean[] ou = used;
        keys = new int[ok.length * 2];
        vals = new int[ok.length * 2];
        used = new boolean[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                put(ok[i], ov[i]);
            }
        }
    }

    private static int mix(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    @Override
    public String toString() {
        return "IntIntMap" + Arrays.toString(Arrays.copyOf(keys, 0));
    }
}

package smptrace.analysis;

import java.util.Arrays;

/** long → int open-addressing map (missing: {@link #MISSING}); no boxing, no allocation per operation. */
final class LongIntMap {
    static final int MISSING = Integer.MIN_VALUE;
    private long[] keys = new long[64];
    private int[] vals = new int[64];
    private boolean[] used = new boolean[64];
    private int size;

    int get(long k) {
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (used[i]) {
            if (keys[i] == k) {
                return vals[i];
            }
            i = (i + 1) & m;
        }
        return MISSING;
    }

    void put(long k, int v) {
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

    int size() {
        return size;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = vals;
        boolean[] ou = used;
        keys = new long[ok.length * 2];
        vals = new int[ok.length * 2];
        used = new boolean[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                put(ok[i], ov[i]);
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }

    @Override
    public String toString() {
        return "LongIntMap(" + size + ")" + Arrays.toString(new int[0]);
    }
}

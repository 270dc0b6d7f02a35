package smptrace.analysis;

/** Open-addressing set of longs (0 is stored out of band). */
final class LongSet {
    private long[] keys = new long[64];
    private int size;
    private boolean hasZero;

    /** Adds k; true if it was not there. */
    boolean addIfAbsent(long k) {
        if (k == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            return true;
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (keys[i] != 0) {
            if (keys[i] == k) {
                return false;
            }
            i = (i + 1) & m;
        }
        keys[i] = k;
        size++;
        return true;
    }

    boolean contains(long k) {
        if (k == 0) {
            return hasZero;
        }
        int m = keys.length - 1;
        int i = mix(k) & m;
        while (keys[i] != 0) {
            if (keys[i] == k) {
                return true;
            }
            i = (i + 1) & m;
        }
        return false;
    }

    /** The elements (a copy; for end-of-trace evaluation, not hot paths). */
    long[] keys() {
        long[] out = new long[size + (hasZero ? 1 : 0)];
        int j = 0;
        for (long k : keys) {
            if (k != 0) {
                out[j++] = k;
            }
        }
        return out;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        size = 0;
        for (long k : old) {
            if (k != 0) {
                int m = keys.length - 1;
                int i = mix(k) & m;
                while (keys[i] != 0) {
                    i = (i + 1) & m;
                }
                keys[i] = k;
                size++;
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }
}

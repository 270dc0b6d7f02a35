package smptrace.lkmm;

/**
 * Binary relations over the events of one execution (at most 64), one {@code long} bit row per
 * event: bit j of {@code r[i]} set means (i, j) is in r. Sets of events are single {@code long}s.
 * Every operation returns a fresh array and leaves its arguments alone, so a relation can be named
 * once (as the cat file names it) and reused.
 */
public final class Rel {
    private Rel() {
    }

    public static final int MAX_EVENTS = 64;

    public static long[] empty(int n) {
        return new long[n];
    }

    /** [s]: the identity on the events of s. */
    public static long[] id(int n, long s) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            if ((s >>> i & 1) != 0) {
                r[i] = 1L << i;
            }
        }
        return r;
    }

    /** s * t. */
    public static long[] cross(int n, long s, long t) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            if ((s >>> i & 1) != 0) {
                r[i] = t;
            }
        }
        return r;
    }

    public static long[] union(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i];
        }
        return r;
    }

    public static long[] union(long[] a, long[] b, long[] c) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i] | c[i];
        }
        return r;
    }

    public static long[] inter(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] &= b[i];
        }
        return r;
    }

    public static long[] minus(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] &= ~b[i];
        }
        return r;
    }

    /** a ; b. */
    public static long[] seq(long[] a, long[] b) {
        int n = a.length;
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long row = a[i];
            long acc = 0;
            while (row != 0) {
                int j = Long.numberOfTrailingZeros(row);
                row &= row - 1;
                acc |= b[j];
            }
            r[i] = acc;
        }
        return r;
    }

    public static long[] seq(long[] a, long[] b, long[] c) {
        return seq(seq(a, b), c);
    }

    /** [s] ; a ; [t]. */
    public static long[] restrict(long s, long[] a, long t) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            if ((s >>> i & 1) != 0) {
                r[i] = a[i] & t;
            }
        }
        return r;
    }

    /** a^-1. */
    public static long[] inverse(long[] a) {
        int n = a.length;
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long row = a[i];
            while (row != 0) {
                int j = Long.numberOfTrailingZeros(row);
                row &= row - 1;
                r[j] |= 1L << i;
            }
        }
        return r;
    }

    /** a?: a with the identity added. */
    public static long[] opt(long[] a) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= 1L << i;
        }
        return r;
    }

    /** a+: the transitive closure (Warshall on bit rows). */
    public static long[] plus(long[] a) {
        long[] r = a.clone();
        int n = r.length;
        for (int k = 0; k < n; k++) {
            long rk = r[k];
            if (rk == 0) {
                continue;
            }
            long bk = 1L << k;
            for (int i = 0; i < n; i++) {
                if ((r[i] & bk) != 0) {
                    r[i] |= rk;
                }
            }
        }
        return r;
    }

    /** a*: reflexive-transitive closure. */
    public static long[] star(long[] a) {
        return opt(plus(a));
    }

    public static boolean acyclic(long[] a) {
        return irreflexive(plus(a));
    }

    public static boolean irreflexive(long[] a) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] >>> i & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isEmpty(long[] a) {
        for (long row : a) {
            if (row != 0) {
                return false;
            }
        }
        return true;
    }

    /** domain(a). */
    public static long domain(long[] a) {
        long d = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                d |= 1L << i;
            }
        }
        return d;
    }

    /** range(a). */
    public static long range(long[] a) {
        long d = 0;
        for (long row : a) {
            d |= row;
        }
        return d;
    }

    public static boolean contains(long[] a, int i, int j) {
        return (a[i] >>> j & 1) != 0;
    }

    /** All events of an n-event execution. */
    public static long all(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }
}

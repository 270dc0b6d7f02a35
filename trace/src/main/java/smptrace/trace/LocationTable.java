package smptrace.trace;

import java.util.Arrays;

/**
 * Open-addressing map from a location (long) to a dense index, for per-location state kept in
 * parallel arrays by the reader and the analyzer. No allocation per lookup.
 *
 * <p>Indices are recycled: {@link #releaseObject} takes a dead object's locations out of the table
 * (a KFREE), and their indices are handed out again to new locations, so the table and every array
 * indexed by it grow with the number of <em>live</em> locations, not with the trace's length. A
 * released index is reused only after {@link #QUARANTINE} other indices have been released after it:
 * consumers that keep a short history of recent events by index (a detector's ring of the last few
 * dozen events of a context) do not see a recycled index mistaken for the location it had before.
 * Whoever keeps per-location state must reset it for the indices of each release
 * ({@link #releasedCount()}, {@link #released(int)}).
 */
public final class LocationTable {
    /** Released indices wait in a FIFO this long before they are handed out again. */
    public static final int QUARANTINE = 4096;

    private long[] keys;
    private int[] slots;
    private int size;
    private int mask;
    /** Indices ever handed out (the next fresh one). */
    private int high;
    /** Locations ever added (a location that comes back after a release counts again). */
    private long added;

    // per index: the next index of the same object (-1 ends), for releaseObject
    private int[] nextOfObject = new int[1024];
    // object id -> first index of its chain (open addressing; EMPTY_OID marks a free slot)
    private static final int EMPTY_OID = Integer.MIN_VALUE;
    private int[] headKey = new int[1024];
    private int[] headVal = new int[1024];
    private int heads;

    // recycled indices, FIFO
    private int[] fifo = new int[QUARANTINE * 2];
    private int fifoHead;
    private int fifoSize;

    private int[] releasedIdx = new int[16];
    private long[] releasedLoc = new long[16];
    private int nReleased;
    private boolean lastAdded;

    public LocationTable() {
        this(1024);
    }

    public LocationTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[n];
        slots = new int[n];
        Arrays.fill(slots, -1);
        mask = n - 1;
        Arrays.fill(headKey, EMPTY_OID);
    }

    /** The dense index of loc, assigning one if loc is new ({@link #lastAdded()} then says so). */
    public int indexOf(long loc) {
        int i = mix(loc) & mask;
        while (true) {
            int s = slots[i];
            if (s < 0) {
                if (2 * (size + 1) > keys.length) {
                    grow();
                    return indexOf(loc);
                }
                int idx = fresh();
                keys[i] = loc;
                slots[i] = idx;
                size++;
                added++;
                link(Event.oidOf(loc), idx, loc);
                lastAdded = true;
                return idx;
            }
            if (keys[i] == loc) {
                lastAdded = false;
                return s;
            }
            i = (i + 1) & mask;
        }
    }

    /** Whether the last {@link #indexOf} added its location (a new index, or a recycled one). */
    public boolean lastAdded() {
        return lastAdded;
    }

    /** The dense index of loc, or -1. */
    public int find(long loc) {
        int i = mix(loc) & mask;
        while (true) {
            int s = slots[i];
            if (s < 0) {
                return -1;
            }
            if (keys[i] == loc) {
                return s;
            }
            i = (i + 1) & mask;
        }
    }

    /** Live locations. */
    public int size() {
        return size;
    }

    /** Locations ever added (distinct locations seen, a location that came back after its object died counted again). */
    public long added() {
        return added;
    }

    /** One more than the highest index ever handed out: the length per-index arrays need. */
    public int capacity() {
        return high;
    }

    /**
     * The location with dense index idx: the live one, or for a released index not yet handed out again,
     * the location it had.
     */
    public long keyOf(int idx) {
        if (idx < 0 || idx >= high) {
            throw new IllegalArgumentException("no location with index " + idx);
        }
        return keyOfIndex[idx];
    }

    /**
     * An object died: every location of {@code oid} leaves the table and its index is recycled. The
     * released indices and their locations are {@link #released(int)} / {@link #releasedLocation(int)}
     * until the next call. Returns how many.
     */
    public int releaseObject(int oid) {
        nReleased = 0;
        int h = headFind(oid);
        if (h < 0) {
            return 0;
        }
        int idx = headVal[h];
        headRemove(h);
        while (idx >= 0) {
            int next = nextOfObject[idx];
            long loc = removeIndex(idx, oid);
            if (nReleased == releasedIdx.length) {
                releasedIdx = Arrays.copyOf(releasedIdx, nReleased * 2);
                releasedLoc = Arrays.copyOf(releasedLoc, nReleased * 2);
            }
            releasedIdx[nReleased] = idx;
            releasedLoc[nReleased++] = loc;
            recycle(idx);
            idx = next;
        }
        return nReleased;
    }

    /** An event that released nothing (an array's KFREE: arrays are not freed in this model). */
    public void releaseNone() {
        nReleased = 0;
    }

    public int releasedCount() {
        return nReleased;
    }

    public int released(int i) {
        return releasedIdx[i];
    }

    public long releasedLocation(int i) {
        return releasedLoc[i];
    }

    // ---- internals --------------------------------------------------------------------------------

    private int fresh() {
        if (fifoSize > QUARANTINE) {
            int idx = fifo[fifoHead];
            fifoHead = (fifoHead + 1) % fifo.length;
            fifoSize--;
            return idx;
        }
        if (high == nextOfObject.length) {
            nextOfObject = Arrays.copyOf(nextOfObject, high * 2);
        }
        return high++;
    }

    private void recycle(int idx) {
        if (fifoSize == fifo.length) {
            int[] n = new int[fifo.length * 2];
            for (int k = 0; k < fifoSize; k++) {
                n[k] = fifo[(fifoHead + k) % fifo.length];
            }
            fifo = n;
            fifoHead = 0;
        }
        fifo[(fifoHead + fifoSize) % fifo.length] = idx;
        fifoSize++;
    }

    /** Removes the entry whose index is idx (its key has object oid); returns its location. */
    private long removeIndex(int idx, int oid) {
        long loc = keyOfIndex[idx];
        int i = mix(loc) & mask;
        while (slots[i] != idx) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion: no tombstones
        slots[i] = -1;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] < 0) {
                return loc;
            }
            int home = mix(keys[j]) & mask;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                slots[i] = slots[j];
                slots[j] = -1;
                i = j;
            }
        }
    }

    private long[] keyOfIndex = new long[1024];

    private void link(int oid, int idx, long loc) {
        if (idx >= keyOfIndex.length) {
            keyOfIndex = Arrays.copyOf(keyOfIndex, Math.max(idx + 1, keyOfIndex.length * 2));
        }
        if (idx >= nextOfObject.length) {
            nextOfObject = Arrays.copyOf(nextOfObject, Math.max(idx + 1, nextOfObject.length * 2));
        }
        keyOfIndex[idx] = loc;
        int h = headFind(oid);
        if (h >= 0) {
            nextOfObject[idx] = headVal[h];
            headVal[h] = idx;
        } else {
            nextOfObject[idx] = -1;
            headPut(oid, idx);
        }
    }

    private int headFind(int oid) {
        int m = headKey.length - 1;
        int i = mixInt(oid) & m;
        while (headKey[i] != EMPTY_OID) {
            if (headKey[i] == oid) {
                return i;
            }
            i = (i + 1) & m;
        }
        return -1;
    }

    private void headPut(int oid, int idx) {
        if (2 * (heads + 1) > headKey.length) {
            int[] ok = headKey;
            int[] ov = headVal;
            headKey = new int[ok.length * 2];
            headVal = new int[ok.length * 2];
            Arrays.fill(headKey, EMPTY_OID);
            heads = 0;
            for (int k = 0; k < ok.length; k++) {
                if (ok[k] != EMPTY_OID) {
                    headPut(ok[k], ov[k]);
                }
            }
        }
        int m = headKey.length - 1;
        int i = mixInt(oid) & m;
        while (headKey[i] != EMPTY_OID) {
            i = (i + 1) & m;
        }
        headKey[i] = oid;
        headVal[i] = idx;
        heads++;
    }

    private void headRemove(int i) {
        int m = headKey.length - 1;
        headKey[i] = EMPTY_OID;
        heads--;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (headKey[j] == EMPTY_OID) {
                return;
            }
            int home = mixInt(headKey[j]) & m;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                headKey[i] = headKey[j];
                headVal[i] = headVal[j];
                headKey[j] = EMPTY_OID;
                i = j;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        Arrays.fill(slots, -1);
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldSlots[j] >= 0) {
                int i = mix(oldKeys[j]) & mask;
                while (slots[i] >= 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                slots[i] = oldSlots[j];
            }
        }
    }

    private static int mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32));
    }

    private static int mixInt(int x) {
        x *= 0x9E3779B9;
        return x ^ (x >>> 16);
    }
}

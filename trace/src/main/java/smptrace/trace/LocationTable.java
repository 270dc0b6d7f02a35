package smptrace.trace;

import java.util.Arrays;

/**
 * Open-addressing map from a location (long) to a dense index, for per-location state kept in
 * parallel arrays by the reader and the analyzer. No allocation per lookup; grows with the number
 * of distinct locations, never with the trace's length.
 */
public final class LocationTable {
    private long[] keys;
    private int[] slots;
    private int size;
    private int mask;

    public LocationTable() {
        this(1024);
    }

    public LocationTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[n];
        slots = new int[n];
        Arrays.fill(slots, -1);
        mask = n - 1;
    }

    /** The dense index of loc, assigning the next one if loc is new. */
    public int indexOf(long loc) {
        int i = mix(loc) & mask;
        while (true) {
            int s = slots[i];
            if (s < 0) {
                if (2 * (size + 1) > keys.length) {
                    grow();
                    return indexOf(loc);
                }
                keys[i] = loc;
                slots[i] = size;
                return size++;
            }
            if (keys[i] == loc) {
                return s;
            }
            i = (i + 1) & mask;
        }
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

    public int size() {
        return size;
    }

    /** The location with dense index idx (linear scan: for reports, not hot paths). */
    public long keyOf(int idx) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == idx) {
                return keys[i];
            }
        }
        throw new IllegalArgumentException("no location with index " + idx);
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
}

package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Object lifetimes from the trace's KFREE events (format 3): which objects are dead, where each died,
 * and, at the moment one dies, the dense indices of its locations so the happens-before engine and the
 * detectors can drop their per-location and per-object state for it. One bit and three ints per dead
 * object; no allocation per event.
 */
final class Lifetimes {
    private long[] dead = new long[64];
    /** oid -> index of its KFREE's site, stream, seq (low 32 bits) and how in the arrays below; -1 absent. */
    private final IntIntMap freeIndex = new IntIntMap();
    private int[] freeSite = new int[64];
    private int[] freeThread = new int[64];
    private int[] freeSeq = new int[64];
    private byte[] freeHow = new byte[64];
    private int nDeaths;
    private long deaths;

    boolean isDead(int oid) {
        int w = oid >>> 6;
        return w < dead.length && (dead[w] & (1L << (oid & 63))) != 0;
    }

    /**
     * A KFREE: marks the object dead. Its locations have left the location table ({@code shared}: the trace
     * reader released them when it delivered the KFREE; otherwise they are released here), and their
     * indices are {@link #freedLocation}.
     */
    void free(Event e, Analysis a, boolean shared) {
        int oid = (int) e.a;
        locs = a.locs;
        if (oid <= 0) {
            if (!shared) {
                a.locs.releaseNone();
            }
            return;
        }
        int w = oid >>> 6;
        if (w >= dead.length) {
            dead = Arrays.copyOf(dead, Math.max(w + 1, dead.length * 2));
        }
        dead[w] |= 1L << (oid & 63);
        deaths++;
        int fi = freeIndex.get(oid);
        if (fi < 0) {
            fi = nDeaths++;
            if (fi == freeSite.length) {
                int n = fi * 2;
                freeSite = Arrays.copyOf(freeSite, n);
                freeThread = Arrays.copyOf(freeThread, n);
                freeSeq = Arrays.copyOf(freeSeq, n);
                freeHow = Arrays.copyOf(freeHow, n);
            }
            freeIndex.put(oid, fi);
        }
        freeSite[fi] = e.site;
        freeThread[fi] = e.thread;
        freeSeq[fi] = (int) e.seq;
        freeHow[fi] = (byte) (e.b >= 0 && e.b < 127 ? e.b : 127); // the FREE_* codes; anything else is none of them
        if (!shared) {
            String cls = a.info.objectClass(oid);
            if (cls != null && cls.startsWith("[")) {
                a.locs.releaseNone(); // arrays are not freed in this model
            } else {
                a.locs.releaseObject(oid);
            }
        }
    }

    private smptrace.trace.LocationTable locs;

    /** The dense location indices of the object the last KFREE killed (valid until the next KFREE). */
    int freedCount() {
        return locs == null ? 0 : locs.releasedCount();
    }

    int freedLocation(int i) {
        return locs.released(i);
    }

    long deaths() {
        return deaths;
    }

    /** Where {@code oid} died, as an event reference (for witnesses). */
    EventRef freeRef(int oid, Analysis a) {
        int fi = freeIndex.get(oid);
        int site = fi < 0 ? -1 : freeSite[fi];
        int thread = fi < 0 ? -1 : freeThread[fi];
        smptrace.trace.Site s = a.info.site(site);
        smptrace.trace.ThreadInfo t = a.info.thread(thread);
        int how = how(oid);
        String op = how == EventKind.FREE_RETURNED ? "returns (its frame held it)" : how == EventKind.FREE_PERCPU
                ? "free_percpu" : "kfree";
        return new EventRef(thread, t == null ? "thread" + thread : t.name(), (fi < 0 ? -1 : freeSeq[fi]) & 0xffffffffL, "-", -1,
                op, a.info.objectName(oid), null,
                s == null ? null : s.className().substring(s.className().lastIndexOf('.') + 1) + "." + s.method(), s == null ? null : s.file(),
                s == null ? 0 : s.line());
    }

    /** How {@code oid} died (EventKind.FREE_*), or -1. */
    int how(int oid) {
        int fi = freeIndex.get(oid);
        return fi < 0 ? -1 : freeHow[fi];
    }
}

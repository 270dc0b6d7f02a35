package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Object lifetimes from the trace's KFREE events (format 3): which objects are dead, where each died,
 * and, at the moment one dies, the dense indices of its locations so the happens-before engine and the
 * detectors can drop their per-location and per-object state for it. One bit and 13 bytes per dead
 * object (by object id while the ids are dense, as the agent hands them out; in a map for ids far past the
 * deaths seen); no allocation per event.
 */
final class Lifetimes {
    private long[] dead = new long[64];
    /** Where each object died, by object id: its KFREE's site, stream, seq (low 32 bits) and how. */
    private int[] denseSite = new int[64];
    private int[] denseThread = new int[64];
    private int[] denseSeq = new int[64];
    private byte[] denseHow = new byte[64];
    /** Object ids past what the dense arrays may grow to: oid -> index in the arrays below; -1 absent. */
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
        byte how = (byte) (e.b >= 0 && e.b < 127 ? e.b : 127); // the FREE_* codes; anything else is none of them
        int fi = freeIndex.size() == 0 ? -1 : freeIndex.get(oid);
        if (fi < 0 && dense(oid)) {
            denseSite[oid] = e.site;
            denseThread[oid] = e.thread;
            denseSeq[oid] = (int) e.seq;
            denseHow[oid] = how;
        } else if (fi < 0) {
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
        if (fi >= 0) {
            freeSite[fi] = e.site;
            freeThread[fi] = e.thread;
            freeSeq[fi] = (int) e.seq;
            freeHow[fi] = how;
        }
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

    /** Whether oid's death is kept by id: it fits the dense arrays, or they may grow to it (ids near the deaths seen). */
    private boolean dense(int oid) {
        if (oid < denseSite.length) {
            return true;
        }
        if (oid >= Math.max(1 << 16, 4L * deaths + 1024)) {
            return false;
        }
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(oid + 1L, 2L * denseSite.length));
        denseSite = Arrays.copyOf(denseSite, n);
        denseThread = Arrays.copyOf(denseThread, n);
        denseSeq = Arrays.copyOf(denseSeq, n);
        denseHow = Arrays.copyOf(denseHow, n);
        return true;
    }

    /** Where oid's death is kept: its index in the map's arrays (>= 0), DENSE (by id), or -1 (not dead). */
    private int row(int oid) {
        int fi = freeIndex.size() == 0 || oid <= 0 ? -1 : freeIndex.get(oid);
        if (fi >= 0) {
            return fi;
        }
        return oid > 0 && oid < denseSite.length && isDead(oid) ? DENSE : -1;
    }

    private static final int DENSE = -2;

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
        int fi = row(oid);
        int site = fi == DENSE ? denseSite[oid] : fi < 0 ? -1 : freeSite[fi];
        int thread = fi == DENSE ? denseThread[oid] : fi < 0 ? -1 : freeThread[fi];
        long seq = (fi == DENSE ? denseSeq[oid] : fi < 0 ? -1 : freeSeq[fi]) & 0xffffffffL;
        smptrace.trace.Site s = a.info.site(site);
        smptrace.trace.ThreadInfo t = a.info.thread(thread);
        int how = how(oid);
        String op = how == EventKind.FREE_RETURNED ? "returns (its frame held it)" : how == EventKind.FREE_PERCPU
                ? "free_percpu" : "kfree";
        return new EventRef(thread, t == null ? "thread" + thread : t.name(), seq, "-", -1,
                op, a.info.objectName(oid), null,
                s == null ? null : s.className().substring(s.className().lastIndexOf('.') + 1) + "." + s.method(), s == null ? null : s.file(),
                s == null ? 0 : s.line());
    }

    /** How {@code oid} died (EventKind.FREE_*), or -1. */
    int how(int oid) {
        int fi = row(oid);
        return fi == DENSE ? denseHow[oid] : fi < 0 ? -1 : freeHow[fi];
    }

    /**
     * The dead objects whose per-object state a detector cannot drop at their KFREE yet, because a report it may
     * still make names them (a context's released list, a remembered wait): each is dropped at a later free, once
     * nothing names it. So a detector's tables hold the live objects and the few dead ones still named, not every
     * object of the trace. Ids are the detector's own (an object id, or its dense index of the object).
     */
    static final class Deferred {
        private final java.util.function.IntPredicate named;
        private final java.util.function.IntConsumer drop;
        private int[] ids = new int[8];
        private int n;

        /** {@code named}: whether a pending report still names the id; {@code drop}: forgets the id's state. */
        Deferred(java.util.function.IntPredicate named, java.util.function.IntConsumer drop) {
            this.named = named;
            this.drop = drop;
        }

        /** Drops the deferred ids that nothing names any more (at every free, before the dying object's own). */
        void sweep() {
            for (int i = n - 1; i >= 0; i--) {
                int id = ids[i];
                if (!named.test(id)) {
                    ids[i] = ids[--n];
                    drop.accept(id);
                }
            }
        }

        /** The object with this id died: its state is dropped now, or once nothing names it. */
        void died(int id) {
            if (!named.test(id)) {
                drop.accept(id);
                return;
            }
            for (int i = 0; i < n; i++) {
                if (ids[i] == id) {
                    return; // freed twice while named: already waiting
                }
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = id;
        }

        /** Ids waiting (tests). */
        int size() {
            return n;
        }
    }
}

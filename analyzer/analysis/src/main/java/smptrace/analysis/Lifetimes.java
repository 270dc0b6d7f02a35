package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Object lifetimes from the trace's KFREE events (format 3): which objects are dead, where each died,
 * and, at the moment one dies, the dense indices of its locations so the happens-before engine and the
 * detectors can drop their per-location and per-object state for it. No allocation per event.
 *
 * <p>Bounded like KASAN's quarantine: per object id (dense, as the agent hands them out) one bit (dead) and one
 * byte (where and how it died: an index into a dictionary of the trace's few (KFREE site, how) pairs, an id past
 * the deaths seen or a dictionary past 255 pairs in a map); the freeing event itself (thread and event number)
 * only for the last {@link #QUARANTINE} deaths. A use after free of an object that died earlier is still reported
 * with where and how it died, but its witness names no freeing thread or event ("? #-1.-1").
 */
final class Lifetimes {
    /** Deaths whose freeing event (thread, event number) is kept: the most recent ones. */
    static final int QUARANTINE = 1 << 16;
    private long[] dead = new long[64];
    /** Per object id: 1 + the index of its death's (site, how) pair; 0: not kept here (alive, or in farCode). */
    private byte[] deathCode = new byte[64];
    /** Deaths of ids past what deathCode may grow to, or whose pair index is past 254: oid -> pair index. */
    private final IntIntMap farCode = new IntIntMap();
    /** The (site, how) pairs of the deaths: (site << 8 | how) -> index. */
    private final LongIntMap pairIndex = new LongIntMap();
    private int[] pairSite = new int[8];
    private byte[] pairHow = new byte[8];
    private int nPairs;
    /** The last deaths' freeing events, a ring by death number (grown up to QUARANTINE); oid -> its slot. */
    private int[] ringOid = new int[64];
    private int[] ringThread = new int[64];
    private int[] ringSeq = new int[64];
    private final IntIntMap ringIndex = new IntIntMap();
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
        byte how = (byte) (e.b >= 0 && e.b < 127 ? e.b : 127); // the FREE_* codes; anything else is none of them
        int p = pair(e.site, how);
        if (p < 255 && dense(oid)) {
            deathCode[oid] = (byte) (p + 1);
            if (farCode.size() > 0) {
                farCode.remove(oid);
            }
        } else {
            farCode.put(oid, p);
            if (oid < deathCode.length) {
                deathCode[oid] = 0;
            }
        }
        remember(oid, e);
        deaths++;
        if (!shared) {
            String cls = a.info.objectClass(oid);
            if (cls != null && cls.startsWith("[")) {
                a.locs.releaseNone(); // arrays are not freed in this model
            } else {
                a.locs.releaseObject(oid);
            }
        }
    }

    /** The index of the (site, how) pair, added if new. */
    private int pair(int site, byte how) {
        long k = (long) site << 8 | (how & 0xff);
        int p = pairIndex.get(k);
        if (p == LongIntMap.MISSING) {
            p = nPairs++;
            if (p == pairSite.length) {
                pairSite = Arrays.copyOf(pairSite, 2 * p);
                pairHow = Arrays.copyOf(pairHow, 2 * p);
            }
            pairSite[p] = site;
            pairHow[p] = how;
            pairIndex.put(k, p);
        }
        return p;
    }

    /** Keeps the freeing event of this death in the ring, forgetting the oldest one's when the ring is full. */
    private void remember(int oid, Event e) {
        int n = ringOid.length;
        if (deaths == n && n < QUARANTINE) {
            // not wrapped yet: slots are death numbers, so the ring grows by copying
            ringOid = Arrays.copyOf(ringOid, 2 * n);
            ringThread = Arrays.copyOf(ringThread, 2 * n);
            ringSeq = Arrays.copyOf(ringSeq, 2 * n);
            n *= 2;
        }
        int slot = (int) (deaths % n);
        if (deaths >= n) {
            int old = ringOid[slot];
            if (ringIndex.get(old) == slot) {
                ringIndex.remove(old);
            }
        }
        ringOid[slot] = oid;
        ringThread[slot] = e.thread;
        ringSeq[slot] = (int) e.seq;
        ringIndex.put(oid, slot);
    }

    private smptrace.trace.LocationTable locs;

    /** Whether oid's death is kept by id: it fits the dense array, or it may grow to it (ids near the deaths seen). */
    private boolean dense(int oid) {
        if (oid < deathCode.length) {
            return true;
        }
        if (oid >= Math.max(1 << 16, 4L * deaths + 1024)) {
            return false;
        }
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(oid + 1L, 2L * deathCode.length));
        deathCode = Arrays.copyOf(deathCode, n);
        return true;
    }

    /** The index of oid's death's (site, how) pair, or -1 (not dead). */
    private int row(int oid) {
        if (oid <= 0) {
            return -1;
        }
        if (oid < deathCode.length && deathCode[oid] != 0) {
            return (deathCode[oid] & 0xff) - 1;
        }
        return farCode.size() == 0 ? -1 : farCode.get(oid);
    }

    /** Deaths whose freeing event is still kept (tests). */
    int freeingEventsKept() {
        return ringIndex.size();
    }

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

    /**
     * Where {@code oid} died, as an event reference (for witnesses). For a death older than the last
     * {@link #QUARANTINE}: its site and how, but no thread or event number (thread -1, named "?", event -1).
     */
    /** The site of the event that freed oid, or -1 when unknown. */
    int freeSite(int oid) {
        int p = row(oid);
        return p < 0 ? -1 : pairSite[p];
    }

    EventRef freeRef(int oid, Analysis a) {
        int p = row(oid);
        int site = p < 0 ? -1 : pairSite[p];
        int r = oid > 0 ? ringIndex.get(oid) : -1;
        int thread = r >= 0 ? ringThread[r] : -1;
        long seq = r >= 0 ? ringSeq[r] & 0xffffffffL : p >= 0 ? -1 : 0xffffffffL;
        smptrace.trace.Site s = a.info.site(site);
        smptrace.trace.ThreadInfo t = a.info.thread(thread);
        int how = how(oid);
        String op = how == EventKind.FREE_RETURNED ? "returns (its frame held it)" : how == EventKind.FREE_PERCPU
                ? "free_percpu" : "kfree";
        return new EventRef(thread, t != null ? t.name() : r < 0 && p >= 0 ? "?" : "thread" + thread, seq, "-", -1,
                op, a.info.objectName(oid), null,
                s == null ? null : s.className().substring(s.className().lastIndexOf('.') + 1) + "." + s.method(), s == null ? null : s.file(),
                s == null ? 0 : s.line());
    }

    /** How {@code oid} died (EventKind.FREE_*), or -1. */
    int how(int oid) {
        int p = row(oid);
        return p < 0 ? -1 : pairHow[p];
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

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
    /** oid -> the KFREE's site, stream, seq (low 32 bits) and how; -1 absent. */
    private final IntIntMap freeSite = new IntIntMap();
    private final IntIntMap freeThread = new IntIntMap();
    private final IntIntMap freeSeq = new IntIntMap();
    private final IntIntMap freeHow = new IntIntMap();
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
        freeSite.put(oid, e.site);
        freeThread.put(oid, e.thread);
        freeSeq.put(oid, (int) e.seq);
        freeHow.put(oid, (int) e.b);
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
        int site = freeSite.get(oid);
        int thread = freeThread.get(oid);
        smptrace.trace.Site s = a.info.site(site);
        smptrace.trace.ThreadInfo t = a.info.thread(thread);
        int how = freeHow.get(oid);
        String op = how == EventKind.FREE_RETURNED ? "returns (its frame held it)" : how == EventKind.FREE_PERCPU
                ? "free_percpu" : "kfree";
        return new EventRef(thread, t == null ? "thread" + thread : t.name(), freeSeq.get(oid) & 0xffffffffL, "-", -1,
                op, a.info.objectName(oid), null,
                s == null ? null : s.className().substring(s.className().lastIndexOf('.') + 1) + "." + s.method(), s == null ? null : s.file(),
                s == null ? 0 : s.line());
    }

    /** How {@code oid} died (EventKind.FREE_*), or -1. */
    int how(int oid) {
        return freeHow.get(oid);
    }
}

package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Ownership of a request through its callback (issue 12): after the context that runs a request
 * releases its CSD (csd_unlock(): the store that clears CSD_FLAG_LOCK), the CSD belongs to its owner
 * again, or to the next one, and for a synchronous request ({@code CSD_TYPE_SYNC}: the waiter spins in
 * csd_lock_wait() and returns as soon as it sees the release) the callback's {@code info} belongs to
 * the waiter as well — typically on the waiter's stack, dead once it returns. So a SYNC CSD may be
 * released only after its callback returned.
 *
 * <p>Rules, for a release by a context that is not the CSD's acquirer (a flush; the sender's own
 * release on its local or -ENXIO path hands nothing over):
 * <ul>
 *   <li>{@code sync-released-early}: the releasing context accesses the {@code info} it read from a
 *       SYNC CSD after releasing it (the callback still runs);</li>
 *   <li>{@code csd-after-release}: it accesses the released CSD itself (any field but a u_flags read: a
 *       lock attempt is anybody's right; a store that sets LOCK again is a new acquisition, which ends
 *       the rule). For a SYNC CSD every access counts.</li>
 * </ul>
 * <b>Observed</b> when, before the access, another context already read the release (the waiter left
 * its wait, or the next owner took the CSD); <b>predicted</b> otherwise: nothing orders the access
 * before the waiter's return, so the schedule where the waiter returns first is allowed. The rules read
 * only u_flags values (the type bits), the info pointer the releasing context read, and which context
 * set and cleared LOCK: any code shape is checked, not one function's.
 */
final class CallbackOwnershipDetector implements Detector {
    private static final int LOCK = KernelFacts.CSD_FLAG_LOCK;
    private static final int TYPE_MASK = KernelFacts.CSD_FLAG_TYPE_MASK;
    private static final int TYPE_SYNC = KernelFacts.CSD_TYPE_SYNC;
    private static final int TYPE_IRQ_WORK = KernelFacts.CSD_TYPE_IRQ_WORK;
    /** IRQ_WORK_BUSY: an irq_work is its owner's again only when the runner clears BUSY (irq_work_sync() waits for it). */
    private static final int IRQ_WORK_BUSY = 0x02;
    /** Released objects remembered per context; a flush releases one CSD at a time. */
    private static final int K = 8;

    // per CSD object
    private final IntIntMap csdIndex = new IntIntMap();
    private int ncsd;
    private int[] csdOid = new int[64];
    private int[] lastFlags = new int[64];
    private int[] acquirer = new int[64];
    private long[] releaseId = new long[64];
    private boolean[] releaseSeen = new boolean[64];
    /** The info pointer last stored into the CSD or read from it, per context that read it (only the last). */
    private int[] lastInfo = new int[64];

    // per slot: the CSDs (and SYNC infos) it released, with the release event
    private int[][] relCsd = new int[16][];
    private int[][] relInfo = new int[16][];
    private boolean[][] relSync = new boolean[16][];
    private Event[][] relEv = new Event[16][];
    private int[] relN = new int[16];

    @Override
    public String name() {
        return "callback-ownership";
    }

    /** Memory events and the two control kinds that end a flush's callbacks: onEvent returns at once for any other kind. */
    @Override
    public java.util.Set<EventKind> kinds() {
        return Detector.memoryAnd(EventKind.FLUSH_END, EventKind.IRQ_EXIT);
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        int s = a.hb.slot();
        if (k == EventKind.FLUSH_END || k == EventKind.IRQ_EXIT) {
            if (s >= 0 && s < relN.length) {
                relN[s] = 0; // the flush (or the handler that ran it) is over: its callbacks have returned
            }
            return;
        }
        if (!k.isMemory() || s < 0) {
            return;
        }
        ensureSlot(s);
        int oid = Event.oidOf(e.loc);
        byte role = a.role;
        // 1. accesses after a release by this context
        if (relN[s] > 0) {
            check(e, a, s, oid, role);
        }
        if (role == KernelFacts.U_FLAGS) {
            uflags(e, a, s, oid);
        } else if (role == KernelFacts.CSD_DATA && a.facts.isInfo(e.loc)) {
            int c = csd(oid);
            lastInfo[c] = (int) (k.shape == EventKind.Shape.RMW ? e.value2 : e.value);
        } else if (role == KernelFacts.QUEUE_FIRST && k.shape == EventKind.Shape.RMW && e.value2 == 0 && e.value != 0) {
            relN[s] = 0; // a new llist_del_all: a new batch, whose nodes this context owns again
        }
    }

    private void check(Event e, Analysis a, int s, int oid, byte role) {
        EventKind k = e.kind;
        for (int i = relN[s] - 1; i >= 0; i--) {
            int c = relCsd[s][i];
            if (oid == csdOid[c]) {
                if (role == KernelFacts.U_FLAGS) {
                    long now = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
                    if (k.writes() && (now & LOCK) != 0 && !(k.shape == EventKind.Shape.RMW && (e.value & LOCK) != 0)) {
                        remove(s, i); // acquired again by this context: its own request now
                        continue;
                    }
                    if (!relSync[s][i] && !k.writes()) {
                        continue; // a lock attempt on an ASYNC CSD
                    }
                }
                report(a, e, s, i, false);
            } else if (relSync[s][i] && relInfo[s][i] != 0 && oid == relInfo[s][i]) {
                report(a, e, s, i, true);
            } else if (relSync[s][i] && role == KernelFacts.CSD_DATA && a.facts.isInfo(e.loc) && !k.writes()
                    && e.value == relInfo[s][i]) {
                relInfo[s][i] = 0; // another request with the same info: the callback may use it again
            }
        }
    }

    private void uflags(Event e, Analysis a, int s, int oid) {
        EventKind k = e.kind;
        int c = csd(oid);
        long now = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
        if (!k.writes()) {
            if (e.rfId == releaseId[c] && releaseId[c] != 0 && s != releaserOf(c)) {
                releaseSeen[c] = true; // the waiter (or the next owner) read the release
            }
            lastFlags[c] = (int) e.value;
            return;
        }
        int before = k.shape == EventKind.Shape.RMW ? (int) e.value : lastFlags[c];
        if ((now & LOCK) != 0 && (before & LOCK) == 0) {
            acquirer[c] = s;
            if (releaseId[c] != 0 && s != releaserOf(c)) {
                releaseSeen[c] = true; // the next owner took it
            }
            releaseId[c] = 0;
        } else if ((now & releaseBit(before)) == 0 && (before & releaseBit(before)) != 0) {
            if (acquirer[c] != s && acquirer[c] >= 0 && !a.hb.isBoot(s)) {
                released(e, s, c, (before & TYPE_MASK) == TYPE_SYNC);
            }
            releaseId[c] = e.id();
            releaseSeen[c] = false;
            releaser[c] = s;
        }
        lastFlags[c] = (int) now;
    }

    private int[] releaser = new int[64];

    /**
     * The bit whose clearing hands a node back: CSD_FLAG_LOCK for a CSD; for a CSD_TYPE_IRQ_WORK node IRQ_WORK_BUSY, not
     * IRQ_WORK_PENDING (the same bit as LOCK): irq_work_single() clears PENDING before the callback ("after this point
     * the @work can be re-used": queued again) and still owns the work until its cmpxchg clears BUSY.
     */
    private static int releaseBit(int flags) {
        return (flags & TYPE_MASK) == TYPE_IRQ_WORK ? IRQ_WORK_BUSY : LOCK;
    }

    private int releaserOf(int c) {
        return releaser[c];
    }

    private void released(Event e, int s, int c, boolean sync) {
        int n = relN[s];
        if (n == K) {
            remove(s, 0);
            n = relN[s];
        }
        relCsd[s][n] = c;
        relInfo[s][n] = sync ? lastInfo[c] : 0;
        relSync[s][n] = sync;
        if (relEv[s][n] == null) {
            relEv[s][n] = new Event();
        }
        relEv[s][n].copyFrom(e);
        relN[s] = n + 1;
    }

    private void remove(int s, int i) {
        int n = relN[s];
        Event ev = relEv[s][i];
        for (int j = i; j < n - 1; j++) {
            relCsd[s][j] = relCsd[s][j + 1];
            relInfo[s][j] = relInfo[s][j + 1];
            relSync[s][j] = relSync[s][j + 1];
            relEv[s][j] = relEv[s][j + 1];
        }
        relEv[s][n - 1] = ev; // keep the Event for reuse
        relN[s] = n - 1;
    }

    private void report(Analysis a, Event e, int s, int i, boolean info) {
        int c = relCsd[s][i];
        boolean sync = relSync[s][i];
        boolean observed = releaseSeen[c];
        EventRef rel = a.ref(relEv[s][i]);
        EventRef acc = a.ref(e);
        String csdName = a.facts.stableObject(csdOid[c]);
        String rule = info ? "sync-released-early" : "csd-after-release";
        Finding.Builder f = new Finding.Builder(Finding.Kind.USE_AFTER_RELEASE, !observed, rule)
                .summary(info
                        ? acc.threadName() + " accesses the info of " + (sync ? "SYNC " : "") + csdName + " after releasing the CSD: the "
                          + "waiter may have returned and its info is gone (a SYNC CSD may be released only after its callback returned)"
                        : acc.threadName() + " accesses " + csdName + " after releasing it: the CSD belongs to its owner again")
                .key(csdName).key(a.facts.function(relEv[s][i].site)).key(a.facts.function(e.site))
                .key(info ? a.facts.stableObject(Event.oidOf(e.loc)) : a.facts.stableLocation(e.loc))
                .event(rel).event(acc)
                .witness("1. " + rel.text() + "   -- releases " + (sync ? "the SYNC " : "") + csdName + " (clears CSD_FLAG_LOCK)")
                .witness("2. " + acc.text() + "   -- " + (info ? "the callback's info, after the release" : "the released CSD"));
        if (observed) {
            f.witness("   the waiter / next owner had already read the release: it may return, reuse or free what 2 touches");
        } else {
            f.witness("   predicted: nothing orders 2 before the waiter's read of the release; the waiter can return first");
        }
        a.report(f.build());
        if (info) {
            relInfo[s][i] = 0; // one finding per release is enough
        }
    }

    @Override
    public void finish(Analysis a) {
    }

    // ---- dead CSDs ----------------------------------------------------------------------------------
    /** Dense indices of dead CSDs, free for the next CSD. */
    private int[] freeCsd = new int[16];
    private int nFree;
    /** Dead CSDs still named by a context's released list (a report may still name them): dropped once they are not. */
    private final Lifetimes.Deferred deadHeld = new Lifetimes.Deferred(this::held, this::drop);

    /**
     * A dead CSD's state goes and its dense index is reused by the next CSD (so the tables grow with the live
     * CSDs, not with the trace), unless a context's released list still names it: a report about that release
     * reads its state, so it goes with a later free, once no list names it.
     */
    @Override
    public void onFree(int o, Analysis a) {
        deadHeld.sweep();
        int c = csdIndex.get(o);
        if (c >= 0) {
            deadHeld.died(c);
        }
    }

    private boolean held(int c) {
        for (int s = 0; s < relN.length; s++) {
            for (int i = 0; i < relN[s]; i++) {
                if (relCsd[s][i] == c) {
                    return true;
                }
            }
        }
        return false;
    }

    private void drop(int c) {
        csdIndex.remove(csdOid[c]);
        if (nFree == freeCsd.length) {
            freeCsd = Arrays.copyOf(freeCsd, nFree * 2);
        }
        freeCsd[nFree++] = c;
    }

    private int csd(int o) {
        int c = csdIndex.get(o);
        if (c >= 0) {
            return c;
        }
        if (nFree > 0) {
            c = freeCsd[--nFree];
            csdOid[c] = o;
            lastFlags[c] = 0;
            acquirer[c] = -1;
            releaseId[c] = 0;
            releaseSeen[c] = false;
            lastInfo[c] = 0;
            releaser[c] = -1;
            csdIndex.put(o, c);
            return c;
        }
        c = ncsd++;
        if (c >= csdOid.length) {
            int n = csdOid.length * 2;
            csdOid = Arrays.copyOf(csdOid, n);
            lastFlags = Arrays.copyOf(lastFlags, n);
            acquirer = Arrays.copyOf(acquirer, n);
            releaseId = Arrays.copyOf(releaseId, n);
            releaseSeen = Arrays.copyOf(releaseSeen, n);
            lastInfo = Arrays.copyOf(lastInfo, n);
            releaser = Arrays.copyOf(releaser, n);
        }
        csdOid[c] = o;
        acquirer[c] = -1;
        releaser[c] = -1;
        csdIndex.put(o, c);
        return c;
    }

    private void ensureSlot(int s) {
        if (s >= relN.length) {
            int n = Math.max(s + 1, relN.length * 2);
            relCsd = Arrays.copyOf(relCsd, n);
            relInfo = Arrays.copyOf(relInfo, n);
            relSync = Arrays.copyOf(relSync, n);
            relEv = Arrays.copyOf(relEv, n);
            relN = Arrays.copyOf(relN, n);
        }
        if (relCsd[s] == null) {
            relCsd[s] = new int[K];
            relInfo[s] = new int[K];
            relSync[s] = new boolean[K];
            relEv[s] = new Event[K];
        }
    }
}

package smptrace.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * LKMM data races (lkmm.md §5, the vector-clock approximation): two accesses to one location from
 * different contexts, at least one a write and at least one plain, not ordered by happens-before.
 * FastTrack-style: per location the last write's epoch and one read epoch per context.
 *
 * <p>Like KCSAN: accesses inside data_race() are ignored; ASSERT_EXCLUSIVE_WRITER(x) is checked as
 * a plain read of x (no concurrent writer of any kind), ASSERT_EXCLUSIVE_ACCESS(x) as a plain write
 * (no concurrent access); with {@link Options#assumePlainWritesAtomic()} a conflict whose only plain
 * accesses are (aligned, word-sized) writes is not a race (CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC).
 *
 * <p>Two classes of real LKMM races are reported as <em>tolerated</em>, with the seed's reason, and
 * do not count as problems: (1) a plain write against a marked read that is a spin-wait's loop
 * condition (the read is the first of a busy-wait iteration that ends in cpu_relax() and the next
 * iteration re-reads the same word: the value only decides to look again, patches.md seed 003 (f),
 * the ABA re-wait); (2) the CSD-lock diagnostic snapshot, plain stores to cur_csd_func/cur_csd_info
 * against a remote READ_ONCE of them (patches.md seed 000 (f): best-effort by design).
 */
final class DataRaceDetector implements Detector {
    // access descriptor fields, per location (writes) and per location × slot (reads)
    private static final int F_CLK = 0, F_SITE = 1, F_THREAD = 2, F_SEQ = 3, F_CPU = 4, F_INFO = 5, F_VAL = 6, F_MCO = 7;
    private static final int STRIDE = 8;
    // F_INFO bits: kind code (8 bits) | plain << 8 | valid << 9 | irq << 10 | task+2 << 12
    private static final int PLAIN = 1 << 8, VALID = 1 << 9, IRQ = 1 << 10;

    /**
     * Per location one record of LSTRIDE ints (one or two cache lines instead of one per array): the last write's
     * slot (-1: none, or the object's initial value), the number of reads since it, its access descriptor (STRIDE
     * ints), its coherence index (a long in two ints) and the readers bit set (a long in two ints): bit t set when
     * slot t (t < 64) has a valid read recorded, so that a write skips the contexts with none (most locations are
     * only ever read by the context that writes them). Slots from 64 on are not in it; a trace with that many
     * contexts takes the loop over all of them.
     */
    private static final int L_WSLOT = 0, L_SINCE = 1, L_W = 2, L_CO = L_W + STRIDE, L_READERS = L_CO + 2, LSTRIDE = 16;
    private int[] lr = new int[1024 * LSTRIDE];
    /** Locations the records have room for. */
    private int locCap = 1024;
    private int[][] reads = new int[1024][];

    // spin-wait classification, per slot
    private static final int ITER = 8;
    private int[][] iterLoc = new int[16][];
    private long[][] iterSeq = new long[16][];
    private int[] iterN = new int[16];
    private int[][] awLoc = new int[16][];
    private long[][] awSeq = new long[16][];
    private int[] awN = new int[16];
    private int[] spinLoc = new int[16];
    private long[] spinFrom = new long[16];
    private long[] spinTo = new long[16];
    private final List<List<Pending>> pending = new ArrayList<>();
    /** Slots 0 .. readySlots - 1 have their per-slot state ({@link #ensureSlot}). */
    private int readySlots;

    private final LongSet seenReal = new LongSet();
    private final LongSet seenTol = new LongSet();
    /** Sites whose marked read was seen as a busy-wait's loop condition (read, cpu_relax(), read again). */
    private final LongSet spinSites = new LongSet();
    private int lastSpinSite = -1;
    /** Plain-store-against-marked-read races whose read is not (yet) known as a spin-wait condition; decided at the end. */
    private final List<Pending> bySite = new ArrayList<>();

    /** A race waiting for its read to be classified as a spin-wait condition or not. */
    private static final class Pending {
        final long key;
        final int loc;
        final long seq;
        final int readSite;
        final Finding.Builder real;
        final Finding.Builder tolerated;

        Pending(long key, int loc, long seq, int readSite, Finding.Builder real, Finding.Builder tolerated) {
            this.key = key;
            this.loc = loc;
            this.seq = seq;
            this.readSite = readSite;
            this.real = real;
            this.tolerated = tolerated;
        }
    }

    @Override
    public String name() {
        return "data-race";
    }

    /** A dead object's locations start over: no race against accesses from its previous life. */
    @Override
    public void onFree(int oid, Analysis a) {
        for (int i = 0; i < a.lifetimes.freedCount(); i++) {
            int li = a.lifetimes.freedLocation(i);
            if (li < locCap) {
                int rec = li * LSTRIDE;
                lr[rec + L_WSLOT] = -1;
                setLong(rec + L_CO, 0);
                if (reads[li] != null) {
                    Arrays.fill(reads[li], 0); // kept for the location that gets the index next
                }
                setLong(rec + L_READERS, 0);
                lr[rec + L_SINCE] = 0;
                lr[rec + L_W + F_INFO] = 0;
            }
        }
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        int s = a.hb.slot();
        ensureSlot(s);
        if (k == EventKind.CPU_RELAX) {
            relax(s, a);
            return;
        }
        boolean assertion = k == EventKind.ASSERT_EXCLUSIVE_ACCESS || k == EventKind.ASSERT_EXCLUSIVE_WRITER;
        if (!k.isMemory() && !assertion) {
            return;
        }
        if (e.inDataRace) {
            return;
        }
        int li = assertion ? a.locs.indexOf(e.loc) : a.locIndex;
        ensureLoc(li);
        boolean plain = LkmmSync.plain(k) || assertion;
        boolean isRead = k.reads() || k == EventKind.ASSERT_EXCLUSIVE_WRITER;
        boolean isWrite = k.writes() || k == EventKind.ASSERT_EXCLUSIVE_ACCESS;
        if (isRead && !assertion) {
            spinOnRead(s, li, e.seq, e.site, a);
        }
        boolean init = isWrite && !assertion && a.facts.initialising(e.site);
        // check against the last write
        int rec = li * LSTRIDE;
        int[] lr = this.lr;
        int ws = init ? -1 : lr[rec + L_WSLOT];
        int wb = rec + L_W;
        if (ws >= 0 && ws != s && (lr[wb + F_INFO] & VALID) != 0 && !a.hb.ordered(ws, lr[wb + F_CLK])
                && !coherenceOrdered(li, s)) {
            boolean wPlain = (lr[wb + F_INFO] & PLAIN) != 0;
            if ((plain || wPlain) && !atomicAssumed(a, wPlain, true, plain, isWrite && !isRead)) {
                race(a, e, li, ws, lr, wb, isWrite && !isRead ? "ww-race" : "wr-race", s, plain, true, wPlain);
            }
        }
        if (isWrite) {
            int[] r = reads[li];
            if (r != null && lr[rec + L_SINCE] > 0 && !init) {
                if (a.hb.slots() <= 64) {
                    // only the slots with a valid read, in ascending order as the loop below
                    long m = getLong(rec + L_READERS) & ~(1L << s);
                    while (m != 0) {
                        int t = Long.numberOfTrailingZeros(m);
                        m &= m - 1;
                        checkRead(a, e, li, r, t, s, plain);
                    }
                } else {
                    int n = Math.min(a.hb.slots(), r.length / STRIDE);
                    for (int t = 0; t < n; t++) {
                        if (t != s && (r[t * STRIDE + F_INFO] & VALID) != 0) {
                            checkRead(a, e, li, r, t, s, plain);
                        }
                    }
                }
            }
            if (!assertion && a.facts.initialising(e.site)) {
                // a constructor's store: the object's initial value (LKMM IW), never one side of a race
                lr[rec + L_WSLOT] = -1;
                lr[rec + L_SINCE] = 0;
            } else if (!assertion) {
                lr[rec + L_WSLOT] = s;
                setLong(rec + L_CO, e.co);
                record(lr, wb, e, a, plain);
                lr[rec + L_SINCE] = 0;
            }
            flushIteration(s, a); // a write ends a spin-wait iteration
        }
        if (isRead && !assertion) {
            int[] r = reads[li];
            int need = (s + 1) * STRIDE;
            if (r == null || r.length < need) {
                r = r == null ? new int[Math.max(need, 8 * STRIDE)] : Arrays.copyOf(r, Math.max(need, r.length * 2));
                reads[li] = r;
            }
            record(r, s * STRIDE, e, a, plain);
            if (s < 64) {
                lr[rec + L_READERS + (s >>> 5)] |= 1 << s; // bit s of the long in two ints
            }
            if (!plain && k.shape != EventKind.Shape.RMW) {
                r[s * STRIDE + F_MCO] = (int) Math.max(r[s * STRIDE + F_MCO], e.co);
            }
            lr[rec + L_SINCE]++;
        }
    }

    /** A write against slot t's valid read of the location: done with it if ordered before, else maybe a race. */
    private void checkRead(Analysis a, Event e, int li, int[] r, int t, int s, boolean plain) {
        int b = t * STRIDE;
        if (a.hb.ordered(t, r[b + F_CLK])) {
            r[b + F_INFO] &= ~VALID; // ordered before this write: done with it
            if (t < 64) {
                lr[li * LSTRIDE + L_READERS + (t >>> 5)] &= ~(1 << t);
            }
            return;
        }
        boolean rPlain = (r[b + F_INFO] & PLAIN) != 0;
        if ((plain || rPlain) && !atomicAssumed(a, rPlain, false, plain, true)) {
            race(a, e, li, t, r, b, "rw-race", s, plain, false, rPlain);
        }
    }

    /**
     * The current slot read this location with a marked read from the last write (or a later one): its
     * later accesses to the location are coherence-ordered after that write (rfe ; po-loc).
     */
    private boolean coherenceOrdered(int li, int s) {
        int[] r = reads[li];
        if (r == null || r.length < (s + 1) * STRIDE) {
            return false;
        }
        long co = getLong(li * LSTRIDE + L_CO);
        return co > 0 && r[s * STRIDE + F_MCO] >= co;
    }

    /** KCSAN's assumption: the only plain accesses of the pair are writes. */
    private static boolean atomicAssumed(Analysis a, boolean otherPlain, boolean otherIsWrite, boolean curPlain,
                                         boolean curIsWrite) {
        if (!a.options.assumePlainWritesAtomic()) {
            return false;
        }
        boolean otherOk = !otherPlain || otherIsWrite;
        boolean curOk = !curPlain || curIsWrite;
        return otherOk && curOk;
    }

    private void record(int[] arr, int b, Event e, Analysis a, boolean plain) {
        arr[b + F_CLK] = a.hb.epoch();
        arr[b + F_SITE] = e.site;
        arr[b + F_THREAD] = e.thread;
        arr[b + F_SEQ] = (int) e.seq;
        arr[b + F_CPU] = e.cpu;
        arr[b + F_VAL] = (int) e.value;
        arr[b + F_INFO] = (e.kind.code & 0xff) | (plain ? PLAIN : 0) | VALID | (e.inIrq ? IRQ : 0) | ((e.task + 2) << 12);
    }

    private void race(Analysis a, Event e, int li, int otherSlot, int[] arr, int b, String rule, int s, boolean curPlain,
                      boolean otherIsWrite, boolean otherPlain) {
        long key = ((long) li << 42) ^ ((long) (arr[b + F_SITE] & 0xfffff) << 21) ^ (e.site & 0xfffff) ^ ((long) rule.hashCode() << 58);
        boolean curIsRead = e.kind.reads();
        // (2) the diagnostic snapshot
        if (a.facts.diagnosticSnapshot(e.loc)
                && (otherIsWrite && otherPlain && curIsRead && !curPlain || !otherIsWrite && !otherPlain && !curIsRead && curPlain)) {
            if (seenTol.addIfAbsent(key)) {
                a.report(build(a, e, li, arr, b, rule, true, SNAPSHOT).build());
            }
            return;
        }
        // (1) spin-wait condition: a plain write against a marked read that is a busy-wait loop condition
        boolean plainWriteMarkedRead = curIsRead && !curPlain && otherIsWrite && otherPlain
                || !curIsRead && curPlain && !otherIsWrite && !otherPlain;
        if (plainWriteMarkedRead) {
            int readSlot = curIsRead ? s : otherSlot;
            long readSeq = curIsRead ? e.seq : (arr[b + F_SEQ] & 0xffffffffL);
            int readKind = curIsRead ? e.kind.code : (arr[b + F_INFO] & 0xff);
            // a read of smp_cond_load_*() is a busy-wait's condition by construction
            int state = readKind == EventKind.R_COND.code ? 1 : spinState(readSlot, li, readSeq);
            if (state == 1) {
                if (seenTol.addIfAbsent(key)) {
                    a.report(build(a, e, li, arr, b, rule, true, SPIN).build());
                }
                return;
            }
            int readSite = curIsRead ? e.site : arr[b + F_SITE];
            if (state == 2) {
                if (seenReal.contains(key) && seenTol.contains(key)) {
                    return;
                }
                pending.get(readSlot).add(new Pending(key, li, readSeq, readSite, build(a, e, li, arr, b, rule, false, null),
                        build(a, e, li, arr, b, rule, true, SPIN)));
                return;
            }
            // the read ended its wait (or did not wait): still a spin-wait's condition if its site is one
            if (!seenReal.contains(key) && !seenTol.contains(key)) {
                bySite.add(new Pending(key, li, readSeq, readSite, build(a, e, li, arr, b, rule, false, null),
                        build(a, e, li, arr, b, rule, true, SPIN)));
                seenReal.addIfAbsent(key); // one pending decision per race
            }
            return;
        }
        if (seenReal.addIfAbsent(key)) {
            a.report(build(a, e, li, arr, b, rule, false, null).build());
        }
    }

    private static final String SNAPSHOT = "diagnostic snapshot (patches.md seed 000 (f)): csd_lock_wait_toolong() prints a "
            + "best-effort copy of the target's cur_csd_func/cur_csd_info; a later __csd_lock_record() may overwrite it "
            + "while it is read";
    private static final String SPIN = "spin-wait re-check (patches.md seed 003 (f), the ABA re-wait): the marked read is "
            + "the loop condition of a busy-wait that re-reads the word after cpu_relax(); the racing plain store only "
            + "makes it wait longer, or comes after the read that ended the wait";

    private Finding.Builder build(Analysis a, Event e, int li, int[] arr, int b, String rule, boolean tolerated, String why) {
        EventRef cur = a.ref(e);
        EventRef other = priorRef(a, e, arr, b);
        String locName = a.facts.stableLocation(e.loc);
        Finding.Builder f = new Finding.Builder(Finding.Kind.DATA_RACE, false, rule)
                .summary(rule + " on " + a.info.locationName(e.loc) + ": " + other.op() + " at " + other.where() + " ("
                        + other.threadName() + ") and " + cur.op() + " at " + cur.where() + " (" + cur.threadName()
                        + ") are not ordered by happens-before")
                .event(other).event(cur)
                .witness("1. " + other.text())
                .witness("2. " + cur.text() + "   -- no release/acquire, fence or lock orders 1 before 2")
                .fingerprintRule(rule.equals("ww-race") ? "ww-race" : "rw-race") // which side came first is the run's
                .key(locName)
                .key(Fingerprints.unordered(a.facts.fn(arr[b + F_SITE]) + ":" + other.op(),
                        a.facts.access(e)));
        if (tolerated) {
            f.tolerated(why);
        }
        return f;
    }

    private static EventRef priorRef(Analysis a, Event cur, int[] arr, int b) {
        int info = arr[b + F_INFO];
        EventKind k = EventKind.ofCode(info & 0xff);
        smptrace.trace.Site site = a.info.site(arr[b + F_SITE]);
        smptrace.trace.ThreadInfo t = a.info.thread(arr[b + F_THREAD]);
        int task = (info >>> 12) - 2;
        String ctx = (info & IRQ) != 0 ? "irq(cpu" + arr[b + F_CPU] + ")" : task >= 0 ? "task" + task : "boot";
        return new EventRef(arr[b + F_THREAD], t == null ? "thread" + arr[b + F_THREAD] : t.name(), arr[b + F_SEQ] & 0xffffffffL,
                ctx, arr[b + F_CPU], k == null ? "?" : k.name(), a.info.locationName(cur.loc), Integer.toString(arr[b + F_VAL]),
                site == null ? null : site.className().substring(site.className().lastIndexOf('.') + 1) + "." + site.method(),
                site == null ? null : site.file(), site == null ? 0 : site.line());
    }

    // ---- spin-wait classification ---------------------------------------------------------------
    //
    // A busy-wait iteration ends in cpu_relax(); the loop condition is the word the next iteration reads
    // first. A read of that word in the iteration before (with no store by the context between the read
    // and the cpu_relax()) only decided to look again.

    /** 1: a confirmed spin-wait condition read; 2: still open (may become one); 0: not one. */
    private int spinState(int slot, int li, long seq) {
        if (spinLoc[slot] == li && seq >= spinFrom[slot] && seq <= spinTo[slot]) {
            return 1;
        }
        for (int i = 0; i < iterN[slot]; i++) {
            if (iterLoc[slot][i] == li && iterSeq[slot][i] == seq) {
                return 2;
            }
        }
        for (int i = 0; i < awN[slot]; i++) {
            if (awLoc[slot][i] == li && awSeq[slot][i] == seq) {
                return 2;
            }
        }
        return 0;
    }

    private void spinOnRead(int s, int li, long seq, int site, Analysis a) {
        if (awN[s] > 0) {
            // the first read after cpu_relax(): li is the loop condition
            long confirmed = -1;
            for (int i = 0; i < awN[s]; i++) {
                if (awLoc[s][i] == li) {
                    confirmed = awSeq[s][i];
                }
            }
            if (confirmed >= 0) {
                if (site != lastSpinSite) { // a wait's re-reads come from one site: one look-up per wait, not per read
                    spinSites.addIfAbsent(site);
                    lastSpinSite = site;
                }
                if (spinLoc[s] == li && spinTo[s] >= 0) {
                    spinTo[s] = confirmed;
                } else {
                    spinLoc[s] = li;
                    spinFrom[s] = confirmed;
                    spinTo[s] = confirmed;
                }
            }
            resolveAwaiting(s, li, confirmed, a);
            awN[s] = 0;
        }
        int n = iterN[s];
        for (int i = 0; i < n; i++) {
            if (iterLoc[s][i] == li) {
                iterSeq[s][i] = seq;
                return;
            }
        }
        if (n < ITER) {
            iterLoc[s][n] = li;
            iterSeq[s][n] = seq;
            iterN[s] = n + 1;
        }
    }

    private void relax(int s, Analysis a) {
        resolveAwaiting(s, -1, -1, a);
        int n = iterN[s];
        System.arraycopy(iterLoc[s], 0, awLoc[s], 0, n);
        System.arraycopy(iterSeq[s], 0, awSeq[s], 0, n);
        awN[s] = n;
        iterN[s] = 0;
    }

    /** Pending races on awaiting reads: the ones on (li, seq) are spin reads, the other awaiting ones are not. */
    private void resolveAwaiting(int s, int li, long seq, Analysis a) {
        List<Pending> l = pending.get(s);
        if (l.isEmpty()) {
            return;
        }
        for (int k = l.size() - 1; k >= 0; k--) {
            Pending p = l.get(k);
            boolean awaiting = false;
            for (int i = 0; i < awN[s]; i++) {
                if (awLoc[s][i] == p.loc && awSeq[s][i] == p.seq) {
                    awaiting = true;
                }
            }
            if (!awaiting) {
                continue;
            }
            emit(p, p.loc == li && p.seq == seq, a);
            l.remove(k);
        }
    }

    private void flushIteration(int s, Analysis a) {
        if (iterN[s] == 0 && awN[s] == 0 && pending.get(s).isEmpty()) {
            return; // nothing open: most writes
        }
        List<Pending> l = pending.get(s);
        for (Pending p : l) {
            emit(p, false, a);
        }
        l.clear();
        iterN[s] = 0;
        awN[s] = 0;
    }

    private void emit(Pending p, boolean spin, Analysis a) {
        if (!spin) {
            bySite.add(p); // decided at the end, when every spin-wait condition site is known
            return;
        }
        if ((spin ? seenTol : seenReal).addIfAbsent(p.key)) {
            a.report((spin ? p.tolerated : p.real).build());
        }
    }

    @Override
    public void finish(Analysis a) {
        for (int s = 0; s < pending.size(); s++) {
            for (Pending p : pending.get(s)) {
                emit(p, false, a);
            }
            pending.get(s).clear();
        }
        LongSet decided = new LongSet();
        for (Pending p : bySite) {
            if (!decided.addIfAbsent(p.key)) {
                continue;
            }
            boolean spin = spinSites.contains(p.readSite);
            if (spin && seenTol.addIfAbsent(p.key)) {
                a.report(p.tolerated.build());
            } else if (!spin) {
                a.report(p.real.build());
            }
        }
        bySite.clear();
    }

    private long getLong(int i) {
        return (lr[i] & 0xffffffffL) | (long) lr[i + 1] << 32;
    }

    private void setLong(int i, long v) {
        lr[i] = (int) v;
        lr[i + 1] = (int) (v >>> 32);
    }

    // ---- storage ----------------------------------------------------------------------------------

    private void ensureLoc(int li) {
        if (li >= locCap) {
            int n = Math.max(li + 1, locCap * 2);
            int old = locCap;
            lr = Arrays.copyOf(lr, n * LSTRIDE);
            for (int i = old; i < n; i++) {
                lr[i * LSTRIDE + L_WSLOT] = -1;
            }
            locCap = n;
            reads = Arrays.copyOf(reads, n);
        }
    }

    private void ensureSlot(int s) {
        if (s < readySlots) {
            return; // the common case: a slot seen before
        }
        for (int t = readySlots; t <= s; t++) {
            prepareSlot(t);
        }
        readySlots = s + 1;
    }

    /** The per-slot state of slot s (every slot below it is prepared too: see {@link #readySlots}). */
    private void prepareSlot(int s) {
        while (pending.size() <= s) {
            pending.add(new ArrayList<>());
        }
        if (s >= iterN.length) {
            int n = Math.max(s + 1, iterN.length * 2);
            int old = iterN.length;
            iterLoc = Arrays.copyOf(iterLoc, n);
            iterSeq = Arrays.copyOf(iterSeq, n);
            iterN = Arrays.copyOf(iterN, n);
            awLoc = Arrays.copyOf(awLoc, n);
            awSeq = Arrays.copyOf(awSeq, n);
            awN = Arrays.copyOf(awN, n);
            spinLoc = Arrays.copyOf(spinLoc, n);
            spinFrom = Arrays.copyOf(spinFrom, n);
            spinTo = Arrays.copyOf(spinTo, n);
            for (int i = old; i < n; i++) {
                spinLoc[i] = -1;
                spinTo[i] = -1;
            }
        }
        if (iterLoc[s] == null) {
            iterLoc[s] = new int[ITER];
            iterSeq[s] = new long[ITER];
            awLoc[s] = new int[ITER];
            awSeq[s] = new long[ITER];
        }
    }

    DataRaceDetector() {
        for (int i = 0; i < locCap; i++) {
            lr[i * LSTRIDE + L_WSLOT] = -1;
        }
        Arrays.fill(spinLoc, -1);
        Arrays.fill(spinTo, -1);
    }
}

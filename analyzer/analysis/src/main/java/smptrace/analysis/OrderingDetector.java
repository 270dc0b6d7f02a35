package smptrace.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import smptrace.litmus.Decision;
import smptrace.litmus.LitmusBuilder;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusTest;
import smptrace.lkmm.Tag;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Ordering the code relies on that the LKMM does not give (lkmm.md §4, patches.md engine 4): finds
 * critical-cycle shapes in the trace between two contexts, builds the two-thread litmus program from the
 * trace's own accesses and the fences between them, and asks the shared LKMM module
 * ({@link LitmusDecider}) whether the bad outcome is allowed. Plain accesses are asked about as
 * READ_ONCE/WRITE_ONCE: a plain access makes a data race, which the data-race detector reports; this
 * detector reports what goes wrong even with marked accesses.
 *
 * <ul>
 *   <li><b>MP</b> (message passing): a reader R reads f (marked), then x; the writer T of the f it read wrote x
 *       shortly before that f (A), or after it with no newer f in between (B). Bad outcome: R sees the new f
 *       and the old x, both reads in one pass of any busy-wait (no cpu_relax() between them). Asked only
 *       where the code shows that it relies on the order: a release / smp_wmb /
 *       smp_mb on T's side or an acquire / smp_rmb / smp_mb on R's side (for B: both).</li>
 *   <li><b>SB</b> (store buffering, a lost update): P writes a then reads b, and that read missed Q's write of b;
 *       Q writes b then reads a; neither write happens-before the other side's read. Bad outcome: both reads
 *       old. Asked where a strong fence on one side shows reliance, or where both words are two-way
 *       handshake words (each written by its side and another context, like a pending flag and a busy bit, and
 *       not re-read by an RMW of the same word right after the read).</li>
 * </ul>
 * Every distinct shape (by sites and fences) is decided once per trace.
 */
final class OrderingDetector implements Detector {
    /** Ring lengths are powers of two: a ring position is (index & (RING - 1)), indices never negative. */
    private static final int RING = 64;
    private static final int WINDOW = 12;
    private static final int READ_WINDOW = 10;
    /** Per slot, the ring indices of its last WRITES writes (WINDOW events hold at most WINDOW writes). */
    private static final int WRITES = 16;
    private long[][] recentWrites = new long[16][];
    private long[] writeCount = new long[16];
    /**
     * Per slot, of its last WRITES writes those that overwrote a value another slot had read (the only ones
     * SB can start from): ring index and write number. Most writes overwrite their own context's value, so
     * a read looks at few or none of them.
     */
    private long[][] sbCandIdx = new long[16][];
    private long[][] sbCandNum = new long[16][];
    private long[] sbCandCount = new long[16];

    // per-slot ring of recent memory and fence events
    private int[][] rKind = new int[16][];
    private int[][] rSite = new int[16][];
    private int[][] rLoc = new int[16][];
    /** The location of a write in the ring (-1 for every other event): the searches for a slot's writes of a location. */
    private int[][] rWLoc = new int[16][];
    private long[][] rVal = new long[16][];
    private long[][] rVal2 = new long[16][];
    private long[][] rSeq = new long[16][];
    private int[][] rThread = new int[16][];
    private int[][] rClk = new int[16][];
    private int[][] rCpu = new int[16][];
    /** Per read in the ring: the slot whose write it read, and that write's ring index (-1: none). */
    private int[][] rSrcSlot = new int[16][];
    private long[][] rSrcIdx = new long[16][];
    private long[] count = new long[16];
    private long[] lastWrite = new long[16];

    // per location: last write (slot, slot-local index), last read before it by another slot
    private int[] lwSlot = new int[1024];
    private long[] lwIdx = new long[1024];
    private int[] lrSlot = new int[1024];
    private long[] lrIdx = new long[1024];
    private int[] rbSlot = new int[1024]; // reader of the value the last write overwrote
    private long[] rbIdx = new long[1024];
    private long[] writers = new long[1024]; // bit per slot (first 64)
    /**
     * Per location, bit t set once slot t (t < 64) has put a write of it in its ring; never cleared, not even when the
     * location's object dies (the ring may still hold writes of its previous life). A clear bit proves that slot t's
     * ring holds no write of the location: the window searches for one skip that slot.
     */
    private long[] ringWriters = new long[1024];
    /**
     * none), ring indices of its read of f and of x, the other location, and whether the two reads were one
     * busy-wait pass (or f was acquired). A publication that comes after its reader is matched against them.
     */
    private int[] obsFSlot = new int[1024];
    private long[] obsFRf = new long[1024];
    private long[] obsFRx = new long[1024];
    private int[] obsFOther = new int[1024];
    private boolean[] obsFPass = new boolean[1024];

    // per slot: pending MP heads (marked reads of a location last written by another slot)
    private int[] headLoc = new int[16];
    private int[] headWriter = new int[16];
    private long[] headWriterIdx = new long[16];
    private long[] headIdx = new long[16];
    /** cpu_relax() count per slot: a reader's use of f and x in one busy-wait iteration (MP case B). */
    private long[] relaxes = new long[16];
    private long[] headRelax = new long[16];

    private final LitmusDecider decider = new LitmusDecider();
    private final Map<String, Boolean> decided = new HashMap<>();
    private final List<SbPending> sbPending = new ArrayList<>();
    /** Pending handshake SB findings whose reads a later RMW of the same word may still show re-read. */
    private final List<ReReadWatch> watches = new ArrayList<>();

    /**
     * An SB finding held to the end of the trace, when the writers of its two words are known: reported if a strong
     * fence on one side admitted it, or if both words are handshake words and neither read was re-read by an RMW.
     */
    private static final class SbPending {
        final Finding.Builder f;
        final boolean strong;
        final int la, lb, p, q;
        boolean reRead;

        SbPending(Finding.Builder f, boolean strong, int la, int lb, int p, int q) {
            this.f = f;
            this.strong = strong;
            this.la = la;
            this.lb = lb;
            this.p = p;
            this.q = q;
        }
    }

    /** A read of loc by slot s, watched up to ring index {@code until} for an RMW of the same word. */
    private record ReReadWatch(SbPending pending, int slot, int loc, long until) {
    }

    OrderingDetector() {
        Arrays.fill(lwSlot, -1);
        Arrays.fill(lrSlot, -1);
        Arrays.fill(rbSlot, -1);
        Arrays.fill(headLoc, -1);
        Arrays.fill(obsFSlot, -1);
    }

    @Override
    public String name() {
        return "ordering";
    }

    /** A dead object's location indices are recycled: what was kept for them goes. */
    @Override
    public void onFree(int oid, Analysis a) {
        for (int i = 0; i < a.lifetimes.freedCount(); i++) {
            int li = a.lifetimes.freedLocation(i);
            if (li < lwSlot.length) {
                lwSlot[li] = -1;
                lwIdx[li] = 0;
                lrSlot[li] = -1;
                lrIdx[li] = 0;
                rbSlot[li] = -1;
                rbIdx[li] = 0;
                writers[li] = 0;
                obsFSlot[li] = -1;
            }
        }
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        if (k == EventKind.CPU_RELAX) {
            int s0 = a.hb.slot();
            ensureSlot(s0);
            relaxes[s0]++;
            return;
        }
        boolean mem = k.isMemory();
        if (!mem && !(k.shape == EventKind.Shape.FENCE && LkmmSync.ordering(k))) {
            return;
        }
        if (e.inDataRace) {
            return;
        }
        int s = a.hb.slot();
        ensureSlot(s);
        int li = mem ? a.locIndex : -1;
        if (mem) {
            ensureLoc(li);
        }
        long idx = count[s];
        // record in the ring
        int p = pos(idx);
        rKind[s][p] = k.code;
        rSite[s][p] = e.site;
        rLoc[s][p] = li;
        if (k.writes()) {
            rWLoc[s][p] = li;
            if (s < 64) {
                ringWriters[li] |= 1L << s;
            }
        } else {
            rWLoc[s][p] = -1;
        }
        rVal[s][p] = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
        // a failed cmpxchg's expected value; a successful RMW's read value (its cmpxchg's expected one)
        rVal2[s][p] = k.shape == EventKind.Shape.RMW ? e.value : e.value2;
        rSeq[s][p] = e.seq;
        rThread[s][p] = e.thread;
        rClk[s][p] = a.hb.epoch();
        rCpu[s][p] = e.cpu;
        count[s] = idx + 1;
        if (!watches.isEmpty()) {
            checkWatches(s, idx);
        }
        if (!mem) {
            return;
        }
        if (k.reads() && k.shape == EventKind.Shape.READ) {
            mpOnRead(e, a, s, li, idx);
        }
        if (k.reads() && (k.shape == EventKind.Shape.READ || k.shape == EventKind.Shape.FAILED_RMW)) {
            sbOnRead(e, a, s, li, idx);
        }
        if (sbRead(k)) {
            sbAnyOrder(a, s, li, idx);
        }
        if (k.reads()) {
            rSrcSlot[s][p] = lwSlot[li];
            rSrcIdx[s][p] = lwIdx[li];
            lrSlot[li] = s;
            lrIdx[li] = idx;
        } else {
            rSrcSlot[s][p] = -1;
        }
        if (k.writes()) {
            lastWrite[s] = idx;
            recentWrites[s][(int) (writeCount[s] & (WRITES - 1))] = idx;
            long wnum = writeCount[s]++;
            // the last read of the value this write overwrites, if by another slot
            if (lrSlot[li] >= 0 && lrSlot[li] != s) {
                rbSlot[li] = lrSlot[li];
                rbIdx[li] = lrIdx[li];
                int c = (int) (sbCandCount[s]++ & (WRITES - 1));
                sbCandIdx[s][c] = idx;
                sbCandNum[s][c] = wnum;
            } else {
                rbSlot[li] = -1;
            }
            lrSlot[li] = -1;
            lwSlot[li] = s;
            lwIdx[li] = idx;
            if (obsFSlot[li] >= 0) {
                mpAfterReader(a, s, li, idx);
            }
            if (s < 64) {
                writers[li] |= 1L << s;
            }
        }
    }

    // ---- MP -----------------------------------------------------------------------------------------

    private void mpOnRead(Event e, Analysis a, int s, int li, long idx) {
        int t = lwSlot[li];
        if (headLoc[s] >= 0 && headLoc[s] != li && idx - headIdx[s] <= READ_WINDOW) {
            int f = headLoc[s];
            obsFSlot[f] = s;
            obsFRf[f] = headIdx[s];
            obsFRx[f] = idx;
            obsFOther[f] = li;
            obsFPass[f] = relaxes[s] == headRelax[s] || kind(s, headIdx[s]).order == EventKind.Order.ACQUIRE;
        }
        // is this read an "x" after a pending head "f" of the same writer?
        boolean sameWriter = t == headWriter[s] && t >= 0;
        if (headLoc[s] >= 0 && headLoc[s] != li && idx - headIdx[s] <= READ_WINDOW && sameWriter) {
            long wf = headWriterIdx[s];
            long wx = lwIdx[li];
            boolean hbx = a.hb.ordered(t, rClk[t][pos(wx)]) || a.facts.initialising(site(t, wx));
            if (hbx) {
                // the write of x happens before this read anyway: no stale value possible
            } else if (wx < wf && wf - wx <= WINDOW && count[t] - wx < RING
                    && (relaxes[s] == headRelax[s] || kind(s, headIdx[s]).order == EventKind.Order.ACQUIRE)) {
                // a reader that read f in one busy-wait pass and x in a later one used f to read x only if it
                // acquired f; an unordered READ_ONCE of f there was just a look at it
                mp(a, s, t, wx, wf, headIdx[s], idx, false);
            } else if (wx > wf && wx - wf <= WINDOW && count[t] - wf < RING && !rewrote(t, headLoc[s], wf, wx)
                    && relaxes[s] == headRelax[s]) {
                mp(a, s, t, wx, wf, headIdx[s], idx, true);
                // or that write of x is the next publication's, and the one f came with was written before f
                mpPublication(a, s, li, idx);
            } else {
                mpPublication(a, s, li, idx);
            }
        } else if (headLoc[s] >= 0 && headLoc[s] != li && idx - headIdx[s] <= READ_WINDOW && t >= 0 && t != s
                && headWriter[s] >= 0) {
            mpPublication(a, s, li, idx);
        }
        if (sameWriter) {
            // (the chain search below is for an x whose last writer is not f's)
        } else if (headLoc[s] >= 0 && headLoc[s] != li && idx - headIdx[s] <= READ_WINDOW && t >= 0 && t != s
                && t != headWriter[s] && !a.hb.isBoot(t) && relaxes[s] == headRelax[s]) {
            chainOnRead(a, s, li, idx, t);
        }
        // a marked read of a location another (non-boot) slot wrote: a candidate head
        if (e.kind.marked() && t >= 0 && t != s && !a.hb.isBoot(t)) {
            headLoc[s] = li;
            headWriter[s] = t;
            headWriterIdx[s] = lwIdx[li];
            headIdx[s] = idx;
            headRelax[s] = relaxes[s];
        }
    }

    /**
     * MP from the publication the reader's f came from, whatever x it then read: R read f from T's write wf and now
     * reads x, but x's last write is not T's x of that publication (T wrote x again after publishing f, or another
     * context did). T's own write of x next to wf (before it, or after it with no newer f in between: the same
     * cases as above) is still the one R relies on: R can see wf with the x from before that write. Asked under
     * the same conditions (that write of x not already happening before R's read, one busy-wait pass).
     */
    private void mpPublication(Analysis a, int s, int lx, long rx) {
        int t = headWriter[s];
        long wf = headWriterIdx[s];
        if (count[t] - wf >= RING - WINDOW) {
            return; // the publication has left T's ring
        }
        if (!mayHoldWrite(t, lx)) {
            return; // every search below is for a write of x in T's ring
        }
        boolean onePass = relaxes[s] == headRelax[s];
        int lf = headLoc[s];
        if (lwSlot[lf] == t && lwIdx[lf] > wf && val(t, lwIdx[lf]) == val(s, headIdx[s])) {
            // T wrote f again since, the value R read: R's read of f could have read that write and gone on as
            // it did (see mpAfterReader); its publication is the one to ask about when it wrote x shortly before
            long wf2 = lwIdx[lf];
            int hp = pos(headIdx[s]);
            if (count[t] - wf2 < RING - WINDOW && !a.hb.orderedBefore(s, rClk[s][hp], t)
                    && (onePass || kind(s, headIdx[s]).order == EventKind.Order.ACQUIRE)) {
                for (long j = wf2 - 1; j >= Math.max(0, wf2 - WINDOW) && j > count[t] - RING; j--) {
                    int pj = pos(j);
                    if (rWLoc[t][pj] == lx) {
                        if (!a.hb.ordered(t, rClk[t][pj]) && !a.facts.initialising(rSite[t][pj])) {
                            mp(a, s, t, j, wf2, headIdx[s], rx, false);
                        }
                        break;
                    }
                }
            }
        }
        // T's write of x within the window before wf
        for (long j = wf - 1; j >= Math.max(0, wf - WINDOW) && j > count[t] - RING; j--) {
            int pj = pos(j);
            if (rWLoc[t][pj] == lx) {
                if (!a.hb.ordered(t, rClk[t][pj]) && !a.facts.initialising(rSite[t][pj])
                        && (onePass || kind(s, headIdx[s]).order == EventKind.Order.ACQUIRE)) {
                    mp(a, s, t, j, wf, headIdx[s], rx, false);
                }
                return;
            }
        }
        // T's write of x within the window after wf, before T wrote f again
        long end = Math.min(count[t], wf + WINDOW + 1);
        for (long j = wf + 1; j < end; j++) {
            int pj = pos(j);
            int wl = rWLoc[t][pj];
            if (wl < 0) {
                continue; // not a write
            }
            if (wl == headLoc[s]) {
                return;
            }
            if (wl == lx) {
                if (!a.hb.ordered(t, rClk[t][pj]) && !a.facts.initialising(rSite[t][pj]) && onePass
                        && !writesBefore(t, lx, headLoc[s], wf)) {
                    mp(a, s, t, j, wf, headIdx[s], rx, true);
                }
                return;
            }
        }
    }

    /**
     * MP whose publication comes after its reader: R read f and then x, and T now writes f, with its write of x
     * shortly before (case A). R's read of f could have read T's write instead when that write stores the value
     * R read (a re-binding that leaves R's path unchanged: R then read x just as it did; a different value could
     * have sent R elsewhere, e.g. a wait that returns on the new flag): asked when R's read of f does not happen
     * before T's write (checked against T's clock now), T's write of x not before R's read of x (R's clock now),
     * and under the same conditions as when R reads last. (Case B, x stored after f, is not asked here: a write
     * of x shortly after f is as often the next publication's.)
     */
    private void mpAfterReader(Analysis a, int t, int l, long w) {
        int r = obsFSlot[l];
        if (r < 0 || r == t || a.hb.isBoot(r)) {
            return;
        }
        // l is f; T's write of x before this write
        long rf = obsFRf[l];
        long rx = obsFRx[l];
        int lx = obsFOther[l];
        if (!mayHoldWrite(t, lx)) {
            return; // the search below is for a write of x in T's ring
        }
        if (count[r] - rf >= RING - 1 || !obsFPass[l] || loc(r, rf) != l || loc(r, rx) != lx
                || val(r, rf) != val(t, w) || a.hb.ordered(r, rClk[r][pos(rf)])) {
            return;
        }
        for (long j = w - 1; j >= Math.max(0, w - WINDOW) && j > count[t] - RING; j--) {
            int pj = pos(j);
            if (rWLoc[t][pj] == lx) {
                if (!a.facts.initialising(rSite[t][pj]) && !a.hb.orderedBefore(t, rClk[t][pj], r)) {
                    mp(a, r, t, j, w, rf, rx, false);
                }
                return;
            }
        }
    }

    /**
     * Whether T wrote x within the window before its write of f at wf, after its previous write of f: then that x
     * is the one published with f, and a write of x after f belongs to the next publication (data stored after
     * its publication, MP case B, is a publication that writes x only after f).
     */
    private boolean writesBefore(int t, int lx, int lf, long wf) {
        for (long j = wf - 1; j >= Math.max(0, wf - WINDOW) && j > count[t] - RING; j--) {
            int pj = pos(j);
            int wl = rWLoc[t][pj];
            if (wl < 0) {
                continue; // not a write
            }
            if (wl == lf) {
                return false;
            }
            if (wl == lx) {
                return true;
            }
        }
        return false;
    }

    /** Whether slot t wrote location f between ring indices from (exclusive) and to (exclusive). */
    private boolean rewrote(int t, int f, long from, long to) {
        for (long i = from + 1; i < to; i++) {
            if (rWLoc[t][pos(i)] == f && f >= 0) {
                return true;
            }
        }
        return false;
    }

    private void mp(Analysis a, int r, int t, long wx, long wf, long rf, long rx, boolean after) {
        EventKind kwf = kind(t, wf);
        EventKind krf = kind(r, rf);
        String wBetween = fences(t, Math.min(wx, wf), Math.max(wx, wf));
        String rBetween = fences(r, rf, rx);
        boolean writerIntent = LkmmSync.releases(kwf) || wBetween.contains("MB") || wBetween.contains("WMB");
        boolean readerIntent = LkmmSync.acquires(krf) || rBetween.contains("MB") || rBetween.contains("RMB");
        if (after) {
            // data stored after its publication: reported only for an explicit release store read by an
            // explicit acquire load, with the data read in the same observation (no cpu_relax() between)
            if (!(LkmmSync.tag(kwf) == Tag.RELEASE && kwf.shape == EventKind.Shape.WRITE && krf == EventKind.R_ACQUIRE
                    && kind(t, wx).shape == EventKind.Shape.WRITE)) {
                return;
            }
        } else if (!(writerIntent || readerIntent)) {
            return;
        }
        String key = "MP|" + after + "|" + a.facts.site(site(t, wx)) + "|" + a.facts.site(site(t, wf)) + "|"
                + a.facts.site(site(r, rf)) + "|" + a.facts.site(site(r, rx)) + "|" + kind(t, wx) + kwf + krf + kind(r, rx)
                + "|" + wBetween + "|" + rBetween;
        Boolean allowed = decided.get(key);
        if (allowed == null) {
            LitmusBuilder b = new LitmusBuilder("MP-" + a.facts.function(site(t, wf)));
            b.thread(th -> {
                if (after) {
                    write(th, "f", kwf, 1);
                    fenceOps(th, t, wf, wx);
                    write(th, "x", kind(t, wx), 1);
                } else {
                    write(th, "x", kind(t, wx), 1);
                    fenceOps(th, t, wx, wf);
                    write(th, "f", kwf, 1);
                }
            });
            b.thread(th -> {
                th.load("r0", "f", loadTag(krf));
                fenceOps(th, r, rf, rx);
                th.load("r1", "x", loadTag(kind(r, rx)));
            });
            b.exists("1:r0=1 /\\ 1:r1=0");
            LitmusTest test = b.build();
            Decision d = decider.decide(test);
            allowed = d.verdict() != Decision.Verdict.UNSUPPORTED && d.outcomeAllowed();
            decided.put(key, allowed);
            if (allowed) {
                String fName = a.info.locationName(a.locs.keyOf(loc(t, wf)));
                String xName = a.info.locationName(a.locs.keyOf(loc(t, wx)));
                Finding.Builder f = new Finding.Builder(Finding.Kind.ORDERING_VIOLATION, true, "MP")
                        .summary("message passing without the ordering it relies on: a reader that sees the new "
                                + fName + " can see a stale " + xName + " (LKMM: " + d.verdict().word + ")")
                        .key(acc(a, t, wx)).key(acc(a, t, wf)).key(acc(a, r, rf))
                        .key(acc(a, r, rx)).key(stable(a, t, wf)).key(stable(a, t, wx));
                EventRef ewx = ref(a, t, wx);
                EventRef ewf = ref(a, t, wf);
                EventRef erf = ref(a, r, rf);
                EventRef erx = ref(a, r, rx);
                f.event(ewx).event(ewf).event(erf).event(erx);
                if (after) {
                    f.witness("writer: 1. " + ewf.text() + "   2. " + ewx.text() + (wBetween.isEmpty() ? "" : "  [" + wBetween + "]"));
                    f.witness("reader: 3. " + erf.text() + "   4. " + erx.text() + (rBetween.isEmpty() ? "" : "  [" + rBetween + "]"));
                    f.witness("predicted: 3 reads 1's value and 4 runs before 2: the reader sees the new " + fName
                            + " with the old " + xName + " (the data is written after it is published)");
                } else {
                    f.witness("writer: 1. " + ewx.text() + "   2. " + ewf.text() + (wBetween.isEmpty() ? "" : "  [" + wBetween + "]"));
                    f.witness("reader: 3. " + erf.text() + "   4. " + erx.text() + (rBetween.isEmpty() ? "" : "  [" + rBetween + "]"));
                    f.witness("predicted: 2 propagates before 1 or 4 is satisfied before 3: the reader sees the new "
                            + fName + " with the old " + xName);
                }
                f.witness("litmus: P0: " + (after ? op(kwf, "f", 1) + between(wBetween) + op(kind(t, wx), "x", 1)
                        : op(kind(t, wx), "x", 1) + between(wBetween) + op(kwf, "f", 1)) + " | P1: r0 = " + op(krf, "f", 0)
                        + between(rBetween) + "r1 = " + op(kind(r, rx), "x", 0) + " | exists (1:r0=1 /\\ 1:r1=0): "
                        + d.verdict().word);
                f.litmus(new smptrace.litmus.LitmusWriter().write(test, d.verdict().word));
                a.report(f.build());
            }
        }
    }

    // ---- WRC / ISA2: three contexts ----------------------------------------------------------------

    /**
     * Reader R (slot r) read f2, written by M, and now reads x, last written by a third context T. If
     * M, shortly before its write of f2, read T's write of x (WRC) or T's write of a flag f1 that T
     * wrote shortly after x (ISA2), the chain T -&gt; M -&gt; R is what R relies on to see x.
     */
    private void chainOnRead(Analysis a, int r, int lx, long rx, int t) {
        int m = headWriter[r];
        long wf2 = headWriterIdx[r];
        long wx = lwIdx[lx];
        if (count[m] - wf2 >= RING || count[t] - wx >= RING || m == t) {
            return;
        }
        if (a.hb.ordered(t, rClk[t][pos(wx)]) || a.facts.initialising(site(t, wx))) {
            return; // x's write happens before this read anyway: no stale value possible
        }
        for (long j = wf2 - 1; j >= Math.max(0, wf2 - WINDOW) && j > count[m] - RING; j--) {
            int pj = pos(j);
            EventKind k = EventKind.ofCode(rKind[m][pj]);
            if (!k.reads() || k.shape != EventKind.Shape.READ || !k.marked() || rSrcSlot[m][pj] != t) {
                continue;
            }
            long wf1 = rSrcIdx[m][pj];
            if (count[t] - wf1 >= RING) {
                return;
            }
            int l1 = rLoc[m][pj];
            if (l1 == lx && wf1 == wx) {
                chain(a, "WRC", t, wx, -1, m, j, wf2, r, headIdx[r], rx);
            } else if (l1 != lx && l1 != headLoc[r] && wx < wf1 && wf1 - wx <= WINDOW
                    && !rewrote(t, lx, wx, wf1 + 1)) {
                chain(a, "ISA2", t, wx, wf1, m, j, wf2, r, headIdx[r], rx);
            }
            return; // the nearest read of T's write is the link
        }
    }

    private void chain(Analysis a, String shape, int t, long wx, long wf1, int m, long rf1, long wf2, int r, long rf2,
            long rx) {
        boolean isa2 = wf1 >= 0;
        EventKind kwx = kind(t, wx);
        EventKind kwf1 = isa2 ? kind(t, wf1) : null;
        EventKind krf1 = kind(m, rf1);
        EventKind kwf2 = kind(m, wf2);
        EventKind krf2 = kind(r, rf2);
        EventKind krx = kind(r, rx);
        String tBetween = isa2 ? fences(t, wx, wf1) : "";
        String mBetween = fences(m, rf1, wf2);
        String rBetween = fences(r, rf2, rx);
        // asked only where the code shows it relies on the chain: an ordering somewhere along it
        boolean intent = LkmmSync.releases(kwf2) || LkmmSync.acquires(krf2) || LkmmSync.acquires(krf1)
                || isa2 && LkmmSync.releases(kwf1) || !(tBetween + mBetween + rBetween).isEmpty();
        if (!intent) {
            return;
        }
        String key = shape + "|" + a.facts.site(site(t, wx)) + "|" + (isa2 ? a.facts.site(site(t, wf1)) : "") + "|"
                + a.facts.site(site(m, rf1)) + "|" + a.facts.site(site(m, wf2)) + "|" + a.facts.site(site(r, rf2)) + "|"
                + a.facts.site(site(r, rx)) + "|" + kwx + kwf1 + krf1 + kwf2 + krf2 + krx + "|" + tBetween + "|"
                + mBetween + "|" + rBetween;
        if (decided.containsKey(key)) {
            return;
        }
        String f1 = isa2 ? "f1" : "x";
        LitmusBuilder b = new LitmusBuilder(shape + "-" + a.facts.function(site(m, wf2)));
        b.thread(th -> {
            write(th, "x", kwx, 1);
            if (isa2) {
                fenceOps(th, t, wx, wf1);
                write(th, "f1", kwf1, 1);
            }
        });
        b.thread(th -> {
            th.load("r0", f1, loadTag(krf1));
            fenceOps(th, m, rf1, wf2);
            write(th, "f2", kwf2, 1);
        });
        b.thread(th -> {
            th.load("r1", "f2", loadTag(krf2));
            fenceOps(th, r, rf2, rx);
            th.load("r2", "x", loadTag(krx));
        });
        b.exists("1:r0=1 /\\ 2:r1=1 /\\ 2:r2=0");
        LitmusTest test = b.build();
        Decision d = decider.decide(test);
        boolean allowed = d.verdict() != Decision.Verdict.UNSUPPORTED && d.outcomeAllowed();
        decided.put(key, allowed);
        if (!allowed) {
            return;
        }
        String xName = a.info.locationName(a.locs.keyOf(loc(t, wx)));
        String f2Name = a.info.locationName(a.locs.keyOf(loc(m, wf2)));
        EventRef ewx = ref(a, t, wx);
        EventRef ewf1 = isa2 ? ref(a, t, wf1) : null;
        EventRef erf1 = ref(a, m, rf1);
        EventRef ewf2 = ref(a, m, wf2);
        EventRef erf2 = ref(a, r, rf2);
        EventRef erx = ref(a, r, rx);
        Finding.Builder f = new Finding.Builder(Finding.Kind.ORDERING_VIOLATION, true, shape)
                .summary("a chain through three contexts without the ordering it relies on: " + erx.threadName()
                        + " sees " + ewf2.threadName() + "'s " + f2Name + ", which " + ewf2.threadName() + " wrote after"
                        + " seeing " + ewx.threadName() + "'s " + (isa2 ? a.info.locationName(a.locs.keyOf(loc(t, wf1)))
                        : xName) + ", and can still see a stale " + xName + " (LKMM: " + d.verdict().word + ")")
                .key(acc(a, t, wx)).key(isa2 ? acc(a, t, wf1) : "-").key(acc(a, m, rf1)).key(acc(a, m, wf2))
                .key(acc(a, r, rf2)).key(acc(a, r, rx)).key(stable(a, t, wx)).key(stable(a, m, wf2));
        f.event(ewx);
        if (isa2) {
            f.event(ewf1);
        }
        f.event(erf1).event(ewf2).event(erf2).event(erx);
        f.witness("T: 1. " + ewx.text() + (isa2 ? "   2. " + ewf1.text() + (tBetween.isEmpty() ? "" : "  [" + tBetween
                + "]") : ""));
        f.witness("M: 3. " + erf1.text() + "   4. " + ewf2.text() + (mBetween.isEmpty() ? "" : "  [" + mBetween + "]"));
        f.witness("R: 5. " + erf2.text() + "   6. " + erx.text() + (rBetween.isEmpty() ? "" : "  [" + rBetween + "]"));
        f.witness("predicted: 3 reads " + (isa2 ? "2" : "1") + "'s value and 5 reads 4's, yet 6 reads " + xName
                + " from before 1: the ordering along the chain is broken at a link without release/acquire");
        f.witness("litmus: " + shape + " exists (1:r0=1 /\\ 2:r1=1 /\\ 2:r2=0): " + d.verdict().word);
        f.litmus(new smptrace.litmus.LitmusWriter().write(test, d.verdict().word));
        a.report(f.build());
    }

    // ---- SB -----------------------------------------------------------------------------------------

    private void sbOnRead(Event e, Analysis a, int q, int la, long ra) {
        // Q reads a; look for Q's recent writes w_b, whose overwritten value a slot P read (r_b) after writing a
        long lo = Math.max(0, ra - WINDOW);
        if (lastWrite[q] < lo) {
            return; // no write of this slot in the window
        }
        // Q's recent writes that overwrote another slot's read value, newest first (the others cannot start an
        // SB: readerBefore() finds no reader for them), among its last WRITES writes
        long nw = writeCount[q];
        long nc = sbCandCount[q];
        long[] ci = sbCandIdx[q];
        long[] cn = sbCandNum[q];
        for (long c = nc - 1; c >= 0 && c >= nc - WRITES; c--) {
            int cp = (int) (c & (WRITES - 1));
            if (cn[cp] < nw - WRITES) {
                break;
            }
            long i = ci[cp];
            if (i < lo || i < count[q] - RING) {
                break;
            }
            int p0 = pos(i);
            int lb = rLoc[q][p0];
            if (lb == la || lb < 0) {
                continue;
            }
            int pSlot = readerBefore(lb, q, i);
            if (pSlot < 0 || pSlot == q) {
                continue;
            }
            long rb = rbIdx[lb];
            if (count[pSlot] - rb >= RING - WINDOW) {
                continue;
            }
            EventKind krb = kind(pSlot, rb);
            if (krb.shape != EventKind.Shape.READ && krb.shape != EventKind.Shape.FAILED_RMW) {
                continue;
            }
            if (!mayHoldWrite(pSlot, la)) {
                continue; // P's ring holds no write of a
            }
            // P's write of a shortly before r_b
            int[] wloc = rWLoc[pSlot];
            for (long j = rb - 1; j >= Math.max(0, rb - WINDOW) && j >= count[pSlot] - RING; j--) {
                int pj = pos(j);
                if (wloc[pj] != la) {
                    continue; // not a write of a
                }
                // HB filter: P's write of a must not happen before Q's read of a
                if (a.hb.ordered(pSlot, rClk[pSlot][pj])) {
                    break;
                }
                sb(a, pSlot, j, rb, q, i, ra, e);
                break;
            }
        }
    }

    /**
     * A read that can end an SB side: a load, a failed cmpxchg (a read that orders nothing), or a successful
     * relaxed RMW, asked about as the cmpxchg that fails when it reads the older value (a relaxed RMW orders
     * nothing either way). A successful ordered RMW is left out: the trace does not say whether it was an xchg
     * (ordered whatever it reads) or a cmpxchg (unordered when it fails).
     */
    private static boolean sbRead(EventKind k) {
        return k.reads() && (k.shape == EventKind.Shape.READ || k.shape == EventKind.Shape.FAILED_RMW
                || k.shape == EventKind.Shape.RMW && k.order == EventKind.Order.ONCE);
    }

    /**
     * SB whatever the order the trace ran the two sides in (the read that missed the other side's write need not
     * be in the trace: both reads may have read the new values, or one side ran long before the other). The
     * current read r of S (location a) ends one side: S wrote b within the window before it. The other side is
     * a's last writer T: T wrote a (w_a) and then, within the window, read b (r_b). Asked when neither write
     * happens before the other side's read (w_a not before r, S's w_b not before T's r_b: checked against T's
     * clock now, which is later than r_b's, so never a false "unordered"); the LKMM then decides whether both
     * reads can return the values from before the two writes.
     */
    private void sbAnyOrder(Analysis a, int s, int la, long r) {
        long lo = Math.max(0, r - WINDOW);
        if (writeCount[s] == 0 || lastWrite[s] < lo) {
            return; // no write of this slot before this read in the window (an RMW's own write comes later)
        }
        int t = lwSlot[la];
        if (t < 0 || t == s || a.hb.isBoot(t)) {
            return;
        }
        long wa = lwIdx[la];
        if (count[t] - wa >= RING - 1 || a.facts.initialising(site(t, wa))
                || a.hb.ordered(t, rClk[t][pos(wa)])) {
            return;
        }
        long end = Math.min(count[t], wa + WINDOW + 1);
        for (long i = wa + 1; i < end; i++) {
            int pi = pos(i);
            int lb = rLoc[t][pi];
            if (lb < 0 || lb == la || !sbRead(EventKind.ofCode(rKind[t][pi]))) {
                continue;
            }
            if (rewrote(t, la, wa, i)) {
                return; // T wrote a again before this read: its side starts later
            }
            if (!mayHoldWrite(s, lb)) {
                continue; // S's ring holds no write of b
            }
            // S's nearest write of b before r, within the window
            for (long j = r - 1; j >= lo && j > count[s] - RING; j--) {
                int pj = pos(j);
                if (rWLoc[s][pj] != lb) {
                    continue;
                }
                if (!a.facts.initialising(rSite[s][pj]) && !a.hb.orderedBefore(s, rClk[s][pj], t)) {
                    sbGeneral(a, t, wa, i, s, j, r);
                }
                break;
            }
        }
    }

    /** The slot that read location lb's value just before Q's write at ring index i overwrote it (if it is that write). */
    private int readerBefore(int lb, int q, long i) {
        if (lwSlot[lb] != q || lwIdx[lb] != i) {
            return -1;
        }
        return rbSlot[lb];
    }

    private void sb(Analysis a, int p, long wa, long rb, int q, long wb, long ra, Event cur) {
        String pBetween = fences(p, wa, rb);
        String qBetween = fences(q, wb, ra);
        EventKind kwa = kind(p, wa);
        EventKind krb = kind(p, rb);
        EventKind kwb = kind(q, wb);
        EventKind kra = cur.kind;
        String key = "SB|" + a.facts.site(site(p, wa)) + "|" + a.facts.site(site(p, rb)) + "|" + a.facts.site(site(q, wb))
                + "|" + a.facts.site(cur.site) + "|" + kwa + krb + kwb + kra + "|" + pBetween + "|" + qBetween;
        if (decided.containsKey(key)) {
            return;
        }
        long bOld = val(p, rb);
        long bNew = val(q, wb);
        long aNew = val(p, wa);
        long aOld = aNew == 0 ? 1 : 0;
        if (bOld == bNew) {
            // the missed write stored the value the read returned: nothing lost in this instance; not cached, so
            // that the any-order search can still ask the shape (with the value the write changes)
            return;
        }
        // Q's read is the current event, asked as a load (also when it is a failed cmpxchg)
        SbVerdict v = decideSb(a, key, p, wa, rb, aOld, aNew, bOld, q, wb, ra, bNew,
                th -> th.load("r1", "a", loadTag(kra)));
        if (v != null) {
            watchReReads(sbFinding(a, p, wa, rb, q, wb, a.ref(cur), a.facts.access(cur), kra, pBetween, qBetween, bOld,
                    aOld, aNew, bNew, v.d(), v.test(), null), rb, ra);
        }
    }

    /** A decided SB program whose bad outcome (both reads old) the LKMM allows. */
    private record SbVerdict(Decision d, LitmusTest test) {
    }

    /**
     * The SB program of side P (w_a = {@code aNew} at wa, the fences up to rb, r0 = the read of b at rb) and side Q
     * (w_b = {@code bNew} at wb, the fences up to ra, then {@code qRead} of a into r1), initial values aOld and bOld,
     * asked whether {@code 0:r0=bOld /\ 1:r1=aOld}. Decided once per key (the verdict is cached); the decision
     * when the LKMM allows the outcome, null when it forbids it or cannot decide the program.
     */
    private SbVerdict decideSb(Analysis a, String key, int p, long wa, long rb, long aOld, long aNew, long bOld, int q,
            long wb, long ra, long bNew, Consumer<LitmusBuilder.ThreadBuilder> qRead) {
        EventKind kwa = kind(p, wa);
        EventKind kwb = kind(q, wb);
        LitmusBuilder b = new LitmusBuilder("SB-" + a.facts.function(site(p, rb)));
        b.init("a", aOld).init("b", bOld);
        b.thread(th -> {
            writeValue(th, "a", kwa, aNew);
            fenceOps(th, p, wa, rb);
            readOp(th, "r0", "b", p, rb);
        });
        b.thread(th -> {
            writeValue(th, "b", kwb, bNew);
            fenceOps(th, q, wb, ra);
            qRead.accept(th);
        });
        b.exists("0:r0=" + bOld + " /\\ 1:r1=" + aOld);
        LitmusTest test = b.build();
        Decision d = decider.decide(test);
        boolean allowed = d.verdict() != Decision.Verdict.UNSUPPORTED && d.outcomeAllowed();
        decided.put(key, allowed);
        return allowed ? new SbVerdict(d, test) : null;
    }

    private SbPending sbFinding(Analysis a, int p, long wa, long rb, int q, long wb, EventRef era, String raAcc, EventKind kra,
            String pBetween, String qBetween, long bOld, long aOld, long aNew, long bNew, Decision d, LitmusTest test,
            Boolean admittedByFence) {
        EventKind kwa = kind(p, wa);
        EventKind krb = kind(p, rb);
        EventKind kwb = kind(q, wb);
        boolean strongOnOneSide = admittedByFence != null ? admittedByFence
                : pBetween.contains("MB") || qBetween.contains("MB") || pBetween.contains("ATOMIC")
                        || qBetween.contains("ATOMIC");
        String aName = a.info.locationName(a.locs.keyOf(loc(p, wa)));
        String bName = a.info.locationName(a.locs.keyOf(loc(q, wb)));
        EventRef ewa = ref(a, p, wa);
        EventRef erb = ref(a, p, rb);
        EventRef ewb = ref(a, q, wb);
        Finding.Builder f = new Finding.Builder(Finding.Kind.ORDERING_VIOLATION, true, "SB")
                .summary("store buffering, a lost update: " + ewa.threadName() + " writes " + aName + " then reads "
                        + bName + ", " + ewb.threadName() + " writes " + bName + " then reads " + aName
                        + "; both reads can miss the other's write (LKMM: " + d.verdict().word + ")")
                .key(Fingerprints.unordered(acc(a, p, wa) + "," + acc(a, p, rb) + "," + stable(a, p, wa),
                        acc(a, q, wb) + "," + raAcc + "," + stable(a, q, wb)))
                .event(ewa).event(erb).event(ewb).event(era)
                .witness("P: 1. " + ewa.text() + "   2. " + erb.text() + (pBetween.isEmpty() ? "" : "  [" + pBetween + "]"))
                .witness("Q: 3. " + ewb.text() + "   4. " + era.text() + (qBetween.isEmpty() ? "" : "  [" + qBetween + "]"))
                .witness("predicted: 2 reads " + bName + " before 3 is visible and 4 reads " + aName
                        + " before 1 is visible: neither side acts on the other's update")
                .witness("litmus: P0: " + op(kwa, "a", aNew) + between(pBetween) + "r0 = " + op(krb, "b", 0)
                        + " | P1: " + op(kwb, "b", bNew) + between(qBetween) + "r1 = " + op(kra, "a", 0)
                        + " | exists (0:r0=" + bOld + " /\\ 1:r1=" + aOld + "): " + d.verdict().word)
                .litmus(new smptrace.litmus.LitmusWriter().write(test, d.verdict().word));
        int la = loc(p, wa);
        int lb = loc(q, wb);
        SbPending x = new SbPending(f, strongOnOneSide, la, lb, p, q);
        sbPending.add(x);
        return x;
    }

    /** SB side P: w_a (wa) then r_b (rb); side Q: w_b (wb) then r_a (ra), all ring indices; see {@link #sbAnyOrder}. */
    private void sbGeneral(Analysis a, int p, long wa, long rb, int q, long wb, long ra) {
        String pBetween = fences(p, wa, rb);
        String qBetween = fences(q, wb, ra);
        EventKind kwa = kind(p, wa);
        EventKind krb = kind(p, rb);
        EventKind kwb = kind(q, wb);
        EventKind kra = kind(q, ra);
        String key = "SB|" + a.facts.site(site(p, wa)) + "|" + a.facts.site(site(p, rb)) + "|" + a.facts.site(site(q, wb))
                + "|" + a.facts.site(site(q, ra)) + "|" + kwa + krb + kwb + kra + "|" + pBetween + "|" + qBetween;
        if (decided.containsKey(key)) {
            return;
        }
        // asked where the code shows it relies on store->load order: a strong fence on one side (the
        // handshake-words criterion of the missed-read case would take any two words both contexts write, e.g. a
        // queue head and a CSD's flags), and marked accesses only (a plain access the other context conflicts
        // with is a data race, the data-race detector's business; a plain read is no handshake, e.g. CSD_TYPE())
        boolean byFence = (strong(pBetween) || strong(qBetween)) && krb.marked() && kra.marked();
        if (!kwa.marked() || !kwb.marked()) {
            return;
        }
        long aNew = val(p, wa);
        long aOld = aNew == 0 ? 1 : 0;
        long bNew = val(q, wb);
        long bOld = bNew == 0 ? 1 : 0;
        SbVerdict v = decideSb(a, key, p, wa, rb, aOld, aNew, bOld, q, wb, ra, bNew, th -> readOp(th, "r1", "a", q, ra));
        if (v != null) {
            watchReReads(sbFinding(a, p, wa, rb, q, wb, ref(a, q, ra), acc(a, q, ra), kra, pBetween, qBetween, bOld, aOld,
                    aNew, bNew, v.d(), v.test(), byFence), rb, ra);
        }
    }

    /**
     * A read that its context re-reads atomically within the window (an RMW or failed cmpxchg of the same word
     * after it, like llist_add()'s READ_ONCE() of the head before its try_cmpxchg()) is not the read the context
     * acts on: the SB shape it ends is no handshake. The events of slot s after ring index i that are already
     * in the ring are checked now, the rest as they come ({@link #onEvent}).
     */
    private void watchReRead(SbPending pending, int s, long i) {
        int l = loc(s, i);
        long end = Math.min(count[s], i + WINDOW + 1);
        for (long j = i + 1; j < end; j++) {
            if (reReads(s, j, l)) {
                pending.reRead = true;
                return;
            }
        }
        if (end <= i + WINDOW) {
            watches.add(new ReReadWatch(pending, s, l, i + WINDOW));
        }
    }

    /** A finding a strong fence did not admit stands on its handshake reads: P's read rb and Q's read ra are watched. */
    private void watchReReads(SbPending x, long rb, long ra) {
        if (!x.strong) {
            watchReRead(x, x.p, rb);
            watchReRead(x, x.q, ra);
        }
    }

    private boolean reReads(int s, long j, int l) {
        int pj = pos(j);
        EventKind k = EventKind.ofCode(rKind[s][pj]);
        return rLoc[s][pj] == l && (k.shape == EventKind.Shape.RMW || k.shape == EventKind.Shape.FAILED_RMW);
    }

    /** The watches of {@link #watchReRead} on slot s, at its event at ring index idx (rare: only pending handshakes). */
    private void checkWatches(int s, long idx) {
        for (int w = watches.size() - 1; w >= 0; w--) {
            ReReadWatch x = watches.get(w);
            if (x.slot() != s) {
                continue;
            }
            if (reReads(s, idx, x.loc())) {
                x.pending().reRead = true;
                watches.remove(w);
            } else if (idx >= x.until()) {
                watches.remove(w);
            }
        }
    }

    /** Whether fences() text holds a strong fence (smp_mb(), a fully ordered RMW, smp_mb__{before,after}_atomic()). */
    private static boolean strong(String fences) {
        for (String f : fences.split(" ")) {
            if (f.equals("MB") || f.equals("BEFORE_ATOMIC") || f.equals("AFTER_ATOMIC") || f.equals("AFTER_SPINLOCK")
                    || f.equals("SYNC_RCU")) {
                return true;
            }
        }
        return false;
    }

    /** A read ending an SB side in the litmus program: a load, or the cmpxchg of a failed or relaxed RMW. */
    private void readOp(LitmusBuilder.ThreadBuilder th, String reg, String l, int s, long i) {
        EventKind k = kind(s, i);
        if (k.shape == EventKind.Shape.FAILED_RMW) {
            long expected = val2(s, i);
            th.cmpxchg(reg, l, expected, expected == 0 ? 1 : expected + 1, rmwTag(k));
        } else if (k.shape == EventKind.Shape.RMW) {
            th.cmpxchg(reg, l, val2(s, i), val(s, i), rmwTag(k));
        } else {
            th.load(reg, l, loadTag(k));
        }
    }

    @Override
    public void finish(Analysis a) {
        for (SbPending x : sbPending) {
            int la = x.la;
            int lb = x.lb;
            int p = x.p;
            int q = x.q;
            boolean handshake = p < 64 && q < 64 && (writers[la] >> p & 1) != 0 && (writers[la] >> q & 1) != 0
                    && (writers[lb] >> p & 1) != 0 && (writers[lb] >> q & 1) != 0;
            if (!handshake) {
                // each word written by its side and by another context: the context that reads it may be another
                // instance of the role that writes it (a kicker that only ever got -EBUSY never wrote u_flags)
                handshake = p < 64 && q < 64 && Long.bitCount(writers[la]) >= 2 && Long.bitCount(writers[lb]) >= 2
                        && (writers[la] >> p & 1) != 0 && (writers[lb] >> q & 1) != 0;
            }
            if (x.strong || handshake && !x.reRead) {
                a.report(x.f.build());
            }
        }
    }

    // ---- litmus helpers -------------------------------------------------------------------------------

    private static void write(LitmusBuilder.ThreadBuilder th, String l, EventKind k, long v) {
        writeValue(th, l, k, v);
    }

    private static void writeValue(LitmusBuilder.ThreadBuilder th, String l, EventKind k, long v) {
        if (k.shape == EventKind.Shape.RMW) {
            th.xchg("w" + l, l, v, rmwTag(k));
        } else {
            Tag t = LkmmSync.tag(k);
            th.store(l, v, t == Tag.RELEASE ? Tag.RELEASE : Tag.ONCE);
        }
    }

    private static Tag loadTag(EventKind k) {
        Tag t = LkmmSync.tag(k);
        return t == Tag.ACQUIRE ? Tag.ACQUIRE : Tag.ONCE;
    }

    private static Tag rmwTag(EventKind k) {
        Tag t = LkmmSync.tag(k);
        if (k == EventKind.LOCK) {
            return Tag.ACQUIRE;
        }
        return t == Tag.MB || t == Tag.ACQUIRE || t == Tag.RELEASE ? t : Tag.ONCE;
    }

    /** The fences (and fully ordered RMWs, as smp_mb) strictly between two ring positions of a slot. */
    private String fences(int s, long from, long to) {
        StringBuilder b = new StringBuilder();
        for (long i = from + 1; i < to; i++) {
            EventKind k = kind(s, i);
            if (k.shape == EventKind.Shape.FENCE) {
                b.append(LkmmSync.tag(k)).append(' ');
            } else if (k.shape == EventKind.Shape.RMW && LkmmSync.strongFence(k)) {
                b.append("MB ");
            } else if (k.shape == EventKind.Shape.RMW || k.shape == EventKind.Shape.FAILED_RMW) {
                b.append("RMW ");
            }
        }
        return b.toString().trim();
    }

    private void fenceOps(LitmusBuilder.ThreadBuilder th, int s, long from, long to) {
        int n = 0;
        for (long i = from + 1; i < to; i++) {
            EventKind k = kind(s, i);
            if (k.shape == EventKind.Shape.FENCE) {
                Tag t = LkmmSync.tag(k);
                if (t != Tag.BARRIER) {
                    th.fence(t);
                }
            } else if (k.shape == EventKind.Shape.RMW && LkmmSync.strongFence(k)) {
                th.fence(Tag.MB);
            } else if (k.shape == EventKind.Shape.RMW || k.shape == EventKind.Shape.FAILED_RMW) {
                // an unordered RMW between matters only next to smp_mb__before/after_atomic
                String z = "z" + (n++);
                th.xchg("q" + z, z, 1, Tag.ONCE);
            }
        }
    }

    /** "WRITE_ONCE(x, 1); " / "smp_load_acquire(f); " as the kernel spells the access (plain ones as *_ONCE). */
    private static String op(EventKind k, String l, long v) {
        Tag t = LkmmSync.tag(k);
        switch (k.shape) {
            case WRITE:
                return (t == Tag.RELEASE ? "smp_store_release(" : "WRITE_ONCE(") + l + ", " + v + "); ";
            case RMW:
                return (t == Tag.MB ? "xchg(" : t == Tag.ACQUIRE ? "xchg_acquire(" : t == Tag.RELEASE ? "xchg_release("
                        : "xchg_relaxed(") + l + ", " + v + "); ";
            case FAILED_RMW:
                return (t == Tag.MB ? "cmpxchg(" : t == Tag.ACQUIRE ? "cmpxchg_acquire(" : "cmpxchg_relaxed(") + l
                        + ", ...) /* fails */; ";
            default:
                return (t == Tag.ACQUIRE ? "smp_load_acquire(" : "READ_ONCE(") + l + "); ";
        }
    }

    private static String between(String fences) {
        if (fences.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String f : fences.split(" ")) {
            b.append(f.equals("RMW") ? "<relaxed RMW>" : f.equals("MB") ? "smp_mb()" : f.equals("WMB") ? "smp_wmb()"
                    : f.equals("RMB") ? "smp_rmb()" : f.equals("BEFORE_ATOMIC") ? "smp_mb__before_atomic()"
                    : f.equals("AFTER_ATOMIC") ? "smp_mb__after_atomic()" : f.toLowerCase()).append("; ");
        }
        return b.toString();
    }

    private static String litmusLine(LitmusTest t) {
        StringBuilder b = new StringBuilder();
        for (var th : t.threads()) {
            b.append("P").append(th.id()).append(": ").append(th.body()).append("  ");
        }
        return b.append("exists ").append(t.condition()).toString();
    }

    /** False only when slot t's ring holds no write of location l (see {@link #ringWriters}). */
    private boolean mayHoldWrite(int t, int l) {
        return t >= 64 || (ringWriters[l] >>> t & 1) != 0;
    }

    /** The ring position of ring index i. */
    private static int pos(long i) {
        return (int) (i & (RING - 1));
    }

    private EventKind kind(int s, long i) {
        return EventKind.ofCode(rKind[s][pos(i)]);
    }

    private int site(int s, long i) {
        return rSite[s][pos(i)];
    }

    private int loc(int s, long i) {
        return rLoc[s][pos(i)];
    }

    private long val(int s, long i) {
        return rVal[s][pos(i)];
    }

    private long val2(int s, long i) {
        return rVal2[s][pos(i)];
    }

    /** A fingerprint component: "function:KIND" of the ring's event i of context s. */
    private String acc(Analysis a, int s, long i) {
        return a.facts.fn(site(s, i)) + ":" + kind(s, i).name();
    }

    private String stable(Analysis a, int s, long i) {
        return a.facts.stableLocation(a.locs.keyOf(loc(s, i)));
    }

    private EventRef ref(Analysis a, int s, long i) {
        int p = pos(i);
        EventKind k = kind(s, i);
        smptrace.trace.Site site = a.info.site(rSite[s][p]);
        smptrace.trace.ThreadInfo t = a.info.thread(rThread[s][p]);
        String ctx = a.hb.isIrq(s) ? "irq" : a.hb.task(s) >= 0 ? "task" + a.hb.task(s) : "boot";
        String locName = rLoc[s][p] >= 0 ? a.info.locationName(a.locs.keyOf(rLoc[s][p])) : null;
        return new EventRef(rThread[s][p], t == null ? "?" : t.name(), rSeq[s][p], ctx, rCpu[s][p], k.name(), locName,
                Long.toString(rVal[s][p]), site == null ? null : site.className().substring(site.className().lastIndexOf('.') + 1)
                + "." + site.method(), site == null ? null : site.file(), site == null ? 0 : site.line());
    }

    private void ensureSlot(int s) {
        if (s >= count.length) {
            int n = Math.max(s + 1, count.length * 2);
            int old = count.length;
            rKind = Arrays.copyOf(rKind, n);
            rSite = Arrays.copyOf(rSite, n);
            rLoc = Arrays.copyOf(rLoc, n);
            rWLoc = Arrays.copyOf(rWLoc, n);
            rVal = Arrays.copyOf(rVal, n);
            rVal2 = Arrays.copyOf(rVal2, n);
            rSeq = Arrays.copyOf(rSeq, n);
            rThread = Arrays.copyOf(rThread, n);
            rClk = Arrays.copyOf(rClk, n);
            rCpu = Arrays.copyOf(rCpu, n);
            rSrcSlot = Arrays.copyOf(rSrcSlot, n);
            rSrcIdx = Arrays.copyOf(rSrcIdx, n);
            count = Arrays.copyOf(count, n);
            lastWrite = Arrays.copyOf(lastWrite, n);
            headLoc = Arrays.copyOf(headLoc, n);
            Arrays.fill(headLoc, old, n, -1);
            headWriter = Arrays.copyOf(headWriter, n);
            headWriterIdx = Arrays.copyOf(headWriterIdx, n);
            headIdx = Arrays.copyOf(headIdx, n);
            relaxes = Arrays.copyOf(relaxes, n);
            headRelax = Arrays.copyOf(headRelax, n);
            recentWrites = Arrays.copyOf(recentWrites, n);
            writeCount = Arrays.copyOf(writeCount, n);
            sbCandIdx = Arrays.copyOf(sbCandIdx, n);
            sbCandNum = Arrays.copyOf(sbCandNum, n);
            sbCandCount = Arrays.copyOf(sbCandCount, n);
        }
        if (recentWrites[s] == null) {
            recentWrites[s] = new long[WRITES];
            sbCandIdx[s] = new long[WRITES];
            sbCandNum[s] = new long[WRITES];
        }
        if (rKind[s] == null) {
            rKind[s] = new int[RING];
            rSite[s] = new int[RING];
            rLoc[s] = new int[RING];
            rWLoc[s] = new int[RING];
            rVal[s] = new long[RING];
            rVal2[s] = new long[RING];
            rSeq[s] = new long[RING];
            rThread[s] = new int[RING];
            rClk[s] = new int[RING];
            rCpu[s] = new int[RING];
            rSrcSlot[s] = new int[RING];
            rSrcIdx[s] = new long[RING];
        }
    }

    private void ensureLoc(int li) {
        if (li >= lwSlot.length) {
            int n = Math.max(li + 1, lwSlot.length * 2);
            int old = lwSlot.length;
            lwSlot = Arrays.copyOf(lwSlot, n);
            Arrays.fill(lwSlot, old, n, -1);
            lwIdx = Arrays.copyOf(lwIdx, n);
            lrSlot = Arrays.copyOf(lrSlot, n);
            Arrays.fill(lrSlot, old, n, -1);
            lrIdx = Arrays.copyOf(lrIdx, n);
            rbSlot = Arrays.copyOf(rbSlot, n);
            Arrays.fill(rbSlot, old, n, -1);
            rbIdx = Arrays.copyOf(rbIdx, n);
            writers = Arrays.copyOf(writers, n);
            ringWriters = Arrays.copyOf(ringWriters, n);
            obsFSlot = Arrays.copyOf(obsFSlot, n);
            Arrays.fill(obsFSlot, old, n, -1);
            obsFRf = Arrays.copyOf(obsFRf, n);
            obsFRx = Arrays.copyOf(obsFRx, n);
            obsFOther = Arrays.copyOf(obsFOther, n);
            obsFPass = Arrays.copyOf(obsFPass, n);
        }
    }
}

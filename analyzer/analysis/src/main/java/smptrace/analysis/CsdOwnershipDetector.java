package smptrace.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * CSD ownership and the call_single_queue structure (patches.md Part A "online structural
 * invariants", seed 001 R1 and engine 3, seed 002 (d1)).
 *
 * <ul>
 *   <li>Acquisition of a CSD: a write to {@code u_flags} that sets CSD_FLAG_LOCK by a context that does
 *       not own it — a plain store (check-then-act, or the LOCK|SYNC initialisation of an on-stack CSD)
 *       or an RMW that reads unlocked and writes locked. Release: a write that clears LOCK.</li>
 *   <li><b>lock-ownership-race, observed</b>: an acquisition while another context owns the CSD; an owner-only
 *       action (func/info/src/dst store, llist_add of the node) by a context that does not own it; an unlock
 *       by a context that neither owns the CSD nor dequeued it (csd_unlock is the target's, or the
 *       sender's on its local / -ENXIO path).</li>
 *   <li><b>lock-ownership-race, predicted (R1)</b>: a CSD acquired by a non-atomic check-then-act while two
 *       contexts try to acquire it that nothing mutually excludes (a common PIN[c] held from the check to the
 *       act, for tasks only: preemption does not exclude interrupts). Attempts are acquisitions, failed
 *       cmpxchgs, and reads that saw LOCK at a check site (a site whose read led to a plain acquisition).</li>
 *   <li><b>double-enqueue, observed</b>: llist_add of a node still on a list (added, not yet returned by an
 *       llist_del_all), or a node whose next points at itself.</li>
 *   <li><b>double-enqueue, predicted</b> (engine 3): when R1 holds for a CSD that is enqueued after its
 *       check-then-act, the second acquirer's check can read the unlocked value the first one read
 *       (value substitution), and both enqueue the node.</li>
 * </ul>
 */
final class CsdOwnershipDetector implements Detector {
    private static final int LOCK = KernelFacts.CSD_FLAG_LOCK;

    /** Objects whose u_flags says CSD_TYPE_TTWU: a task's wake_entry, not a locked CSD (by oid; such nodes are few). */
    private final IntIntMap wakeEntries = new IntIntMap();
    // per CSD / node object, by a dense index
    private final IntIntMap csdIndex = new IntIntMap();
    private int ncsd;
    private int[] oid = new int[64];
    private int[] owner = new int[64];
    private int[] dequeuer = new int[64];
    private boolean[] onList = new boolean[64];
    private long[] shadowNext = new long[64];
    private boolean[] enqueuedAfterPlain = new boolean[64];
    private boolean[] plainAcquired = new boolean[64];
    /** Whether the owner enqueued the CSD since its acquisition. */
    private boolean[] ownerAdded = new boolean[64];
    /** A non-owner's add while the owner had not enqueued yet: the owner (slot, -1 none) and that add. */
    private int[] strayOwner = new int[64];
    private EventRef[] strayAdd = new EventRef[64];
    /** stray-add predictions, reported at the end unless the trace shows that CSD on a list twice (on-list, self-loop). */
    private final HeldPredictions strayAdds = new HeldPredictions();
    /** The last failed cmpxchg on u_flags: its slot (-1 none), whether the node was on a list then, and the event. */
    private int[] failSlot = new int[64];
    private boolean[] failOnList = new boolean[64];
    private EventRef[] failRef = new EventRef[64];
    // attempts: per CSD a list of per-slot summaries
    private AttemptSummary[][] attempts = new AttemptSummary[64][];
    // acquisition event per CSD (for witnesses)
    private int[] acqSite = new int[64];
    private int[] acqThread = new int[64];
    private long[] acqSeq = new long[64];
    private int[] acqCpu = new int[64];
    private int[] addSite = new int[64];
    private int[] addThread = new int[64];
    private long[] addSeq = new long[64];
    // the first store to func/info/src/dst of an unlocked CSD since its last acquisition, by a context that did not
    // own it: the caller's preparation (INIT_CSD, then smp_call_function_single_async()) when that context is the
    // next to acquire it, an owner-only action by a non-owner when another context acquires it first
    private int[] prepSlot = new int[64];
    private int[] prepSite = new int[64];
    private int[] prepThread = new int[64];
    private long[] prepSeq = new long[64];
    private int[] prepCpu = new int[64];
    private long[] prepLoc = new long[64];
    private EventKind[] prepKind = new EventKind[64];

    // per slot: the unlocked read streak that is the "check" of a check-then-act
    private int[] checkCsd = new int[16];
    private int[] checkPin = new int[16];
    private int[] checkSite = new int[16];
    private final LongSet checkSites = new LongSet();
    /** Reads that saw LOCK: (csd, slot, site, pinned, cpu) packed; bounded by CSDs × contexts × sites × CPUs. */
    private final LongSet lockedChecks = new LongSet();

    /** What one context did to acquire one CSD, over the whole trace. */
    private static final class AttemptSummary {
        final int slot;
        boolean atomic;
        boolean plain;
        boolean unpinned;    // some attempt not pinned from check to act, or from an interrupt / boot context
        int pinCpu = -1;     // the CPU all pinned attempts were pinned on
        boolean multiCpu;
        EventRef example;
        int site;

        AttemptSummary(int slot) {
            this.slot = slot;
        }
    }

    CsdOwnershipDetector() {
        Arrays.fill(checkCsd, -1);
        Arrays.fill(strayOwner, -1);
        Arrays.fill(failSlot, -1);
    }

    @Override
    public String name() {
        return "csd-ownership";
    }

    /** Memory events only: onEvent returns at once for any other kind. */
    @Override
    public java.util.Set<EventKind> kinds() {
        return Detector.memoryAnd();
    }

    /** A dead CSD's ownership history goes, and its dense index is reused by the next CSD. */
    @Override
    public void onFree(int o, Analysis a) {
        int c = csdIndex.get(o);
        if (c < 0) {
            return;
        }
        csdIndex.remove(o);
        attempts[c] = null;
        oid[c] = 0;
        owner[c] = -1;
        dequeuer[c] = -1;
        onList[c] = false;
        shadowNext[c] = 0;
        enqueuedAfterPlain[c] = false;
        plainAcquired[c] = false;
        ownerAdded[c] = false;
        strayOwner[c] = -1;
        strayAdd[c] = null;
        failSlot[c] = -1;
        failRef[c] = null;
        prepSlot[c] = -1;
        for (int s = 0; s < checkCsd.length; s++) {
            if (checkCsd[s] == c) {
                checkCsd[s] = -1;
            }
        }
        if (nFree == freeIdx.length) {
            freeIdx = Arrays.copyOf(freeIdx, nFree * 2);
        }
        freeIdx[nFree++] = c;
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        if (!k.isMemory()) {
            return;
        }
        byte role = a.role;
        if (role == KernelFacts.OTHER) {
            return;
        }
        int s = a.hb.slot();
        ensureSlot(s);
        switch (role) {
            case KernelFacts.U_FLAGS:
                uflags(e, a, s);
                break;
            case KernelFacts.CSD_DATA:
                if (k.writes()) {
                    ownerOnly(e, a, s, csd(Event.oidOf(e.loc)), false);
                }
                break;
            case KernelFacts.NEXT:
                if (k.writes()) {
                    int c = csd(Event.oidOf(e.loc));
                    shadowNext[c] = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
                    if (shadowNext[c] == Event.oidOf(e.loc)) {
                        selfLoop(e, a, c);
                    }
                }
                break;
            case KernelFacts.QUEUE_FIRST:
                if (k.shape == EventKind.Shape.RMW) {
                    queue(e, a, s);
                }
                break;
            default:
                break;
        }
    }

    // ---- u_flags -----------------------------------------------------------------------------------

    private void uflags(Event e, Analysis a, int s) {
        EventKind k = e.kind;
        int c = csd(Event.oidOf(e.loc));
        if (k.shape == EventKind.Shape.READ || k.shape == EventKind.Shape.FAILED_RMW) {
            if ((e.value & LOCK) == 0) {
                if (checkCsd[s] != c || checkPin[s] != a.hb.pin(s)) {
                    checkCsd[s] = c;
                    checkPin[s] = a.hb.pin(s);
                }
                checkSite[s] = e.site; // the check proper: the last read before the act
            } else {
                checkCsd[s] = -1;
                if (k.shape == EventKind.Shape.READ) {
                    lockedChecks.addIfAbsent(pack(c, s, e.site, a.hb.pin(s) != 0, e.cpu));
                }
            }
            if (k.shape == EventKind.Shape.FAILED_RMW) {
                attempt(a, e, c, s, true, a.hb.pin(s));
                if ((e.value & LOCK) != 0) {
                    failSlot[c] = s;
                    failOnList[c] = onList[c];
                    failRef[c] = a.ref(e);
                }
            }
            return;
        }
        long old = k.shape == EventKind.Shape.RMW ? e.value : -1;
        long now = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
        if ((now & KernelFacts.CSD_FLAG_TYPE_MASK) == KernelFacts.CSD_TYPE_TTWU) {
            wakeEntries.put(Event.oidOf(e.loc), 1); // __sched_fork(): p->wake_entry.u_flags = CSD_TYPE_TTWU
            return;
        }
        boolean sets = (now & LOCK) != 0;
        if (sets && owner[c] != s) {
            boolean atomic = k.shape == EventKind.Shape.RMW;
            if (atomic && (old & LOCK) != 0) {
                return; // an RMW that kept LOCK set (not an acquisition)
            }
            boolean checked = checkCsd[s] == c;
            int pinAtAct = a.hb.pin(s);
            int pin = atomic ? pinAtAct : checked && checkPin[s] == pinAtAct ? pinAtAct : 0;
            if (!atomic && checked) {
                checkSites.addIfAbsent(checkSite[s]);
            }
            if (!atomic) {
                plainAcquired[c] = true;
            }
            if (owner[c] >= 0 && owner[c] != s) {
                twoOwners(e, a, c, s);
            }
            if (prepSlot[c] >= 0 && prepSlot[c] != s) {
                preparedByAnother(e, a, c);
            }
            prepSlot[c] = -1;
            attempt(a, e, c, s, atomic, pin);
            owner[c] = s;
            ownerAdded[c] = false;
            if (strayOwner[c] == s) {
                strayOwner[c] = -1; // a new acquisition: the add it owed is no longer pending
                strayAdd[c] = null;
            }
            if (failSlot[c] == s) {
                failSlot[c] = -1;   // it owns the CSD now: its next add is its own
                failRef[c] = null;
            }
            dequeuer[c] = -1;
            acqSite[c] = e.site;
            acqThread[c] = e.thread;
            acqSeq[c] = e.seq;
            acqCpu[c] = e.cpu;
        } else if (!sets) {
            if (owner[c] >= 0 || (old >= 0 && (old & LOCK) != 0)) {
                if (owner[c] != s && dequeuer[c] != s && owner[c] >= 0) {
                    nonOwnerUnlock(e, a, c);
                }
            }
            owner[c] = -1;
        }
        checkCsd[s] = -1;
    }

    private void attempt(Analysis a, Event e, int c, int s, boolean atomic, int pin) {
        AttemptSummary[] row = attempts[c];
        if (row == null || row.length <= s) {
            row = row == null ? new AttemptSummary[Math.max(8, s + 1)] : Arrays.copyOf(row, Math.max(s + 1, row.length * 2));
            attempts[c] = row;
        }
        AttemptSummary as = row[s];
        if (as == null) {
            as = new AttemptSummary(s);
            as.example = a.ref(e);
            as.site = e.site;
            row[s] = as;
        }
        if (atomic) {
            as.atomic = true;
        } else {
            as.plain = true;
        }
        if (pin == 0 || a.hb.isIrq(s) || a.hb.isBoot(s)) {
            as.unpinned = true;
        } else if (as.pinCpu < 0) {
            as.pinCpu = e.cpu;
        } else if (as.pinCpu != e.cpu) {
            as.multiCpu = true;
        }
    }

    // ---- owner-only actions, the queue ---------------------------------------------------------------

    private void ownerOnly(Event e, Analysis a, int s, int c, boolean enqueue) {
        if (a.hb.isBoot(s) || owner[c] == s || wakeEntries.get(oid[c]) > 0) {
            return; // a wake_entry is queued by try_to_wake_up() under p->pi_lock, not by a CSD_FLAG_LOCK owner
        }
        if (owner[c] < 0 && dequeuer[c] < 0 && !everAcquired(c)) {
            return; // an object that is not used as a locked CSD (initialisation, INIT_CSD)
        }
        if (owner[c] < 0 && !enqueue) {
            // LOCK is clear: the CSD is its caller's to fill in (caller-serialised); a finding only if another
            // context is the next to acquire it (decided there)
            if (prepSlot[c] < 0) {
                prepSlot[c] = s;
                prepSite[c] = e.site;
                prepThread[c] = e.thread;
                prepSeq[c] = e.seq;
                prepCpu[c] = e.cpu;
                prepLoc[c] = e.loc;
                prepKind[c] = e.kind;
            }
            return;
        }
        String what = enqueue ? "llist_add()s " + a.facts.stableObject(oid[c]) : "stores to " + a.info.locationName(e.loc);
        Finding.Builder f = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, false, "owner-only")
                .subject(a.info.objectName(oid[c]))
                .summary(a.ref(e).threadName() + " " + what + " without owning " + a.facts.stableObject(oid[c])
                        + (owner[c] >= 0 ? " (another context owns it)" : " (nobody owns it: LOCK is clear)"))
                .key(a.facts.objectKey(oid[c])).key(a.facts.access(e));
        if (owner[c] >= 0) {
            f.event(acqRef(a, c)).witness("1. " + acqRef(a, c).text() + "   -- the owner's acquisition");
        }
        f.event(a.ref(e)).witness((owner[c] >= 0 ? "2. " : "1. ") + a.ref(e).text() + "   -- an owner-only action by a non-owner");
        a.report(f.build());
    }

    /** A store into an unlocked CSD by a context that did not acquire it next: it wrote a request another context sends. */
    private void preparedByAnother(Event e, Analysis a, int c) {
        smptrace.trace.Site site = a.info.site(prepSite[c]);
        smptrace.trace.ThreadInfo t = a.info.thread(prepThread[c]);
        EventRef store = new EventRef(prepThread[c], t == null ? "thread" + prepThread[c] : t.name(), prepSeq[c], "-", prepCpu[c],
                prepKind[c].name(), a.info.locationName(prepLoc[c]), null,
                site == null ? null : site.method(), site == null ? null : site.file(), site == null ? 0 : site.line());
        Finding.Builder f = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, false, "owner-only")
                .subject(a.info.objectName(oid[c]))
                .summary(store.threadName() + " stores to " + store.location() + " without owning " + a.facts.stableObject(oid[c])
                        + " (LOCK was clear, and another context acquired it next)")
                .key(a.facts.objectKey(oid[c])).key(Fingerprints.access(a.info, prepSite[c], prepKind[c]))
                .event(store).event(a.ref(e))
                .witness("1. " + store.text() + "   -- fills in the unlocked CSD")
                .witness("2. " + a.ref(e).text() + "   -- another context acquires it and sends what the first one wrote");
        a.report(f.build());
    }

    private boolean everAcquired(int c) {
        return attempts[c] != null || acqSeq[c] != 0 || acqThread[c] != 0;
    }

    private void queue(Event e, Analysis a, int s) {
        if (e.value2 != 0 && e.kind.shape == EventKind.Shape.RMW) {
            // llist_add: the head now points at the new node
            int c = csd((int) e.value2);
            ownerOnly(e, a, s, c, true);
            if (plainAcquired[c]) {
                enqueuedAfterPlain[c] = true;
            }
            if (onList[c]) {
                Finding.Builder f = new Finding.Builder(Finding.Kind.DOUBLE_ENQUEUE, false, "on-list")
                .subject(a.info.objectName(oid[c]))
                        .summary("llist_add of " + a.facts.stableObject(oid[c]) + " onto " + a.info.objectName(Event.oidOf(e.loc))
                                + " while it is still on a list")
                        .key(a.facts.objectKey(oid[c])).key(a.facts.access(e))
                        .event(addRef(a, c)).event(a.ref(e))
                        .witness("1. " + addRef(a, c).text() + "   -- first llist_add")
                        .witness("2. " + a.ref(e).text() + "   -- added again before any llist_del_all returned it");
                a.report(f.build());
                strayAdds.observed(oid[c]);
            }
            strayAdd(e, a, s, c);
            onList[c] = true;
            addSite[c] = e.site;
            addThread[c] = e.thread;
            addSeq[c] = e.seq;
        } else if (e.value != 0 && e.value2 == 0) {
            // llist_del_all: every node reachable from the old head leaves the list, taken by this context
            long n = e.value;
            for (int i = 0; i < 512 && n != 0; i++) {
                int c = csd((int) n);
                if (!onList[c] && i > 0) {
                    break;
                }
                onList[c] = false;
                dequeuer[c] = s;
                long next = shadowNext[c];
                if (next == n) {
                    break;
                }
                n = next;
            }
        }
    }

    /** See the class comment: double-enqueue {@code stray-add}. Called at each llist_add of CSD c, before it is on the list. */
    private void strayAdd(Event e, Analysis a, int s, int c) {
        if (failSlot[c] == s) {
            // s's cmpxchg failed while the node was on a list and s adds it without having acquired it since (the owner
            // adding its acquisition again, or another context adding the owner's node): only a
            // flush that happened to come between took it off first
            if (failOnList[c] && !onList[c] && !a.hb.isBoot(s)) {
                EventRef fail = failRef[c];
                EventRef add = a.ref(e);
                String name = a.facts.stableObject(oid[c]);
                Finding.Builder f = new Finding.Builder(Finding.Kind.DOUBLE_ENQUEUE, true, "stray-add")
                        .subject(a.info.objectName(oid[c]))
                        .summary(add.threadName() + " llist_add()s " + name + " again after its cmpxchg of u_flags failed while "
                                + name + " was still on a list; only a flush that happened to come between took it off first")
                        .key(a.facts.objectKey(oid[c])).key(String.valueOf(fail.function())).key(a.facts.access(e))
                        .event(fail).event(add)
                        .witness("1. " + fail.text() + "   -- fails: " + name + " is locked and queued")
                        .witness("   predicted: the flush that took it off the list comes after 2")
                        .witness("2. " + add.text() + "   -- llist_add with no acquisition since 1: on the list twice");
                strayAdds.predict(oid[c], f);
            }
            failSlot[c] = -1;
            failRef[c] = null;
        }
        if (owner[c] >= 0 && owner[c] != s && !ownerAdded[c] && !a.hb.isBoot(s) && wakeEntries.get(oid[c]) <= 0) {
            strayOwner[c] = owner[c];
            strayAdd[c] = a.ref(e);
        } else if (strayOwner[c] == s) {
            if (!onList[c]) {
                EventRef first = strayAdd[c];
                EventRef second = a.ref(e);
                String name = a.facts.stableObject(oid[c]);
                Finding.Builder f = new Finding.Builder(Finding.Kind.DOUBLE_ENQUEUE, true, "stray-add")
                        .subject(a.info.objectName(oid[c]))
                        .summary(first.threadName() + " llist_add()ed " + name + " while " + second.threadName()
                                + " owned it and had not enqueued it yet; " + second.threadName() + " then enqueues it too")
                        .key(a.facts.objectKey(oid[c])).key(String.valueOf(first.function())).key(a.facts.access(e))
                        .event(first).event(second)
                        .witness("1. " + first.text() + "   -- llist_add by a context that does not own " + name)
                        .witness("   predicted: the flush that took it off the list comes after 2")
                        .witness("2. " + second.text() + "   -- the owner's llist_add of the same acquisition: " + name
                                + " is on the list twice");
                strayAdds.predict(oid[c], f);
            }
            strayOwner[c] = -1;
            strayAdd[c] = null;
        }
        if (owner[c] == s) {
            ownerAdded[c] = true;
        }
    }

    // ---- findings ----------------------------------------------------------------------------------

    private void twoOwners(Event e, Analysis a, int c, int s) {
        Finding.Builder f = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, false, "two-owners")
                .subject(a.info.objectName(oid[c]))
                .summary("two contexts own " + a.facts.stableObject(oid[c]) + " at once")
                .key(a.facts.objectKey(oid[c])).key(a.facts.fn(acqSite[c])).key(a.facts.access(e))
                .event(acqRef(a, c)).event(a.ref(e))
                .witness("1. " + acqRef(a, c).text() + "   -- acquires (sets CSD_FLAG_LOCK)")
                .witness("2. " + a.ref(e).text() + "   -- acquires again before any csd_unlock()");
        a.report(f.build());
    }

    private void nonOwnerUnlock(Event e, Analysis a, int c) {
        Finding.Builder f = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, false, "non-owner-unlock")
                .subject(a.info.objectName(oid[c]))
                .summary("csd_unlock of " + a.facts.stableObject(oid[c]) + " by a context that neither owns nor dequeued it")
                .key(a.facts.objectKey(oid[c])).key(a.facts.access(e))
                .event(acqRef(a, c)).event(a.ref(e))
                .witness("1. " + acqRef(a, c).text() + "   -- the owner's acquisition")
                .witness("2. " + a.ref(e).text() + "   -- clears CSD_FLAG_LOCK");
        a.report(f.build());
    }

    private void selfLoop(Event e, Analysis a, int c) {
        Finding.Builder f = new Finding.Builder(Finding.Kind.DOUBLE_ENQUEUE, false, "self-loop")
                .subject(a.info.objectName(oid[c]))
                .summary(a.facts.stableObject(oid[c]) + "->next points at itself (the flush would loop forever)")
                .key(a.facts.objectKey(oid[c])).key(a.facts.access(e))
                .event(a.ref(e)).witness("1. " + a.ref(e).text() + "   -- node->next = node");
        if (onList[c]) {
            f.event(addRef(a, c)).witness("   (the node is on a list since " + addRef(a, c).text() + ")");
        }
        a.report(f.build());
        strayAdds.observed(oid[c]);
    }

    @Override
    public void finish(Analysis a) {
        strayAdds.report(a);
        // failed checks at check sites, by CSD (one pass)
        java.util.Map<Integer, List<long[]>> failed = new java.util.HashMap<>();
        for (long packed : lockedChecks.keys()) {
            long[] lc = unpack(packed);
            if (checkSites.contains(lc[2])) {
                failed.computeIfAbsent((int) lc[0], k -> new ArrayList<>()).add(lc);
            }
        }
        for (int c = 0; c < ncsd; c++) {
            AttemptSummary[] row = attempts[c];
            if (row == null) {
                continue;
            }
            List<AttemptSummary> l = new ArrayList<>();
            for (AttemptSummary x : row) {
                if (x != null) {
                    l.add(x);
                }
            }
            // failed checks at check sites are attempts too
            for (long[] lc : failed.getOrDefault(c, List.of())) {
                {
                    int s = (int) lc[1];
                    AttemptSummary found = null;
                    for (AttemptSummary x : l) {
                        if (x.slot == s) {
                            found = x;
                        }
                    }
                    if (found == null) {
                        found = new AttemptSummary(s);
                        found.site = (int) lc[2];
                        l.add(found);
                    }
                    found.plain = true;
                    if (lc[3] == 0 || a.hb.isIrq(s) || a.hb.isBoot(s)) {
                        found.unpinned = true;
                    } else if (found.pinCpu < 0) {
                        found.pinCpu = (int) lc[4];
                    } else if (found.pinCpu != lc[4]) {
                        found.multiCpu = true;
                    }
                }
            }
            boolean anyPlain = false;
            for (AttemptSummary x : l) {
                anyPlain |= x.plain;
            }
            if (!anyPlain || l.size() < 2) {
                continue;
            }
            AttemptSummary p = null;
            AttemptSummary q = null;
            for (int i = 0; i < l.size() && p == null; i++) {
                for (int j = i + 1; j < l.size(); j++) {
                    AttemptSummary x = l.get(i);
                    AttemptSummary y = l.get(j);
                    boolean excluded = !x.unpinned && !y.unpinned && !x.multiCpu && !y.multiCpu && x.pinCpu >= 0
                            && x.pinCpu == y.pinCpu && !a.hb.isIrq(x.slot) && !a.hb.isIrq(y.slot);
                    if (!excluded && (x.plain || y.plain)) {
                        p = x;
                        q = y;
                        break;
                    }
                }
            }
            if (p == null) {
                continue;
            }
            String name = a.facts.stableObject(oid[c]);
            String why = p.unpinned || q.unpinned ? "not pinned from check to act"
                    : "pinned on different CPUs (" + p.pinCpu + ", " + q.pinCpu + ")";
            Finding.Builder f = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, true, "R1")
                .subject(a.info.objectName(oid[c]))
                    .summary(name + " is acquired by a non-atomic check-then-act on u_flags from contexts that nothing "
                            + "mutually excludes (" + why + ")")
                    .key(a.facts.objectKey(oid[c])).key(Fingerprints.unordered(a.facts.fn(p.site), a.facts.fn(q.site)));
            addExample(f, p, a);
            addExample(f, q, a);
            f.witness("predicted: both contexts read u_flags without CSD_FLAG_LOCK before either stores it; both then own "
                    + name + " (R1: with two acquirers every acquisition must be an atomic RMW)");
            a.report(f.build());
            if (enqueuedAfterPlain[c]) {
                Finding.Builder d = new Finding.Builder(Finding.Kind.DOUBLE_ENQUEUE, true, "value-substitution")
                .subject(a.info.objectName(oid[c]))
                        .summary(name + " can be llist_add()ed twice: the second acquirer's check can read the unlocked "
                                + "value the first acquirer read")
                        .key(a.facts.objectKey(oid[c]));
                addExample(d, p, a);
                addExample(d, q, a);
                d.witness("predicted: A checks (unlocked), B checks (re-bound to the same unlocked write), A sets LOCK and "
                        + "llist_add()s " + name + ", B sets LOCK and llist_add()s it again: node->next == node or a cycle");
                a.report(d.build());
            }
        }
    }

    private static long pack(int c, int s, int site, boolean pinned, int cpu) {
        return 1L << 62 | (long) (c & 0xfffff) << 40 | (long) (s & 0xfff) << 28 | (long) (site & 0xfffff) << 8
                | (pinned ? 1L << 7 : 0) | (cpu + 1 & 0x7f);
    }

    private static long[] unpack(long p) {
        return new long[] {(p >>> 40) & 0xfffff, (p >>> 28) & 0xfff, (p >>> 8) & 0xfffff, (p >>> 7) & 1, (p & 0x7f) - 1};
    }

    private static void addExample(Finding.Builder f, AttemptSummary x, Analysis a) {
        if (x.example != null) {
            f.event(x.example).witness("   " + x.example.text() + (x.atomic && !x.plain ? "   -- atomic acquisition"
                    : "   -- check-then-act acquisition"));
        }
    }

    private EventRef acqRef(Analysis a, int c) {
        smptrace.trace.Site site = a.info.site(acqSite[c]);
        smptrace.trace.ThreadInfo t = a.info.thread(acqThread[c]);
        return new EventRef(acqThread[c], t == null ? "thread" + acqThread[c] : t.name(), acqSeq[c], "-", acqCpu[c],
                "acquire", a.facts.stableObject(oid[c]) + ".u_flags", null,
                site == null ? null : site.method(), site == null ? null : site.file(), site == null ? 0 : site.line());
    }

    private EventRef addRef(Analysis a, int c) {
        smptrace.trace.Site site = a.info.site(addSite[c]);
        smptrace.trace.ThreadInfo t = a.info.thread(addThread[c]);
        return new EventRef(addThread[c], t == null ? "thread" + addThread[c] : t.name(), addSeq[c], "-", -1,
                "llist_add", a.facts.stableObject(oid[c]), null,
                site == null ? null : site.method(), site == null ? null : site.file(), site == null ? 0 : site.line());
    }

    private int[] freeIdx = new int[16];
    private int nFree;

    private int csd(int o) {
        int c = csdIndex.get(o);
        if (c >= 0) {
            return c;
        }
        c = nFree > 0 ? freeIdx[--nFree] : ncsd++;
        if (c >= oid.length) {
            int n = oid.length * 2;
            oid = Arrays.copyOf(oid, n);
            owner = Arrays.copyOf(owner, n);
            dequeuer = Arrays.copyOf(dequeuer, n);
            onList = Arrays.copyOf(onList, n);
            shadowNext = Arrays.copyOf(shadowNext, n);
            enqueuedAfterPlain = Arrays.copyOf(enqueuedAfterPlain, n);
            plainAcquired = Arrays.copyOf(plainAcquired, n);
            ownerAdded = Arrays.copyOf(ownerAdded, n);
            strayOwner = Arrays.copyOf(strayOwner, n);
            strayAdd = Arrays.copyOf(strayAdd, n);
            failSlot = Arrays.copyOf(failSlot, n);
            failOnList = Arrays.copyOf(failOnList, n);
            failRef = Arrays.copyOf(failRef, n);
            attempts = Arrays.copyOf(attempts, n);
            acqSite = Arrays.copyOf(acqSite, n);
            acqThread = Arrays.copyOf(acqThread, n);
            acqSeq = Arrays.copyOf(acqSeq, n);
            acqCpu = Arrays.copyOf(acqCpu, n);
            addSite = Arrays.copyOf(addSite, n);
            addThread = Arrays.copyOf(addThread, n);
            addSeq = Arrays.copyOf(addSeq, n);
            prepSlot = Arrays.copyOf(prepSlot, n);
            prepSite = Arrays.copyOf(prepSite, n);
            prepThread = Arrays.copyOf(prepThread, n);
            prepSeq = Arrays.copyOf(prepSeq, n);
            prepCpu = Arrays.copyOf(prepCpu, n);
            prepLoc = Arrays.copyOf(prepLoc, n);
            prepKind = Arrays.copyOf(prepKind, n);
        }
        oid[c] = o;
        owner[c] = -1;
        dequeuer[c] = -1;
        prepSlot[c] = -1;
        strayOwner[c] = -1;
        strayAdd[c] = null;
        ownerAdded[c] = false;
        failSlot[c] = -1;
        failRef[c] = null;
        acqThread[c] = 0;
        acqSeq[c] = 0;
        csdIndex.put(o, c);
        return c;
    }

    private void ensureSlot(int s) {
        if (s >= checkCsd.length) {
            int n = Math.max(s + 1, checkCsd.length * 2);
            int old = checkCsd.length;
            checkCsd = Arrays.copyOf(checkCsd, n);
            Arrays.fill(checkCsd, old, n, -1);
            checkPin = Arrays.copyOf(checkPin, n);
            checkSite = Arrays.copyOf(checkSite, n);
        }
    }
}

package smptrace.lkmm;

import static smptrace.lkmm.Rel.acyclic;
import static smptrace.lkmm.Rel.cross;
import static smptrace.lkmm.Rel.domain;
import static smptrace.lkmm.Rel.id;
import static smptrace.lkmm.Rel.inter;
import static smptrace.lkmm.Rel.inverse;
import static smptrace.lkmm.Rel.irreflexive;
import static smptrace.lkmm.Rel.isEmpty;
import static smptrace.lkmm.Rel.minus;
import static smptrace.lkmm.Rel.opt;
import static smptrace.lkmm.Rel.plus;
import static smptrace.lkmm.Rel.range;
import static smptrace.lkmm.Rel.restrict;
import static smptrace.lkmm.Rel.seq;
import static smptrace.lkmm.Rel.star;
import static smptrace.lkmm.Rel.union;

/**
 * The Linux-kernel memory model: linux-kernel.bell, lock.cat's checks and linux-kernel.cat
 * (tools/memory-model, the 2025 "softcoded tags" version with rmw-sequence, variant lkmmv2),
 * stated over {@link Execution}. This is the one place in smptrace that states the LKMM rules;
 * every local below carries the name the cat files give it, and the order follows the files so
 * the two can be read side by side. SRCU follows the bell and cat: srcu_read_lock() is a load
 * tagged Srcu-lock of the srcu_struct, srcu_read_unlock() a store tagged Srcu-unlock of the index,
 * synchronize_srcu() a Sync-srcu event that carries the srcu_struct's location (a FENCE-class event
 * with a location here; herd7's SRCU action is neither R, W nor F).
 *
 * <p>Stateless and thread-safe; a {@link Prepared} is immutable once built.
 */
public final class LinuxKernelCat {

    /**
     * The parts of the model that depend only on the events, program order and dependencies of a
     * candidate (not on rf or co): computed once per combination of control-flow paths and shared
     * by every rf and co choice judged over it.
     */
    public static final class Prepared {
        final int n;
        String staticViolation;
        boolean mixedAccesses;
        long all;
        long iw;
        long r;
        long w;
        long fences;
        long primM;
        long lkr;
        long lkw;
        long ul;
        long lf;
        long ru;
        long once;
        long acquireTag;
        long releaseTag;
        long mbTag;
        long noreturnTag;
        long rmbF;
        long wmbF;
        long beforeAtomic;
        long afterAtomic;
        long afterSpinlock;
        long afterUnlockLock;
        long barrierF;
        long syncRcu;
        long rcuLock;
        long rcuUnlock;
        long srcuLock;
        long srcuUnlock;
        long syncSrcu;
        long afterSrcuUnlock;
        long primR;
        long primW;
        long m;
        long rmwSet;
        long failedRmw;
        long acquire;
        long release;
        long mbSet;
        long noreturn;
        long marked;
        long plain;
        long r4rmb;
        long[] po;
        long[] locRel;
        long[] locAny;
        long[] intRel;
        long[] ext;
        long[] poLoc;
        long[] acqPo;
        long[] poRel;
        long[] poUlLkPoStatic;
        long[] rmb;
        long[] wmb;
        long[] mbStatic;
        long[] gp;
        long[] rcuRscsiStatic;
        long[] xrmw;
        long[] xaddr;
        long[] xdata;
        long[] xctrl;
        long[] dataNoSrcuUnlock;

        Prepared(int n) {
            this.n = n;
        }
    }

    /** The rf- and co-independent part of the model for the events of {@code x} (its rf and co are ignored). */
    public Prepared prepare(Execution x) {
        final int n = x.n;
        final long all = Rel.all(n);

        // ---- event sets (herd7 primitives, then linux-kernel.bell) ----------------------------
        long iw = 0, r = 0, w = 0, fences = 0, primM = 0;
        long lkr = 0, lkw = 0, ul = 0, lf = 0, ru = 0;
        long once = 0, acquireTag = 0, releaseTag = 0, mbTag = 0, noreturnTag = 0;
        long rmbF = 0, wmbF = 0, beforeAtomic = 0, afterAtomic = 0, afterSpinlock = 0, afterUnlockLock = 0;
        long barrierF = 0, syncRcu = 0, rcuLock = 0, rcuUnlock = 0;
        long srcuLock = 0, srcuUnlock = 0, syncSrcu = 0, afterSrcuUnlock = 0;
        for (int e = 0; e < n; e++) {
            long b = 1L << e;
            EventClass c = x.cls[e];
            switch (c) {
                case INIT: iw |= b; primM |= b; break;
                case READ: primM |= b; break;
                case WRITE: primM |= b; break;
                case FENCE: fences |= b; break;
                case LOCK_READ: lkr |= b; break;
                case LOCK_WRITE: lkw |= b; break;
                case UNLOCK: ul |= b; break;
                case LOCK_FAIL: case READ_LOCKED: lf |= b; break; // lock.cat: let LF = LF | RL
                case READ_UNLOCKED: ru |= b; break;
                default: throw new AssertionError(c);
            }
            if (c.isRead()) {
                r |= b;
            }
            if (c.isWrite()) {
                w |= b;
            }
            Tag t = x.tag[e];
            if (t == null) {
                continue;
            }
            switch (t) {
                case ONCE: once |= b; break;
                case ACQUIRE: acquireTag |= b; break;
                case RELEASE: releaseTag |= b; break;
                case MB: mbTag |= b; break;
                case NORETURN: noreturnTag |= b; break;
                case RMB: rmbF |= b; break;
                case WMB: wmbF |= b; break;
                case BEFORE_ATOMIC: beforeAtomic |= b; break;
                case AFTER_ATOMIC: afterAtomic |= b; break;
                case AFTER_SPINLOCK: afterSpinlock |= b; break;
                case AFTER_UNLOCK_LOCK: afterUnlockLock |= b; break;
                case BARRIER: barrierF |= b; break;
                case SYNC_RCU: syncRcu |= b; break;
                case RCU_LOCK: rcuLock |= b; break;
                case SRCU_LOCK: srcuLock |= b; break;
                case SRCU_UNLOCK: srcuUnlock |= b; break;
                case SYNC_SRCU: syncSrcu |= b; break;
                case AFTER_SRCU_READ_UNLOCK: afterSrcuUnlock |= b; break;
                case RCU_UNLOCK: rcuUnlock |= b; break;
                default: break;
            }
        }
        final long primR = r & ~(lkr | lf | ru);
        final long primW = w & ~(lkw | ul);
        final long m = r | w;
        final long rmwSet = x.rmwInstr;

        final long[] po = x.po;
        final long[] locRel = new long[n];
        final long[] locAny = new long[n]; // herd7's loc: every event with a location (Sync-srcu too)
        final long[] intRel = new long[n];
        for (int i = 0; i < n; i++) {
            long sameLoc = 0, sameThread = 0;
            for (int j = 0; j < n; j++) {
                if (x.cls[i].isMemory() && x.cls[j].isMemory() && x.loc[i] == x.loc[j]) {
                    sameLoc |= 1L << j;
                }
                if (x.thread[i] >= 0 && x.thread[i] == x.thread[j]) {
                    sameThread |= 1L << j;
                }
            }
            locRel[i] = sameLoc;
            intRel[i] = sameThread;
            long anyLoc = 0;
            for (int j = 0; j < n; j++) {
                if (x.loc[i] >= 0 && x.loc[i] == x.loc[j]) {
                    anyLoc |= 1L << j;
                }
            }
            locAny[i] = anyLoc;
        }
        final long[] ext = new long[n];
        for (int i = 0; i < n; i++) {
            ext[i] = all & ~intRel[i];
        }
        final long[] poLoc = inter(po, locRel);

        // linux-kernel.bell: filter out annotations that give no ordering
        final long failedRmw = rmwSet & ~(domain(x.rmw) | range(x.rmw));
        final long acquire = (acquireTag & ~primW & ~failedRmw) | lkr; // lock.cat: Acquire | LKR
        final long release = (releaseTag & ~primR & ~failedRmw) | ul; // lock.cat: Release | UL
        final long mbSet = mbTag & ~failedRmw;
        final long noreturn = noreturnTag & ~primW;
        final long marked = (all & ~primM) | iw | once | releaseTag | acquireTag | mbTag | rmwSet
            | lkr | lkw | ul | lf | ru | srcuLock | srcuUnlock;
        final long plain = primM & ~marked;

        // ---- lock.cat checks ------------------------------------------------------------------
        String staticViolation = null;
        if (lkr != 0 || lkw != 0 || ul != 0 || lf != 0 || ru != 0) {
            long[] ulBetween = seq(poLoc, restrict(ul, poLoc, all));
            if (!isEmpty(minus(restrict(lkw, poLoc, lkr), ulBetween))) {
                staticViolation = "lock-nest";
            }
            if (!isEmpty(minus(restrict(lkw, poLoc, ru), ulBetween))) {
                staticViolation = "nested-is-locked";
            }
        }

        // ---- Basic relations (static part) ----------------------------------------------------
        final long[] acqPo = restrict(acquire, po, m);
        final long[] poRel = restrict(m, po, release);
        final long[] poUlLkPoStatic = ul == 0 ? new long[n] : seq(seq(po, restrict(ul, po, lkr)), po);
        final long r4rmb = r & ~noreturn;
        final long[] rmb = restrict(r4rmb, fencerel(po, rmbF), r4rmb);
        final long[] wmb = restrict(w, fencerel(po, wmbF), w);
        long[] mb = restrict(m, fencerel(po, mbSet), m);
        mb = union(mb, restrict(m, po, mbSet & r), restrict(mbSet & w, po, m));
        if (beforeAtomic != 0) {
            mb = union(mb, seq(restrict(m, fencerel(po, beforeAtomic), rmwSet), restrict(all, opt(po), m)));
        }
        if (afterAtomic != 0) {
            mb = union(mb, seq(restrict(m, opt(po), rmwSet), restrict(all, fencerel(po, afterAtomic), m)));
        }
        if (afterSpinlock != 0) {
            mb = union(mb, seq(restrict(m, opt(po), lkw), restrict(all, fencerel(po, afterSpinlock), m)));
        }
        if (afterSrcuUnlock != 0) {
            mb = union(mb, seq(restrict(m, opt(po), srcuUnlock), restrict(all, fencerel(po, afterSrcuUnlock), m)));
        }
        final long[] mbStatic = mb;
        final long[] gp = seq(restrict(all, po, syncRcu | syncSrcu), opt(po));
        final long[] rcuRscsiStatic = rcuLock == 0 && rcuUnlock == 0 ? new long[n]
            : inverse(rcuRscs(x, po, rcuLock, rcuUnlock));
        final long[] xrmw = x.rmw;
        final long[] xaddr = x.addr;
        final long[] xdata = x.data;
        final long[] xctrl = x.ctrl;
        final long[] dataNoSrcuUnlock = restrict(all, x.data, ~srcuUnlock);
        boolean mixedAccesses = false;
        if (plain != 0) {
            long[] barrier = union(fencerel(po, barrierF | rmbF | wmbF | mbSet | syncRcu | syncSrcu | beforeAtomic
                    | afterAtomic | acquire | release | rcuLock | rcuUnlock | srcuLock | srcuUnlock),
                restrict(all, po, release), restrict(acquire, po, all));
            long[] poLocNoBarrier = minus(poLoc, barrier);
            mixedAccesses = !isEmpty(restrict(plain & w, poLocNoBarrier, marked))
                || !isEmpty(restrict(marked, poLocNoBarrier, plain & w));
        }
        Prepared p = new Prepared(n);
        p.staticViolation = staticViolation;
        p.mixedAccesses = mixedAccesses;
        p.all = all;
        p.iw = iw;
        p.r = r;
        p.w = w;
        p.fences = fences;
        p.primM = primM;
        p.lkr = lkr;
        p.lkw = lkw;
        p.ul = ul;
        p.lf = lf;
        p.ru = ru;
        p.once = once;
        p.acquireTag = acquireTag;
        p.releaseTag = releaseTag;
        p.mbTag = mbTag;
        p.noreturnTag = noreturnTag;
        p.rmbF = rmbF;
        p.wmbF = wmbF;
        p.beforeAtomic = beforeAtomic;
        p.afterAtomic = afterAtomic;
        p.afterSpinlock = afterSpinlock;
        p.afterUnlockLock = afterUnlockLock;
        p.barrierF = barrierF;
        p.syncRcu = syncRcu;
        p.rcuLock = rcuLock;
        p.rcuUnlock = rcuUnlock;
        p.srcuLock = srcuLock;
        p.srcuUnlock = srcuUnlock;
        p.syncSrcu = syncSrcu;
        p.afterSrcuUnlock = afterSrcuUnlock;
        p.primR = primR;
        p.primW = primW;
        p.m = m;
        p.rmwSet = rmwSet;
        p.failedRmw = failedRmw;
        p.acquire = acquire;
        p.release = release;
        p.mbSet = mbSet;
        p.noreturn = noreturn;
        p.marked = marked;
        p.plain = plain;
        p.r4rmb = r4rmb;
        p.po = po;
        p.locRel = locRel;
        p.locAny = locAny;
        p.intRel = intRel;
        p.ext = ext;
        p.poLoc = poLoc;
        p.acqPo = acqPo;
        p.poRel = poRel;
        p.poUlLkPoStatic = poUlLkPoStatic;
        p.rmb = rmb;
        p.wmb = wmb;
        p.mbStatic = mbStatic;
        p.gp = gp;
        p.rcuRscsiStatic = rcuRscsiStatic;
        p.xrmw = xrmw;
        p.xaddr = xaddr;
        p.xdata = xdata;
        p.xctrl = xctrl;
        p.dataNoSrcuUnlock = dataNoSrcuUnlock;
        return p;
    }

    /** Decides one candidate execution. */
    public Judgement judge(Execution x) {
        return judge(prepare(x), x.rf, x.co, true);
    }

    /**
     * Decides the candidate made of {@code p}'s events with this rf and co. With {@code flags}
     * false, only whether it is allowed is decided (the data-race flag is left false), which is all
     * a search needs once the flag is known or when it prunes partial executions.
     */
    public Judgement judge(Prepared p, long[] rf, long[] co, boolean flags) {
        final int n = p.n;
        if (p.staticViolation != null) {
            return Judgement.forbidden(p.staticViolation);
        }
        final long all = p.all;
        final long iw = p.iw;
        final long r = p.r;
        final long w = p.w;
        final long fences = p.fences;
        final long primM = p.primM;
        final long lkr = p.lkr;
        final long lkw = p.lkw;
        final long ul = p.ul;
        final long lf = p.lf;
        final long ru = p.ru;
        final long once = p.once;
        final long acquireTag = p.acquireTag;
        final long releaseTag = p.releaseTag;
        final long mbTag = p.mbTag;
        final long noreturnTag = p.noreturnTag;
        final long rmbF = p.rmbF;
        final long wmbF = p.wmbF;
        final long beforeAtomic = p.beforeAtomic;
        final long afterAtomic = p.afterAtomic;
        final long afterSpinlock = p.afterSpinlock;
        final long afterUnlockLock = p.afterUnlockLock;
        final long barrierF = p.barrierF;
        final long syncRcu = p.syncRcu;
        final long rcuLock = p.rcuLock;
        final long rcuUnlock = p.rcuUnlock;
        final long srcuLock = p.srcuLock;
        final long srcuUnlock = p.srcuUnlock;
        final long syncSrcu = p.syncSrcu;
        final long afterSrcuUnlock = p.afterSrcuUnlock;
        final long primR = p.primR;
        final long primW = p.primW;
        final long m = p.m;
        final long rmwSet = p.rmwSet;
        final long failedRmw = p.failedRmw;
        final long acquire = p.acquire;
        final long release = p.release;
        final long mbSet = p.mbSet;
        final long noreturn = p.noreturn;
        final long marked = p.marked;
        final long plain = p.plain;
        final long r4rmb = p.r4rmb;
        final long[] po = p.po;
        final long[] locRel = p.locRel;
        final long[] locAny = p.locAny;
        final long[] intRel = p.intRel;
        final long[] ext = p.ext;
        final long[] poLoc = p.poLoc;
        final long[] acqPo = p.acqPo;
        final long[] poRel = p.poRel;
        final long[] poUlLkPoStatic = p.poUlLkPoStatic;
        final long[] rmb = p.rmb;
        final long[] wmb = p.wmb;
        final long[] mbStatic = p.mbStatic;
        final long[] gp = p.gp;
        final long[] rcuRscsiStatic = p.rcuRscsiStatic;
        final long[] xrmw = p.xrmw;
        final long[] xaddr = p.xaddr;
        final long[] xdata = p.xdata;
        final long[] xctrl = p.xctrl;
        final long[] dataNoSrcuUnlock = p.dataNoSrcuUnlock;
        final boolean mixedAccesses = p.mixedAccesses;
        final long[] rmw = xrmw;
        final long[] fr = seq(inverse(rf), co);
        final long[] rfe = inter(rf, ext);
        final long[] rfi = inter(rf, intRel);
        final long[] coe = inter(co, ext);
        final long[] fre = inter(fr, ext);

        // ---- Fundamental coherence ordering ---------------------------------------------------
        if (!acyclic(union(poLoc, union(rf, co, fr)))) {
            return Judgement.forbidden("coherence");
        }
        if (!isEmpty(inter(rmw, seq(fre, coe)))) {
            return Judgement.forbidden("atomic");
        }

        // ---- linux-kernel.bell: dependencies carried through plain accesses ------------------
        final boolean carries = !isEmpty(dataNoSrcuUnlock) && !isEmpty(rfi);
        final long[] carryDep = carries ? star(seq(dataNoSrcuUnlock, rfi)) : null;
        final long[] addr = carries ? seq(carryDep, xaddr) : xaddr;
        final long[] ctrl = carries ? seq(carryDep, xctrl) : xctrl;
        final long[] data = carries ? seq(carryDep, xdata) : xdata;

        // ---- Basic relations (rf-dependent part) -------------------------------------------------
        final long[] poUnlockLockPo = ul == 0 ? poUlLkPoStatic
            : union(poUlLkPoStatic, seq(seq(po, restrict(ul, rf, lkr)), po));
        long[] mb = mbStatic;
        if (afterUnlockLock != 0) {
            mb = union(mb, seq(restrict(m, poUnlockLockPo, afterUnlockLock), restrict(all, po, m)));
        }
        final long[] strongFence0 = union(mb, gp);
        final long[] nonrwFence = union(strongFence0, poRel, acqPo);
        final long[] fence0 = union(nonrwFence, wmb, rmb);


        // ---- Instruction execution ordering -----------------------------------------------------
        final long[] dep = union(addr, data);
        final long[] rwdep = restrict(all, union(dep, ctrl), w);
        final long[] overwrite = union(co, fr);
        final long[] toW = union(rwdep, inter(overwrite, intRel), seq(restrict(all, addr, plain), wmb));
        final long[] toR = union(restrict(all, addr, r), seq(restrict(all, dep, marked), rfi));
        final long[] ppo = union(union(toR, toW, inter(fence0, intRel)), inter(poUnlockLockPo, intRel));

        // ---- Propagation ------------------------------------------------------------------------
        final long[] rmwSequence = star(seq(rf, rmw));
        final long[] aCumulStrongOrRel = seq(opt(restrict(all, rfe, marked)), union(strongFence0, poRel));
        final long[] cumulFence = seq(restrict(marked, union(aCumulStrongOrRel, wmb, poUnlockLockPo), marked),
            rmwSequence);
        final long[] cumulFenceStar = star(cumulFence);
        final long[] prop = restrict(marked,
            seq(seq(opt(inter(overwrite, ext)), cumulFenceStar), restrict(marked, opt(rfe), marked)), marked);

        final long[] propMinusIdInt = new long[n];
        for (int i = 0; i < n; i++) {
            propMinusIdInt[i] = prop[i] & ~(1L << i) & intRel[i];
        }
        final long[] hb = restrict(marked, union(ppo, rfe, propMinusIdInt), marked);
        final long[] hbStar = star(hb);
        if (!irreflexive(plus(hb))) {
            return Judgement.forbidden("happens-before");
        }
        final long[] pb = restrict(all, seq(seq(prop, strongFence0), hbStar), marked);
        final long[] pbStar = star(pb);
        if (!irreflexive(plus(pb))) {
            return Judgement.forbidden("propagation");
        }

        // ---- RCU --------------------------------------------------------------------------------
        long[] fence = fence0;
        long[] strongFence = strongFence0;
        long[] rb = new long[n];
        if (syncRcu != 0 || rcuLock != 0 || rcuUnlock != 0 || syncSrcu != 0 || srcuLock != 0) {
            long[] rcuRscsi = rcuRscsiStatic;
            long[] rcuGp = id(n, syncRcu);
            long[] srcuGp = id(n, syncSrcu);
            // bell: carry-srcu-data = (data ; [~Srcu-unlock] ; rf)*
            //       srcu-rscs = ([Srcu-lock] ; carry-srcu-data ; data ; [Srcu-unlock]) & loc
            long[] carrySrcuData = star(seq(dataNoSrcuUnlock, rf));
            long[] srcuRscsi = srcuLock == 0 ? new long[n]
                : inverse(inter(restrict(srcuLock, seq(carrySrcuData, xdata), srcuUnlock), locAny));
            long[] rcuLink = seq(seq(seq(opt(po), hbStar), seq(pbStar, prop)), po);
            long[] rcuOrder = rcuOrder(n, rcuGp, rcuRscsi, srcuGp, srcuRscsi, locAny, rcuLink);
            long[] rcuFence = seq(seq(po, rcuOrder), opt(po));
            fence = union(fence, rcuFence);
            strongFence = union(strongFence, rcuFence);
            rb = restrict(all, seq(seq(seq(prop, rcuFence), hbStar), pbStar), marked);
            if (!irreflexive(rb)) {
                return Judgement.forbidden("rcu");
            }
        }

        // ---- Plain accesses and data races ------------------------------------------------------
        if (plain == 0) {
            return new Judgement(true, null, false, mixedAccesses);
        }
        final long[] xbstar = star(union(hb, pb, rb));
        final long[] vis = seq(seq(cumulFenceStar, restrict(all, opt(rfe), marked)),
            union(seq(restrict(all, strongFence, marked), xbstar), inter(xbstar, intRel)));
        final long[] wPreBounded = restrict(marked, opt(union(addr, fence)), all);
        final long[] rPreBounded = restrict(marked,
            opt(union(addr, nonrwFence, restrict(r4rmb, fencerel(po, rmbF), all & ~noreturn))), all);
        final long[] wPostBounded = seq(restrict(all, opt(fence), marked), rmwSequence);
        final long[] rPostBounded = restrict(all,
            opt(union(nonrwFence, restrict(all & ~noreturn, fencerel(po, rmbF), r4rmb))), marked);

        final long[] sfXb = seq(strongFence, xbstar);
        final long[] postVis = seq(wPostBounded, vis);
        final long[] wwVis = union(fence, seq(sfXb, wPreBounded), seq(postVis, wPreBounded));
        final long[] wrVis = union(fence, seq(sfXb, rPreBounded), seq(postVis, rPreBounded));
        final long[] rwXbstar = union(fence, seq(seq(rPostBounded, xbstar), wPreBounded));

        final long[] preRace = inter(ext, union(cross(n, plain, m), cross(n, m & ~iw, plain)));
        final long[] wrIncoh = inter(inter(preRace, rf), inverse(rwXbstar));
        final long[] rwIncoh = inter(inter(preRace, fr), inverse(wrVis));
        final long[] wwIncoh = inter(inter(preRace, co), inverse(wwVis));
        if (!isEmpty(union(wrIncoh, rwIncoh, wwIncoh))) {
            return Judgement.forbidden("plain-coherence");
        }
        if (!flags) {
            return new Judgement(true, null, false, mixedAccesses);
        }
        final long[] wwNonrace = inter(inter(wwVis, union(cross(n, marked, w), rwXbstar)),
            union(cross(n, w, marked), wrVis));
        final long[] wwRace = minus(inter(preRace, co), wwNonrace);
        final long[] wrRace = minus(minus(inter(preRace, seq(opt(co), rf)), wrVis), inverse(rwXbstar));
        final long[] rwRace = minus(inter(preRace, fr), rwXbstar);
        boolean dataRace = !isEmpty(union(wwRace, wrRace, rwRace));
        return new Judgement(true, null, dataRace, mixedAccesses);
    }

    /** fencerel(S) = po ; [S] ; po. */
    private static long[] fencerel(long[] po, long s) {
        if (s == 0) {
            return new long[po.length];
        }
        return seq(restrict(-1L, po, s), po);
    }

    /**
     * linux-kernel.bell's rcu-rscs: each rcu_read_lock() matched with the rcu_read_unlock() that
     * closes it, innermost pairs first (a stack per thread, which is what the bell's recursive
     * "unmatched" definition computes for well-nested sections).
     */
    private static long[] rcuRscs(Execution x, long[] po, long rcuLock, long rcuUnlock) {
        int n = x.n;
        long[] rscs = new long[n];
        int[] stack = new int[n];
        // events of one thread are contiguous in po order for executions the litmus front end
        // builds; sort by po to be safe for hand-built ones
        long seen = 0;
        for (int start = 0; start < n; start++) {
            if ((seen >>> start & 1) != 0 || x.thread[start] < 0) {
                continue;
            }
            int th = x.thread[start];
            int[] order = new int[n];
            int k = 0;
            for (int e = 0; e < n; e++) {
                if (x.thread[e] == th) {
                    order[k++] = e;
                    seen |= 1L << e;
                }
            }
            sortByPo(order, k, po);
            int sp = 0;
            for (int i = 0; i < k; i++) {
                int e = order[i];
                if ((rcuLock >>> e & 1) != 0) {
                    stack[sp++] = e;
                } else if ((rcuUnlock >>> e & 1) != 0 && sp > 0) {
                    rscs[stack[--sp]] |= 1L << e;
                }
            }
        }
        return rscs;
    }

    private static void sortByPo(int[] a, int k, long[] po) {
        for (int i = 1; i < k; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= 0 && (po[v] >>> a[j] & 1) != 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /** The least fixpoint of linux-kernel.cat's recursive rcu-order, RCU and SRCU clauses. */
    private static long[] rcuOrder(int n, long[] rcuGp, long[] rcuRscsi, long[] srcuGp, long[] srcuRscsi,
                                   long[] loc, long[] rcuLink) {
        long[] base = union(union(rcuGp, srcuGp),
            union(seq(seq(rcuGp, rcuLink), rcuRscsi), seq(seq(rcuRscsi, rcuLink), rcuGp)),
            union(inter(seq(seq(srcuGp, rcuLink), srcuRscsi), loc), inter(seq(seq(srcuRscsi, rcuLink), srcuGp), loc)));
        long[] gpLink = seq(rcuGp, rcuLink);
        long[] rscsiLink = seq(rcuRscsi, rcuLink);
        long[] sgpLink = seq(srcuGp, rcuLink);
        long[] srscsiLink = seq(srcuRscsi, rcuLink);
        long[] order = base;
        while (true) {
            long[] orderLink = seq(order, rcuLink);
            long[] next = union(base,
                union(seq(seq(gpLink, orderLink), rcuRscsi), seq(seq(rscsiLink, orderLink), rcuGp)),
                union(inter(seq(seq(sgpLink, orderLink), srcuRscsi), loc),
                    inter(seq(seq(srscsiLink, orderLink), srcuGp), loc)));
            next = union(next, seq(orderLink, order), order);
            if (java.util.Arrays.equals(next, order)) {
                return order;
            }
            order = next;
        }
    }
}

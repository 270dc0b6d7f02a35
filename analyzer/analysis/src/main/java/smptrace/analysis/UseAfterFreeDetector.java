package smptrace.analysis;

import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.ObjectRole;

/**
 * An access to a kernel object after it died (KASAN's use-after-free, and stack-out-of-scope for an
 * on-stack CSD or info whose function returned): the trace's KFREE says when an object dies
 * (docs/trace-format.md), so any later memory event on it is the finding, observed. Examples: the flush
 * unlocking an on-stack CSD after its waiter returned (a SYNC CSD released early), a waiter spinning on
 * cfd->csd freed by smpcfd_dead_cpu() (patches.md 003 (d5)), a callback reading an info its caller freed.
 * Fingerprints name the object's role, the field, the access and the two functions, never a line.
 *
 * <p>Predicted (rule {@code preemptible-use}, issue 12 item 5): CPU c's per-CPU cfd data (its scratch masks and
 * cfd->csd[]) that a task accessed while not pinned on c (preemption enabled, or pinned on another CPU), and that
 * another context frees later in the trace. Only being pinned on c keeps c alive (stop_machine() needs c's stopper),
 * so the task could have been preempted right before that access while c went down and its data was freed: the
 * same access after the free. The first such access per object is kept (one record per object, not per event). Not
 * reported for an object the trace shows used after its free: the observed finding is the report.
 */
final class UseAfterFreeDetector implements Detector {
    /** Per object (index into {@link #unpinned}): the first access by a task not pinned on the object's CPU. */
    private final IntIntMap unpinnedIndex = new IntIntMap();
    private final java.util.List<UnpinnedUse> unpinned = new java.util.ArrayList<>();
    /** preemptible-use predictions, reported at the end unless the object is used after its free. */
    private final HeldPredictions predicted = new HeldPredictions();

    /** A task's access to per-CPU data while not pinned on that CPU: the event, its slot, the field and the access. */
    private record UnpinnedUse(EventRef ref, int site, int slot, String field, String access) {
    }

    @Override
    public String name() {
        return "use-after-free";
    }

    /** Memory events and KFREE: onEvent returns at once for any other kind. */
    @Override
    public java.util.Set<EventKind> kinds() {
        return Detector.memoryAnd(EventKind.KFREE);
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        if (e.kind == EventKind.KFREE) {
            freed((int) e.a, e, a);
            return;
        }
        if (!e.kind.isMemory()) {
            return;
        }
        int oid = Event.oidOf(e.loc);
        if (!a.lifetimes.isDead(oid)) {
            int k = a.facts.objectKind(oid);
            if ((k == 2 || k == 3) && unpinnedIndex.get(oid) < 0) {
                int s = a.hb.slot();
                if (!a.hb.isIrq(s) && !a.hb.isBoot(s) && (a.hb.pin(s) == 0 || e.cpu != a.facts.objectCpu(oid))) {
                    unpinnedIndex.put(oid, unpinned.size());
                    smptrace.trace.FieldInfo f = a.info.field(Event.slotOf(e.loc));
                    unpinned.add(new UnpinnedUse(a.ref(e), e.site, s, f == null ? "?" : f.name(),
                            e.kind.writes() ? (e.kind.reads() ? "RMW" : "write") : "read"));
                }
            }
            return;
        }
        predicted.observed(oid);
        int how = a.lifetimes.how(oid);
        boolean returned = how == EventKind.FREE_RETURNED;
        ObjectRole role = a.facts.objectRole(oid);
        String what = role == null ? a.facts.stableObject(oid) : role.name();
        smptrace.trace.FieldInfo f = a.info.field(Event.slotOf(e.loc));
        String field = f == null ? "?" : f.name();
        EventRef freed = a.lifetimes.freeRef(oid, a);
        EventRef use = a.ref(e);
        String access = e.kind.writes() ? (e.kind.reads() ? "RMW" : "write") : "read";
        Finding.Builder b = new Finding.Builder(Finding.Kind.USE_AFTER_FREE, false, returned ? "use-after-return" : "use-after-free")
                .summary(access + " of " + a.info.locationName(e.loc) + " in " + a.facts.fn(e.site) + "() after "
                        + (returned ? "the function whose stack held it returned (" + a.facts.fn(a.lifetimes.freeSite(oid)) + ")"
                        : "it was freed (" + freed.op() + " in " + a.facts.fn(a.lifetimes.freeSite(oid)) + ")"))
                .key(what).key(field).key(access).key(fn(a.facts.function(e.site))).key(fn(freed.function()))
                .event(freed).event(use)
                .witness("1. " + freed.text() + "   -- " + a.info.objectName(oid) + " dies")
                .witness("2. " + use.text() + "   -- " + access + " of the dead object");
        a.report(b.build());
    }

    /** A KFREE of an object a task touched while not pinned on its CPU: predicted, unless the freeing context did it. */
    private void freed(int oid, Event e, Analysis a) {
        int i = unpinnedIndex.get(oid);
        if (i < 0) {
            return;
        }
        unpinnedIndex.remove(oid);
        UnpinnedUse u = unpinned.set(i, null);
        EventRef use = u.ref();
        if (u.slot() == a.hb.slot()) {
            return;
        }
        int c = a.facts.objectCpu(oid);
        ObjectRole role = a.facts.objectRole(oid);
        String what = role == null ? a.facts.stableObject(oid) : role.name();
        EventRef free = a.ref(e);
        Finding.Builder b = new Finding.Builder(Finding.Kind.USE_AFTER_FREE, true, "preemptible-use")
                .summary(u.access() + " of " + use.location() + " in " + a.facts.fn(u.site()) + "() while not pinned on CPU" + c
                        + ", which " + a.facts.fn(e.site) + "() frees later: preempted there, the task can make it after the free")
                .key(what).key(u.field()).key(u.access()).key(fn(use.function())).key(fn(free.function()))
                .event(use).event(free)
                .witness("1. " + use.text() + "   -- not pinned on CPU" + c + ": the task can be preempted (or migrated) here")
                .witness("   predicted: CPU" + c + " goes down meanwhile and its per-CPU data is freed")
                .witness("2. " + free.text() + "   -- " + a.info.objectName(oid) + " dies; 1 then runs on freed memory");
        predicted.predict(oid, b);
    }

    /**
     * A fingerprint component (kept as first written, so fingerprints stay stable): "Smp.csd_lock_wait";
     * "Scenarios.lambda$hotplugDead$3" -> "Scenarios.hotplugDead", a lambda's number changes with any edit.
     * Summaries name functions in the kernel's words instead ({@link KernelFacts#fn}: "csd_lock_wait").
     */
    private static String fn(String f) {
        return f == null ? "?" : f.replaceAll("lambda\\$(\\w+)\\$\\d+", "$1");
    }

    @Override
    public void finish(Analysis a) {
        predicted.report(a);
    }
}

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
 */
final class UseAfterFreeDetector implements Detector {
    @Override
    public String name() {
        return "use-after-free";
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        if (!e.kind.isMemory()) {
            return;
        }
        int oid = Event.oidOf(e.loc);
        if (!a.lifetimes.isDead(oid)) {
            return;
        }
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
                .summary(access + " of " + a.info.locationName(e.loc) + " in " + fn(a.facts.function(e.site)) + "() after "
                        + (returned ? "the function whose stack held it returned (" + fn(freed.function()) + ")"
                        : "it was freed (" + freed.op() + " in " + fn(freed.function()) + ")"))
                .key(what).key(field).key(access).key(fn(a.facts.function(e.site))).key(fn(freed.function()))
                .event(freed).event(use)
                .witness("1. " + freed.text() + "   -- " + a.info.objectName(oid) + " dies")
                .witness("2. " + use.text() + "   -- " + access + " of the dead object");
        a.report(b.build());
    }

    /** "Scenarios.lambda$hotplugDead$3" -> "Scenarios.hotplugDead": a lambda's number changes with any edit. */
    private static String fn(String f) {
        return f == null ? "?" : f.replaceAll("lambda\\$(\\w+)\\$\\d+", "$1");
    }

    @Override
    public void finish(Analysis a) {
    }
}

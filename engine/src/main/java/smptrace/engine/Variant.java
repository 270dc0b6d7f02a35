package smptrace.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A variant of a patch: {@link #BEFORE}, {@link #AFTER}, or a named broken mutant of the patched
 * code (patches.md). The engine tests {@code cfg.is(Variant.X)} right at the lines a mutant changes.
 */
public enum Variant {
    BEFORE(null, "before", "the code without the patch: the seed's own pre-image (000/001/002: the 2026 baseline; "
            + "003: the baseline with the seed's three hunks reverted, so the caller pins and the wait runs pinned; "
            + "004: same code, comments only)", null, false, null),
    AFTER(null, "after", "the code with the patch applied", null, false, null),

    M000_PLAIN_PUBLISH(Patch.P000, "plain-publish", "M0a: __csd_lock_record() publishes cur_csd with a plain store, "
            + "no smp_wmb()/release", null, false, null),
    M000_PLAIN_CLEAR(Patch.P000, "plain-clear", "M0b: the NULL path clears cur_csd with a plain store, no barrier",
            null, false, null),
    M000_READER_ONCE(Patch.P000, "reader-once", "M0c: csd_lock_wait_toolong() reads cur_csd with READ_ONCE "
            + "instead of smp_load_acquire", null, false, null),
    M000_FUNC_AFTER_RELEASE(Patch.P000, "func-after-release", "M0d: cur_csd_func/info stored after the release "
            + "of cur_csd", null, false, null),

    M001_PLAIN_RMW_IN_DEBUG(Patch.P001, "plain-rmw-in-debug", "debug csd_lock() back to the wait + plain "
            + "'u_flags |= CSD_FLAG_LOCK' on the shared destination CSD", Outcome.TWO_OWNERS, true, null),
    M001_SINGLE_CAS_ATTEMPT(Patch.P001, "single-cas-attempt", "debug csd_lock() tries try_cmpxchg_acquire once "
            + "and carries on after a failure", Outcome.TWO_OWNERS, true, null),
    M001_DEST_CSD_NONDEBUG(Patch.P001, "dest-csd-nondebug", "get_single_csd_data() returns the destination "
            + "CSD with the debug key off, where csd_lock() is still the plain RMW", Outcome.TWO_OWNERS, true, Boolean.FALSE),

    M002_NO_MB_BEFORE_ATOMIC(Patch.P002, "no-mb-before-atomic", "patched _async() without "
            + "smp_mb__before_atomic() (SB lost kick: weak memory only)", null, false, null),
    M002_NO_MB_IN_FLUSH(Patch.P002, "no-mb-in-flush", "patched flush without the smp_mb() between csd_unlock() "
            + "and func() (SB lost kick: weak memory only)", null, false, null),
    M002_ENQUEUE_ON_FAILED_CAS(Patch.P002, "enqueue-on-failed-cas", "patched _async() that enqueues even when "
            + "the cmpxchg failed", Outcome.DOUBLE_ENQUEUE, true, null),

    M003_PRE_SERIES(Patch.P003, "pre-series", "not a mutant: the linux-next 878b9569 shape before the whole series "
            + "(smp_call_function()/on_each_cpu_cond_mask() wrap the call in preempt_disable(), no task-local mask so the "
            + "wait walks cfd->cpumask, smp_call_function_single() waits before put_cpu()); the older 'before'",
            null, false, null),
    M003_PUT_CPU_BEFORE_SEND(Patch.P003, "put-cpu-before-send", "put_cpu() between the llist_add loop and the "
            + "IPI send (d1): cfd->cpumask_ipi can be rebuilt by another task", Outcome.MASK_OVERWRITTEN, true, null),
    M003_PUT_CPU_BEFORE_LOCK(Patch.P003, "put-cpu-before-lock", "put_cpu() above the csd_lock() loop (d2): "
            + "preemptible plain-RMW acquisition of cfd->csd[]", Outcome.TWO_OWNERS, true, null),
    M003_WAIT_ON_PERCPU_MASK(Patch.P003, "wait-on-percpu-mask", "the wait after put_cpu() walks the per-CPU "
            + "cfd->cpumask instead of the task-local mask (d4)", Outcome.MASK_OVERWRITTEN, true, null),

    M003_FREE_CSD_ON_DEAD(Patch.P003, "free-csd-on-dead", "smpcfd_dead_cpu() frees cfd->csd as the pre-series code "
            + "did (d5): a waiter that migrated off the dying CPU spins on freed CSDs (scenario hotplug-dead)",
            null, true, null),

    M004_ONLINE_CHECK_OUTSIDE_PINNED(Patch.P004, "online-check-outside-pinned", "smp_call_function_single() "
            + "checks cpu_online() before get_cpu(), so stop_machine can offline the CPU between the check and "
            + "the enqueue", Outcome.IPI_TO_OFFLINE, true, null),

    // one-line bugs in baseline code that no patch names (issue 12), each run in the scenario of the patch
    // it is filed under: 002's shared async CSD, 000's sync single and sync many requests
    M002_IPI_ONLY_IF_QUEUED(Patch.P002, "ipi-only-if-queued", "__smp_call_single_queue() sends the IPI only when "
            + "llist_add() found the queue NOT empty (inverted decision): work queued onto an empty queue waits for "
            + "a kick that never comes (a lost callback; with sync callers a hang in csd_lock_wait())",
            Outcome.CALLBACK_LOST, true, null),
    M000_SYNC_UNLOCK_BEFORE_FUNC(Patch.P000, "sync-unlock-before-func", "__flush_smp_call_function_queue()'s SYNC "
            + "branch calls csd_unlock() above the callback: the waiter returns (and its on-stack CSD and info die) "
            + "while func(info) still runs (shows only with scheduling points inside the callback: recorded runs)", null, true, null);

    /** The patch a mutant belongs to; null for BEFORE/AFTER (every patch has them). */
    public final Patch patch;
    public final String label;
    public final String description;
    /** The interleaving outcome the mutant must show in controlled runs without the agent; null if none. */
    public final Outcome badOutcome;
    /** A broken mutant (all mutants are broken; weak-memory ones have no interleaving outcome). */
    public final boolean interleavingBug;
    /** Forces CSD_LOCK_WAIT_DEBUG/csdlock_debug_enabled for the run; null: the scenario's default. */
    public final Boolean debugOverride;

    Variant(Patch patch, String label, String description, Outcome badOutcome, boolean interleavingBug, Boolean debugOverride) {
        this.patch = patch;
        this.label = label;
        this.description = description;
        this.badOutcome = badOutcome;
        this.interleavingBug = interleavingBug;
        this.debugOverride = debugOverride;
    }

    public boolean isMutant() {
        return patch != null && !isUnpatched();
    }

    /** The scenario a variant runs on by default (its patch's, unless the variant's bug needs another path). */
    public Scenario scenario(Patch p) {
        if (this == M003_FREE_CSD_ON_DEAD) {
            return Scenario.HOTPLUG_DEAD;
        }
        return Scenario.forPatch(p);
    }

    /** Runs the code without its patch: before, and the older reference shape 003 pre-series (correct code). */
    public boolean isUnpatched() {
        return this == BEFORE || this == M003_PRE_SERIES;
    }

    /** The variants of one patch: before, after, then its mutants. */
    public static List<Variant> of(Patch p) {
        List<Variant> l = new ArrayList<>();
        for (Variant v : values()) {
            if (v.patch == null || v.patch == p) {
                l.add(v);
            }
        }
        return l;
    }

    public static Variant parse(Patch p, String s) {
        for (Variant v : of(p)) {
            if (v.label.equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + s + "' of patch " + p.number);
    }
}

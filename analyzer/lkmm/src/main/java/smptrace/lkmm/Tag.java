package smptrace.lkmm;

/**
 * The annotation an event carries, in linux-kernel.def's words. Access tags ({@code ONCE},
 * {@code ACQUIRE}, {@code RELEASE}, {@code MB}, {@code NORETURN}) sit on reads and writes; the
 * others are the barrier tags of {@code F} events. {@code PLAIN} is an unannotated C access.
 * The trace format's ordering classes map onto these names in the analysis (LkmmSync.tagOf).
 */
public enum Tag {
    PLAIN, ONCE, ACQUIRE, RELEASE, MB, NORETURN,
    RMB, WMB, BEFORE_ATOMIC, AFTER_ATOMIC, AFTER_SPINLOCK, AFTER_UNLOCK_LOCK, BARRIER,
    SYNC_RCU, RCU_LOCK, RCU_UNLOCK,
    /** srcu_read_lock()/srcu_down_read(): a load of the srcu_struct (bell: Srcu-lock). */
    SRCU_LOCK,
    /** srcu_read_unlock()/srcu_up_read(): a store of the lock's index (bell: Srcu-unlock). */
    SRCU_UNLOCK,
    /** synchronize_srcu(): an SRCU grace period on one srcu_struct (bell: Sync-srcu). */
    SYNC_SRCU,
    AFTER_SRCU_READ_UNLOCK;

    /** True for the tags that mark an access (as opposed to a fence). */
    public boolean isAccessTag() {
        return ordinal() <= NORETURN.ordinal() || this == SRCU_LOCK || this == SRCU_UNLOCK;
    }

    /** The C spelling of a fence tag, as linux-kernel.def maps it. */
    public String fenceCall() {
        switch (this) {
            case MB: return "smp_mb";
            case RMB: return "smp_rmb";
            case WMB: return "smp_wmb";
            case BEFORE_ATOMIC: return "smp_mb__before_atomic";
            case AFTER_ATOMIC: return "smp_mb__after_atomic";
            case AFTER_SPINLOCK: return "smp_mb__after_spinlock";
            case AFTER_UNLOCK_LOCK: return "smp_mb__after_unlock_lock";
            case BARRIER: return "barrier";
            case SYNC_RCU: return "synchronize_rcu";
            case RCU_LOCK: return "rcu_read_lock";
            case RCU_UNLOCK: return "rcu_read_unlock";
            case AFTER_SRCU_READ_UNLOCK: return "smp_mb__after_srcu_read_unlock";
            default: throw new IllegalArgumentException(this + " is not a fence tag");
        }
    }
}

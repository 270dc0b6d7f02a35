package smptrace.lkmm;

/**
 * The event classes of a candidate execution: herd7's R, W and F, the initial writes IW, and the
 * lock events lock.cat defines (LKR, LKW, UL, LF, RL, RU).
 */
public enum EventClass {
    /** IW: the initial write of a location. */
    INIT,
    /** R: a load, or the read half of an RMW (also a failed cmpxchg, which has only this half). */
    READ,
    /** W: a store, or the write half of a successful RMW. */
    WRITE,
    /** F: a fence or RCU marker. */
    FENCE,
    /** LKR: the read half of spin_lock() or a successful spin_trylock(); an acquire. */
    LOCK_READ,
    /** LKW: the write half of spin_lock() or a successful spin_trylock(). */
    LOCK_WRITE,
    /** UL: spin_unlock(); a release write. */
    UNLOCK,
    /** LF: a failed spin_trylock(). */
    LOCK_FAIL,
    /** RL: spin_is_locked() returning true; lock.cat treats it as an LF. */
    READ_LOCKED,
    /** RU: spin_is_locked() returning false. */
    READ_UNLOCKED;

    /** In lock.cat's final R: loads, LKR, LF (with RL) and RU. */
    public boolean isRead() {
        return this == READ || this == LOCK_READ || this == LOCK_FAIL || this == READ_LOCKED || this == READ_UNLOCKED;
    }

    /** In lock.cat's final W: stores, IW, LKW and UL. */
    public boolean isWrite() {
        return this == INIT || this == WRITE || this == LOCK_WRITE || this == UNLOCK;
    }

    public boolean isMemory() {
        return this != FENCE;
    }

    /** One of the lock events of lock.cat. */
    public boolean isLockEvent() {
        return ordinal() >= LOCK_READ.ordinal();
    }
}

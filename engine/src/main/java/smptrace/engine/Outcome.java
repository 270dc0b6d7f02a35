package smptrace.engine;

/** The observable bad outcomes of a run (see {@link RunResult}). */
public enum Outcome {
    /** llist_add of a node still on a queue (node->next == node when it was the head). */
    DOUBLE_ENQUEUE,
    /** Two contexts owned one CSD at once. */
    TWO_OWNERS,
    /** An accepted request whose callback never ran (run not stuck). */
    CALLBACK_LOST,
    /** A CSD queued to a CPU after its dying flush (the IPI goes to an offline CPU). */
    IPI_TO_OFFLINE,
    /** A per-CPU scratch mask overwritten by another task across a preemption. */
    MASK_OVERWRITTEN,
    /** A synchronous call returned before its callback ran. */
    SYNC_RETURNED_EARLY,
    /** The watchdog ended the run. */
    STUCK
}

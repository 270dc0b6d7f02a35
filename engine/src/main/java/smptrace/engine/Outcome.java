package smptrace.engine;

/**
 * The observable bad outcomes of a run (see {@link RunResult}), each with the finding kind of the
 * analysis that names it ({@link #kind}): the engine's status line speaks that vocabulary, and a test of
 * the CLI (which sees both modules) pins that each outcome's kind is the analysis kind that claims it.
 */
public enum Outcome {
    /** llist_add of a node still on a queue (node->next == node when it was the head). */
    DOUBLE_ENQUEUE("double-enqueue"),
    /** Two contexts owned one CSD at once. */
    TWO_OWNERS("lock-ownership-race"),
    /** An accepted request whose callback never ran (run not stuck). */
    CALLBACK_LOST("lost-wakeup"),
    /** A CSD queued to a CPU after its dying flush (the IPI goes to an offline CPU). */
    IPI_TO_OFFLINE("lost-ipi"),
    /** A per-CPU scratch mask overwritten by another task across a preemption. */
    MASK_OVERWRITTEN("preemption-window"),
    /** A synchronous call returned before its callback ran. */
    SYNC_RETURNED_EARLY("use-after-release"),
    /** The watchdog ended the run. */
    STUCK("hang");

    /** The finding kind (smptrace.analysis.Finding.Kind id) a run with this outcome shows. */
    public final String kind;

    Outcome(String kind) {
        this.kind = kind;
    }
}

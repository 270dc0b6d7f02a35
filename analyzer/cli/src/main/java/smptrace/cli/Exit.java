package smptrace.cli;

/** The documented exit codes (README, "Exit codes"). */
final class Exit {
    /** Success; for analyses: nothing found, everything agrees. */
    static final int OK = 0;
    /** Findings, mismatches or a missed target. */
    static final int FINDINGS = 1;
    /** Bad usage or bad input (missing, corrupt, truncated or wrong-version trace; a wrong option). */
    static final int USAGE = 2;
    /**
     * No findings, but the trace is incomplete (cut short, its recorder failed or lost events, or a
     * damaged block skipped with --salvage): nothing was found in the part that was there, which is
     * not "clean". Findings in an incomplete trace are still exit 1.
     */
    static final int INCOMPLETE = 3;
    /** analyze: the trace holds no memory access, so nothing was checked (never reported as clean). */
    static final int NOTHING_CHECKED = 4;

    private Exit() { }
}

package smptrace.cli;

/** The documented exit codes (README, "Exit codes"). */
final class Exit {
    /** Success; for analyses: nothing found, everything agrees. */
    static final int OK = 0;
    /** Findings, mismatches or a missed target. */
    static final int FINDINGS = 1;
    /** Bad usage or bad input (missing, corrupt, truncated or wrong-version trace; a wrong option). */
    static final int USAGE = 2;
    /** analyze: the trace holds no memory access, so nothing was checked (never reported as clean). */
    static final int NOTHING_CHECKED = 4;

    private Exit() { }
}

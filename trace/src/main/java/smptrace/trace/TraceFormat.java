package smptrace.trace;

/** Constants of the trace format; docs/trace-format.md is the specification. */
public final class TraceFormat {
    private TraceFormat() { }

    /** Bump on any incompatible change, and document it (docs/trace-format.md, "Version history"). */
    public static final int VERSION = 3;
    /** From this version on, events are coded against their block's context (BlockContext): 12.6 -> ~5 bytes/event. */
    public static final int V_BLOCK_CONTEXT = 3;
    /** The oldest version this reader still reads (version 1 is version 2 without R_COND). */
    public static final int OLDEST_READABLE = 1;
    public static final String MAGIC = "smptrace";

    // document kinds: the first byte of every excerpt
    public static final byte DOC_HEADER = 'H';
    public static final byte DOC_SITE = 'S';
    public static final byte DOC_FIELD = 'F';
    public static final byte DOC_CLASS = 'C';
    public static final byte DOC_THREAD = 'T';
    public static final byte DOC_BLOCK = 'B';
    public static final byte DOC_END = 'E';

    // header keys
    public static final String KEY_MAGIC = "magic";
    public static final String KEY_VERSION = "format.version";
    public static final String KEY_SCENARIO = "scenario";
    public static final String KEY_SEED = "seed";
    public static final String KEY_START = "start.time";

    /** End statuses in a DOC_END record. */
    public static final byte END_COMPLETE = 0;
    public static final byte END_AGENT_FAILED = 1;
}

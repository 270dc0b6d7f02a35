package smptrace.trace;

/** Constants of the trace format; docs/trace-format.md is the specification. */
public final class TraceFormat {
    private TraceFormat() { }

    /** Bump on any incompatible change, and document it (docs/trace-format.md, "Version history"). */
    public static final int VERSION = 5;
    /**
     * The oldest version this reader still reads (version 1 is version 2 without R_COND; version 2 is
     * version 3 without checksums; version 3 is version 4 without KFREE and ROLE; version 4 is version 5
     * without the block context).
     */
    public static final int OLDEST_READABLE = 1;
    /**
     * From this version on every record ends with a CRC32C of its bytes and the end record counts
     * the records and lost events (version 3: framing only, no event changed). Readers check it
     * only for traces of this version or later.
     */
    public static final int CHECKSUMS_SINCE = 3;
    /** From this version on, events are coded against their block's context (BlockContext): 12.6 -> ~5 bytes/event. */
    public static final int V_BLOCK_CONTEXT = 5;
    public static final String MAGIC = "smptrace";

    // document kinds: the first byte of every excerpt
    public static final byte DOC_HEADER = 'H';
    public static final byte DOC_SITE = 'S';
    public static final byte DOC_FIELD = 'F';
    public static final byte DOC_CLASS = 'C';
    public static final byte DOC_THREAD = 'T';
    public static final byte DOC_BLOCK = 'B';
    public static final byte DOC_END = 'E';

    /** The fields of a block record before its payload: kind, thread, firstSeq, count, len. */
    public static final int BLOCK_HEAD = 1 + 4 + 8 + 4 + 4;
    /**
     * Version 5 on, bit 31 of a block's count: its events continue the block context of the thread's
     * previous block (the recorder handed off part of a buffer, so the encoder did not start afresh).
     * Without it a block starts with an empty context.
     */
    public static final int BLOCK_CONTINUES = 0x8000_0000;

    /** Bounds a reader holds arguments to (they index tables): CPUs 0..MAX_CPUS-1 (NR_CPUS), tasks, objects. */
    public static final int MAX_CPUS = 8192;
    public static final int MAX_TASK = (1 << 22) - 1;
    public static final long MAX_OID = Integer.MAX_VALUE;

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

package smptrace.engine;

/**
 * The five seed patches. {@link #applied(RunConfig)} is the {@code #ifdef} the engine code tests at
 * the lines a patch changes: a patch is applied when the run is about that patch and its variant
 * is not {@link Variant#BEFORE}; for a run about another patch, the line is as in the 2026
 * baseline (which has 003 and 004, but not 000, 001 or 002).
 */
public enum Patch {
    P000("000", "fef5a8fa7e9068d0", "[PATCH v3] smp: Use release stores for csd_lock_record() state",
            "000_fef5a8fa7e9068d0.txt", false),
    P001("001", "a4a46b1757ff0334", "[PATCH 2/2] smp: Make CSD lock acquisition atomic for debug mode",
            "001_a4a46b1757ff0334.txt", false),
    P002("002", "c74587f1a2a282cd", "[RFC][PATCH v2 09/10] smp: Make smp_call_function_single_async() safer",
            "002_c74587f1a2a282cd.txt", false),
    P003("003", "35da9e2f640e0a2b", "[PATCH v9 06/14] smp: Enable preemption early in smp_call_function_many_cond()",
            "003_35da9e2f640e0a2b.txt", true),
    P004("004", "1ae7edd93e123a07", "[PATCH v2] smp: Document preemption and stop_machine() mutual exclusion",
            "004_1ae7edd93e123a07.txt", true);

    /** "000".."004". */
    public final String number;
    public final String hash;
    public final String subject;
    /** File name under shared/seeds/. */
    public final String seedFile;
    /** Whether the 2026 baseline already has the patch's code. */
    public final boolean inBaseline;

    Patch(String number, String hash, String subject, String seedFile, boolean inBaseline) {
        this.number = number;
        this.hash = hash;
        this.subject = subject;
        this.seedFile = seedFile;
        this.inBaseline = inBaseline;
    }

    /**
     * The #ifdef: is this patch's code in effect for the run? An AFTER run is the correct kernel: the
     * whole series applied (so 001 after also has 000's release stores); a BEFORE run or a mutant changes
     * only its own patch against the 2026 baseline.
     */
    public boolean applied(RunConfig cfg) {
        if (cfg.patch() == this) {
            return !cfg.variant().isUnpatched();
        }
        return inBaseline || cfg.variant() == Variant.AFTER;
    }

    /**
     * "000".."004" (also "0".."4", "00".."04": the number), "P000", or a prefix of at least 8 hex
     * digits of the seed's hash; anything else (a short or ambiguous hash prefix) is refused rather
     * than guessed ("1" once silently meant 004, whose hash starts with 1).
     */
    public static Patch parse(String s) {
        if (s.matches("[0-9]{1,3}")) {
            int n = Integer.parseInt(s);
            if (n < values().length) {
                return values()[n];
            }
            throw new IllegalArgumentException("unknown patch '" + s + "' (000..004)");
        }
        Patch found = null;
        for (Patch p : values()) {
            if (p.number.equals(s) || p.name().equalsIgnoreCase(s)) {
                return p;
            }
            if (s.length() >= 8 && p.hash.startsWith(s.toLowerCase())) {
                if (found != null) {
                    throw new IllegalArgumentException("ambiguous patch '" + s + "'");
                }
                found = p;
            }
        }
        if (found != null) {
            return found;
        }
        throw new IllegalArgumentException("unknown patch '" + s + "' (000..004, or 8+ hex digits of a seed's hash)");
    }
}

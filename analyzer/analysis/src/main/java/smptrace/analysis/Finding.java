package smptrace.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * One finding: what is wrong (kind), whether the run showed it (observed) or the LKMM / a locking
 * discipline allows it next to this run (predicted), the events involved, a short witness, and a
 * fingerprint from the kind and the involved sites and locations by name (never event numbers), so
 * the same problem in another run of the same code has the same fingerprint.
 */
public final class Finding {
    public enum Kind {
        ORDERING_VIOLATION("ordering-violation"),
        DATA_RACE("data-race"),
        DOUBLE_ENQUEUE("double-enqueue"),
        LOCK_OWNERSHIP_RACE("lock-ownership-race"),
        LOST_IPI("lost-ipi"),
        PREEMPTION_WINDOW("preemption-window"),
        /** An access to an object after it died (KFREE): use after free, or after the function holding it returned. */
        USE_AFTER_FREE("use-after-free"),
        LOST_WAKEUP("lost-wakeup"),
        HANG("hang"),
        USE_AFTER_RELEASE("use-after-release");

        public final String id;

        Kind(String id) {
            this.id = id;
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown finding kind " + s);
        }
    }

    public final Kind kind;
    public final boolean predicted;
    /** A short rule name ("R1", "L4", "MP", "SB", "wr-race", ...). */
    public final String rule;
    public final String summary;
    public final List<EventRef> events;
    public final List<String> witness;
    public final String fingerprint;
    /** What the fingerprint is the hash of: {@code kind|rule|component...} in the kernel's words (see {@link Fingerprints}). */
    public final String fingerprintKey;
    /** A real LKMM data race the kernel tolerates by design (not counted as a problem); reason says why. */
    public final boolean tolerated;
    public final String reason;
    /** Ordering violations: the bad outcome as a litmus test (C dialect, with its Result line), else null. */
    public final String litmus;
    int occurrences = 1;
    /** The entry of the accepted-kernel-races file (docs/accepted-races.md) that lists this race, or null. */
    String accepted;
    String acceptedReason;

    Finding(Kind kind, boolean predicted, String rule, String summary, List<EventRef> events, List<String> witness,
            String fingerprintKey, boolean tolerated, String reason, String litmus) {
        this.kind = kind;
        this.predicted = predicted;
        this.rule = rule;
        this.summary = summary;
        this.events = List.copyOf(events);
        this.witness = List.copyOf(witness);
        this.fingerprintKey = fingerprintKey;
        this.fingerprint = Fingerprints.hash(fingerprintKey);
        this.tolerated = tolerated;
        this.reason = reason;
        this.litmus = litmus;
    }

    /** How many times the analysis met this finding (same fingerprint) in the trace. */
    public int occurrences() {
        return occurrences;
    }

    /** The id of the accepted kernel race this finding is (not counted), or null. */
    public String accepted() {
        return accepted;
    }

    /** Why the kernel accepts it, with the kernel's own annotation; null unless accepted. */
    public String acceptedReason() {
        return acceptedReason;
    }

    /** Counts as a problem: neither tolerated by a rule nor an accepted kernel race. */
    public boolean counts() {
        return !tolerated && accepted == null;
    }

    public String mode() {
        return predicted ? "predicted" : "observed";
    }

    /** Builds a finding; the fingerprint is computed from kind, rule and the keys added with {@link #key}. */
    static final class Builder {
        private final Kind kind;
        private final boolean predicted;
        private final String rule;
        private String fingerprintRule;
        private String summary = "";
        private final List<EventRef> events = new ArrayList<>();
        private final List<String> witness = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();
        private boolean tolerated;
        private String reason;
        private String litmus;

        Builder(Kind kind, boolean predicted, String rule) {
            this.kind = kind;
            this.predicted = predicted;
            this.rule = rule;
        }

        /**
         * The rule as the fingerprint names it, when the shown rule says something a run decides (the order
         * in which a data race's two accesses happened: rw-race and wr-race are one race).
         */
        Builder fingerprintRule(String r) {
            fingerprintRule = r;
            return this;
        }

        Builder summary(String s) {
            summary = s;
            return this;
        }

        Builder event(EventRef r) {
            events.add(r);
            return this;
        }

        Builder witness(String line) {
            witness.add(line);
            return this;
        }

        /**
         * A fingerprint component, spelled by {@link Fingerprints}: a kernel function with its access kind
         * ("csd_lock:RMW_ACQUIRE"), an object or field role ("cfd_data[*].csd[*]"); never a file:line, id or number.
         */
        Builder key(String k) {
            keys.add(k);
            return this;
        }

        /** The finding as a litmus test (the program the memory model was asked about). */
        Builder litmus(String text) {
            litmus = text;
            return this;
        }

        Builder tolerated(String why) {
            tolerated = true;
            reason = why;
            return this;
        }

        Finding build() {
            StringBuilder fp = new StringBuilder(kind.id).append('|').append(fingerprintRule != null ? fingerprintRule : rule);
            for (String k : keys) {
                fp.append('|').append(k);
            }
            return new Finding(kind, predicted, rule, summary, events, witness, fp.toString(), tolerated, reason, litmus);
        }
    }
}

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
    /**
     * The one vocabulary of finding kinds: the id every output uses (text, JSON, SARIF rule ids, HTML,
     * {@code patches}, {@code scenarios}, docs), a title, the rank of the root cause it is (1 = most
     * severe; root causes print in this order), the SARIF level, a one-paragraph description, and the
     * engine run outcomes (smptrace.engine.Outcome names) that show it. A new kind is one line here; the
     * short constructor gives the defaults, and every report renders it from its Finding data alone.
     */
    public enum Kind {
        ORDERING_VIOLATION("ordering-violation", "ordering violation", 4, "error",
                "An outcome the Linux-kernel memory model allows next to this run breaks what the code relies on "
                        + "(a reader sees a pointer without the data it publishes, or both sides of a store-buffering "
                        + "handshake miss each other)."),
        DATA_RACE("data-race", "data race", 5, "warning",
                "Two accesses to one location, at least one a write and at least one plain, that no "
                        + "happens-before path orders (LKMM data race; KCSAN would report it)."),
        DOUBLE_ENQUEUE("double-enqueue", "double enqueue", 1, "error",
                "A node is llist_add()ed while still on a list: node->next == node or a cycle, and the flush "
                        + "loops or runs a callback twice.", "DOUBLE_ENQUEUE"),
        LOCK_OWNERSHIP_RACE("lock-ownership-race", "CSD ownership race", 1, "error",
                "Two contexts own one call_single_data at once, or a non-owner writes, enqueues or unlocks it "
                        + "(the CSD_FLAG_LOCK discipline of csd_lock()/csd_unlock() is broken).", "TWO_OWNERS"),
        LOST_IPI("lost-ipi", "lost IPI", 2, "error",
                "A CSD is queued where no flush will run it (the target CPU went offline after its dying "
                        + "flush), so its callback is lost and a synchronous caller waits forever.",
                "IPI_TO_OFFLINE"),
        PREEMPTION_WINDOW("preemption-window", "preemption window", 3, "error",
                "Per-CPU scratch state is touched with preemption enabled, so another task on the same CPU can "
                        + "reuse it in between (the get_cpu()/put_cpu() section is too short).",
                "MASK_OVERWRITTEN"),
        /** An access to an object after it died (KFREE): use after free, or after the function holding it returned. */
        USE_AFTER_FREE("use-after-free", "use after free", 1, "error",
                "An access to an object after it died: kfree()d or free_percpu()d memory, or an on-stack object "
                        + "after the function holding it returned (KASAN would report it)."),
        LOST_WAKEUP("lost-wakeup", "lost wakeup", 2, "error",
                "Work is queued onto an empty call_single_queue and no IPI (or later flush) ever runs it: the "
                        + "sender skipped the kick it owed, so the callback is lost and a waiter spins forever.",
                "CALLBACK_LOST"),
        HANG("hang", "hang", 2, "error",
                "The run stopped making progress: a context kept waiting (csd_lock_wait() or a flush loop) until "
                        + "the watchdog ended it.", "STUCK"),
        USE_AFTER_RELEASE("use-after-release", "use after release", 1, "error",
                "A callback's func/info or result is used after the CSD was unlocked, when its owner may already "
                        + "reuse or free them (csd_unlock() before csd_do_func() for a synchronous CSD).",
                "SYNC_RETURNED_EARLY");

        public final String id;
        /** Words for a headline: "CSD ownership race in csd_lock / csd_lock". */
        public final String title;
        /** Root-cause order: 1 ownership and double enqueue, 2 lost IPI, 3 preemption, 4 ordering, 5 data race. */
        public final int severity;
        /** SARIF result level: error, warning or note. */
        public final String level;
        public final String description;
        /** smptrace.engine.Outcome names whose runs show this kind (scenarios lists variants by them). */
        public final java.util.List<String> outcomes;
        /** Findings of this kind are about a racing pair of sites: reports show one entry per pair, whatever the access kinds. */
        private boolean pairs;

        static {
            DATA_RACE.pairs = true;
        }

        public boolean byPairOfSites() {
            return pairs;
        }

        /** A kind with default presentation: its id as the title, severity 3, level error. */
        Kind(String id) {
            this(id, id.replace('-', ' '), 3, "error", id.replace('-', ' '));
        }

        Kind(String id, String title, int severity, String level, String description, String... outcomes) {
            this.id = id;
            this.title = title;
            this.severity = severity;
            this.level = level;
            this.description = description;
            this.outcomes = java.util.List.of(outcomes);
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown finding kind " + s);
        }

        /** The kind an engine run outcome (smptrace.engine.Outcome name) shows, or null (STUCK: a hang kind, if one exists). */
        public static Kind ofOutcome(String outcome) {
            for (Kind k : values()) {
                if (k.outcomes.contains(outcome)) {
                    return k;
                }
            }
            return null;
        }

        /** "data-race, double-enqueue, ..." for help texts. */
        public static String ids() {
            StringBuilder b = new StringBuilder();
            for (Kind k : values()) {
                b.append(b.length() == 0 ? "" : ", ").append(k.id);
            }
            return b.toString();
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
    /**
     * The kernel object the finding is about ("per_cpu(csd_data, 1)"), when the detector names one;
     * else null and reports use the objects of the accessed locations. Root causes group by it.
     */
    public String subject;
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
        private String subject;

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

        /** The kernel object this finding is about, by its kernel name (see {@link Finding#subject}). */
        Builder subject(String objectName) {
            subject = objectName;
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
            Finding f = new Finding(kind, predicted, rule, summary, events, witness, fp.toString(), tolerated, reason, litmus);
            f.subject = subject;
            return f;
        }
    }
}

package smptrace.analysis;

import static smptrace.analysis.Finding.Kind.DATA_RACE;
import static smptrace.analysis.Finding.Kind.DOUBLE_ENQUEUE;
import static smptrace.analysis.Finding.Kind.LOCK_OWNERSHIP_RACE;
import static smptrace.analysis.Finding.Kind.LOST_IPI;
import static smptrace.analysis.Finding.Kind.LOST_WAKEUP;
import static smptrace.analysis.Finding.Kind.USE_AFTER_RELEASE;
import static smptrace.analysis.Finding.Kind.ORDERING_VIOLATION;
import static smptrace.analysis.Finding.Kind.PREEMPTION_WINDOW;
import static smptrace.analysis.Finding.Kind.USE_AFTER_FREE;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The expected verdict per patch and variant (patches.md, summarised in docs/analyzer.md): the finding
 * kinds that must appear in the variant's traces and those that must appear in none. Used by
 * {@code smptrace patches} and its tests only; the analysis itself never looks at the variant.
 */
public final class Expectations {
    private Expectations() { }

    /**
     * @param debug         null: the scenario's default; else CONFIG_CSD_LOCK_WAIT_DEBUG forced on/off for this row
     * @param noRaceOnField a field on which no (counted) data race may be reported ("cur_csd" for 000 after), or null
     * @param scenario      null: the variant's own scenario; else the engine scenario this row runs (the correct kernel
     *                      on the callers' patterns)
     */
    public record Row(String patch, String variant, Boolean debug, Set<Finding.Kind> must, Set<Finding.Kind> mustNot,
                      String noRaceOnField, String scenario) {
        public Row(String patch, String variant, Boolean debug, Set<Finding.Kind> must, Set<Finding.Kind> mustNot,
                   String noRaceOnField) {
            this(patch, variant, debug, must, mustNot, noRaceOnField, null);
        }

        public String label() {
            return variant + (scenario == null ? "" : " on " + scenario) + (debug == null ? "" : debug ? " (debug)" : " (non-debug)");
        }

        /** The verdict text: "must: a, b; must not: c". */
        public String text() {
            StringBuilder b = new StringBuilder();
            if (!must.isEmpty()) {
                b.append(ids(must));
            } else {
                b.append("-");
            }
            if (!mustNot.isEmpty()) {
                b.append(" / not ").append(mustNot.size() == Finding.Kind.values().length ? "any" : ids(mustNot));
            }
            if (noRaceOnField != null) {
                b.append(", no data-race on ").append(noRaceOnField);
            }
            return b.toString();
        }
    }

    private static String ids(Set<Finding.Kind> s) {
        StringBuilder b = new StringBuilder();
        for (Finding.Kind k : s) {
            b.append(b.length() == 0 ? "" : ",").append(k.id);
        }
        return b.toString();
    }

    private static Set<Finding.Kind> of(Finding.Kind... ks) {
        return ks.length == 0 ? EnumSet.noneOf(Finding.Kind.class) : EnumSet.of(ks[0], ks);
    }

    private static Set<Finding.Kind> all() {
        return EnumSet.allOf(Finding.Kind.class);
    }

    private static Row row(String p, String v, Set<Finding.Kind> must, Set<Finding.Kind> mustNot) {
        return new Row(p, v, null, must, mustNot, null);
    }

    /**
     * The correct kernel ("after": every seed patch applied, the same code whichever patch the run is about) on the
     * scenarios that no patch owns: nothing may count there (accepted kernel races and tolerated findings only).
     */
    private static Row clean(String scenario) {
        return new Row("000", "after", null, of(), all(), null, scenario);
    }

    public static List<Row> rows() {
        return List.of(
                row("000", "before", of(DATA_RACE), of(ORDERING_VIOLATION)),
                new Row("000", "after", null, of(), all(), "cur_csd"),
                row("000", "plain-publish", of(ORDERING_VIOLATION), of()),
                row("000", "plain-clear", of(ORDERING_VIOLATION), of()),
                row("000", "reader-once", of(ORDERING_VIOLATION), of()),
                row("000", "func-after-release", of(ORDERING_VIOLATION), of()),
                row("000", "sync-unlock-before-func", of(USE_AFTER_RELEASE), of()),
                row("001", "before", of(LOCK_OWNERSHIP_RACE, DOUBLE_ENQUEUE), of()),
                new Row("001", "after", true, of(), all(), null),
                new Row("001", "after", false, of(), all(), null),
                row("001", "plain-rmw-in-debug", of(LOCK_OWNERSHIP_RACE), of()),
                row("001", "single-cas-attempt", of(LOCK_OWNERSHIP_RACE), of()),
                row("001", "dest-csd-nondebug", of(LOCK_OWNERSHIP_RACE), of()),
                row("002", "before", of(LOCK_OWNERSHIP_RACE, DOUBLE_ENQUEUE, ORDERING_VIOLATION), of()),
                row("002", "after", of(), all()),
                row("002", "no-mb-before-atomic", of(ORDERING_VIOLATION), of()),
                row("002", "no-mb-in-flush", of(ORDERING_VIOLATION), of()),
                row("002", "enqueue-on-failed-cas", of(DOUBLE_ENQUEUE), of()),
                row("002", "ipi-only-if-queued", of(LOST_WAKEUP), of()),
                row("003", "before", of(), all()),
                row("003", "after", of(), all()),
                row("003", "pre-series", of(), all()),
                row("003", "put-cpu-before-send", of(PREEMPTION_WINDOW), of()),
                row("003", "put-cpu-before-lock", of(PREEMPTION_WINDOW, LOCK_OWNERSHIP_RACE), of()),
                row("003", "wait-on-percpu-mask", of(PREEMPTION_WINDOW), of()),
                row("003", "free-csd-on-dead", of(USE_AFTER_FREE), of()),
                row("004", "before", of(), all()),
                row("004", "after", of(), all()),
                row("004", "online-check-outside-pinned", of(LOST_IPI), of()),
                clean("standard"),
                clean("sync-result"),
                clean("async-rearm"),
                clean("hotplug-dead"),
                clean("hotplug-cycle"),
                clean("ttwu"),
                clean("irq-work"));
    }
}

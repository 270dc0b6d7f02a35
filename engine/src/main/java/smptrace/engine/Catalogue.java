package smptrace.engine;

import java.util.Arrays;
import java.util.List;

/** What the engine offers: the patches (number, subject, seed file), their variants, and the scenarios. */
public final class Catalogue {
    private Catalogue() { }

    public static List<Patch> patches() {
        return Arrays.asList(Patch.values());
    }

    /** before, after, then the patch's named mutants. */
    public static List<Variant> variants(Patch p) {
        return Variant.of(p);
    }

    public static List<Scenario> scenarios() {
        return Arrays.asList(Scenario.values());
    }

    public static Scenario scenarioFor(Patch p) {
        return Scenario.forPatch(p);
    }

    /** The interleaving outcome a (patch, variant) must show under some controlled seeds; null if none. */
    public static Outcome expectedBad(Patch p, Variant v) {
        if (v == Variant.BEFORE && p == Patch.P001) {
            return Outcome.TWO_OWNERS;          // b0473dcd4b1d + plain csd_lock() in debug mode
        }
        return v.badOutcome;
    }

    /** Variants expected clean (no bad outcome in any controlled run without the agent). */
    public static boolean expectedClean(Patch p, Variant v) {
        return expectedBad(p, v) == null;
    }

    /** A human-readable listing. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (Patch p : patches()) {
            sb.append(p.number).append("  ").append(p.subject).append("  [").append(p.seedFile).append("]\n");
            for (Variant v : variants(p)) {
                sb.append("    ").append(v.label);
                Outcome o = expectedBad(p, v);
                if (o != null) {
                    sb.append("  (shows ").append(o.kind).append(")");
                } else if (v.isMutant() && v.interleavingBug) {
                    sb.append("  (interleaving bug without an outcome in uninstrumented runs)");
                } else if (v.isUnpatched() && v.isMutant() == false && v.patch != null) {
                    sb.append("  (reference shape, correct)");
                } else if (v.isMutant()) {
                    sb.append("  (weak-memory only: no interleaving outcome)");
                }
                sb.append(": ").append(v.description).append('\n');
            }
        }
        sb.append("scenarios:\n");
        for (Scenario s : scenarios()) {
            sb.append("    ").append(s.id).append(" (min ").append(s.minCpus).append(" CPUs, length ")
                    .append(s.defaultLength).append(", debug ").append(s.defaultDebug ? "on" : "off").append("): ")
                    .append(s.description).append('\n');
        }
        return sb.toString();
    }
}

package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Broken variants show their interleaving outcome under some controlled seeds (no agent attached);
 * correct variants never show any bad outcome over 500 seeds each.
 */
class VariantOutcomeTest {
    static final int BROKEN_SEEDS = 150;
    static final int CLEAN_SEEDS = 500;

    /** Even seeds: uniform random walk; odd seeds: PCT depth 3. */
    static RunConfig cfg(Patch p, Variant v, long seed) {
        return RunConfig.of(p, v).withSeed(seed).withSchedule(seed % 2 == 0 ? Schedule.RANDOM : Schedule.PCT);
    }

    @TestFactory
    Stream<DynamicTest> brokenVariantsShowTheirOutcome() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Patch p : Catalogue.patches()) {
            for (Variant v : Catalogue.variants(p)) {
                Outcome o = Catalogue.expectedBad(p, v);
                if (o == null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(p.number + " " + v.label + " shows " + o, () -> {
                    int hit = 0;
                    int stuck = 0;
                    for (long seed = 0; seed < BROKEN_SEEDS; seed++) {
                        RunResult r = Engine.run(cfg(p, v, seed));
                        if (r.has(o)) {
                            hit++;
                        }
                        if (r.stuck()) {
                            stuck++;
                        }
                    }
                    System.out.println("[outcome] patch " + p.number + " variant " + v.label + ": " + o.kind + " in " + hit
                            + " of " + BROKEN_SEEDS + " seeds (stuck in " + stuck + ")");
                    assertTrue(hit > 0, p.number + " " + v.label + " never showed " + o);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> correctVariantsStayClean() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Patch p : Catalogue.patches()) {
            for (Variant v : List.of(Variant.BEFORE, Variant.AFTER)) {
                if (!Catalogue.expectedClean(p, v)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(p.number + " " + v.label + " clean", () -> {
                    int bad = 0;
                    String first = null;
                    for (long seed = 0; seed < CLEAN_SEEDS; seed++) {
                        RunResult r = Engine.run(cfg(p, v, seed));
                        if (r.bad() || r.warnings() > 0) {
                            bad++;
                            if (first == null) {
                                first = r.summary() + " " + r.notes();
                            }
                        }
                    }
                    System.out.println("[outcome] patch " + p.number + " variant " + v.label + ": bad outcome in " + bad
                            + " of " + CLEAN_SEEDS + " seeds");
                    assertEquals(0, bad, "first bad run: " + first);
                }));
            }
        }
        return tests.stream();
    }
}

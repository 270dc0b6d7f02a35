package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential corpus: thousands of tests made from diy7's critical cycles of the LKMM's
 * relations (2 to 8 processes; every fence, release/acquire, dependency and RCU relation, with
 * seeded RMW and spinlock variants), each with herd7's verdict, data-race flag and positive and
 * negative execution counts ({@link DiyCorpus}, {@code litmus/diy/regenerate.sh}). Every one must
 * agree exactly. Speed is measured by {@code smptrace litmus --no-record} on the same corpus, not
 * here (docs/performance.md).
 */
class DiyCorpusAgreementTest {
    static final String CORPUS = "src/test/resources/litmus/diy/lkmm-diy.litmus.gz";
    private static List<String> tests;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(java.nio.file.Path.of(CORPUS))) {
            tests = DiyCorpus.unpack(in);
        }
    }

    @Test
    void theCorpusSpansTwoToEightProcessesAndTheModelsRelations() {
        assertTrue(tests.size() >= 5000, "only " + tests.size() + " tests");
        Map<Integer, Integer> byProcs = new TreeMap<>();
        for (String t : tests) {
            int procs = 0;
            while (t.contains("\nP" + procs + "(")) {
                procs++;
            }
            byProcs.merge(procs, 1, Integer::sum);
        }
        for (int p = 2; p <= 8; p++) {
            assertTrue(byProcs.getOrDefault(p, 0) >= 100, p + " processes: " + byProcs);
        }
        for (String primitive : new String[] {"smp_mb()", "smp_rmb()", "smp_wmb()", "barrier()",
            "smp_mb__before_atomic()", "smp_mb__after_atomic()", "synchronize_rcu()", "rcu_read_lock()",
            "smp_store_release(", "smp_load_acquire(", "xchg(", "xchg_relaxed(", "xchg_release(", "xchg_acquire(",
            "cmpxchg", "atomic_fetch_add", "spin_lock(", "smp_mb__after_spinlock()", " ^ ", "if (", "= *"}) {
            assertTrue(tests.stream().filter(t -> t.contains(primitive)).count() >= 20, primitive);
        }
        long never = tests.stream().filter(t -> t.contains("Result: Never")).count();
        long sometimes = tests.stream().filter(t -> t.contains("Result: Sometimes")).count();
        assertTrue(never >= 500 && sometimes >= 500, never + " Never, " + sometimes + " Sometimes");
    }

    @Test
    void everyTestAgreesWithHerd7IncludingExecutionCountsAndDataRaces() {
        LitmusParser parser = new LitmusParser();
        LitmusDecider decider = new LitmusDecider();
        StringBuilder bad = new StringBuilder();
        int disagree = 0;
        for (String t : tests) {
            String why = DiyCorpus.compare(t, parser, decider, new long[1]);
            if (why != null) {
                if (disagree++ < 20) {
                    bad.append(t, 2, t.indexOf('\n')).append(": ").append(why).append('\n');
                }
            }
        }
        System.out.println("diy7 corpus: " + (tests.size() - disagree) + "/" + tests.size() + " agree with herd7");
        assertEquals(0, disagree, bad.toString());
    }
}

package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.ObjectRole;
import smptrace.trace.TraceReader;

/**
 * The agent records the engine's ROLE and KFREE events and the reader reads them back: every per-CPU
 * object carries its role and CPU, on-stack CSDs and infos die when their function returns, and the
 * pre-series smpcfd_dead_cpu() mutant frees cfd->csd (and the analysis reports the waiter's use after free).
 */
class LifetimeAndRoleEventsIT {
    @Test
    void rolesAndLifetimesOfASyncResultRunAreRecordedAndReadBack(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "003", "--variant", "after", "--scenario",
                "sync-result", "--seed", "3", "--out", t.toString());
        assertEquals(0, rec.exit(), rec.err());
        Map<ObjectRole, Integer> roles = new EnumMap<>(ObjectRole.class);
        Map<Long, Integer> freedHow = new java.util.HashMap<>();
        Set<Long> queues = new HashSet<>();
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals(smptrace.trace.TraceFormat.VERSION, r.info().formatVersion());
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind == EventKind.ROLE) {
                    ObjectRole role = r.info().objectRole((int) e.a);
                    roles.merge(role, 1, Integer::sum);
                    if (role == ObjectRole.CALL_SINGLE_QUEUE) {
                        queues.add((long) r.info().roleCpu((int) e.a));
                    }
                } else if (e.kind == EventKind.KFREE) {
                    freedHow.put(e.a, (int) e.b);
                }
            }
        }
        assertEquals(Set.of(0L, 1L, 2L, 3L), queues, "one call_single_queue per CPU, each with its CPU");
        assertEquals(16, roles.get(ObjectRole.CFD_CSD), "4 CPUs x 4 destinations");
        assertTrue(roles.getOrDefault(ObjectRole.STACK_CSD, 0) > 0, roles.toString());
        assertTrue(roles.getOrDefault(ObjectRole.REQUEST_INFO, 0) > 0, roles.toString());
        assertTrue(freedHow.containsValue(EventKind.FREE_RETURNED), "on-stack CSDs and infos die at return");
        assertTrue(freedHow.containsValue(EventKind.FREE_KFREE), "heap infos are kfree()d");
        CliBadInputTest.Run an = CliBadInputTest.cli("analyze", t.toString());
        assertTrue(!an.out().contains("use-after-free"), an.out());
    }

    @Test
    void theFreeCsdOnDeadMutantFreesCfdCsdUnderAWaiter(@TempDir Path dir) throws Exception {
        int uaf = 0;
        for (int seed = 1; seed <= 4; seed++) {
            Path t = dir.resolve("d5-" + seed);
            CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "003", "--variant", "free-csd-on-dead",
                    "--seed", String.valueOf(seed), "--out", t.toString());
            assertEquals(0, rec.exit(), rec.err());
            int percpuFrees = 0;
            try (TraceReader r = TraceReader.open(t)) {
                Event e = new Event();
                while (r.next(e)) {
                    if (e.kind == EventKind.KFREE && e.b == EventKind.FREE_PERCPU) {
                        assertEquals(ObjectRole.CFD_CSD, r.info().objectRole((int) e.a));
                        assertEquals(0, r.info().roleCpu((int) e.a));
                        percpuFrees++;
                    }
                }
            }
            assertEquals(4, percpuFrees, "smpcfd_dead_cpu(0) frees cfd_data[0].csd[0..3]");
            CliBadInputTest.Run an = CliBadInputTest.cli("analyze", t.toString());
            uaf += an.out().contains("(use-after-free, observed") ? 1 : 0; // the cause line: (kind, mode, rules; fingerprint)
        }
        assertTrue(uaf > 0, "no seed of 1..4 showed the waiter on freed cfd->csd");
    }
}

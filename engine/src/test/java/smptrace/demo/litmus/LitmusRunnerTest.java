package smptrace.demo.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine-side litmus runner without the agent: processes as tasks on the kernel primitives
 * under the controlled scheduler. One task runs at a time, so every outcome is sequentially
 * consistent; deadlocks end as aborted runs, impossible values as errors.
 */
class LitmusRunnerTest {
    private static final String SB = String.join("\n", Ops.MAGIC,
        "test 0 SB", "runs 24 7", "loc x int 0", "loc y int 0",
        "proc 0 4 r0=0", "addr 1 x", "const 2 1", "st once 1 2", "addr 3 y", "ld once 0 3", "endproc",
        "proc 1 4 r0=0", "addr 1 y", "const 2 1", "st once 1 2", "addr 3 x", "ld once 0 3", "endproc",
        "endtest");

    private static Ops.Test parse(String text) {
        return Ops.parse(List.of(text.split("\n"))).get(0);
    }

    @Test
    void storeBufferingShowsOnlySequentiallyConsistentOutcomes() {
        List<LitmusRunner.RunResult> rs = new LitmusRunner(20_000, 2_000).run(parse(SB));
        assertEquals(24, rs.size());
        Set<String> seen = new HashSet<>();
        for (LitmusRunner.RunResult r : rs) {
            assertTrue(r.ok(), r.status());
            assertEquals("1", r.outcome().get("x"));
            assertEquals("1", r.outcome().get("y"));
            seen.add(r.outcome().get("0:r0") + r.outcome().get("1:r0"));
        }
        // the two sequential runs, P0 first and P1 first
        assertTrue(seen.contains("01") && seen.contains("10"), seen.toString());
        assertTrue(Set.of("01", "10", "11").containsAll(seen), seen.toString());
    }

    @Test
    void locksExcludeAndAControlDependencyFollowsTheValueRead() {
        // P0: spin_lock(s); x = 1; x = 2; spin_unlock(s)   P1: spin_lock(s); r0 = x; if (r0 == 1) y = 1; spin_unlock(s)
        String t = String.join("\n", Ops.MAGIC, "test 3 L", "runs 32 5", "loc s lock", "loc x int 0", "loc y int 0",
            "proc 0 4", "addr 0 s", "lock 0", "addr 1 x", "const 2 1", "st once 1 2", "const 3 2", "st once 1 3",
            "unlock 0", "endproc",
            "proc 1 6 r0=0", "addr 1 s", "lock 1", "addr 2 x", "ld once 0 2", "const 3 1", "bin == 4 0 3", "jz 4 9",
            "addr 5 y", "st once 5 3", "unlock 1", "endproc", "endtest");
        for (LitmusRunner.RunResult r : new LitmusRunner(20_000, 2_000).run(parse(t))) {
            assertTrue(r.ok(), r.status());
            assertTrue(Set.of("0", "2").contains(r.outcome().get("1:r0")), r.outcome().toString());
            assertEquals("0", r.outcome().get("y"));
        }
    }

    @Test
    void aLockNeverReleasedAbortsTheRunInsteadOfHanging() {
        String t = String.join("\n", Ops.MAGIC, "test 1 deadlock", "runs 3 1", "loc s lock",
            "proc 0 1", "addr 0 s", "lock 0", "endproc", "proc 1 1", "addr 0 s", "lock 0", "endproc", "endtest");
        List<LitmusRunner.RunResult> rs = new LitmusRunner(5_000, 2_000).run(parse(t));
        assertEquals(3, rs.size());
        for (LitmusRunner.RunResult r : rs) {
            assertTrue(r.status().startsWith("aborted: no end after 5000 scheduling points"), r.status());
        }
    }

    @Test
    void anRcuGracePeriodWaitsForTheReaderAndEnds() {
        // P0: rcu_read_lock; r0 = x; r1 = y; rcu_read_unlock   P1: y = 1; synchronize_rcu; x = 1
        String t = String.join("\n", Ops.MAGIC, "test 2 rcu", "runs 16 3", "loc x int 0", "loc y int 0",
            "proc 0 4 r0=0 r1=1", "fence rcu_read_lock", "addr 2 x", "ld once 0 2", "addr 3 y", "ld once 1 3",
            "fence rcu_read_unlock", "endproc",
            "proc 1 3", "addr 0 y", "const 1 1", "st once 0 1", "fence synchronize_rcu", "addr 2 x", "st once 2 1",
            "endproc", "endtest");
        for (LitmusRunner.RunResult r : new LitmusRunner(20_000, 2_000).run(parse(t))) {
            assertTrue(r.ok(), r.status());
            // the reader saw x = 1 (after the grace period), so its section did not precede it: y = 1 too
            assertTrue(!r.outcome().get("0:r0").equals("1") || r.outcome().get("0:r1").equals("1"), r.outcome().toString());
        }
    }

    @Test
    void pointersAreLocationsAndAnIntegerInAPointerLocationIsAnError() {
        String ok = String.join("\n", Ops.MAGIC, "test 0 p", "runs 2 1", "loc p ptr y", "loc y int 0", "loc x int 5",
            "proc 0 4 r0=0 r1=1", "addr 2 p", "addr 3 x", "st release 2 3", "ld once 0 2", "ld once 1 0", "endproc",
            "endtest");
        for (LitmusRunner.RunResult r : new LitmusRunner(20_000, 2_000).run(parse(ok))) {
            assertEquals(Map.of("0:r0", "x", "0:r1", "5", "p", "x", "x", "5", "y", "0"), r.outcome());
        }
        String bad = String.join("\n", Ops.MAGIC, "test 0 p", "runs 1 1", "loc p ptr 0",
            "proc 0 2", "addr 0 p", "const 1 5", "st once 0 1", "endproc", "endtest");
        LitmusRunner.RunResult r = new LitmusRunner(20_000, 2_000).run(parse(bad)).get(0);
        assertEquals("error: P0: integer 5 stored to a pointer location", r.status());
    }

    @Test
    void malformedProgramsAreRejectedWithTheLine() {
        assertThrows(IllegalArgumentException.class, () -> Ops.parse(List.of("hello")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.parse(List.of(Ops.MAGIC,
            "test 0 t", "runs 1 1", "loc x int 0", "proc 0 1", "frobnicate 0", "endproc", "endtest")));
        assertTrue(e.getMessage().contains("line 6") && e.getMessage().contains("frobnicate"), e.getMessage());
    }

    @Test
    void theMainWritesOneBlockPerTest(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("p.txt");
        Path results = dir.resolve("r.txt");
        Files.writeString(program, SB.replace("runs 24 7", "runs 3 7") + "\n", StandardCharsets.UTF_8);
        LitmusMain.main(new String[] {program.toString(), results.toString()});
        List<String> lines = Files.readAllLines(results);
        assertTrue(lines.get(0).startsWith("test 0 "), lines.toString());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("run 0 ") && l.endsWith(" ok")).count(), lines.toString());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("out 0 ") && l.contains(" 0:r0=")).count(), lines.toString());
    }
}

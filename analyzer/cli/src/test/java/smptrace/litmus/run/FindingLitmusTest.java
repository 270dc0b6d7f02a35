package smptrace.litmus.run;

import smptrace.analysis.FindingLitmus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.cli.Main;
import smptrace.litmus.Decision;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusParser;
import smptrace.litmus.LitmusTest;
import smptrace.trace.EventKind;

/** Findings exported as litmus tests: the model's verdict on the bad outcome, and smptrace litmus on the file. */
class FindingLitmusTest {
    private static FindingLitmus mp(EventKind flagWrite, EventKind flagRead) {
        return new FindingLitmus("MP-finding")
            .thread(List.of(FindingLitmus.Access.write(EventKind.W_ONCE, "data", 1),
                FindingLitmus.Access.write(flagWrite, "flag", 1)))
            .thread(List.of(FindingLitmus.Access.read(flagRead, "flag", 1),
                FindingLitmus.Access.read(EventKind.R_ONCE, "data", 0)))
            .badRead(1, 0, 1)
            .badRead(1, 1, 0);
    }

    @Test
    void messagePassingWithoutBarriersIsSometimes() {
        FindingLitmus f = mp(EventKind.W_ONCE, EventKind.R_ONCE);
        assertEquals(Decision.Verdict.SOMETIMES, f.decide().verdict());
        String text = f.write();
        assertTrue(text.contains("Result: Sometimes"), text);
        assertTrue(text.contains("exists (1:r0=1 /\\ 1:r1=0)") || text.contains("exists ((1:r0=1 /\\ 1:r1=0))"), text);
        LitmusTest back = new LitmusParser().parse(text);
        assertEquals(Decision.Verdict.SOMETIMES, new LitmusDecider().decide(back).verdict());
    }

    @Test
    void messagePassingWithReleaseAcquireIsNever() {
        FindingLitmus f = mp(EventKind.W_RELEASE, EventKind.R_ACQUIRE);
        assertEquals(Decision.Verdict.NEVER, f.decide().verdict());
        String text = f.write();
        assertTrue(text.contains("smp_store_release(flag, 1)") && text.contains("smp_load_acquire(flag)"), text);
        assertTrue(text.contains("Result: Never"), text);
    }

    @Test
    void theWrittenFileIsSometimesForSmptraceLitmus(@TempDir Path dir) throws IOException {
        LitmusCliEngineTest.assumeBuilt();
        Path f = dir.resolve("MP-finding.litmus");
        Files.writeString(f, mp(EventKind.W_ONCE, EventKind.R_ONCE).write());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = new Main().run(new String[] {"litmus", f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, table);
        assertTrue(table.lines().anyMatch(l -> l.matches("MP-finding\\s+Sometimes\\s+Sometimes\\s+yes\\s.*  ok")), table);
    }

    @Test
    void rmwsFencesAndLocksMapToTheirPrimitives() {
        FindingLitmus f = new FindingLitmus("mixed")
            .init("u", 1)
            .thread(List.of(FindingLitmus.Access.write(EventKind.W_ONCE, "x", 1),
                FindingLitmus.Access.fence(EventKind.F_BEFORE_ATOMIC),
                FindingLitmus.Access.rmw(EventKind.RMW_FAIL_RELAXED, "u", 1, 0)))
            .thread(List.of(FindingLitmus.Access.rmw(EventKind.LOCK, "s", 0, 1),
                FindingLitmus.Access.write(EventKind.W_RELEASE, "u", 0),
                FindingLitmus.Access.rmw(EventKind.UNLOCK, "s", 0, 0),
                FindingLitmus.Access.fence(EventKind.F_MB),
                FindingLitmus.Access.read(EventKind.R_ONCE, "x", 0)))
            .badRead(0, 2, 1)
            .badRead(1, 4, 0);
        String text = f.write();
        assertTrue(text.contains("smp_mb__before_atomic();"), text);
        assertTrue(text.contains("cmpxchg_relaxed(u, 0, 1)"), text);
        assertTrue(text.contains("spin_lock(s);") && text.contains("spin_unlock(s);"), text);
        assertEquals(Decision.Verdict.NEVER, f.decide().verdict(), text);
    }

    @Test
    void aBadReadMustNameARead() {
        FindingLitmus f = new FindingLitmus("w").thread(List.of(FindingLitmus.Access.write(EventKind.W_ONCE, "x", 1)));
        assertThrows(IllegalArgumentException.class, () -> f.badRead(0, 0, 1));
    }
}

package smptrace.litmus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusParser;
import smptrace.litmus.LitmusTest;

/** The engine's program form: what each statement compiles to, and what the engine cannot run. */
class EngineProgramTest {
    private static List<String> compile(String litmus) throws EngineProgram.NotRunnable {
        LitmusTest t = new LitmusParser().parse(litmus);
        return EngineProgram.compile(0, t, new LitmusDecider().view(t), 4, 1);
    }

    @Test
    void storesLoadsAndBranchesInTheModelsOrder() throws Exception {
        List<String> p = compile("C t\n{ p=y; }\nP0(int *x, int **p)\n{\n\tint *r0;\n\tint r1;\n"
            + "\tr0 = rcu_dereference(*p);\n\tr1 = READ_ONCE(*r0);\n\tif (r1 == 1) smp_store_release(x, 2);\n}\n"
            + "exists (0:r1=0)\n");
        assertEquals(List.of("test 0 t", "runs 4 1", "loc p ptr y", "loc y int 0", "loc x int 0",
            "proc 0 9 r0=0 r1=1",                      // 2 named registers + 7 temporaries
            "addr 2 p", "ld once 3 2", "mov 0 3",      // r0 = rcu_dereference(*p)
            "ld once 4 0", "mov 1 4",                 // r1 = READ_ONCE(*r0): the address is r0
            "const 5 1", "bin == 6 1 5", "jz 6 11",   // if (r1 == 1)
            "addr 7 x", "const 8 2", "st release 7 8", // smp_store_release(x, 2)
            "endproc", "endtest"), p);
    }

    @Test
    void primitivesWithoutAKernelTwinAreNotRunnable() {
        EngineProgram.NotRunnable e = assertThrows(EngineProgram.NotRunnable.class, () -> compile(
            "C t\n{}\nP0(atomic_t *v)\n{\n\tint r0;\n\tr0 = atomic_fetch_or_relaxed(1, v);\n}\nexists (0:r0=0)\n"));
        assertTrue(e.getMessage().contains("atomic_fetch_or"), e.getMessage());
        e = assertThrows(EngineProgram.NotRunnable.class, () -> compile("C t\n{}\nP0(spinlock_t *s, int *x)\n{\n"
            + "\tspin_lock(s);\n\tsmp_mb__after_unlock_lock();\n\tspin_unlock(s);\n}\nexists (x=0)\n"));
        assertTrue(e.getMessage().contains("smp_mb__after_unlock_lock"), e.getMessage());
    }

    @Test
    void atomicsMapToTheKernelsAtomicT() throws Exception {
        List<String> p = compile("C t\n{}\nP0(atomic_t *v)\n{\n\tint r0;\n\tint r1;\n\tatomic_inc(v);\n"
            + "\tr0 = atomic_dec_return(v);\n\tr1 = atomic_fetch_sub(2, v);\n}\nexists (0:r0=0)\n");
        assertTrue(p.contains("add 2 3"), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("dec_return ")), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("fetch_add ")), p.toString());
    }
}

package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import smptrace.lkmm.Tag;

/** Programs built in code are decided like parsed ones, and print as parseable litmus tests. */
class LitmusBuilderTest {
    private final LitmusDecider decider = new LitmusDecider();

    private static LitmusTest storeBuffering(Tag fence) {
        return new LitmusBuilder("SB")
            .thread(t -> {
                t.store("x", 1, Tag.ONCE);
                if (fence != null) {
                    t.fence(fence);
                }
                t.load("r0", "y", Tag.ONCE);
            })
            .thread(t -> {
                t.store("y", 1, Tag.ONCE);
                if (fence != null) {
                    t.fence(fence);
                }
                t.load("r0", "x", Tag.ONCE);
            })
            .exists("0:r0=0 /\\ 1:r0=0")
            .build();
    }

    @Test
    void storeBufferingNeedsSmpMbOnBothSides() {
        assertTrue(decider.decide(storeBuffering(null)).outcomeAllowed());
        assertTrue(decider.decide(storeBuffering(Tag.WMB)).outcomeAllowed());
        assertFalse(decider.decide(storeBuffering(Tag.MB)).outcomeAllowed());
    }

    @Test
    void seed002AfterPatchFailedCmpxchgWithMbBeforeAtomicIsOrdered() {
        LitmusTest t = new LitmusBuilder("CSD-async-ebusy-after")
            .init("u_flags", 1)
            .thread(p -> p.store("state", 1, Tag.ONCE).fence(Tag.BEFORE_ATOMIC).cmpxchg("r0", "u_flags", 0, 1, Tag.ONCE))
            .thread(p -> p.store("u_flags", 0, Tag.RELEASE).fence(Tag.MB).load("r1", "state", Tag.ONCE))
            .exists("0:r0=1 /\\ 1:r1=0")
            .build();
        Decision d = decider.decide(t);
        assertEquals(Decision.Verdict.NEVER, d.verdict());
        Decision back = decider.decide(new LitmusParser().parse(new LitmusWriter().write(t, null)));
        assertEquals(d, back);
    }

    @Test
    void addressDependencyThroughAPublishedPointerOrdersTheReader() {
        LitmusTest t = new LitmusBuilder("MP+onceassign+deref")
            .initPointer("p", "y")
            .thread(p -> p.store("x", 1, Tag.ONCE).storePointer("p", "x", Tag.RELEASE))
            .thread(p -> p.fence(Tag.RCU_LOCK).load("r0", "p", Tag.ONCE).loadVia("r1", "r0", Tag.ONCE)
                .fence(Tag.RCU_UNLOCK))
            .exists("1:r0=x /\\ 1:r1=0")
            .build();
        assertEquals(Decision.Verdict.NEVER, decider.decide(t).verdict());
    }

    @Test
    void controlDependencyOrdersAStoreButNotWithoutFenceOnTheOtherSide() {
        LitmusTest withMb = new LitmusBuilder("LB+ctrl+mb")
            .thread(p -> p.load("r0", "x", Tag.ONCE).ifEquals("r0", 1, in -> in.store("y", 1, Tag.ONCE)))
            .thread(p -> p.load("r0", "y", Tag.ONCE).fence(Tag.MB).store("x", 1, Tag.ONCE))
            .exists("0:r0=1 /\\ 1:r0=1")
            .build();
        assertFalse(decider.decide(withMb).outcomeAllowed());
        LitmusTest without = new LitmusBuilder("LB+ctrl+po")
            .thread(p -> p.load("r0", "x", Tag.ONCE).ifEquals("r0", 1, in -> in.store("y", 1, Tag.ONCE)))
            .thread(p -> p.load("r0", "y", Tag.ONCE).store("x", 1, Tag.ONCE))
            .exists("0:r0=1 /\\ 1:r0=1")
            .build();
        assertTrue(decider.decide(without).outcomeAllowed());
    }

    @Test
    void lockedIncrementsNeverLoseAnUpdate() {
        LitmusTest t = new LitmusBuilder("locked-increments")
            .thread(p -> p.lock("s").load("r0", "x", Tag.ONCE).stmt(new Ast.Store(new Ast.Name("x"),
                new Ast.Binary("+", new Ast.Name("r0"), new Ast.Const(1)), Tag.ONCE)).unlock("s"))
            .thread(p -> p.lock("s").load("r0", "x", Tag.ONCE).stmt(new Ast.Store(new Ast.Name("x"),
                new Ast.Binary("+", new Ast.Name("r0"), new Ast.Const(1)), Tag.ONCE)).unlock("s"))
            .exists("x=1")
            .build();
        assertEquals(Decision.Verdict.NEVER, decider.decide(t).verdict());
    }

    @Test
    void plainConflictingStoresRaiseTheDataRaceFlag() {
        LitmusTest t = new LitmusBuilder("WW-plain")
            .thread(p -> p.store("x", 1, Tag.PLAIN))
            .thread(p -> p.store("x", 2, Tag.PLAIN))
            .exists("x=2")
            .build();
        Decision d = decider.decide(t);
        assertEquals(Decision.Verdict.SOMETIMES, d.verdict());
        assertTrue(d.dataRace());
    }
}

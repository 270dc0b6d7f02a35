package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {
    @Test
    void catalogueNamesPatchesVariantsScenarios() {
        assertEquals(5, Catalogue.patches().size());
        String[][] required = {
            {"000", "plain-publish"}, {"000", "plain-clear"}, {"000", "reader-once"},
            {"001", "plain-rmw-in-debug"}, {"001", "single-cas-attempt"},
            {"002", "no-mb-before-atomic"}, {"002", "no-mb-in-flush"},
            {"003", "put-cpu-before-send"}, {"003", "put-cpu-before-lock"}, {"003", "wait-on-percpu-mask"},
            {"004", "online-check-outside-pinned"}};
        for (String[] r : required) {
            Patch p = Patch.parse(r[0]);
            assertEquals(r[1], Variant.parse(p, r[1]).label);
            assertEquals(p, Variant.parse(p, r[1]).patch);
        }
        for (Patch p : Catalogue.patches()) {
            assertEquals("before", Catalogue.variants(p).get(0).label);
            assertEquals("after", Catalogue.variants(p).get(1).label);
            assertTrue(p.seedFile.startsWith(p.number + "_"));
            assertTrue(p.subject.contains("smp:"));
        }
        assertEquals(12, Catalogue.scenarios().size(), "000..004, standard, and the callers' patterns");
        assertTrue(Catalogue.describe().contains("Use release stores for csd_lock_record() state"));
    }

    @Test
    void patchNumbersParseAsNumbersAndShortHashPrefixesAreRefused() {
        assertEquals(Patch.P001, Patch.parse("1"));
        assertEquals(Patch.P004, Patch.parse("004"));
        assertEquals(Patch.P004, Patch.parse("1ae7edd9"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Patch.parse("1ae7"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Patch.parse("5"));
    }

    @Test
    void debugConfigTurnsTheKeyOffWithTheOptionBuiltIn() {
        RunConfig c = EngineMain.parse(List.of("--patch", "001", "--variant", "after", "--debug", "config"));
        assertTrue(c.configCsdLockWaitDebug());
        assertTrue(!c.csdlockDebugEnabled());
        assertEquals("config", c.debugMode());
        assertEquals("on", EngineMain.parse(List.of("--patch", "001", "--variant", "after", "--debug", "on")).debugMode());
    }

    @Test
    void mainArguments() {
        RunConfig c = EngineMain.parse(List.of("--patch", "003", "--variant", "put-cpu-before-send", "--seed", "7",
                "--schedule", "pct", "--pct-depth", "4", "--cpus", "5", "--length", "2"));
        assertEquals(Patch.P003, c.patch());
        assertEquals(Variant.M003_PUT_CPU_BEFORE_SEND, c.variant());
        assertEquals(Scenario.S003, c.scenario());
        assertEquals(7, c.seed());
        assertEquals(Schedule.PCT, c.schedule());
        assertEquals(4, c.pctDepth());
        assertEquals(5, c.cpus());
        assertEquals(2, c.length());
        assertEquals(Scenario.STANDARD, EngineMain.parse(List.of("--patch=001", "--variant=after", "--scenario=standard")).scenario());
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "009", "--variant", "after")));
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "000", "--variant", "single-cas-attempt")));
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "000", "--variant", "after", "--cpus", "2")));
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "000", "--variant", "after", "--schedule", "fast")));
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "000")));
        assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(List.of("--patch", "000", "--variant", "after", "--seed", "x")));
    }

    @Test
    void patchSwitches() {
        RunConfig before3 = RunConfig.of(Patch.P003, Variant.BEFORE);
        RunConfig after1 = RunConfig.of(Patch.P001, Variant.AFTER);
        RunConfig mut1 = RunConfig.of(Patch.P001, Variant.M001_SINGLE_CAS_ATTEMPT);
        assertTrue(!Patch.P003.applied(before3));
        assertTrue(Patch.P003.applied(after1));      // in the 2026 baseline
        assertTrue(Patch.P000.applied(after1));      // after: the whole series (the correct kernel)
        assertTrue(!Patch.P000.applied(mut1));      // a mutant changes its own patch only
        assertTrue(Patch.P001.applied(mut1) && mut1.is(Variant.M001_SINGLE_CAS_ATTEMPT));
        assertTrue(!RunConfig.of(Patch.P001, Variant.M001_DEST_CSD_NONDEBUG).csdLockDebug());
        assertTrue(RunConfig.of(Patch.P001, Variant.AFTER).csdLockDebug());
    }
}

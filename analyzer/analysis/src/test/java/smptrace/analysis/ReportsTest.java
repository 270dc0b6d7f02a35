package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;
import smptrace.trace.TraceInfo;

/** Root causes, the KCSAN-shaped text, and the kernel's words in reports. */
class ReportsTest {
    private static EventRef acc(int thread, String name, long seq, String op, String loc, String fn, int line) {
        return new EventRef(thread, name, seq, "task" + thread, thread, op, loc, "1", fn, "Smp.java", line);
    }

    private static Finding race(String loc, String rule, EventRef a, EventRef b) {
        return new Finding.Builder(Finding.Kind.DATA_RACE, false, rule).summary(rule + " on " + loc).event(a).event(b)
                .key(loc).key(rule).key(a.where()).key(b.where()).build();
    }

    @Test
    void oneEntryPerRacingPairOfSitesWhateverTheAccessKinds() {
        String loc = "counter_obj.counter";
        EventRef w1 = acc(1, "A", 3, "W_PLAIN", loc, "Smp.counter_inc", 10);
        EventRef r2 = acc(2, "B", 4, "R_PLAIN", loc, "Smp.counter_inc", 10);
        EventRef w2 = acc(2, "B", 5, "W_PLAIN", loc, "Smp.counter_inc", 10);
        List<Finding> fs = List.of(race(loc, "ww-race", w1, w2), race(loc, "wr-race", w1, r2), race(loc, "rw-race", r2, w1));
        List<RootCauses.Cause> cs = RootCauses.of(fs, false, Set.of(), Steps.none(new TraceInfo()));
        assertEquals(1, cs.size());
        assertEquals(3, cs.get(0).head().members.size());
        assertTrue(cs.get(0).explained().isEmpty());
        // the entry's fingerprint does not depend on which access kinds the run showed
        String all = cs.get(0).head().fingerprint();
        String one = RootCauses.of(List.of(fs.get(2)), false, Set.of(), Steps.none(new TraceInfo())).get(0).head().fingerprint();
        assertEquals(all, one);
    }

    @Test
    void theDoubleOwnershipOfACsdIsTheCauseOfTheRacesOnItsFieldsAndPrintsFirst() {
        String csd = "per_cpu(csd_data, 1)";
        EventRef a = acc(1, "sender0", 14, "W_PLAIN", csd + ".u_flags", "Smp.csd_lock", 490);
        EventRef b = acc(2, "sender2", 14, "W_PLAIN", csd + ".u_flags", "Smp.csd_lock", 490);
        Finding owners = new Finding.Builder(Finding.Kind.LOCK_OWNERSHIP_RACE, false, "two-owners")
                .subject(csd).summary("two contexts own " + csd + " at once").event(a).event(b).key("x").build();
        Finding onFunc = race(csd + ".func", "ww-race", acc(1, "sender0", 16, "W_PLAIN", csd + ".func", "Smp.f", 776),
                acc(2, "sender2", 17, "W_PLAIN", csd + ".func", "Smp.f", 776));
        Finding elsewhere = race("per_cpu(1).cur_csd", "wr-race", acc(3, "w", 1, "W_PLAIN", "per_cpu(1).cur_csd", "Smp.g", 293),
                acc(4, "r", 2, "R_ACQUIRE", "per_cpu(1).cur_csd", "Smp.h", 381));
        // the detector order (and fingerprints) put the races first; the report does not
        List<RootCauses.Cause> cs = RootCauses.of(List.of(onFunc, elsewhere, owners), false, Set.of(), Steps.none(new TraceInfo()));
        assertEquals(2, cs.size());
        assertEquals(Finding.Kind.LOCK_OWNERSHIP_RACE, cs.get(0).head().kind());
        assertEquals(List.of(onFunc), cs.get(0).explained().get(0).members);
        assertEquals(List.of(elsewhere), cs.get(1).head().members);
    }

    @Test
    void toleratedFindingsAreHiddenUnlessAskedAndKindsFilter() {
        EventRef a = acc(1, "A", 1, "W_PLAIN", "o.x", "Smp.a", 1);
        EventRef b = acc(2, "B", 1, "R_ONCE", "o.x", "Smp.b", 2);
        Finding tol = new Finding.Builder(Finding.Kind.DATA_RACE, false, "wr-race").event(a).event(b).key("t")
                .tolerated("by design").build();
        Finding real = race("o.y", "ww-race", acc(1, "A", 2, "W_PLAIN", "o.y", "Smp.c", 3), acc(2, "B", 2, "W_PLAIN", "o.y", "Smp.c", 3));
        Steps none = Steps.none(new TraceInfo());
        assertEquals(1, RootCauses.of(List.of(tol, real), false, Set.of(), none).size());
        List<RootCauses.Cause> shown = RootCauses.of(List.of(tol, real), true, Set.of(), none);
        assertEquals(2, shown.size());
        assertTrue(shown.get(1).head().tolerated(), "tolerated causes come last");
        assertTrue(RootCauses.of(List.of(tol, real), true, Set.of(Finding.Kind.ORDERING_VIOLATION), none).isEmpty());
    }

    @Test
    void theInterleavingShowsTheCheckThatReadTheLockFree() throws Exception {
        TraceBuilder t = new TraceBuilder();
        t.object("per_cpu(csd_data, 1)", "smptrace.engine.smp.call_single_data");
        TraceBuilder.Ctx a = t.task(1, "smp-sender0", 8, 0);
        TraceBuilder.Ctx b = t.task(2, "smp-sender2", 9, 2);
        a.mem(EventKind.R_ONCE, "per_cpu(csd_data, 1)", "u_flags", 0).at("csd_lock_wait");
        b.r("per_cpu(csd_data, 1)", "u_flags", 0).at("csd_lock").w("per_cpu(csd_data, 1)", "u_flags", 1).at("csd_lock");
        a.w("per_cpu(csd_data, 1)", "u_flags", 1).at("csd_lock");
        AnalysisResult r = t.analyze();
        Steps steps = Steps.collect(t.source(), r.findings());
        String text = text(r, steps);
        // sender0's check (READ_ONCE -> 0) is a step of the race, before its store
        int check = text.indexOf("? smp-sender0");
        int store = text.indexOf("* smp-sender0");
        assertTrue(check >= 0 && store > check, text);
        assertTrue(text.substring(check, text.indexOf('\n', check)).contains("READ_ONCE of per_cpu(csd_data, 1).u_flags -> 0"), text);
        // the detectors see two owners here; the cause is printed first, in kernel function names
        assertTrue(text.indexOf("[1/1] BUG: lock-ownership-race in csd_lock / csd_lock") > 0, text);
        assertFalse(text.contains("clean"), text);
    }

    @Test
    void aWatchdogRecordPrintsAsAHangNeverAsClean() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "smp-sender0", 8, 0);
        a.mem(EventKind.R_ONCE, "o", "u_flags", 1).at("csd_lock_wait").relax();
        a.control(EventKind.STUCK, 0, 0);
        AnalysisResult r = t.analyze();
        Steps steps = Steps.collect(t.source(), r.findings());
        assertEquals(1, steps.stuck().size());
        String text = text(r, steps);
        assertTrue(text.contains("HANG: the watchdog stopped the run: cpu 0"), text);
        assertTrue(text.contains("READ_ONCE of o.u_flags -> 1"), "the last events before the hang: " + text);
        assertFalse(text.contains("clean: no findings"), text);
    }

    @Test
    void typesPrintAsKernelTypesNeverAsJvmDescriptors() {
        assertEquals("int[]", TraceInfo.typeName("[I"));
        assertEquals("call_single_data[]", TraceInfo.typeName("[Lsmptrace.engine.smp.call_single_data;"));
        assertEquals("call_single_data", TraceInfo.typeName("smptrace.engine.smp.call_single_data"));
        assertEquals("Node", TraceInfo.typeName("smptrace.kernel.Llist$Node"));
        assertEquals("long[][]", TraceInfo.typeName("[[J"));
    }

    @Test
    void everyKindHasOneIdTitleAndDescription() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Finding.Kind k : Finding.Kind.values()) {
            assertTrue(k.id.matches("[a-z]+(-[a-z]+)*"), k.id);
            assertTrue(ids.add(k.id), "duplicate id " + k.id);
            assertEquals(k, Finding.Kind.parse(k.id));
            assertFalse(k.description.isBlank());
            assertTrue(List.of("error", "warning", "note").contains(k.level));
        }
        assertEquals(Finding.Kind.LOCK_OWNERSHIP_RACE, Finding.Kind.ofOutcome("TWO_OWNERS"));
    }

    static String text(AnalysisResult r, Steps steps) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Report.text(r, "t", steps, ReportOptions.defaults(), new PrintStream(o, true, StandardCharsets.UTF_8));
        return o.toString(StandardCharsets.UTF_8);
    }
}

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smptrace.analysis.DetectorTestSupport.counted;
import static smptrace.analysis.DetectorTestSupport.of;

import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;

class DataRaceDetectorTest {
    @Test
    void unorderedPlainAccessesRace() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1);
        b.r("obj", "x", 1);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.DATA_RACE).size());
        assertEquals("wr-race", counted(r, Finding.Kind.DATA_RACE).get(0).rule);
    }

    @Test
    void aWriteRacesOnlyWithTheReadsNotOrderedBeforeIt() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        TraceBuilder.Ctx c = t.task(3, "C", 3, 2);
        b.r("obj", "x", 0);
        c.r("obj", "x", 0).mem(EventKind.W_RELEASE, "obj", "flag", 1);
        a.r("obj", "x", 0).mem(EventKind.R_ACQUIRE, "obj", "flag", 1).w("obj", "x", 2);
        var races = counted(t.analyze(), Finding.Kind.DATA_RACE);
        assertEquals(1, races.size(), races.toString());
        assertEquals("rw-race", races.get(0).rule);
        assertTrue(races.get(0).summary.contains("(B)"), races.get(0).summary);
    }

    @Test
    void aWriteRacesWithTheReadsOfMoreThan64Contexts() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx w = t.task(1, "W", 1, 0);
        int readers = 70;
        for (int i = 0; i < readers; i++) {
            t.task(10 + i, "R" + i, 10 + i, 1).r("obj", "x", 0);
        }
        w.w("obj", "x", 1);
        var races = counted(t.analyze(), Finding.Kind.DATA_RACE);
        assertEquals(readers, races.size());
        assertTrue(races.stream().allMatch(f -> f.rule.equals("rw-race")));
    }

    @Test
    void releaseAcquireProtectsPlainAccesses() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1).mem(EventKind.W_RELEASE, "obj", "flag", 1);
        b.mem(EventKind.R_ACQUIRE, "obj", "flag", 1).r("obj", "x", 1).w("obj", "x", 2);
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void wmbAndRmbProtectPlainAccesses() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1).fence(EventKind.F_WMB).mem(EventKind.W_ONCE, "obj", "flag", 1);
        b.mem(EventKind.R_ONCE, "obj", "flag", 1).fence(EventKind.F_ACQUIRE_AFTER_CTRL_DEP).r("obj", "x", 1);
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void onceWithoutFencesDoesNotOrder() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1).mem(EventKind.W_ONCE, "obj", "flag", 1);
        b.mem(EventKind.R_ONCE, "obj", "flag", 1).r("obj", "x", 1);
        assertEquals(1, counted(t.analyze(), Finding.Kind.DATA_RACE).size());
    }

    @Test
    void failedCmpxchgOrdersNothing() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1).mem(EventKind.W_RELEASE, "obj", "flag", 1);
        b.rmw(EventKind.RMW_FAIL_MB, "obj", "flag", 1, 0).r("obj", "x", 1);
        assertEquals(1, counted(t.analyze(), Finding.Kind.DATA_RACE).size());
    }

    @Test
    void markedAccessesNeverRace() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.mem(EventKind.W_ONCE, "obj", "x", 1);
        b.mem(EventKind.R_ONCE, "obj", "x", 1).mem(EventKind.W_ONCE, "obj", "x", 2);
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void dataRaceAnnotationIsHonoured() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1);
        b.dataRace(true).r("obj", "x", 1).dataRace(false);
        assertTrue(t.analyze().findings().isEmpty());
    }

    @Test
    void assertExclusiveWriterCatchesMarkedWriters() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.mem(EventKind.W_ONCE, "obj", "x", 1);
        b.assertExclusive(EventKind.ASSERT_EXCLUSIVE_WRITER, "obj", "x");
        assertEquals(1, counted(t.analyze(), Finding.Kind.DATA_RACE).size());
    }

    @Test
    void plainWritesAtomicOptionLikeKcsan() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("obj", "x", 1);
        b.mem(EventKind.R_ACQUIRE, "obj", "x", 1);
        assertEquals(1, counted(t.analyze(), Finding.Kind.DATA_RACE).size());
        assertTrue(t.analyze(Options.defaults().withAssumePlainWritesAtomic(true)).findings().isEmpty());
    }

    @Test
    void spinWaitRecheckIsToleratedAbaRewait() throws Exception {
        TraceBuilder t = new TraceBuilder().object("csd", "smptrace.engine.smp.call_single_data");
        TraceBuilder.Ctx owner2 = t.task(1, "T2", 1, 0);
        TraceBuilder.Ctx waiter = t.task(2, "T1", 2, 3);
        owner2.w("csd", "u_flags", 1);
        waiter.mem(EventKind.R_ONCE, "csd", "u_flags", 1).relax().mem(EventKind.R_ONCE, "csd", "u_flags", 1).relax()
                .mem(EventKind.R_ONCE, "csd", "u_flags", 1);
        AnalysisResult r = t.analyze();
        assertTrue(r.clean(), r.findings().toString());
        assertEquals(1, of(r, Finding.Kind.DATA_RACE).size());
        assertTrue(of(r, Finding.Kind.DATA_RACE).get(0).tolerated);
    }

    @Test
    void aUsedValueIsNotASpinRecheck() throws Exception {
        TraceBuilder t = new TraceBuilder();
        TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
        TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
        a.w("pcpu", "cur_csd", 5);
        b.mem(EventKind.R_ONCE, "pcpu", "u", 0).mem(EventKind.R_ACQUIRE, "pcpu", "cur_csd", 5).relax()
                .mem(EventKind.R_ONCE, "pcpu", "u", 0);
        AnalysisResult r = t.analyze();
        assertEquals(1, counted(r, Finding.Kind.DATA_RACE).size());
    }

    @Test
    void fingerprintsIgnoreEventNumbers() throws Exception {
        String[] fp = new String[2];
        for (int i = 0; i < 2; i++) {
            TraceBuilder t = new TraceBuilder();
            TraceBuilder.Ctx a = t.task(1, "A", 1, 0);
            TraceBuilder.Ctx b = t.task(2, "B", 2, 1);
            for (int j = 0; j < i * 3; j++) {
                a.mem(EventKind.W_ONCE, "other", "y", j);
            }
            a.w("obj", "x", 1).at("writer");
            b.r("obj", "x", 1).at("reader");
            fp[i] = counted(t.analyze(), Finding.Kind.DATA_RACE).get(0).fingerprint;
        }
        assertEquals(fp[0], fp[1]);
    }
}

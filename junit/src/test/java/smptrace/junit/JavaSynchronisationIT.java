package smptrace.junit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Finding;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java's synchronisation as happens-before: for every mechanism a correctly synchronised user program
 * (userapp.Pairs) is reported clean and the same program with the synchronisation removed reports the
 * data race on the location it protected. Each run is a child JVM started with the agent line alone
 * (no --add-opens, no include=: the default scope must find userapp's classes).
 */
class JavaSynchronisationIT {
    /** Case -> the location the broken form races on, as the report names it (int[]#5[1], Mail#4.data). */
    static final Map<String, String> RACY = Map.ofEntries(
            Map.entry("start-join", ".data"),
            Map.entry("synchronized-block", ".counter"),
            Map.entry("synchronized-method", ".counter"),
            Map.entry("static-synchronized", "userapp.Pairs.counter"),
            Map.entry("wait-notify", ".data"),
            Map.entry("volatile", ".data"),
            Map.entry("varhandle-release-acquire", ".data"),
            Map.entry("varhandle-volatile", ".data"),
            Map.entry("atomic", ".data"),
            Map.entry("atomic-counter", "int[]#"),
            Map.entry("reentrant-lock", ".counter"),
            Map.entry("read-write-lock", ".data"),
            Map.entry("condition", ".data"),
            Map.entry("count-down-latch", "int[]#"),
            Map.entry("semaphore", ".data"),
            Map.entry("cyclic-barrier", "int[]#"),
            Map.entry("executor-future", ".counter"),
            Map.entry("executor-callable", ".data"),
            Map.entry("kernel-mp-join", "Mail#"));

    static Stream<String> cases() {
        return RACY.keySet().stream().sorted();
    }

    private static AnalysisResult record(Path tmp, String c, String form) throws Exception {
        Path dir = tmp.resolve(c + "-" + form);
        String cp = ChildJvm.testClasses() + File.pathSeparator + ChildJvm.engineJar();
        ChildJvm.Result r = ChildJvm.agentLine("out=" + dir, cp, "userapp.Pairs", c, form);
        assertEquals(0, r.exit(), c + " " + form + " ran: " + r.err());
        return Smptrace.analyze(dir);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void correctlySynchronisedProgramReportsNothing(String c, @TempDir Path tmp) throws Exception {
        AnalysisResult r = record(tmp, c, "correct");
        assertFalse(r.checkedNothing(), c + ": nothing was recorded");
        assertEquals(List.of(), r.problems().stream().map(f -> f.kind.id + ":" + f.rule + " " + f.summary).toList(), c);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withTheSynchronisationRemovedTheRaceIsReported(String c, @TempDir Path tmp) throws Exception {
        AnalysisResult r = record(tmp, c, "broken");
        String where = RACY.get(c);
        List<Finding> races = r.problems().stream().filter(f -> f.kind.id.equals("data-race") && f.summary.contains(where)).toList();
        assertTrue(!races.isEmpty(), c + ": no data race on " + where + " in " + r.problems().stream().map(f -> f.summary).toList());
    }
}

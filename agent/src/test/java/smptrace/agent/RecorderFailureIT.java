package smptrace.agent;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording that fails keeps what it had, says so, and changes nothing in the program: kill -9,
 * a full disk (injected and, where it can be mounted, a real 8 MB tmpfs), a failing recorder, a
 * StackOverflowError inside the agent's own code.
 */
class RecorderFailureIT {
    private static final String PKG = "smptrace.demo.agentit.";
    private static final String ENGINE = "smptrace.engine.EngineMain";

    /** Events read per thread, and the end. */
    record Read(long[] perThread, long total, long recorded, TraceEnd end) { }

    static Read read(Path trace) throws Exception {
        try (TraceReader r = TraceReader.open(trace)) {
            long[] per = new long[r.info().threads().size()];
            long n = 0;
            Event e = new Event();
            while (r.next(e)) {
                per[e.thread]++;
                n++;
            }
            return new Read(per, n, r.recordedEvents(), r.end());
        }
    }

    @Test
    void aKilledRecordingKeepsEveryThreadUpToItsLastBlocksIdleThreadsIncluded(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        Process p = new ProcessBuilder(ChildJvm.command(trace, "", PKG + "SetupThenWork", "3")).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("running", out.readLine());
        Thread.sleep(2000);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no end record
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Read r = read(trace);
        assertEquals(TraceEnd.Status.CUT_SHORT, r.end().status(), r.end().toString());
        assertEquals(4, r.perThread().length, "main and three workers");
        // the main thread's setup (one small block it never filled) was flushed on time, not lost
        assertTrue(r.perThread()[0] >= 2 * 50, "main thread events: " + r.perThread()[0]);
        for (int t = 1; t < 4; t++) {
            assertTrue(r.perThread()[t] > 10_000, "worker " + t + ": " + r.perThread()[t]);
        }
        // only the tails are lost: at most what the pipe holds in flight per thread
        assertTrue(r.total() >= r.recorded() / 2, r.total() + " of " + r.recorded());
    }

    static String summary(ChildJvm.Result r) {
        return r.out().lines().filter(l -> l.contains("outcome=")).findFirst().orElse("no summary: " + r.out() + r.err())
                .replaceAll(" ms=\\d+", "");
    }

    static List<String> engineArgs() {
        return List.of("--patch", "001", "--variant", "after", "--scenario", "standard", "--length", "300", "--seed", "2");
    }

    static ChildJvm.Result engine(Path trace, String agentOptions, String... jvm) throws Exception {
        return ChildJvm.run(ChildJvm.command(trace, agentOptions, ENGINE, engineArgs().toArray(String[]::new)), List.of(jvm));
    }

    @Test
    void aRecorderThatFailsOrRunsOutOfDiskLeavesTheEngineOutcomeAsWithoutIt(@TempDir Path dir) throws Exception {
        // points=marked: the agent adds no scheduling points, so a controlled run is the agentless run
        String none = summary(engine(null, null));
        String recorded = summary(engine(dir.resolve("ok"), "points=marked"));
        assertEquals(none, recorded);
        ChildJvm.Result failing = engine(dir.resolve("fail"), "points=marked", "-Dsmptrace.test.failAfterBlocks=5");
        assertEquals(none, summary(failing), failing.err());
        ChildJvm.Result full = engine(dir.resolve("full"), "points=marked", "-Dsmptrace.test.diskBytes=300000");
        assertEquals(none, summary(full), full.err());
        assertEquals(1, full.err().lines().filter(l -> l.startsWith("smptrace agent:")).count(), full.err());

        Read ok = read(dir.resolve("ok"));
        assertEquals(TraceEnd.Status.COMPLETE, ok.end().status());
        for (String t : new String[] {"fail", "full"}) {
            Read r = read(dir.resolve(t));
            assertEquals(TraceEnd.Status.AGENT_FAILED, r.end().status(), t + ": " + r.end());
            // the blocks written before the failure are kept; how many of their events read back in
            // global order depends on which threads' blocks reached the disk first (the reader stops at
            // the first gap in the sequence rather than answer about events it does not have)
            assertTrue(r.recorded() > 1000 && r.recorded() < ok.total(), t + ": " + r.recorded() + " of " + ok.total());
            assertTrue(r.total() <= r.recorded(), t + ": read " + r.total() + " of " + r.recorded() + " on disk");
        }
        assertTrue(read(dir.resolve("full")).end().detail().contains("No space left"), read(dir.resolve("full")).end().detail());

        // points=all: after a failure the agent's scheduling points stay, so the run goes on as recorded
        String all = summary(engine(dir.resolve("all"), "points=all"));
        assertEquals(all, summary(engine(dir.resolve("allfail"), "points=all", "-Dsmptrace.test.failAfterBlocks=5")));
    }

    @Test
    void aFailedTraceStillBeingClosedByTheFlusherWhenTheJvmExitsGetsItsEndRecord(@TempDir Path dir) throws Exception {
        // the flusher takes the failed trace and is held between that and its end record until after the
        // engine has finished: the exit hook must wait for it, not return and let the JVM end the flusher
        for (String fault : new String[] {"-Dsmptrace.test.failAfterBlocks=1", "-Dsmptrace.test.diskBytes=100000"}) {
            Path trace = dir.resolve(fault.replaceAll("\\W", ""));
            ChildJvm.Result res = engine(trace, "points=marked", fault, "-Dsmptrace.test.flusherCloseDelayMillis=3000");
            assertEquals(0, res.exit(), res.err());
            Read r = read(trace);
            assertEquals(TraceEnd.Status.AGENT_FAILED, r.end().status(), fault + ": " + r.end());
            assertTrue(r.recorded() > 1000, fault + ": " + r.recorded());
        }
    }

    @Test
    void aFullFilesystemKeepsTheBlocksWrittenBeforeIt(@TempDir Path dir) throws Exception {
        Path mnt = dir.resolve("small");
        Files.createDirectories(mnt);
        boolean mounted = false;
        try {
            Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString())
                    .redirectErrorStream(true).start();
            mounted = m.waitFor(20, TimeUnit.SECONDS) && m.exitValue() == 0;
        } catch (java.io.IOException e) {
            mounted = false;
        }
        Assumptions.assumeTrue(mounted, "needs root to mount a small tmpfs");
        try {
            Path trace = mnt.resolve("t");
            ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", PKG + "Concurrent", "2", "3000000", "3"), List.of());
            assertEquals(0, res.exit(), res.err());
            assertEquals("incs=1000000", res.out().trim(), "the program ran to its end");
            assertEquals(1, res.err().lines().filter(l -> l.startsWith("smptrace agent:")).count(), res.err());
            Read r = read(trace);
            assertEquals(TraceEnd.Status.AGENT_FAILED, r.end().status(), r.end().toString());
            assertTrue(r.total() > 100_000, "events kept: " + r.total());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCaughtStackOverflowNeverLeavesATraceThatSaysCompleteWithEventsMissing(@TempDir Path dir) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            Path trace = dir.resolve("t" + run);
            ChildJvm.Result res = ChildJvm.run(ChildJvm.command(trace, "", PKG + "CatchesStackOverflow", "20"), List.of("-Xss512k"));
            assertEquals(0, res.exit(), res.err());
            assertTrue(res.out().startsWith("overflows=20"), res.out());
            long writes = Long.parseLong(res.out().trim().replaceAll(".*writes=", ""));
            assertFalse(res.err().contains("\tat "), res.err());
            long recordedWrites = 0;
            TraceEnd end;
            try (TraceReader r = TraceReader.open(trace)) {
                Event e = new Event();
                while (r.next(e)) {
                    if (e.kind == EventKind.W_ONCE) {
                        recordedWrites++;
                    }
                }
                end = r.end();
            }
            if (end.complete()) {
                assertEquals(writes, recordedWrites, "a complete trace holds every write");
            } else {
                assertEquals(TraceEnd.Status.AGENT_FAILED, end.status(), end.toString());
                // the overflow is caught inside the agent, or it escaped between a shadow lock and its
                // release and the lock left held stopped the recording: either way the trace says so
                assertTrue(end.detail().contains("StackOverflowError") || end.detail().contains("shadow lock stayed held"), end.detail());
                assertEquals(1, res.err().lines().filter(l -> l.startsWith("smptrace agent:")).count(), res.err());
                failures.add(end.detail());
            }
        }
    }
}

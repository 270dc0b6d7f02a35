package smptrace.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.TraceReader;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchRecordingIT {
    @Test
    void oneJvmRecordsEachRunOfABatchIntoItsOwnCompleteSelfDescribingTraceWithTheCallbacksNamed(@TempDir Path dir) throws Exception {
        List<String> cmd = ChildJvm.command(null, null, "smptrace.engine.BatchMain", dir.toString());
        int at = cmd.indexOf("-cp");
        cmd.add(at, "-javaagent:" + ChildJvm.agentJar() + "=batch=true");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("--patch 001 --variant before --seed 1\n--patch 002 --variant after --seed 2\n"
                    + "--patch 004 --variant before --seed 3\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(3, out.lines().count(), out);
        List<Path> traces;
        try (Stream<Path> s = Files.list(dir)) {
            traces = s.sorted().toList();
        }
        assertEquals(3, traces.size());
        String[] patches = {"001", "002", "004"};
        for (int i = 0; i < 3; i++) {
            try (TraceReader r = TraceReader.open(traces.get(i))) {
                assertEquals(patches[i], r.info().header("patch"));
                assertEquals(String.valueOf(i + 1), r.info().header("seed"));
                Event e = new Event();
                long n = 0;
                boolean smpSite = false;
                java.util.Set<Integer> allocated = new java.util.HashSet<>();
                while (r.next(e)) {
                    n++;
                    if (e.kind == smptrace.trace.EventKind.ALLOC) {
                        allocated.add((int) e.a);
                    }
                    if (e.site != 0) {
                        assertNotNull(r.info().site(e.site), "site " + e.site + " of " + e + " is in the dictionary");
                        smpSite |= r.info().site(e.site).className().equals("smptrace.engine.smp.Smp");
                    }
                }
                assertTrue(r.end().complete(), r.end().toString());
                assertTrue(n > 100, "events " + n);
                assertTrue(smpSite, "every trace carries the whole site dictionary");
                assertNotNull(r.info().field(0));
                // every trace of the batch names the callbacks it mentions after their functions (TraceHooks.obj_name)
                List<Integer> handlers = allocated.stream()
                    .filter(o -> String.valueOf(r.info().objectClass(o)).endsWith("Callbacks$scf_handler")).toList();
                assertEquals(1, handlers.size(), "scf_handler objects in trace " + i + ": " + handlers);
                assertEquals("scf_handler", r.info().objectName(handlers.get(0)));
            }
        }
    }
}

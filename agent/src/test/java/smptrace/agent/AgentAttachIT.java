package smptrace.agent;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentAttachIT {
    @Test
    void attachingToARunningJvmRetransformsLoadedEngineClassesAndRecords(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t");
        Process p = new ProcessBuilder(ChildJvm.command(null, null, "smptrace.demo.agentit.AttachTarget", "1000"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready.startsWith("ready "), ready);
        Thread.sleep(300); // the target's classes are loaded and running before the agent arrives
        VirtualMachine vm = VirtualMachine.attach(ready.substring("ready ".length()));
        try {
            vm.loadAgent(ChildJvm.agentJar().toString(), "out=" + trace);
        } finally {
            vm.detach();
        }
        p.getOutputStream().write("attached\n".getBytes(StandardCharsets.UTF_8)); // the target runs 1 s more, then ends
        p.getOutputStream().flush();
        assertEquals("done true", out.readLine());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        long writes = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            assertEquals("agentmain", r.info().header("agent.mode"));
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind == EventKind.W_ONCE) {
                    writes++;
                }
            }
            assertTrue(r.end().complete(), r.end().toString());
        }
        assertTrue(writes > 100, "WRITE_ONCEs recorded after the attach: " + writes);
    }
}

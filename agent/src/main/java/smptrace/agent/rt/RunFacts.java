package smptrace.agent.rt;

import smptrace.trace.TraceFormat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every trace's header says about the run: start time, agent arguments and mode, JVM and host.
 * Lives in the runtime (not in the installer, smptrace.agent.Agent) because batch mode opens new
 * traces from the program's own threads long after the agent was installed.
 */
public final class RunFacts {
    private static volatile String agentArgs = "";
    private static volatile String agentMode = "premain";

    private RunFacts() { }

    /** Set once by the installer. */
    public static void agent(String args, String mode) {
        agentArgs = args == null ? "" : args;
        agentMode = mode;
    }

    /** Start time, agent arguments and mode, JVM and host facts: part of every trace's header. */
    public static Map<String, String> jvmFacts() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(TraceFormat.KEY_START, Instant.now().toString());
        h.put("agent.args", agentArgs);
        h.put("agent.mode", agentMode);
        h.put("jvm.version", System.getProperty("java.version"));
        h.put("jvm.vendor", System.getProperty("java.vendor"));
        h.put("jvm.name", System.getProperty("java.vm.name"));
        h.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        h.put("host.cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        h.put("host.name", hostName());
        h.put("pid", String.valueOf(ProcessHandle.current().pid()));
        h.put("jvm.args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return h;
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

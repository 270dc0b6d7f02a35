package smptrace.agent;

import java.lang.instrument.Instrumentation;

/** The agent's entry points: {@code -javaagent:smptrace-agent.jar=out=DIR} or an attach to a running JVM. */
public final class SmptraceAgent {
    private SmptraceAgent() { }

    public static void premain(String args, Instrumentation inst) {
        Agent.start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        Agent.start(args, inst, true);
    }
}

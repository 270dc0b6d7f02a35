package smptrace.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import smptrace.agent.rt.Rec;
import smptrace.agent.rt.RunFacts;
import smptrace.trace.TraceWriter;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts recording: parses the agent arguments, opens the trace, installs the instrumentation.
 *
 * <p>Arguments (comma-separated {@code key=value}; system properties {@code smptrace.KEY} work too):
 * {@code out=DIR} (the trace), or {@code batch=true} (no trace until the program opens one with
 * TraceHooks.trace_begin), {@code include=prefix:prefix} (classes whose field and array accesses are
 * kernel memory and whose primitive and hook calls are recorded; default {@value #DEFAULT_INCLUDE}),
 * {@code calls=prefix:prefix} (classes whose primitive and hook calls only are recorded; default
 * {@value #DEFAULT_CALLS}), {@code points=all|marked} (whether plain accesses are scheduling
 * points; default all). Every system property {@code smptrace.header.K=V} goes into the header as K.
 */
public final class Agent {
    static final String DEFAULT_INCLUDE = "smptrace.engine.smp.:smptrace.engine.scenario.:smptrace.demo.:smptrace.kernel.Llist:smptrace.kernel.KernelObject";
    /** Simulator code: its calls of primitives and control hooks are recorded, its own fields are not kernel memory. */
    static final String DEFAULT_CALLS = "smptrace.engine.sim.:smptrace.engine.Engine:smptrace.engine.BatchMain";
    private static boolean started;

    private Agent() { }

    static synchronized void start(String args, Instrumentation inst, boolean attached) {
        // An attach runs agentmain on the Attach Listener thread, whose context class loader is
        // null on recent JDKs; Chronicle loads classes through it.
        Thread self = Thread.currentThread();
        ClassLoader previous = self.getContextClassLoader();
        if (previous == null) {
            self.setContextClassLoader(Agent.class.getClassLoader());
        }
        try {
            startRecording(args, inst, attached);
        } finally {
            self.setContextClassLoader(previous);
        }
    }

    private static void startRecording(String args, Instrumentation inst, boolean attached) {
        if (started) {
            warn("already recording; ignoring a second start");
            return;
        }
        started = true;
        Map<String, String> opts = parse(args);
        String out = opts.get("out");
        boolean plainPoints = !"marked".equals(opts.getOrDefault("points", "all"));
        RunFacts.agent(args, attached ? "agentmain" : "premain");
        if (out == null || out.isBlank()) {
            if (!"true".equals(opts.get("batch"))) {
                warn("no trace directory given (out=DIR, or batch=true for traces the program opens); not recording");
                return;
            }
            Rec.startIdle(plainPoints);
        } else {
            TraceWriter writer;
            try {
                writer = new TraceWriter(Paths.get(out), header());
            } catch (IOException | RuntimeException e) {
                warn("cannot open trace " + out + ": " + e.getMessage() + "; not recording");
                return;
            }
            Rec.start(writer, plainPoints);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Rec::shutdown, "smptrace-close"));
        List<String> include = new ArrayList<>(List.of(opts.getOrDefault("include", DEFAULT_INCLUDE).split(":")));
        include.removeIf(String::isBlank);
        List<String> calls = new ArrayList<>(List.of(opts.getOrDefault("calls", DEFAULT_CALLS).split(":")));
        calls.removeIf(String::isBlank);
        Instrumenter instrumenter = new Instrumenter();
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader cl, JavaModule module, boolean loaded, Throwable t) {
                        Rec.fail(new IllegalStateException("could not instrument " + typeName + ": " + t));
                    }
                })
                .ignore(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("smptrace.agent.")
                        .or(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("smptrace.shaded.")))
                .type(t -> included(t, include) || included(t, calls))
                .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader cl, JavaModule module,
                            java.security.ProtectionDomain pd) -> builder.visit(instrumenter.wrapper(included(type, include))))
                .installOn(inst);
    }

    private static boolean included(TypeDescription t, List<String> include) {
        String n = t.getName();
        for (String p : include) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> parse(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : new String[] {"out", "include", "calls", "points", "batch"}) {
            String v = System.getProperty("smptrace." + key);
            if (v != null) {
                m.put(key, v);
            }
        }
        if (args != null) {
            for (String kv : args.split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
        }
        return m;
    }

    /** The header of the trace named by out=: -Dsmptrace.header.K=V entries, then the JVM facts. */
    private static Map<String, String> header() {
        Map<String, String> h = new LinkedHashMap<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("smptrace.header.")) {
                h.put(k.substring("smptrace.header.".length()), System.getProperty(k));
            }
        }
        h.putAll(RunFacts.jvmFacts());
        return h;
    }

    /** Registers a source site in the dictionary every trace of this JVM carries (at instrumentation time). */
    static int site(String className, String method, String file, int line) {
        return Rec.siteId(className, method, file, line);
    }

    static void warn(String message) {
        System.err.println("smptrace agent: " + message);
    }
}

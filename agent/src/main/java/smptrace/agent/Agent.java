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
 * Starts recording: parses the agent arguments, opens what Chronicle Queue needs of java.base,
 * opens the trace, installs the instrumentation.
 *
 * <p>Arguments (comma-separated {@code key=value}; system properties {@code smptrace.KEY} work too):
 * {@code out=DIR} (the trace), or {@code batch=true} (no trace until the program opens one with
 * TraceHooks.trace_begin or the Recording API), {@code include=prefix:prefix} (classes whose
 * memory accesses and synchronisation are recorded), {@code calls=prefix:prefix} (classes whose
 * primitive and hook calls only are recorded; default {@value #DEFAULT_CALLS}),
 * {@code points=all|marked} (whether plain accesses are scheduling points; default all). Every system
 * property {@code smptrace.header.K=V} goes into the header as K.
 *
 * <p>The default scope, without {@code include=}: the application's own classes, i.e. every class
 * loaded from a class-path <em>directory</em> (a build's classes and test-classes, never a jar, the JDK
 * or smptrace's own libraries), plus the kernel model's classes {@value #DEFAULT_INCLUDE}. A class of
 * the kernel model (smptrace.engine., smptrace.kernel.) follows the model's rule, whatever the scope
 * that named it: its memory is KernelObjects' fields and arrays. Every other class in scope is an
 * application class: every field (instance and static), array element and Java synchronisation.
 */
public final class Agent {
    static final String DEFAULT_INCLUDE = "smptrace.engine.smp.:smptrace.engine.scenario.:smptrace.demo.:smptrace.kernel.Llist:smptrace.kernel.KernelObject";
    /** Simulator code: its calls of primitives and control hooks are recorded, its own fields are not kernel memory. */
    static final String DEFAULT_CALLS = "smptrace.engine.sim.:smptrace.engine.Engine:smptrace.engine.BatchMain";
    private static boolean started;

    private Agent() { }

    /** Whether the agent was started in this JVM (premain or an attach), recording or not. */
    public static synchronized boolean running() {
        return started;
    }

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
        openForChronicle(inst);
        smptrace.agent.rt.RJava.init();
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
        boolean appDirs = !opts.containsKey("include");
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
                .ignore(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("java.")
                        .or(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("jdk."))
                        .or(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("sun."))
                        .or(net.bytebuddy.matcher.ElementMatchers.nameStartsWith("com.sun.")))
                .type((TypeDescription t, ClassLoader cl, JavaModule module, Class<?> redefined, java.security.ProtectionDomain pd)
                        -> mode(t.getName(), pd, include, calls, appDirs) != null)
                .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader cl, JavaModule module,
                            java.security.ProtectionDomain pd) -> {
                    return builder.visit(instrumenter.wrapper(mode(type.getName(), pd, include, calls, appDirs)));
                })
                .installOn(inst);
    }

    /** smptrace's own libraries: never instrumented, wherever they were loaded from. */
    private static final String[] OWN = {"smptrace.agent.", "smptrace.shaded.", "smptrace.trace.", "smptrace.analysis.",
        "smptrace.lkmm.", "smptrace.litmus.", "smptrace.cli.", "smptrace.junit."};

    /** What a class records, or null if it is not in scope. */
    static Instrumenter.Mode mode(String name, java.security.ProtectionDomain pd, List<String> include, List<String> calls,
                                  boolean appDirs) {
        for (String p : OWN) {
            if (name.startsWith(p)) {
                return null;
            }
        }
        boolean model = name.startsWith("smptrace.engine.") || name.startsWith("smptrace.kernel.");
        if (startsWithAny(name, include)) {
            return model ? Instrumenter.Mode.MODEL : Instrumenter.Mode.APP;
        }
        if (startsWithAny(name, calls)) {
            return Instrumenter.Mode.CALLS;
        }
        if (appDirs && !name.startsWith("smptrace.") && fromDirectory(pd)) {
            return Instrumenter.Mode.APP;
        }
        return null;
    }

    private static boolean startsWithAny(String n, List<String> prefixes) {
        for (String p : prefixes) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** A class from a class-path directory (a build's output), not a jar, the JDK or a generated class. */
    private static boolean fromDirectory(java.security.ProtectionDomain pd) {
        if (pd == null || pd.getCodeSource() == null || pd.getCodeSource().getLocation() == null) {
            return false;
        }
        java.net.URL u = pd.getCodeSource().getLocation();
        return "file".equals(u.getProtocol()) && u.getPath().endsWith("/");
    }

    /**
     * Chronicle Queue maps files through sun.nio.ch and jdk.internal.ref and reflects into java.lang and
     * java.nio: the flags of jvm-flags.properties, opened here for the agent's own class loader (and the
     * application's) with Instrumentation.redefineModule, so that a plain -javaagent line needs no
     * --add-opens. java.util.concurrent.locks is opened too: the recorder reads which
     * AbstractQueuedSynchronizer a JDK lock stands for (RJava.lockKey). Chronicle's system properties
     * are set unless given.
     */
    static void openForChronicle(Instrumentation inst) {
        System.setProperty("chronicle.analytics.disable", System.getProperty("chronicle.analytics.disable", "true"));
        System.setProperty("chronicle.announcer.disable", System.getProperty("chronicle.announcer.disable", "true"));
        try {
            java.util.Set<Module> to = new java.util.HashSet<>();
            to.add(Agent.class.getModule());
            to.add(ClassLoader.getSystemClassLoader().getUnnamedModule());
            ClassLoader ctx = Thread.currentThread().getContextClassLoader();
            if (ctx != null) {
                to.add(ctx.getUnnamedModule());
            }
            Map<String, Map<String, java.util.Set<Module>>> exports = new LinkedHashMap<>();
            Map<String, Map<String, java.util.Set<Module>>> opens = new LinkedHashMap<>();
            List<String> flags = new ArrayList<>(smptrace.trace.JvmFlags.chronicle());
            flags.add("--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
            for (String f : flags) {
                boolean open = f.startsWith("--add-opens=");
                if (!open && !f.startsWith("--add-exports=")) {
                    continue;
                }
                String spec = f.substring(f.indexOf('=') + 1);
                int slash = spec.indexOf('/');
                int eq = spec.indexOf('=');
                if (slash < 0 || eq < slash) {
                    continue;
                }
                String mod = spec.substring(0, slash);
                String pkg = spec.substring(slash + 1, eq);
                // an export is what Chronicle needs at least; opening gives it deep reflection as well
                opens.computeIfAbsent(mod, k -> new LinkedHashMap<>()).put(pkg, to);
                exports.computeIfAbsent(mod, k -> new LinkedHashMap<>()).put(pkg, to);
            }
            for (String mod : opens.keySet()) {
                java.util.Optional<Module> m = ModuleLayer.boot().findModule(mod);
                if (m.isPresent()) {
                    inst.redefineModule(m.get(), java.util.Set.of(), exports.getOrDefault(mod, Map.of()),
                            opens.getOrDefault(mod, Map.of()), java.util.Set.of(), Map.of());
                }
            }
        } catch (RuntimeException | Error e) {
            warn("could not open java.base for Chronicle Queue (" + e + "); start the JVM with the flags of"
                    + " jvm-flags.properties");
        }
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

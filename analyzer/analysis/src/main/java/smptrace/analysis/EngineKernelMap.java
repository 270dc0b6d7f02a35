package smptrace.analysis;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's own statement of the kernel code each method mirrors: its {@code @Mirrors}
 * annotation (smptrace.kernel.Mirrors: function, file, its lines in the modelled tree, the seed hunks' lines), read by
 * reflection from the engine classes named in the trace's site dictionary. Where the engine has no
 * such statement (or no annotation type at all), the answer is null and reports print the engine
 * frame only: a kernel line is never guessed. By reflection, so that the analysis does not depend on the
 * engine: the command line and the Spark job put the engine on the class path.
 */
public final class EngineKernelMap implements KernelMap {
    private static final String MIRRORS = "smptrace.kernel.Mirrors";
    private final Map<String, Mirror> cache = new ConcurrentHashMap<>();
    private static final Mirror NONE = new Mirror("", "", List.of());

    @Override
    public String tree() {
        try {
            Object t = Class.forName(MIRRORS, false, EngineKernelMap.class.getClassLoader()).getField("TREE").get(null);
            return t instanceof String x ? x : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    @Override
    public Mirror of(String engineClass, String method) {
        Mirror m = cache.computeIfAbsent(engineClass + "#" + method, k -> lookup(engineClass, method));
        return m == NONE ? null : m;
    }

    /** The engine's calls, read once from its bytecode. */
    private volatile CallIndex calls;

    @Override
    public List<Call> callers(String engineClass, String method) {
        CallIndex c = calls;
        if (c == null) {
            synchronized (this) {
                if (calls == null) {
                    calls = CallIndex.read();
                }
                c = calls;
            }
        }
        return c.callers(engineClass, method);
    }

    /**
     * Every call between the engine's methods (packages smptrace.engine, smptrace.kernel, smptrace.demo), with
     * the caller's source line, from the class files beside the engine's Smp class (a jar or a directory).
     * Calls through a supertype count for the subtype's method; a lambda is called where its functional
     * interface's method is.
     */
    static final class CallIndex {
        private static final String[] PACKAGES = {"smptrace/engine/", "smptrace/kernel/", "smptrace/demo/"};
        /** "owner#name" (JVM class name with dots) -> calls of it. */
        private final Map<String, List<Call>> direct = new java.util.HashMap<>();
        /** class -> its superclass and interfaces. */
        private final Map<String, List<String>> supers = new java.util.HashMap<>();
        /** "owner#lambda$x$1" -> "iface#method" it implements. */
        private final Map<String, String> lambdas = new java.util.HashMap<>();

        static CallIndex read() {
            CallIndex ix = new CallIndex();
            try {
                Class<?> smp = Class.forName("smptrace.engine.smp.Smp", false, EngineKernelMap.class.getClassLoader());
                java.net.URL where = smp.getProtectionDomain().getCodeSource().getLocation();
                java.nio.file.Path p = java.nio.file.Paths.get(where.toURI());
                if (java.nio.file.Files.isDirectory(p)) {
                    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(p)) {
                        for (java.nio.file.Path f : s.filter(x -> x.toString().endsWith(".class")).toList()) {
                            String rel = p.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                            if (inEngine(rel)) {
                                ix.add(java.nio.file.Files.readAllBytes(f));
                            }
                        }
                    }
                } else {
                    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
                        for (java.util.Enumeration<java.util.jar.JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                            java.util.jar.JarEntry je = en.nextElement();
                            if (je.getName().endsWith(".class") && inEngine(je.getName())) {
                                try (java.io.InputStream in = jar.getInputStream(je)) {
                                    ix.add(in.readAllBytes());
                                }
                            }
                        }
                    }
                }
            } catch (ReflectiveOperationException | LinkageError | java.io.IOException | java.net.URISyntaxException
                     | RuntimeException e) {
                // no engine bytecode: stacks are the recorded frame alone
            }
            for (List<Call> l : ix.direct.values()) {
                l.sort(java.util.Comparator.comparing(Call::callerClass).thenComparing(Call::callerMethod).thenComparingInt(Call::line));
            }
            return ix;
        }

        private static boolean inEngine(String path) {
            for (String p : PACKAGES) {
                if (path.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        List<Call> callers(String cls, String method) {
            List<Call> out = new ArrayList<>();
            collect(cls, method, out, new java.util.HashSet<>());
            return out;
        }

        private void collect(String cls, String method, List<Call> out, java.util.Set<String> seen) {
            String key = cls + "#" + method;
            if (!seen.add(key)) {
                return;
            }
            for (Call c : direct.getOrDefault(key, List.of())) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
            String iface = lambdas.get(key);
            if (iface != null) {
                int h = iface.indexOf('#');
                collect(iface.substring(0, h), iface.substring(h + 1), out, seen);
            }
            for (String s : supers.getOrDefault(cls, List.of())) {
                collect(s, method, out, seen);
            }
        }

        private void add(byte[] bytes) {
            org.objectweb.asm.ClassReader cr = new org.objectweb.asm.ClassReader(bytes);
            String cls = cr.getClassName().replace('/', '.');
            List<String> sup = new ArrayList<>();
            if (cr.getSuperName() != null) {
                sup.add(cr.getSuperName().replace('/', '.'));
            }
            for (String i : cr.getInterfaces()) {
                sup.add(i.replace('/', '.'));
            }
            supers.put(cls, sup);
            cr.accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        int line;

                        @Override
                        public void visitLineNumber(int l, org.objectweb.asm.Label start) {
                            line = l;
                        }

                        @Override
                        public void visitMethodInsn(int op, String owner, String callee, String d, boolean itf) {
                            if (inEngine(owner)) {
                                direct.computeIfAbsent(owner.replace('/', '.') + "#" + callee, k -> new ArrayList<>())
                                        .add(new Call(cls, name, line));
                            }
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String iname, String d, org.objectweb.asm.Handle bsm, Object... args) {
                            if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory") && args.length > 1
                                    && args[1] instanceof org.objectweb.asm.Handle impl && inEngine(impl.getOwner())) {
                                String iface = org.objectweb.asm.Type.getReturnType(d).getClassName();
                                lambdas.put(impl.getOwner().replace('/', '.') + "#" + impl.getName(), iface + "#" + iname);
                            }
                        }
                    };
                }
            }, org.objectweb.asm.ClassReader.SKIP_FRAMES);
        }
    }

    private static Mirror lookup(String engineClass, String method) {
        try {
            Class<?> c = Class.forName(engineClass, false, EngineKernelMap.class.getClassLoader());
            List<java.lang.reflect.AnnotatedElement> candidates = new ArrayList<>();
            if (method.equals("<init>")) {
                candidates.addAll(Arrays.asList(c.getDeclaredConstructors()));
            } else {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(method)) {
                        candidates.add(m);
                    }
                }
            }
            for (java.lang.reflect.AnnotatedElement e : candidates) {
                for (Annotation a : e.getAnnotations()) {
                    if (a.annotationType().getName().equals(MIRRORS)) {
                        Class<? extends Annotation> t = a.annotationType();
                        String fn = (String) t.getMethod("value").invoke(a);
                        String file = (String) t.getMethod("file").invoke(a);
                        List<String> lines = new ArrayList<>();
                        // the modelled tree's lines first (an engine from before the element states none)
                        try {
                            String pinned = (String) t.getMethod("lines").invoke(a);
                            if (!pinned.isBlank()) {
                                lines.add(pinned);
                            }
                        } catch (NoSuchMethodException old) {
                            // no such statement: the seed hunks alone
                        }
                        for (String x : (String[]) t.getMethod("hunks").invoke(a)) {
                            lines.add(x);
                        }
                        return new Mirror(fn, file, List.copyOf(lines));
                    }
                }
            }
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            // no statement: the report prints the engine frame only
        }
        return NONE;
    }
}

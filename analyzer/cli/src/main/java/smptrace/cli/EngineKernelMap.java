package smptrace.cli;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import smptrace.analysis.KernelMap;

/**
 * The engine's own statement of the kernel code each method mirrors: its {@code @Mirrors}
 * annotation (smptrace.kernel.Mirrors: function, file, the seed hunks' kernel lines), read by
 * reflection from the engine classes named in the trace's site dictionary. Where the engine has no
 * such statement (or no annotation type at all), the answer is null and reports print the engine
 * frame only: a kernel line is never guessed.
 */
final class EngineKernelMap implements KernelMap {
    private static final String MIRRORS = "smptrace.kernel.Mirrors";
    private final Map<String, Mirror> cache = new ConcurrentHashMap<>();
    private static final Mirror NONE = new Mirror("", "", List.of());

    @Override
    public Mirror of(String engineClass, String method) {
        Mirror m = cache.computeIfAbsent(engineClass + "#" + method, k -> lookup(engineClass, method));
        return m == NONE ? null : m;
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

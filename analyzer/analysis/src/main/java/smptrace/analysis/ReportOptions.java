package smptrace.analysis;

import java.util.Set;

/**
 * What a report shows.
 *
 * @param showTolerated tolerated findings too (hidden by default)
 * @param kinds         only these finding kinds (empty: all)
 * @param kernel        the engine's statement of the kernel code each method mirrors
 * @param sources       (JVM class name, source file name) -> the file's path relative to the repository root,
 *                      for SARIF and HTML locations
 */
public record ReportOptions(boolean showTolerated, Set<Finding.Kind> kinds, KernelMap kernel,
                            java.util.function.BiFunction<String, String, String> sources) {
    public ReportOptions(boolean showTolerated, Set<Finding.Kind> kinds, KernelMap kernel) {
        this(showTolerated, kinds, kernel, ReportOptions::packagePath);
    }

    public static ReportOptions defaults() {
        return new ReportOptions(false, Set.of(), KernelMap.NONE);
    }

    public ReportOptions withKernel(KernelMap k) {
        return new ReportOptions(showTolerated, kinds, k, sources);
    }

    public ReportOptions withSources(java.util.function.BiFunction<String, String, String> s) {
        return new ReportOptions(showTolerated, kinds, kernel, s);
    }

    /** "smptrace.engine.smp.Smp", "Smp.java" -> "smptrace/engine/smp/Smp.java" (no repository layout known). */
    public static String packagePath(String className, String file) {
        int dot = className.lastIndexOf('.');
        return (dot < 0 ? "" : className.substring(0, dot).replace('.', '/') + "/") + file;
    }
}

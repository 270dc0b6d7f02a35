package smptrace.analysis;

import java.util.List;

/**
 * Which kernel code an engine method mirrors, as the engine states it (once per function; the
 * engine's {@code @Mirrors}). Reports print a frame's kernel function and lines only from here and
 * never guess: where the engine says nothing, a frame is the engine's method and file:line alone.
 * The analysis depends on no engine; {@link EngineKernelMap} reads the statement by reflection where the
 * engine is on the class path (the command line, the Spark job).
 */
@FunctionalInterface
public interface KernelMap {
    /**
     * @param function the kernel function (or variable) of the same name
     * @param file     its file in the kernel tree ("kernel/smp.c")
     * @param lines    the kernel lines the method mirrors, as the engine gives them: "364-375", the function in the
     *                 one tree the engine models ({@link KernelMap#tree()}), and "001:-354,8", a seed hunk that
     *                 changes it (seed 001's pre-image lines 354..361 of that seed's own tree); empty if the
     *                 engine names the function only
     */
    record Mirror(String function, String file, List<String> lines) {
        private static final java.util.regex.Pattern HUNK = java.util.regex.Pattern.compile("(\\d+):-(\\d+),(\\d+)");

        /**
         * "kernel/smp.c:364-375 (seed 001: 342-347, 354-361)": the modelled tree's lines first, then the seed hunks'
         * lines of their own trees; a function with seed hunks only: "kernel/smp.c:354-361 (seed 001)".
         */
        public String where() {
            String pinned = null;
            java.util.Map<String, List<String>> bySeed = new java.util.LinkedHashMap<>();
            for (String l : lines) {
                java.util.regex.Matcher m = HUNK.matcher(l);
                if (m.matches()) {
                    int start = Integer.parseInt(m.group(2));
                    int len = Integer.parseInt(m.group(3));
                    bySeed.computeIfAbsent(m.group(1), k -> new java.util.ArrayList<>())
                            .add(start + (len > 1 ? "-" + (start + len - 1) : ""));
                } else if (pinned == null) {
                    pinned = l;
                }
            }
            StringBuilder b = new StringBuilder(file);
            if (pinned != null) {
                b.append(':').append(pinned);
                for (java.util.Map.Entry<String, List<String>> e : bySeed.entrySet()) {
                    b.append(" (seed ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append(')');
                }
                return b.toString();
            }
            boolean first = true;
            for (java.util.Map.Entry<String, List<String>> e : bySeed.entrySet()) {
                for (String r : e.getValue()) {
                    b.append(first ? ":" : ", :").append(r).append(" (seed ").append(e.getKey()).append(')');
                    first = false;
                }
            }
            return b.toString();
        }

        /**
         * The statement as a report of a trace of {@code patch} prints it: the modelled tree's lines, and the seed
         * hunks of that patch only (another seed's tree says nothing of this run's code); where the modelled tree's
         * lines are not stated, every hunk as given. {@code patch} null: the modelled tree's lines only.
         */
        public Mirror forPatch(String patch) {
            boolean pinned = false;
            for (String l : lines) {
                pinned |= !HUNK.matcher(l).matches();
            }
            if (!pinned) {
                return this;
            }
            List<String> keep = new java.util.ArrayList<>();
            for (String l : lines) {
                java.util.regex.Matcher m = HUNK.matcher(l);
                if (!m.matches() || m.group(1).equals(patch)) {
                    keep.add(l);
                }
            }
            return keep.size() == lines.size() ? this : new Mirror(function, file, List.copyOf(keep));
        }

        /** Whether a kernel line is stated at all (the modelled tree's or a seed's). */
        public boolean hasLines() {
            return !lines.isEmpty();
        }
    }

    /** The kernel tree whose line numbers the statements' unprefixed ranges give ("linux 06978ceda170 ..."), or null. */
    default String tree() {
        return null;
    }

    /** The engine's statement for {@code engineClass.method} (a JVM class name), or null. */
    Mirror of(String engineClass, String method);

    /** A call in the engine's code: {@code callerClass.callerMethod} calls at its source line {@code line}. */
    record Call(String callerClass, String callerMethod, int line) { }

    /**
     * Where the engine's code calls {@code engineClass.method} (also through an interface or superclass it
     * implements, and a lambda through its functional interface), in source order; empty if unknown. Read
     * from the engine's bytecode, not guessed: call stacks are built from these and the events' own order.
     */
    default List<Call> callers(String engineClass, String method) {
        return List.of();
    }

    /** No statement at all: frames print the engine method only. */
    KernelMap NONE = (c, m) -> null;
}

package smptrace.analysis;

import java.util.List;

/**
 * Which kernel code an engine method mirrors, as the engine states it (once per function; the
 * engine's {@code @Mirrors}). Reports print a frame's kernel function and lines only from here and
 * never guess: where the engine says nothing, a frame is the engine's method and file:line alone.
 * The analysis depends on no engine; the command line supplies the engine's statement.
 */
@FunctionalInterface
public interface KernelMap {
    /**
     * @param function the kernel function (or variable) of the same name
     * @param file     its file in the kernel tree ("kernel/smp.c")
     * @param lines    the kernel lines the method mirrors, as the engine gives them ("001:-354,8": seed 001's
     *                 pre-image lines 354..361); empty if the engine names the function only
     */
    record Mirror(String function, String file, List<String> lines) {
        /** "kernel/smp.c:342-347 (seed 001), :354-361 (seed 001)". */
        public String where() {
            StringBuilder b = new StringBuilder(file);
            for (String l : lines) {
                b.append(b.length() == file.length() ? "" : ", ").append(linesText(l));
            }
            return b.toString();
        }

        /** "001:-354,8" -> "lines 354-361 of seed 001's tree"; anything else as given. */
        static String linesText(String hunk) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+):-(\\d+),(\\d+)").matcher(hunk);
            if (!m.matches()) {
                return hunk;
            }
            int start = Integer.parseInt(m.group(2));
            int len = Integer.parseInt(m.group(3));
            return ":" + start + (len > 1 ? "-" + (start + len - 1) : "") + " (seed " + m.group(1) + ")";
        }
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

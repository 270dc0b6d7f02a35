package smptrace.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags a JVM that reads or writes traces needs on the running JDK, from the one definition
 * in {@code smptrace/jvm-flags.properties} (also read by the parent pom and by ./smptrace).
 * {@code java -cp ... smptrace.trace.JvmFlags [FEATURE]} prints them, one per line.
 */
public final class JvmFlags {
    private JvmFlags() { }

    /** The flags for a JVM of feature release {@code feature} (17, 21, 25, ...). */
    public static List<String> chronicle(int feature) {
        Properties p = load();
        List<String> flags = new ArrayList<>(split(p.getProperty("jvm.flags.chronicle", "")));
        if (feature >= 24) {
            flags.addAll(split(p.getProperty("jvm.flags.chronicle.jdk24", "")));
        }
        return flags;
    }

    /** What a JVM running Spark 3.5 needs besides {@link #chronicle()} (jvm.flags.spark; analyzer/spark). */
    public static List<String> spark() {
        return split(load().getProperty("jvm.flags.spark", ""));
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("/smptrace/jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("smptrace/jvm-flags.properties is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The flags for a child JVM started from this one's java.home. */
    public static List<String> chronicle() {
        return chronicle(Runtime.version().feature());
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    public static void main(String[] args) {
        for (String f : args.length > 0 ? chronicle(Integer.parseInt(args[0])) : chronicle()) {
            System.out.println(f);
        }
    }
}

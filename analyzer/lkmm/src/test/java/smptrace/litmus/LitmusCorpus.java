package smptrace.litmus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the litmus corpora live, relative to the analyzer module (surefire's working directory). */
final class LitmusCorpus {
    private LitmusCorpus() {
    }

    static final Path SHARED = Path.of(System.getProperty("smptrace.shared", "../../../shared"), "litmus");
    static final Path GENERATED = Path.of("src/test/resources/litmus/generated");
    static final Path HANDWRITTEN = Path.of("src/test/resources/litmus/handwritten");
    /** The kernel's Documentation/litmus-tests (atomic, locking, rcu), verbatim. */
    static final Path KERNEL_DOC = Path.of("src/test/resources/litmus/kernel-doc");
    /** herd7's positive/negative execution counts for the kernel, csd and kernel-doc tests. */
    static final Path HERD_COUNTS = Path.of("src/test/resources/litmus/herd7-counts.txt");

    /** "corpus/test" to {positive, negative}, as herd7 counted them. */
    static java.util.Map<String, long[]> herdCounts() {
        java.util.Map<String, long[]> m = new java.util.HashMap<>();
        try {
            for (String l : Files.readAllLines(HERD_COUNTS)) {
                if (l.startsWith("#") || l.isBlank()) {
                    continue;
                }
                String[] f = l.trim().split("\\s+");
                m.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + HERD_COUNTS, e);
        }
        return m;
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".litmus")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }
}

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

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".litmus")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
    }
}

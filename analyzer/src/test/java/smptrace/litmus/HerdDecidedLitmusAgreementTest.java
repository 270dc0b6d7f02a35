package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tests whose Result lines herd7 decided: hand-written ones for primitives the shared tests do not
 * cover (failed cmpxchg, after_atomic, locks, trylock, RCU, rmw-sequence, 2+2W) and the generated
 * corpus (GeneratedCorpus). Hand-written files also record herd7's Positive/Negative execution
 * counts, which the decision must reproduce exactly.
 */
class HerdDecidedLitmusAgreementTest {
    private static final Pattern COUNTS = Pattern.compile("Positive: (\\d+) Negative: (\\d+)");
    private final LitmusCommand command = new LitmusCommand();

    @TestFactory
    Stream<DynamicTest> handWrittenTestsAgreeWithHerd7IncludingExecutionCounts() {
        return LitmusCorpus.files(LitmusCorpus.HANDWRITTEN).stream()
            .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                LitmusCommand.Row row = command.decide(f);
                assertEquals(Boolean.TRUE, row.agrees(),
                    row.test() + ": herd7 says " + row.expected() + ", decided " + row.decision().resultText());
                Matcher m = COUNTS.matcher(java.nio.file.Files.readString(f));
                assertTrue(m.find(), "no herd7 counts in " + f);
                assertEquals(Long.parseLong(m.group(1)), row.decision().positive(), "positive executions");
                assertEquals(Long.parseLong(m.group(2)), row.decision().negative(), "negative executions");
            }));
    }

    @Test
    void everyGeneratedTestAgreesWithHerd7() {
        List<Path> files = LitmusCorpus.files(LitmusCorpus.GENERATED);
        assertTrue(files.size() >= 250, "generated corpus has only " + files.size() + " tests");
        StringBuilder disagreements = new StringBuilder();
        int agree = 0;
        for (Path f : files) {
            LitmusCommand.Row row = command.decide(f);
            if (Boolean.TRUE.equals(row.agrees())) {
                agree++;
            } else {
                disagreements.append(row.test()).append(": herd7 ").append(row.expected()).append(", decided ")
                    .append(row.decision().resultText()).append('\n');
            }
        }
        System.out.println("generated litmus tests agreeing with herd7: " + agree + "/" + files.size());
        assertEquals(files.size(), agree, disagreements.toString());
    }
}

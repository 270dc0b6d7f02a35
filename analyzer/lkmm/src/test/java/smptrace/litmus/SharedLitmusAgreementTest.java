package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The upstream tools/memory-model litmus tests and the CSD seed shapes (../../shared/litmus), and
 * the kernel's Documentation/litmus-tests: every verdict must agree with the test's Result line,
 * DATARACE included, and the positive/negative execution counts with herd7's (herd7-counts.txt). (Speed: smptrace litmus-bench.)
 */
class SharedLitmusAgreementTest {
    private final LitmusCommand command = new LitmusCommand();

    private static List<Path> corpus(String sub) {
        Path dir = LitmusCorpus.SHARED.resolve(sub);
        assumeTrue(Files.isDirectory(dir), "shared litmus folder " + dir.toAbsolutePath() + " is absent");
        return LitmusCorpus.files(dir);
    }

    private Stream<DynamicTest> agreement(String sub) {
        return agreement(sub, corpus(sub));
    }

    private Stream<DynamicTest> agreement(String sub, List<Path> files) {
        java.util.Map<String, long[]> counts = LitmusCorpus.herdCounts();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            LitmusCommand.Row row = command.decide(f);
            assertTrue(row.expected() != null, "no Result line in " + f);
            assertEquals(Boolean.TRUE, row.agrees(),
                row.test() + ": expected " + row.expected() + ", decided " + row.decision().resultText());
            long[] herd = counts.get(sub + "/" + row.test());
            assertTrue(herd != null, "no herd7 counts for " + sub + "/" + row.test());
            assertEquals(herd[0], row.decision().positive(), "positive executions");
            assertEquals(herd[1], row.decision().negative(), "negative executions");
        }));
    }

    @TestFactory
    Stream<DynamicTest> kernelDocumentationLitmusTestsAgreeWithTheirResultLinesAndHerd7Counts() {
        return agreement("kernel-doc", LitmusCorpus.files(LitmusCorpus.KERNEL_DOC));
    }

    @TestFactory
    Stream<DynamicTest> kernelLitmusTestsAgreeWithTheirResultLines() {
        return agreement("kernel");
    }

    @TestFactory
    Stream<DynamicTest> csdSeedShapesAgreeWithTheirResultLines() {
        return agreement("csd");
    }
}

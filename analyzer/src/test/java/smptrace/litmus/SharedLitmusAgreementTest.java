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
 * The upstream tools/memory-model litmus tests and the CSD seed shapes (../../shared/litmus): every
 * verdict must agree with the test's Result line, DATARACE included. (Speed: smptrace litmus-bench.)
 */
class SharedLitmusAgreementTest {
    private final LitmusCommand command = new LitmusCommand();

    private static List<Path> corpus(String sub) {
        Path dir = LitmusCorpus.SHARED.resolve(sub);
        assumeTrue(Files.isDirectory(dir), "shared litmus folder " + dir.toAbsolutePath() + " is absent");
        return LitmusCorpus.files(dir);
    }

    private Stream<DynamicTest> agreement(String sub) {
        return corpus(sub).stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            LitmusCommand.Row row = command.decide(f);
            assertTrue(row.expected() != null, "no Result line in " + f);
            assertEquals(Boolean.TRUE, row.agrees(),
                row.test() + ": expected " + row.expected() + ", decided " + row.decision().resultText());
        }));
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

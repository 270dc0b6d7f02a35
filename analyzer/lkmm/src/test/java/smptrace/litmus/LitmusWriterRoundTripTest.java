package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Printing a test and parsing it back gives the same program, hence the same decision. */
class LitmusWriterRoundTripTest {
    private final LitmusParser parser = new LitmusParser();
    private final LitmusWriter writer = new LitmusWriter();
    private final LitmusDecider decider = new LitmusDecider();

    @Test
    void writtenTestsParseBackToTheSameProgram() throws IOException {
        List<Path> files = new ArrayList<>(LitmusCorpus.files(LitmusCorpus.HANDWRITTEN));
        files.addAll(LitmusCorpus.files(LitmusCorpus.GENERATED).subList(0, 60));
        Path shared = LitmusCorpus.SHARED.resolve("kernel");
        if (Files.isDirectory(shared)) {
            files.addAll(LitmusCorpus.files(shared));
        }
        for (Path f : files) {
            LitmusTest t = parser.parse(Files.readString(f));
            LitmusTest back = parser.parse(writer.write(t, t.expected()));
            assertEquals(t.threads(), back.threads(), f + ": processes");
            assertEquals(t.condition(), back.condition(), f + ": condition");
            Decision a = decider.decide(t);
            Decision b = decider.decide(back);
            assertEquals(a.positive(), b.positive(), f.toString());
            assertEquals(a.negative(), b.negative(), f.toString());
            assertEquals(a.dataRace(), b.dataRace(), f.toString());
        }
    }
}

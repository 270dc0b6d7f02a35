package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/analyzer.md's "Finding kinds" table is Finding.Kind, row for row (id, title, severity, SARIF level, description). */
class FindingKindsDocTest {
    static String table() {
        StringBuilder b = new StringBuilder();
        b.append("| id | title | root-cause rank | SARIF level | engine outcomes | description |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (Finding.Kind k : Finding.Kind.values()) {
            b.append("| `").append(k.id).append("` | ").append(k.title).append(" | ").append(k.severity).append(" | ")
                    .append(k.level).append(" | ").append(k.outcomes.isEmpty() ? "-" : String.join(", ", k.outcomes))
                    .append(" | ").append(k.description).append(" |\n");
        }
        return b.toString();
    }

    @Test
    void analyzerDocListsEveryFindingKindAsTheEnumDefinesIt() throws Exception {
        Path doc = Paths.get(System.getProperty("smptrace.home", "../..")).resolve("docs/analyzer.md");
        String text = Files.readString(doc);
        String begin = "<!-- finding-kinds: generated from Finding.Kind; FindingKindsDocTest checks it -->\n";
        int i = text.indexOf(begin);
        assertTrue(i >= 0, "docs/analyzer.md has no Finding kinds table; it should be:\n" + begin + table());
        int j = text.indexOf("<!-- /finding-kinds -->", i);
        assertEquals(table(), text.substring(i + begin.length(), j), "docs/analyzer.md's Finding kinds table differs from Finding.Kind");
    }
}

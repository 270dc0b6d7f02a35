package smptrace.litmus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code smptrace litmus FILE_OR_DIR...}: decides C litmus tests under the LKMM and compares each
 * verdict with the test's own {@code Result:} line. Prints one row per test (test, expected,
 * verdict, agree, time in ms) and a summary line. Exit status: 0 if every test with a Result line
 * agrees, 1 if one disagrees (or is unsupported), 2 if a path cannot be read.
 */
public final class LitmusCommand {
    private final LitmusParser parser = new LitmusParser();
    private final LitmusDecider decider = new LitmusDecider();

    /** One row of the table. */
    public record Row(String test, String expected, Decision decision, Boolean agrees, long millis) {
    }

    public int run(List<Path> filesOrDirs, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        for (Path p : filesOrDirs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".litmus")).sorted().forEach(files::add);
                } catch (IOException e) {
                    err.println("smptrace litmus: cannot read directory " + p + ": " + e.getMessage());
                    return 2;
                }
            } else if (Files.isReadable(p)) {
                files.add(p);
            } else {
                err.println("smptrace litmus: cannot read " + p);
                return 2;
            }
        }
        out.printf("%-60s %-18s %-28s %-6s %8s%n", "test", "expected", "verdict", "agree", "time ms");
        int agreed = 0;
        int disagreed = 0;
        int unchecked = 0;
        for (Path f : files) {
            Row row;
            try {
                row = decide(f);
            } catch (UncheckedIOException e) {
                err.println("smptrace litmus: cannot read " + f + ": " + e.getCause().getMessage());
                return 2;
            }
            String agree = row.agrees() == null ? "-" : row.agrees() ? "yes" : "NO";
            out.printf("%-60s %-18s %-28s %-6s %8d%n", row.test(), row.expected() == null ? "-" : row.expected(),
                row.decision().resultText(), agree, row.millis());
            if (row.agrees() == null) {
                unchecked++;
            } else if (row.agrees()) {
                agreed++;
            } else {
                disagreed++;
            }
        }
        out.printf("%d tests: %d agree, %d disagree, %d without a Result line%n", files.size(), agreed, disagreed,
            unchecked);
        return disagreed == 0 ? 0 : 1;
    }

    /** Parses and decides one file; syntax errors come back as unsupported decisions. */
    public Row decide(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long start = System.nanoTime();
        String name = file.getFileName().toString().replaceFirst("\\.litmus$", "");
        LitmusTest test;
        Decision d;
        String expected = null;
        try {
            test = parser.parse(text);
            name = test.name();
            expected = test.expected() == null ? null
                : (test.expected() + " " + test.expectedFlags()).trim();
            d = decider.decide(test);
        } catch (LitmusSyntaxException e) {
            d = Decision.unsupported(name, "syntax: " + e.getMessage());
            expected = resultLine(text);
        } catch (UnsupportedLitmusException e) {
            d = Decision.unsupported(name, e.getMessage());
            expected = resultLine(text);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        Boolean agrees = expected == null ? null : agrees(expected, d);
        return new Row(name, expected, d, agrees, ms);
    }

    private static final java.util.regex.Pattern RESULT =
        java.util.regex.Pattern.compile("Result:\\s*([A-Za-z]+)([ \\t\\w]*)");

    /** The Result line of a file the parser rejected, so that the row still counts as a disagreement. */
    public static String resultLine(String text) {
        java.util.regex.Matcher m = RESULT.matcher(text);
        return m.find() ? (m.group(1) + " " + m.group(2)).trim() : null;
    }

    /**
     * The Result line agrees when its verdict word is the decision's and, if it names DATARACE,
     * the data-race flag is raised (a Result line without DATARACE does not check the flag, as the
     * upstream tests do not record it).
     */
    public static boolean agrees(String expected, Decision d) {
        if (d.verdict() == Decision.Verdict.UNSUPPORTED || d.verdict() == Decision.Verdict.TIMEOUT) {
            return false;
        }
        String[] words = expected.trim().split("\\s+");
        // herd7 itself prints Never for a test with no execution; herd7-lkmm says DEADLOCK
        boolean verdictAgrees = words[0].equalsIgnoreCase("DEADLOCK") ? d.noExecutions()
            : words[0].equalsIgnoreCase(d.verdict().word);
        if (!verdictAgrees) {
            return false;
        }
        boolean wantsRace = false;
        for (int i = 1; i < words.length; i++) {
            wantsRace |= words[i].equalsIgnoreCase("DATARACE");
        }
        return !wantsRace || d.dataRace();
    }
}

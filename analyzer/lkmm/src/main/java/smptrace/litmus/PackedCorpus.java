package smptrace.litmus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A packed corpus ({@code *.litmus.gz}): litmus tests, gzip-compressed, separated by
 * {@link #SEPARATOR} lines. Thousands of generated tests travel as one file this way.
 */
public final class PackedCorpus {
    /** The line between two tests. */
    public static final String SEPARATOR = "(* ---- *)";

    private PackedCorpus() { }

    /** Whether {@code p} names a packed corpus. */
    public static boolean isPacked(Path p) {
        return p.getFileName().toString().endsWith(".litmus.gz");
    }

    /** The tests' texts, in order. */
    public static List<String> unpack(Path gz) throws IOException {
        try (InputStream in = Files.newInputStream(gz)) {
            return unpack(in);
        }
    }

    /** The tests' texts, in order, from a gzip stream. */
    public static List<String> unpack(InputStream gzip) throws IOException {
        String all;
        try (InputStream in = new GZIPInputStream(gzip)) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (String t : all.split(Pattern.quote(SEPARATOR + "\n"))) {
            if (!t.isBlank()) {
                out.add(t);
            }
        }
        return out;
    }
}

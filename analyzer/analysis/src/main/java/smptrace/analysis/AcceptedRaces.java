package smptrace.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The accepted kernel races: one documented file ({@code smptrace/accepted-races.txt}, format in its
 * header) of real LKMM races in the correct kernel that the kernel accepts, each with its reason and the
 * kernel's own annotation. After the detectors finish, a finding that matches an entry is marked
 * accepted: reported separately, never counted. Matching uses the finding's own events (kernel function
 * of each side, the struct member, the access), never the variant or a line number.
 */
public final class AcceptedRaces {
    /** One entry of the file. */
    public record Entry(String id, Finding.Kind kind, Set<String> fields, List<Set<String>[]> pairs, String firstOp,
                        String reason, String annotation) {

        boolean matches(Finding f) {
            if (f.kind != kind || f.tolerated || f.events.size() != 2) {
                return false;
            }
            EventRef x = f.events.get(0);
            EventRef y = f.events.get(1);
            if (!fields.contains(field(x.location())) || !fields.contains(field(y.location()))) {
                return false;
            }
            for (Set<String>[] p : pairs) {
                if (side(p[0], x, true) && side(p[1], y, false) || side(p[0], y, true) && side(p[1], x, false)) {
                    return true;
                }
            }
            return false;
        }

        private boolean side(Set<String> functions, EventRef e, boolean first) {
            if (!functions.contains(function(e.function()))) {
                return false;
            }
            return !first || firstOp == null || firstOp.equals(e.op());
        }
    }

    private static final AcceptedRaces KERNEL = load("smptrace/accepted-races.txt");

    private final List<Entry> entries;

    private AcceptedRaces(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The project's list (the resource file). */
    public static AcceptedRaces kernel() {
        return KERNEL;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Marks the findings that are accepted kernel races. */
    void apply(List<Finding> findings) {
        for (Finding f : findings) {
            for (Entry e : entries) {
                if (e.matches(f)) {
                    f.accepted = e.id();
                    f.acceptedReason = e.reason() + " [kernel annotation: " + e.annotation() + "]";
                    break;
                }
            }
        }
    }

    static String field(String location) {
        if (location == null) {
            return "";
        }
        return location.substring(location.lastIndexOf('.') + 1);
    }

    static String function(String qualified) {
        if (qualified == null) {
            return "";
        }
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    static AcceptedRaces load(String resource) {
        try (InputStream in = AcceptedRaces.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the file's text (see its header); a malformed entry is an IllegalArgumentException naming the line. */
    @SuppressWarnings("unchecked")
    static AcceptedRaces parse(String text) {
        List<Entry> l = new ArrayList<>();
        String id = null;
        Finding.Kind kind = null;
        Set<String> fields = null;
        List<Set<String>[]> pairs = new ArrayList<>();
        String firstOp = null;
        String reason = null;
        String annotation = null;
        int n = 0;
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text + "\n[]"))) {
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    if (id != null) {
                        if (kind == null || fields == null || pairs.isEmpty() || reason == null || annotation == null) {
                            throw new IllegalArgumentException("accepted-races entry [" + id + "] lacks kind, fields, pair, "
                                    + "reason or annotation (before line " + n + ")");
                        }
                        l.add(new Entry(id, kind, fields, pairs, firstOp, reason, annotation));
                    }
                    id = line.substring(1, line.length() - 1);
                    kind = null;
                    fields = null;
                    pairs = new ArrayList<>();
                    firstOp = null;
                    reason = null;
                    annotation = null;
                    continue;
                }
                int c = line.indexOf(':');
                if (c < 0 || id == null) {
                    throw new IllegalArgumentException("accepted-races line " + n + ": expected 'key: value' inside an entry");
                }
                String key = line.substring(0, c).strip();
                String value = line.substring(c + 1).strip();
                switch (key) {
                    case "kind" -> kind = Finding.Kind.parse(value);
                    case "fields" -> fields = words(value);
                    case "pair" -> {
                        int bar = value.indexOf('|');
                        if (bar < 0) {
                            throw new IllegalArgumentException("accepted-races line " + n + ": pair needs 'A ... | B ...'");
                        }
                        pairs.add(new Set[] {words(value.substring(0, bar)), words(value.substring(bar + 1))});
                    }
                    case "first-op" -> firstOp = value;
                    case "reason" -> reason = value;
                    case "annotation" -> annotation = value;
                    default -> throw new IllegalArgumentException("accepted-races line " + n + ": unknown key '" + key + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AcceptedRaces(l);
    }

    private static Set<String> words(String s) {
        return new HashSet<>(Arrays.asList(s.strip().split("\\s+")));
    }
}

package smptrace.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import smptrace.engine.smp.Hotplug;
import smptrace.engine.smp.Smp;
import smptrace.kernel.Mirrors;

/**
 * The engine's functions each name the kernel code they mirror ({@link Mirrors}), and the seed hunks they
 * claim are the seeds' own: every hunk of every seed is claimed by exactly one engine member, in the same
 * file, naming a function the hunk shows; a hunk that changes code (not only comments) is claimed by a
 * member whose source has that patch's switch.
 */
class KernelMirrorsTest {
    private static final Path SEEDS = Path.of("../../shared/seeds");
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+),(\\d+) \\+\\d+,\\d+ @@ ?(.*)$");

    /** One hunk of a seed: its file, pre-image range, header context, body. */
    record Hunk(String seed, String file, int start, int len, String context, List<String> body) {
        String id() {
            return seed + ":-" + start + "," + len;
        }

        /** The removed and the added lines differ once comments and blanks are dropped. */
        boolean changesCode() {
            List<String> removed = new ArrayList<>();
            List<String> added = new ArrayList<>();
            for (String l : body) {
                if (!(l.startsWith("+") || l.startsWith("-"))) {
                    continue;
                }
                String t = l.substring(1).replaceAll("/\\*.*?\\*/", "").replaceAll("//.*$", "").trim();
                if (t.isEmpty() || t.startsWith("/*") || t.startsWith("*")) {
                    continue;
                }
                (l.startsWith("+") ? added : removed).add(t);
            }
            java.util.Collections.sort(removed);
            java.util.Collections.sort(added);
            return !removed.equals(added);
        }

        boolean names(String fn) {
            if (context.contains(fn)) {
                return true;
            }
            for (String l : body) {
                if (l.contains(fn)) {
                    return true;
                }
            }
            // git cuts the header context short: "flush_smp_call_function_queu"
            String ctx = context.replaceAll("[^A-Za-z0-9_]+$", "");
            int k = ctx.lastIndexOf(' ');
            String last = k < 0 ? ctx : ctx.substring(k + 1);
            return last.length() >= 16 && fn.endsWith(last.isEmpty() ? "\u0000" : last) == false && fnPrefix(fn, last);
        }

        private static boolean fnPrefix(String fn, String last) {
            return fn.startsWith(last) || fn.replaceFirst("^__", "").startsWith(last);
        }
    }

    static List<Hunk> hunks(Patch p) throws IOException {
        List<Hunk> out = new ArrayList<>();
        String file = null;
        Hunk cur = null;
        for (String raw : Files.readAllLines(SEEDS.resolve(p.seedFile))) {
            String l = raw.startsWith("> ") ? raw.substring(2) : raw.equals(">") ? "" : raw;
            if (l.startsWith("--- a/")) {
                file = l.substring(6).trim();
                cur = null;
                continue;
            }
            if (l.startsWith("+++ ") || l.startsWith("diff --git") || l.startsWith("index ")) {
                cur = null;
                continue;
            }
            Matcher m = HUNK.matcher(l);
            if (m.matches()) {
                assertNotNull(file, "a hunk before any file header in " + p.seedFile);
                cur = new Hunk(p.number, file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3),
                        new ArrayList<>());
                out.add(cur);
                continue;
            }
            if (cur != null) {
                if (l.equals("--") || l.startsWith("-- ") && l.trim().equals("--")) {
                    cur = null;
                    continue;
                }
                cur.body().add(l);
            }
        }
        return out;
    }

    /** Every engine member with @Mirrors, by "Class#member". */
    static Map<String, Mirrors> mirrors() {
        Map<String, Mirrors> m = new LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {Smp.class, Hotplug.class}) {
            List<AnnotatedElement> els = new ArrayList<>();
            els.addAll(List.of(c.getDeclaredMethods()));
            els.addAll(List.of(c.getDeclaredFields()));
            els.addAll(List.of(c.getDeclaredConstructors()));
            for (AnnotatedElement e : els) {
                Mirrors a = e.getAnnotation(Mirrors.class);
                if (a != null) {
                    m.put(c.getSimpleName() + "#" + ((Member) e).getName(), a);
                }
            }
        }
        return m;
    }

    @Test
    void everySmpMethodNamesTheKernelFunctionItMirrors() {
        for (Method x : Smp.class.getDeclaredMethods()) {
            if (x.isSynthetic() || x.getName().startsWith("lambda$")) {
                continue;
            }
            Mirrors a = x.getAnnotation(Mirrors.class);
            assertNotNull(a, "Smp." + x.getName() + " names no kernel function (@Mirrors)");
            assertFalse(a.value().isBlank());
            assertTrue(a.file().matches("(kernel|include|arch)/[\\w/.-]+\\.[ch]"), a.file());
        }
    }

    @Test
    void everySeedHunkIsClaimedByExactlyOneEngineMemberThatShowsItsSwitch() throws IOException {
        assumeTrue(Files.isDirectory(SEEDS), "seed folder " + SEEDS.toAbsolutePath() + " is absent");
        Map<String, Mirrors> mirrors = mirrors();
        Map<String, String> claimedBy = new LinkedHashMap<>();
        for (Map.Entry<String, Mirrors> e : mirrors.entrySet()) {
            for (String h : e.getValue().hunks()) {
                String prev = claimedBy.put(h, e.getKey());
                assertEquals(null, prev, "hunk " + h + " claimed by " + prev + " and " + e.getKey());
            }
        }
        int seen = 0;
        for (Patch p : Patch.values()) {
            List<Hunk> hs = hunks(p);
            assertFalse(hs.isEmpty(), "no hunks parsed from " + p.seedFile);
            for (Hunk h : hs) {
                seen++;
                String member = claimedBy.remove(h.id());
                assertNotNull(member, "seed " + p.number + " hunk @@ -" + h.start() + "," + h.len() + " (" + h.file() + ", "
                        + h.context() + ") is claimed by no engine member");
                Mirrors a = mirrors.get(member);
                assertEquals(h.file(), a.file(), member + " claims " + h.id() + " of another file");
                assertTrue(h.names(a.value()), "hunk " + h.id() + " does not show " + a.value() + " (claimed by " + member + ")");
                if (h.changesCode()) {
                    String src = source(member);
                    assertTrue(src.contains("Patch.P" + p.number) || src.contains("Variant.M" + p.number + "_"),
                            member + " claims code hunk " + h.id() + " but has no switch of patch " + p.number);
                }
            }
        }
        assertTrue(claimedBy.isEmpty(), "claimed hunks that no seed has: " + claimedBy);
        assertTrue(seen >= 14, "parsed " + seen + " hunks");
    }

    /** The Java source of one engine member (from its declaration to the next member's javadoc). */
    private static String source(String member) throws IOException {
        String cls = member.substring(0, member.indexOf('#'));
        String name = member.substring(member.indexOf('#') + 1);
        String src = Files.readString(Path.of("src/main/java/smptrace/engine/smp/" + cls + ".java"));
        Matcher m = Pattern.compile("\\n    (public|private|protected) [^\\n(]*\\b" + Pattern.quote(name) + "( =|;|\\()")
                .matcher(src);
        assertTrue(m.find(), "no declaration of " + member);
        int end = src.indexOf("\n    /**", m.end());
        return src.substring(m.start(), end < 0 ? src.length() : end);
    }
}

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

    /** The excerpt of {@link Mirrors#TREE} the test keeps: kernel name -> "START-END" of each definition, and its naming line. */
    record Def(String name, int start, int end, int at, String text) { }

    static List<Def> pinnedTree() throws IOException {
        List<Def> defs = new ArrayList<>();
        try (java.io.InputStream in = KernelMirrorsTest.class.getResourceAsStream("/kernel-lines-smp.c-06978ceda170.txt")) {
            assertNotNull(in, "the excerpt of the pinned tree is missing");
            Pattern row = Pattern.compile("^(\\w+) (\\d+)-(\\d+) (\\d+): (.*)$");
            for (String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                Matcher m = row.matcher(l);
                assertTrue(m.matches(), "excerpt line: " + l);
                defs.add(new Def(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                        m.group(5)));
            }
        }
        return defs;
    }

    /** Every @Mirrors member of every class of the kernel model (KernelLines' table), by "Class.member". */
    static Map<String, Mirrors> allMirrors() {
        Map<String, Mirrors> m = new LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {Smp.class, Hotplug.class, smptrace.engine.smp.IrqWork.class, smptrace.engine.smp.StopMachine.class}) {
            List<AnnotatedElement> els = new ArrayList<>();
            els.addAll(List.of(c.getDeclaredMethods()));
            els.addAll(List.of(c.getDeclaredFields()));
            els.addAll(List.of(c.getDeclaredConstructors()));
            for (AnnotatedElement e : els) {
                Mirrors a = e.getAnnotation(Mirrors.class);
                if (a != null) {
                    m.put(c.getSimpleName() + "." + (e instanceof java.lang.reflect.Constructor ? "<init>" : ((Member) e).getName()), a);
                }
            }
        }
        return m;
    }

    @Test
    void everyMemberMirroringKernelSmpCStatesItsLinesInThePinnedTree() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Mirrors> e : allMirrors().entrySet()) {
            if (e.getValue().file().equals("kernel/smp.c") && e.getValue().lines().isBlank()) {
                missing.add(e.getKey() + " (" + e.getValue().value() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "@Mirrors of kernel/smp.c without lines in " + Mirrors.TREE + ": " + missing);
    }

    @Test
    void statedLinesAreWhereThePinnedTreeDefinesTheFunction() throws IOException {
        List<Def> tree = pinnedTree();
        assertTrue(tree.size() > 30, "excerpt rows: " + tree.size());
        for (Def d : tree) {
            assertTrue(d.start() <= d.at() && d.at() <= d.end(), d.toString());
            assertTrue(Pattern.compile("\\b" + Pattern.quote(d.name()) + "\\b").matcher(d.text()).find(), "line " + d.at() + " does not name " + d);
        }
        int checked = 0;
        for (Map.Entry<String, Mirrors> e : allMirrors().entrySet()) {
            Mirrors a = e.getValue();
            if (a.lines().isBlank()) {
                continue;
            }
            // only kernel/smp.c of the pinned tree is kept: a line stated for another file cannot be checked
            assertEquals("kernel/smp.c", a.file(), e.getKey() + " states lines of a file whose tree the test does not keep");
            Matcher m = Pattern.compile("(\\d+)(?:-(\\d+))?").matcher(a.lines());
            assertTrue(m.matches(), e.getKey() + ": lines = \"" + a.lines() + "\"");
            int start = Integer.parseInt(m.group(1));
            int end = m.group(2) == null ? start : Integer.parseInt(m.group(2));
            // the kernel function it names, or (a member named as a kernel helper the named function wraps,
            // __smp_call_function_single) the kernel function of the member's own name
            String member = e.getKey().substring(e.getKey().indexOf('.') + 1);
            boolean found = false;
            for (Def d : tree) {
                if ((d.name().equals(a.value()) || d.name().equals(member)) && d.start() == start && d.end() == end) {
                    found = true;
                }
            }
            assertTrue(found, e.getKey() + " says " + a.value() + " is at kernel/smp.c:" + a.lines() + " of " + Mirrors.TREE
                    + "; that tree defines it at " + tree.stream().filter(d -> d.name().equals(a.value())).map(d -> d.start() + "-" + d.end()).toList());
            checked++;
        }
        assertTrue(checked >= 30, "members with lines: " + checked);
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

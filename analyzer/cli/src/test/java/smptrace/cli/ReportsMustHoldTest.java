package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "must hold": the README's example leads with the double ownership of per_cpu(csd_data, 1), both
 * senders' stacks and the check that read 0; every finding of every archived trace names kernel functions and
 * kernel lines and no JVM identity, in text, JSON and SARIF; --quiet prints nothing on success.
 */
class ReportsMustHoldTest {
    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new Main().run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Path home() {
        return Paths.get(System.getProperty("smptrace.home", "../..")).toAbsolutePath().normalize();
    }

    /** What a JVM identity looks like in a report: array and class object names, anonymous objects, descriptors, lambdas. */
    /** An event kind at an engine line ("W_PLAIN at Smp.java:388") or an engine class's method ("Smp.csd_lock_wait()"). */
    static final Pattern ENGINE_WORDS = Pattern.compile("\\b(W|R|RMW)_[A-Z_]+ at [A-Za-z_]+\\.java:\\d+|\\b(Smp|Machine|Scenarios|Kernel)\\.\\w+\\(");

    static final Pattern JVM = Pattern.compile("\\[[IJZBCSFD]#|;#|\\bobj#|\\bL[a-z]+/[A-Za-z_/$]+;|\\(\\)V|lambda\\$|\\$\\$Lambda");

    @Test
    void readmeExampleLeadsWithTheDoubleOwnershipOfCsdDataOneWithBothSendersStacksAndTheCheckThatReadZero(@TempDir Path tmp) {
        // the README's line: ./smptrace record --patch 001 --variant before --seed 29 --out T, then ./smptrace analyze T
        String readme;
        try {
            readme = Files.readString(home().resolve("README.md"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertTrue(readme.contains("smptrace record --patch 001 --variant before --seed 29 --out"), "README's example changed");
        Path t = tmp.resolve("001.trace");
        Run rec = run("record", "--patch", "001", "--variant", "before", "--seed", "29", "--out", t.toString());
        assertEquals(0, rec.code(), rec.err() + rec.out());
        Run r = run("analyze", t.toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int first = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("[1/")) {
                first = i;
                break;
            }
        }
        assertTrue(first >= 0, r.out());
        assertTrue(lines.get(first).contains("BUG: lock-ownership-race in csd_lock"), lines.get(first));
        assertTrue(lines.get(first + 1).contains("own per_cpu(csd_data, 1) at once"), lines.get(first + 1));
        // the cause's block: up to the next cause or the "explains" list
        List<String> cause = new ArrayList<>();
        for (int i = first; i < lines.size() && !lines.get(i).startsWith("explains ") && !(i > first && lines.get(i).startsWith("[2/")); i++) {
            cause.add(lines.get(i));
        }
        // both senders' accesses, each with its call stack: csd_lock at its kernel lines, and its caller
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < cause.size(); i++) {
            Matcher m = Pattern.compile("^plain write to per_cpu\\(csd_data, 1\\)\\.u_flags = 1 by task \\d+ \\((smp-sender\\d)\\)").matcher(cause.get(i));
            if (m.find()) {
                senders.add(m.group(1));
                assertTrue(cause.get(i + 1).matches("\\s+csd_lock  kernel/smp\\.c:\\d+-\\d+ .*\\[Smp\\.java:\\d+\\]"), cause.get(i + 1));
                assertTrue(cause.get(i + 2).matches("\\s+smp_call_function_single  kernel/smp\\.c.*\\[.*Smp\\.java:\\d+\\]"),
                        "the caller's frame: " + cause.get(i + 2));
            }
        }
        assertEquals(2, senders.size(), String.join("\n", cause));
        assertFalse(senders.get(0).equals(senders.get(1)), senders.toString());
        // the check that read 0: an earlier read of u_flags by a sender, in the interleaving
        assertTrue(cause.stream().anyMatch(l -> l.startsWith("  ? smp-sender") && l.contains("of per_cpu(csd_data, 1).u_flags -> 0")),
                String.join("\n", cause));
    }

    static List<Path> bundles() {
        try (Stream<Path> s = Files.list(home().resolve("traces"))) {
            return s.filter(p -> Files.isDirectory(p.resolve("trace"))).sorted().toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyFindingOfEveryArchivedTraceNamesKernelFunctionsAndLinesAndNoJvmIdentity() throws Exception {
        List<Path> bundles = bundles();
        assertTrue(bundles.size() >= 10, "archived traces: " + bundles);
        ObjectMapper m = new ObjectMapper();
        int findings = 0;
        int seedLines = 0;
        int htmlFindings = 0;
        for (Path b : bundles) {
            String trace = b.resolve("trace").toString();
            Run text = run("analyze", trace, "--show-tolerated");
            Run json = run("analyze", trace, "--show-tolerated", "--format", "json");
            Run sarif = run("analyze", trace, "--show-tolerated", "--format", "sarif");
            Run html = run("analyze", trace, "--show-tolerated", "--format", "html");
            for (Run r : List.of(text, json, sarif, html)) {
                assertTrue(r.code() == 0 || r.code() == 1, b + ": " + r.err());
                Matcher jvm = JVM.matcher(r.out());
                assertFalse(jvm.find(), () -> b + ": a JVM identity '" + jvm.group() + "' in\n" + r.out());
            }
            for (String line : json.out().strip().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                findings++;
                JsonNode f = m.readTree(line);
                // JSON's summary is the one the text prints: operations and kernel functions, not the trace's event
                // kinds at engine lines nor the engine's classes
                String summary = f.get("summary").asText();
                assertFalse(ENGINE_WORDS.matcher(summary).find(), () -> b + ": engine words in the JSON summary: " + summary);
                if (f.get("causeHead").asBoolean()) {
                    assertTrue(text.out().contains(summary), () -> b + ": a root cause's JSON summary is not the text's: " + summary);
                }
                boolean kernelLines = false;
                List<JsonNode> steps = new ArrayList<>();
                f.get("events").forEach(steps::add);
                if (f.has("waits")) {
                    for (JsonNode w : f.get("waits")) {
                        steps.add(w.get("waitingRead"));
                        steps.add(w.get("since"));
                        if (!w.get("lastWrite").isNull()) {
                            steps.add(w.get("lastWrite"));
                        }
                        w.get("leadUp").forEach(steps::add);
                    }
                }
                for (JsonNode e : steps) {
                    JsonNode stack = e.get("stack");
                    assertTrue(stack != null && stack.size() > 0, b + ": an event without a stack: " + e);
                    for (JsonNode fr : stack) {
                        // every frame: a function name, the engine's file:line, and what its code is
                        assertTrue(fr.get("function").asText().matches("[A-Za-z_][A-Za-z_0-9]*( \\(lambda\\))?"), b + ": " + fr);
                        assertTrue(fr.get("file").asText().endsWith(".java") && fr.get("line").asInt() > 0, b + ": " + fr);
                        String code = fr.path("code").asText();
                        assertTrue(code.equals("kernel") || code.equals("driver") || code.equals("simulator"),
                                b + ": a frame that is neither kernel code the engine states, a driver's nor the simulator's: " + fr);
                        if (code.equals("kernel")) {
                            // kernel code names its kernel function's file; kernel/smp.c, the modelled file, its lines
                            assertTrue(fr.get("kernelFile").asText().matches("(kernel|include|lib|arch)/[\\w/.-]+\\.[ch]"), b + ": " + fr);
                            if (fr.get("kernelFile").asText().equals("kernel/smp.c")) {
                                assertTrue(fr.has("kernelLines") && fr.get("kernelLines").get(0).asText().matches("\\d+(-\\d+)?"),
                                        b + ": a kernel/smp.c frame without its lines in the modelled tree: " + fr);
                                kernelLines = true;
                            }
                        } else {
                            assertFalse(fr.has("kernelFile"), b + ": " + fr);
                        }
                    }
                }
                // every finding, a hang included (its stuck contexts' csd_lock_wait()), is somewhere in kernel/smp.c
                assertTrue(kernelLines, b + ": no frame with kernel lines in " + line);
            }
            // one HTML entry per entry of the text (a racing pair of sites is one entry, whatever its access kinds)
            Matcher entries = Pattern.compile("root causes? \\((\\d+) entr(?:y|ies)").matcher(text.out());
            int inHtml = htmlFindingsNameKernelFunctionsAndLines(b, html.out(), m);
            assertTrue(entries.find(), b + ": no summary line in\n" + text.out());
            assertEquals(Integer.parseInt(entries.group(1)), inHtml, b + ": the HTML page shows every entry the text has");
            htmlFindings += inHtml;
            text.out().lines().filter(l -> l.matches("\\[\\d+/\\d+\\] BUG: .*")).forEach(ReportsMustHoldTest::assertHeadlineInKernelWords);
            // the text speaks of operations and functions, not of the trace's event kinds at engine lines
            Matcher raw = ENGINE_WORDS.matcher(text.out());
            assertFalse(raw.find(), () -> b + ": engine words '" + raw.group() + "' in\n" + text.out());
            // in the text, every frame of kernel/smp.c prints its lines next to the engine's file:line, and the trace's
            // own seed's lines where its hunks change the function
            for (String l : text.out().lines().toList()) {
                assertFalse(l.matches("\\s+\\S+  kernel/smp\\.c  .*"), () -> b + ": a kernel/smp.c frame without lines: " + l);
            }
            // a seed's hunk lines are those of that seed's own tree: shown on that seed's traces only
            String seed = b.getFileName().toString().substring(0, 3);
            Matcher other = Pattern.compile("kernel/smp\\.c:\\d+(?:-\\d+)? \\(seed (\\d{3}): [\\d, -]+\\)").matcher(text.out());
            while (other.find()) {
                assertEquals(seed, other.group(1), b + ": another seed's lines: " + other.group());
            }
            seedLines += text.out().contains("(seed " + seed + ": ") ? 1 : 0;
            assertTrue(text.out().contains("# kernel lines: " + smptrace.kernel.Mirrors.TREE), b + ": the tree of the lines is not named");
        }
        assertTrue(findings > 50, "findings over all bundles: " + findings);
        assertTrue(htmlFindings > 50 && htmlFindings <= findings, "HTML entries over all bundles: " + htmlFindings + " of " + findings + " findings");
        assertTrue(seedLines >= bundles.size() / 2, "bundles whose report shows their own seed's hunk lines: " + seedLines);
    }

    /**
     * A KCSAN-like headline, "[i/n] BUG: KIND in f / g", names kernel functions (csd_lock, CSD_TYPE, a callback's
     * scf_handler, a driver's "s002 (lambda)"): never a Java method of the simulator (preemptEnable) or the
     * callback interface's call().
     */
    static void assertHeadlineInKernelWords(String headline) {
        Matcher h = Pattern.compile("\\[\\d+/\\d+\\] BUG: [a-z-]+ in (.+)").matcher(headline);
        assertTrue(h.matches(), headline);
        for (String fn : h.group(1).split(" / ")) {
            assertTrue(fn.matches("[a-z_][a-z0-9_]*|[A-Z][A-Z0-9_]*|[a-z_][a-z0-9_]* \\(lambda\\)") && !fn.equals("call"),
                    "a headline function not in kernel words: '" + fn + "' in " + headline);
        }
    }

    /** One HTML frame line: function, kernel file[:lines] or what its code is, then the engine's [File.java:N]. */
    static final Pattern HTML_FRAME = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*( \\(lambda\\))?  (((kernel|include|lib|arch)/[\\w/.-]+\\.[ch])(:\\S+)?( \\(seed \\d{3}: [\\d, -]+\\))?|\\((simulator|driver)\\))  \\[([\\w.$ ]+ )?\\w+\\.java:\\d+\\]");

    /**
     * The HTML page's embedded data (what its script renders, no network): every finding (each entry of each root
     * cause, tolerated ones included) has steps, every step a stack whose frames are in kernel words, and somewhere a
     * kernel/smp.c frame with its lines, as the text and JSON have. Returns the findings it saw.
     */
    static int htmlFindingsNameKernelFunctionsAndLines(Path b, String page, ObjectMapper m) throws Exception {
        assertFalse(page.matches("(?s).*<(script|link|img)[^>]+(src|href)=\"https?:.*"), b + ": the page fetches from the network");
        Matcher d = Pattern.compile("(?s)<script type=\"application/json\" id=\"data\">(.*?)</script>").matcher(page);
        assertTrue(d.find(), b + ": no embedded data in the HTML page");
        JsonNode data = m.readTree(d.group(1));
        int n = 0;
        for (JsonNode t : data.get("traces")) {
            for (JsonNode cause : t.get("causes")) {
                for (JsonNode e : cause.get("entries")) {
                    n++;
                    assertTrue(e.get("steps").size() > 0, b + ": an HTML finding without steps: " + e.get("summary"));
                    boolean kernelLines = false;
                    List<String> frames = new ArrayList<>();
                    for (JsonNode st : e.get("steps")) {
                        assertTrue(st.get("stack").size() > 0, b + ": an HTML step without a stack: " + st);
                        st.get("stack").forEach(fr -> frames.add(fr.asText()));
                    }
                    // a hang's waits print each stuck context's stack and the last write's in the same frame form
                    // (the lead-up's step lines, "    ctx  task  cpu  #T.S ...", are steps, not frames)
                    for (JsonNode w : e.path("waits")) {
                        for (String l : w.asText().lines().toList()) {
                            if (l.matches("\\s{4}\\S.*\\]") && !l.matches(".*\\s#\\d+\\.\\d+\\s.*")) {
                                frames.add(l.strip());
                            }
                        }
                    }
                    for (String fr : frames) {
                        assertTrue(HTML_FRAME.matcher(fr).matches(), b + ": an HTML frame not in kernel words: '" + fr + "'");
                        assertFalse(fr.matches("\\S+  kernel/smp\\.c  .*"), b + ": an HTML kernel/smp.c frame without lines: " + fr);
                        kernelLines |= fr.matches("\\S+  kernel/smp\\.c:\\d+.*");
                    }
                    assertTrue(kernelLines, b + ": an HTML finding with no kernel/smp.c frame and lines: " + e.get("summary"));
                }
            }
        }
        return n;
    }

    @Test
    void quietPrintsNothingOnSuccess(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("good");
        PatchesCommand.record(new smptrace.analysis.Expectations.Row("003", "after", null, null, null, null), 2, good);
        Run loud = run("analyze", good.toString());
        assertEquals(0, loud.code(), loud.out() + loud.err());
        assertTrue(loud.out().contains("clean: no findings"), loud.out());
        Run q = run("analyze", "--quiet", good.toString());
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.out());
        assertEquals("", q.err());
        // and not on failure: a buggy trace still prints its report
        Path bad = tmp.resolve("bad");
        PatchesCommand.record(new smptrace.analysis.Expectations.Row("001", "before", null, null, null, null), 2, bad);
        Run qb = run("analyze", "--quiet", bad.toString());
        assertEquals(1, qb.code());
        assertTrue(qb.out().contains("BUG: "), qb.out());
    }
}

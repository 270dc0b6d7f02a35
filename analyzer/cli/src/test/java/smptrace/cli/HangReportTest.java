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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3, on a real hung run (seed 002's ipi-only-if-queued mutant on the standard scenario: senders
 * queue onto an empty call_single_queue without the IPI and wait in csd_lock_wait() until the watchdog ends the
 * run): the hang prints each stuck context, what it waits for, the last write to the location it spins on and its
 * own last steps before the wait, with stacks in kernel terms, in text, JSON and SARIF.
 */
class HangReportTest {
    private record Run(int code, String out, String err) { }

    @TempDir
    static Path tmp;
    static Path trace;

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = new Main().run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void recordAHungRun() {
        trace = tmp.resolve("hung.trace");
        Run rec = run("record", "--patch", "002", "--variant", "ipi-only-if-queued", "--scenario", "standard", "--seed", "2",
                "--quiet", "--out", trace.toString());
        assertEquals(0, rec.code(), rec.err() + rec.out());
        assertEquals("", rec.out() + rec.err(), "record --quiet prints nothing when the trace is written");
    }

    @Test
    void headlinesNameKernelFunctionsNeverTheSimulatorsMethods() {
        // the lost kick ends at a PREEMPT_ENABLE recorded in the simulator's Machine.preemptEnable, whose caller the
        // history does not tell apart (put_cpu() or preempt_enable()): the headline names the kernel operation
        Run r = run("analyze", trace.toString());
        assertEquals(1, r.code(), r.err());
        List<String> heads = r.out().lines().filter(l -> l.matches("\\[\\d+/\\d+\\] BUG: .*")).toList();
        assertTrue(heads.stream().anyMatch(h -> h.contains("BUG: lost-wakeup in llist_add_batch / preempt_enable")), r.out());
        for (String h : heads) {
            ReportsMustHoldTest.assertHeadlineInKernelWords(h);
        }
    }

    @Test
    void textPrintsEachStuckContextWhatItWaitsForTheLastWriteThereAndItsLastSteps() {
        Run r = run("analyze", trace.toString(), "--kind", "hang");
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[\\d+/\\d+\\] BUG: hang in csd_lock_wait")), r.out());
        int stuck = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.matches("task \\d+ \\((smp-\\S+)\\) on cpu \\d+ is stuck in csd_lock_wait:")) {
                continue;
            }
            stuck++;
            String who = l.replaceAll("^task \\d+ \\((smp-\\S+)\\).*", "$1");
            assertTrue(lines.get(i + 1).matches("  waits for CSD_FLAG_LOCK of \\S+ to clear \\(u_flags reads \\d+.*"), lines.get(i + 1));
            assertTrue(lines.get(i + 2).matches("    csd_lock_wait  kernel/smp\\.c:\\d+-\\d+  \\[Smp\\.java:\\d+\\]"), lines.get(i + 2));
            // the block up to the next stuck context
            List<String> block = new ArrayList<>();
            for (int k = i + 1; k < lines.size() && !lines.get(k).isEmpty(); k++) {
                block.add(lines.get(k));
            }
            assertTrue(block.stream().anyMatch(x -> x.startsWith("  last write to ") && x.contains(".u_flags: ")), String.join("\n", block));
            int lead = block.indexOf("  its last steps before the wait (oldest first):");
            assertTrue(lead > 0, String.join("\n", block));
            List<String> steps = block.subList(lead + 1, block.size());
            assertFalse(steps.isEmpty(), String.join("\n", block));
            for (String s : steps) {
                // the context's own steps, in kernel terms, without the simulator's run-queue lock or cpu_relax()
                assertTrue(s.trim().startsWith(who + " "), s);
                assertFalse(s.contains("execCmd") || s.contains("CPU_RELAX") || s.contains("cpu_rq("), s);
            }
        }
        assertTrue(stuck >= 1, r.out());
    }

    @Test
    void jsonAndSarifCarryTheWaitsWithStacks() throws Exception {
        Run j = run("analyze", trace.toString(), "--kind", "hang", "--format", "json");
        assertEquals(1, j.code(), j.err());
        ObjectMapper m = new ObjectMapper();
        JsonNode hang = null;
        for (String l : j.out().strip().split("\n")) {
            JsonNode f = m.readTree(l);
            if (f.get("kind").asText().equals("hang")) {
                hang = f;
            }
        }
        assertTrue(hang != null && hang.has("waits") && hang.get("waits").size() > 0, j.out());
        for (JsonNode w : hang.get("waits")) {
            assertEquals("csd_lock_wait", w.get("function").asText(), w.toString());
            String loc = w.get("location").asText();
            assertTrue(loc.endsWith(".u_flags"), loc);
            assertTrue(w.get("waitsFor").asText().startsWith("CSD_FLAG_LOCK of " + loc.substring(0, loc.length() - 8) + " to clear"), w.toString());
            assertTrue(w.get("reads").asInt() >= 1);
            assertEquals(w.get("context").asText(), w.get("waitingRead").get("context").asText());
            JsonNode lw = w.get("lastWrite");
            if (!lw.isNull()) {
                assertEquals(loc, lw.get("location").asText(), lw.toString());
                assertTrue(lw.get("op").asText().matches("W_\\w+|RMW_\\w+"), lw.toString());
                assertTrue(lw.get("stack").size() > 0, lw.toString());
            }
            JsonNode lead = w.get("leadUp");
            assertTrue(lead.size() >= 2, w.toString());
            for (JsonNode s : lead) {
                assertEquals(w.get("context").asText(), s.get("context").asText(), s.toString());
                assertTrue(s.get("stack").size() > 0, s.toString());
            }
            JsonNode last = lead.get(lead.size() - 1);
            assertEquals("wait", last.get("role").asText());
            assertEquals(loc, last.get("location").asText());
        }
        Run s = run("analyze", trace.toString(), "--kind", "hang", "--format", "sarif");
        assertEquals(1, s.code(), s.err());
        JsonNode results = m.readTree(s.out()).get("runs").get(0).get("results");
        List<String> roles = new ArrayList<>();
        for (JsonNode res : results) {
            if (res.get("ruleId").asText().equals("hang")) {
                for (JsonNode tf : res.get("codeFlows").get(0).get("threadFlows")) {
                    for (JsonNode loc : tf.get("locations")) {
                        roles.add(loc.path("properties").path("role").asText());
                    }
                }
            }
        }
        assertTrue(roles.contains("last-write") && roles.contains("lead-up") && roles.contains("wait"), roles.toString());
        Path page = tmp.resolve("hang.html");
        Run h = run("analyze", trace.toString(), "--kind", "hang", "--format", "html", "--out", page.toString());
        assertEquals(1, h.code(), h.err());
        String html = Files.readString(page);
        assertTrue(html.contains("\"role\":\"lead-up\"") && html.contains("\"role\":\"last-write\""), "the page's data has no lead-up");
    }
}

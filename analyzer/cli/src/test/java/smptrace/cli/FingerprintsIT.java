package smptrace.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.TraceReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On recorded engine traces: the same bug from several seeds has one fingerprint; different bugs have different ones. */
class FingerprintsIT {
    @TempDir
    Path tmp;

    private List<AnalysisResult> record(String patch, String variant, String schedule) throws Exception {
        Path out = tmp.resolve(patch + "-" + variant + "-" + schedule);
        CliBadInputTest.Run r = CliBadInputTest.cli("record", "--patch", patch, "--variant", variant, "--schedule", schedule,
                "--seed", "1", "--seeds", "6", "--compact", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        try (Stream<Path> s = Files.list(out)) {
            return s.sorted().map(t -> {
                try (TraceReader reader = TraceReader.open(t)) {
                    return new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    /** Per (kind, rule): the fingerprints seen, and in how many traces the pair appeared. */
    private static Map<String, Set<String>> byRule(List<AnalysisResult> rs, Map<String, Integer> traces) {
        Map<String, Set<String>> m = new HashMap<>();
        for (AnalysisResult r : rs) {
            Set<String> here = new HashSet<>();
            for (Finding f : r.problems()) {
                if (f.kind != Finding.Kind.DATA_RACE) {
                    m.computeIfAbsent(f.kind.id + "/" + f.rule, k -> new HashSet<>()).add(f.fingerprint);
                    here.add(f.kind.id + "/" + f.rule);
                }
            }
            here.forEach(k -> traces.merge(k, 1, Integer::sum));
        }
        return m;
    }

    @Test
    void theSameBugFromDifferentSeedsHasOneFingerprint() throws Exception {
        Map<String, Integer> traces = new HashMap<>();
        Map<String, Set<String>> m = byRule(record("001", "before", "random"), traces);
        // 001 before: two senders own the destination CSD at once, then double-llist_add it (patches.md)
        for (String k : new String[] {"lock-ownership-race/two-owners", "lock-ownership-race/R1", "double-enqueue/on-list"}) {
            assertTrue(traces.getOrDefault(k, 0) >= 2, k + " in several seeds: " + traces);
            assertEquals(1, m.get(k).size(), k + " has one fingerprint across seeds: " + m.get(k));
        }
        Map<String, Integer> t4 = new HashMap<>();
        Map<String, Set<String>> m4 = byRule(record("004", "online-check-outside-pinned", "pct"), t4);
        for (Map.Entry<String, Set<String>> e : m4.entrySet()) {
            if (t4.get(e.getKey()) >= 2) {
                assertEquals(1, e.getValue().size(), e.getKey() + " across seeds: " + e.getValue());
            }
        }
    }

    @Test
    void differentBugsHaveDifferentFingerprints() throws Exception {
        Map<String, Integer> ignored = new HashMap<>();
        Map<String, Set<String>> a = byRule(record("001", "before", "random"), ignored);
        Map<String, Set<String>> b = byRule(record("003", "put-cpu-before-lock", "random"), ignored);
        Set<String> fa = new HashSet<>();
        a.values().forEach(fa::addAll);
        Set<String> fb = new HashSet<>();
        b.values().forEach(fb::addAll);
        assertTrue(a.containsKey("lock-ownership-race/two-owners") || a.containsKey("lock-ownership-race/R1"), a.toString());
        assertTrue(b.keySet().stream().anyMatch(k -> k.startsWith("lock-ownership-race")), b.toString());
        Set<String> shared = new HashSet<>(fa);
        shared.retainAll(fb);
        // 001: the destination CSD per_cpu(csd_data); 003: a cfd_data[] CSD reused after preemption
        assertTrue(shared.isEmpty(), "two different bugs share " + shared);
        // and within one trace set, different (kind, rule) never share a fingerprint
        Set<String> all = new HashSet<>();
        int n = 0;
        for (Set<String> s : a.values()) {
            all.addAll(s);
            n += s.size();
        }
        assertEquals(n, all.size());
    }
}

package smptrace.cli;

import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Finding;
import smptrace.trace.TraceInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A reproducer bundle (docs/reproducers.md): a folder with {@code trace/} (the trace, trimmed to its
 * content, and the run's schedule) and {@code manifest.properties}: what was recorded and how (bundle
 * and trace-format versions, tool version, the exact command, patch, variant, scenario, seed,
 * schedule, JVM and host facts, event count), the expected findings by fingerprint (kind, mode,
 * rule, where), the SHA-256 and size of every file, and a seal: the SHA-256 of every manifest line
 * above it, so a changed manifest is as damaged as a changed trace.
 *
 * <p>Version 1 bundles (hand-written {@code bundle.properties}: sha256 lines and finding kinds) are
 * still read.
 */
final class Bundle {
    static final int VERSION = 2;
    static final String MANIFEST = "manifest.properties";
    static final String LEGACY = "bundle.properties";
    static final String TRACE_DIR = "trace";

    /** A bundle that cannot be trusted: one line, exit 2. */
    static final class Damaged extends Exception {
        Damaged(String msg) {
            super(msg);
        }
    }

    /** One expected finding: fingerprint, kind, mode, rule and the fingerprint's text (where, in the kernel's words). */
    record Expected(String fingerprint, String kind, String mode, String rule, String where) {
        static Expected of(Finding f) {
            return new Expected(f.fingerprint, f.kind.id, f.mode(), f.rule, f.fingerprintKey);
        }

        String line() {
            return fingerprint + " " + kind + " " + mode + " " + rule + " " + where;
        }

        static Expected parse(String v) throws Damaged {
            String[] p = v.split(" ", 5);
            if (p.length < 5 || !p[0].matches("[0-9a-f]{16}")) {
                throw new Damaged("a damaged expected finding '" + v + "'");
            }
            try {
                Finding.Kind.parse(p[1]);
            } catch (IllegalArgumentException e) {
                throw new Damaged("unknown finding kind '" + p[1] + "' in the expected finding " + p[0]);
            }
            return new Expected(p[0], p[1], p[2], p[3], p[4]);
        }
    }

    final Path dir;
    final int version;
    /** Manifest entries in file order (finding.N and file.* included). */
    final Map<String, String> entries;
    final List<Expected> expected;
    /** Version 1 only: the kinds that must be reported. */
    final List<String> legacyKinds;

    private Bundle(Path dir, int version, Map<String, String> entries, List<Expected> expected, List<String> legacyKinds) {
        this.dir = dir;
        this.version = version;
        this.entries = entries;
        this.expected = expected;
        this.legacyKinds = legacyKinds;
    }

    Path trace() {
        return dir.resolve(TRACE_DIR);
    }

    String get(String k) {
        return entries.get(k);
    }

    String name() {
        return entries.getOrDefault("name", dir.getFileName().toString());
    }

    static boolean isBundle(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST)) || Files.isRegularFile(dir.resolve(LEGACY));
    }

    /** The trace a command argument names: a bundle's trace once its seal holds (damage is bad input), else the path itself. */
    static Path traceOf(Path arg) throws UsageException {
        if (!isBundle(arg)) {
            return arg;
        }
        try {
            return open(arg).trace();
        } catch (Damaged e) {
            throw new UsageException(e.getMessage());
        }
    }

    // ---- writing ---------------------------------------------------------------------------------

    /** The manifest's text for a trace already copied into {@code dir/trace}; ends with the seal line. */
    static String manifest(Path dir, String name, TraceInfo info, long events, String command, AnalysisResult r)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bundle.version", String.valueOf(VERSION));
        m.put("name", name);
        m.put("trace.format.version", String.valueOf(info.formatVersion()));
        m.put("tool.version", toolVersion());
        m.put("archived", java.time.Instant.now().toString());
        m.put("command", command == null ? "-" : command);
        for (String k : new String[] {"patch", "variant", "scenario", "seed", "schedule", "pct.depth", "cpus", "length",
                "csd.lock.wait.debug", "steer", "rounds", "start.time", "jvm.version", "jvm.vendor", "jvm.name", "os", "host.cpus",
                "host.name", "agent.mode"}) {
            String v = info.header(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        m.put("events", String.valueOf(events));
        m.put("trace.end", r.end() == null ? "-" : r.end().complete() ? "complete" : r.end().detail());
        List<Finding> fs = r.problems();
        m.put("findings", String.valueOf(fs.size()));
        int i = 0;
        for (Finding f : fs) {
            m.put("finding." + (++i), Expected.of(f).line());
        }
        for (Map.Entry<String, String> e : digests(dir).entrySet()) {
            m.put("file." + e.getKey(), e.getValue());
        }
        StringBuilder b = new StringBuilder();
        b.append("# smptrace reproducer bundle (docs/reproducers.md). Sealed: check with `smptrace verify ")
                .append(name).append("`,\n# re-execute with `smptrace replay`, re-record with `smptrace archive --rerecord`.\n");
        for (Map.Entry<String, String> e : m.entrySet()) {
            b.append(e.getKey()).append('=').append(oneLine(e.getValue())).append('\n');
        }
        String seal = sha256(b.toString().getBytes(StandardCharsets.UTF_8)); // over every line above the seal
        b.append("seal=").append(seal).append('\n');
        return b.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** "sha256 size" of every file under dir/trace, by path relative to dir ("trace/20261202F.cq4"). */
    static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> d = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir.resolve(TRACE_DIR))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                d.put(dir.relativize(p).toString().replace('\\', '/'), sha256(bytes) + " " + bytes.length);
            }
        }
        return d;
    }

    static String toolVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading and checking the seal -----------------------------------------------------------

    /** Reads a bundle and checks its seal and every file; a Damaged says the first thing wrong in one line. */
    static Bundle open(Path dir) throws Damaged {
        if (!Files.isDirectory(dir)) {
            throw new Damaged("no bundle at " + dir);
        }
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            if (Files.isRegularFile(dir.resolve(LEGACY))) {
                return openLegacy(dir);
            }
            throw new Damaged("not a bundle: " + dir + " holds no " + MANIFEST);
        }
        String text;
        try {
            text = Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new Damaged("unreadable manifest " + dir.resolve(MANIFEST) + ": " + e.getMessage());
        }
        int seal = text.lastIndexOf("\nseal=");
        if (seal < 0) {
            throw new Damaged("manifest " + dir.resolve(MANIFEST) + " has no seal line");
        }
        String sealed = text.substring(0, seal + 1);
        String want = text.substring(seal + 6).trim();
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : sealed.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new Damaged("manifest " + dir.resolve(MANIFEST) + " has a damaged line '" + line + "'");
            }
            m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        String v = m.get("bundle.version");
        int version;
        try {
            version = Integer.parseInt(v);
        } catch (RuntimeException e) {
            throw new Damaged("manifest " + dir.resolve(MANIFEST) + " names no bundle.version");
        }
        if (version != VERSION) {
            throw new Damaged("unknown bundle version " + version + " in " + dir.resolve(MANIFEST) + " (this smptrace reads 1 and "
                    + VERSION + ")");
        }
        if (!sha256(sealed.getBytes(StandardCharsets.UTF_8)).equals(want)) {
            throw new Damaged("manifest " + dir.resolve(MANIFEST) + " changed since it was sealed (seal mismatch)");
        }
        List<Expected> ex = new ArrayList<>();
        int n;
        try {
            n = Integer.parseInt(m.getOrDefault("findings", "-1"));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new Damaged("manifest " + dir.resolve(MANIFEST) + " names no findings count");
        }
        for (int i = 1; i <= n; i++) {
            String f = m.get("finding." + i);
            if (f == null) {
                throw new Damaged("manifest " + dir.resolve(MANIFEST) + " lacks finding." + i);
            }
            ex.add(Expected.parse(f));
        }
        Map<String, String> files = new TreeMap<>();
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (e.getKey().startsWith("file.")) {
                files.put(e.getKey().substring(5), e.getValue());
            }
        }
        checkFiles(dir, files);
        return new Bundle(dir, version, m, ex, List.of());
    }

    /** Every sealed file is there with its size and digest, and nothing unsealed sits beside them. */
    private static void checkFiles(Path dir, Map<String, String> files) throws Damaged {
        if (files.isEmpty()) {
            throw new Damaged("bundle " + dir + " seals no files");
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            String[] want = e.getValue().split(" ");
            if (!Files.isRegularFile(p)) {
                throw new Damaged("bundle " + dir + ": sealed file " + e.getKey() + " is missing");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e2) {
                throw new Damaged("bundle " + dir + ": sealed file " + e.getKey() + " is unreadable (" + e2.getMessage() + ")");
            }
            if (want.length > 1 && !want[1].equals(String.valueOf(bytes.length))) {
                throw new Damaged("bundle " + dir + ": " + e.getKey() + " is " + bytes.length + " bytes, sealed as " + want[1]
                        + (bytes.length < Long.parseLong(want[1]) ? " (truncated)" : ""));
            }
            if (!sha256(bytes).equals(want[0])) {
                throw new Damaged("bundle " + dir + ": " + e.getKey() + " changed since it was sealed (sha256 mismatch)");
            }
        }
        try (Stream<Path> s = Files.walk(dir.resolve(TRACE_DIR))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!files.containsKey(rel)) {
                    throw new Damaged("bundle " + dir + ": " + rel + " is not sealed by the manifest");
                }
            }
        } catch (IOException e) {
            throw new Damaged("bundle " + dir + ": " + TRACE_DIR + "/ is unreadable (" + e.getMessage() + ")");
        }
    }

    /** Version 1: bundle.properties with sha256.FILE lines for trace/ and expect.findings (kinds). */
    private static Bundle openLegacy(Path dir) throws Damaged {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(dir.resolve(LEGACY))) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new Damaged("unreadable " + dir.resolve(LEGACY) + ": " + e.getMessage());
        }
        String v = p.getProperty("bundle.version");
        if (!"1".equals(v)) {
            throw new Damaged("unknown bundle version " + v + " in " + dir.resolve(LEGACY) + " (this smptrace reads 1 and " + VERSION + ")");
        }
        Map<String, String> files = new TreeMap<>();
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k));
            if (k.startsWith("sha256.")) {
                files.put(TRACE_DIR + "/" + k.substring(7), p.getProperty(k));
            }
        }
        checkFiles(dir, files);
        List<String> kinds = new ArrayList<>();
        for (String k : p.getProperty("expect.findings", "").split(",")) {
            if (k.isBlank()) {
                continue;
            }
            try {
                kinds.add(Finding.Kind.parse(k.trim()).id);
            } catch (IllegalArgumentException e) {
                throw new Damaged("unknown finding kind '" + k.trim() + "' in expect.findings of " + dir.resolve(LEGACY));
            }
        }
        return new Bundle(dir, 1, m, List.of(), kinds);
    }
}

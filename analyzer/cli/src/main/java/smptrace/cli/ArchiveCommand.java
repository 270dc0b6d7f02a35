package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.TraceDiff;
import smptrace.trace.TraceException;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code smptrace archive TRACE --name NAME [--into DIR]}: makes a sealed reproducer bundle
 * (default {@code traces/NAME/}): the trace trimmed to its content (checked to read the same event
 * for event as the original), its schedule, and a manifest with the expected findings of an analysis
 * run now. {@code archive --rerecord BUNDLE...} records each bundle again from its manifest's command
 * and re-archives it under the same name (after an engine change that moves the event stream).
 */
final class ArchiveCommand implements Command {
    @Override
    public String name() {
        return "archive";
    }

    @Override
    public String summary() {
        return "seal a trace as a reproducer bundle (trimmed trace, schedule, manifest, expected findings)";
    }

    @Override
    public String footer() {
        return "\nArguments: TRACE (a trace directory) with --name, or with --rerecord: BUNDLE... (re-record each from its\n"
                + "manifest's command and seal it again under its name). Exit 0 archived, 2 bad input. See docs/reproducers.md.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("name", "NAME", "bundle name (letters, digits, '.', '_', '-'): patch, variant and finding"),
                Main.opt("into", "DIR", "archive directory (default: traces/ of the smptrace checkout)"),
                Main.opt("force", null, "replace an existing bundle of that name"),
                Main.opt("rerecord", null, "arguments are bundles: record each again from its command and re-seal it"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.hasOption("rerecord")) {
            if (cl.getArgList().isEmpty()) {
                throw new UsageException("missing BUNDLE (one or more bundle directories to re-record)");
            }
            for (String a : cl.getArgList()) {
                rerecord(Paths.get(a), out);
            }
            return Exit.OK;
        }
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "missing TRACE (a trace directory)" : "give exactly one TRACE");
        }
        String name = cl.getOptionValue("name");
        if (name == null) {
            throw new UsageException("missing --name NAME (e.g. 001-before-two-owners)");
        }
        Path into = cl.hasOption("into") ? Paths.get(cl.getOptionValue("into")) : Launcher.home().resolve("traces");
        Path trace = Bundle.traceOf(Paths.get(cl.getArgList().get(0)));
        Path dest = archive(trace, name, into, cl.hasOption("force"));
        report(dest, out);
        return Exit.OK;
    }

    static void report(Path dest, PrintStream out) throws Exception {
        Bundle b = Bundle.open(dest);
        long bytes = 0;
        try (Stream<Path> s = Files.walk(dest)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
            }
        }
        out.printf("archived %s: %s events, %d expected finding(s), %d KiB in %s%n", b.name(), b.get("events"),
                b.expected.size(), (bytes + 1023) / 1024, dest);
        java.util.Map<String, int[]> kinds = new java.util.TreeMap<>();
        for (Bundle.Expected e : b.expected) {
            kinds.computeIfAbsent(e.kind(), k -> new int[2])[e.mode().equals("predicted") ? 1 : 0]++;
        }
        for (java.util.Map.Entry<String, int[]> e : kinds.entrySet()) {
            out.println("  " + e.getKey() + ": " + e.getValue()[0] + " observed, " + e.getValue()[1] + " predicted");
        }
    }

    /** Archives {@code trace} as {@code into/name}; returns the bundle directory. */
    static Path archive(Path trace, String name, Path into, boolean force) throws Exception {
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new UsageException("--name takes letters, digits, '.', '_' and '-' only, not '" + name + "'");
        }
        Path dest = into.resolve(name);
        if (Files.exists(dest) && !force) {
            throw new UsageException(dest + " already exists (give another --name, or --force to replace it)");
        }
        Files.createDirectories(into);
        Path tmp = Files.createTempDirectory(into, "." + name + ".tmp");
        try {
            Path t = tmp.resolve(Bundle.TRACE_DIR);
            Files.createDirectories(t);
            try (Stream<Path> s = Files.list(trace)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    Files.copy(p, t.resolve(p.getFileName().toString()));
                }
            }
            trim(t);
            long events;
            AnalysisResult r;
            String command;
            try (TraceReader original = TraceReader.open(trace); TraceReader trimmed = TraceReader.open(t)) {
                events = original.recordedEvents();
                if (trimmed.recordedEvents() != events) {
                    throw new UsageException("trimming " + trace + " lost events (" + trimmed.recordedEvents() + " of " + events + ")");
                }
                TraceDiff.Difference d = TraceDiff.compare(original, trimmed);
                if (d != null) {
                    throw new UsageException("the trimmed copy of " + trace + " differs at event " + d.index() + "; not archived");
                }
                command = Recorded.command(original.info());
            }
            try (TraceReader reader = TraceReader.open(t)) {
                r = new Analyzer(smptrace.analysis.Options.defaults()).analyze(reader);
                if (r.end() != null && !r.end().complete()) {
                    throw new UsageException(trace + " is cut short (" + r.end().detail() + "); a reproducer must be a whole trace");
                }
                Files.writeString(tmp.resolve(Bundle.MANIFEST), Bundle.manifest(tmp, name, reader.info(), events, command, r));
            }
            Bundle.open(tmp); // what verify will read: check it once before it replaces anything
            if (Files.exists(dest)) {
                PatchesCommand.delete(dest);
            }
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            return dest;
        } finally {
            PatchesCommand.delete(tmp);
        }
    }

    /** Re-records a bundle from its manifest's command and re-seals it in place. */
    private static void rerecord(Path bundle, PrintStream out) throws Exception {
        Bundle b;
        try {
            b = Bundle.open(bundle);
        } catch (Bundle.Damaged e) {
            throw new UsageException(e.getMessage());
        }
        List<String> run;
        try (TraceReader r = TraceReader.open(b.trace())) {
            run = Recorded.engineArgs(b.trace(), r.info());
        }
        // a controlled run is its seed: one recording is the run again. A free run is the operating system's
        // interleaving: recorded again until it shows the bundle's findings again (FREE_RERECORD_TRIES), else
        // the bundle is left as it was
        boolean free = "free".equals(b.get("schedule"));
        java.util.Set<String> want = new java.util.TreeSet<>();
        b.expected.forEach(e -> want.add(e.fingerprint()));
        for (int attempt = 1; ; attempt++) {
            Path tmp = Files.createTempDirectory("smptrace-rerecord");
            try {
                List<Launcher.BatchRun> again = Launcher.recordBatch(tmp, List.of(run), true);
                Path trace = again.get(0).trace();
                if (free) {
                    Bundle probe = Bundle.open(archive(trace, b.name(), tmp.resolve("probe"), true));
                    java.util.Set<String> got = new java.util.TreeSet<>();
                    probe.expected.forEach(e -> got.add(e.fingerprint()));
                    if (!got.containsAll(want)) {
                        if (attempt < FREE_RERECORD_TRIES) {
                            continue;
                        }
                        want.removeAll(got);
                        throw new UsageException(bundle + ": " + FREE_RERECORD_TRIES + " free runs did not show " + want
                                + " again; the bundle is left as it was");
                    }
                }
                Path dest = archive(trace, b.name(), bundle.toAbsolutePath().getParent(), true);
                report(dest, out);
                return;
            } finally {
                PatchesCommand.delete(tmp);
            }
        }
    }

    /** How many times a free-running bundle is recorded again before its findings count as gone. */
    static final int FREE_RERECORD_TRIES = 20;

    /**
     * Trims each Chronicle file to its content: the queue pre-allocates its file (64 MiB by default, 1 MiB
     * compact); the written part ends at the last non-zero byte. What follows it is zeros, which the reader
     * takes as "no further excerpt"; one zero page is kept after the content for that. The caller checks
     * that the trimmed copy reads the same, event for event.
     */
    static void trim(Path traceDir) throws IOException {
        try (Stream<Path> s = Files.list(traceDir)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".cq4") || x.toString().endsWith(".cq4t")).toList()) {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    long len = f.length();
                    long end = lastNonZero(f, len) + 1;
                    long keep = Math.min(len, ((end + 4095) / 4096) * 4096 + 4096);
                    if (keep < len) {
                        f.setLength(keep);
                    }
                }
            }
        }
    }

    private static long lastNonZero(RandomAccessFile f, long len) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long pos = len; pos > 0; ) {
            int n = (int) Math.min(buf.length, pos);
            pos -= n;
            f.seek(pos);
            f.readFully(buf, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf[i] != 0) {
                    return pos + i;
                }
            }
        }
        return -1;
    }

    /** The findings of an analysis that count, for messages. */
    static List<String> describe(List<Finding> fs) {
        List<String> l = new ArrayList<>();
        for (Finding f : fs) {
            l.add(f.fingerprint + " " + f.kind.id + " [" + f.mode() + ", " + f.rule + "]");
        }
        return l;
    }

    static TraceReader openTrace(Path p) throws TraceException {
        return TraceReader.open(p);
    }
}

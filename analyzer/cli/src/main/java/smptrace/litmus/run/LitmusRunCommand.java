package smptrace.litmus.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import smptrace.litmus.Decision;
import smptrace.litmus.LitmusCommand;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusParser;
import smptrace.litmus.LitmusSyntaxException;
import smptrace.litmus.LitmusTest;
import smptrace.litmus.ModelView;
import smptrace.litmus.UnsupportedLitmusException;
import smptrace.trace.TraceException;

/**
 * {@code smptrace litmus PATH...} with the engine: decides each C litmus test with the LKMM module
 * (the verdict), runs every process of every test as an engine task on the kernel primitives in
 * a child JVM with the recording agent (a few runs per test under a seeded controlled scheduler; one
 * JVM per chunk of 1, 2, 4, ... {@value #CHUNK_MAX} tests, recorded while the next chunk is decided),
 * reads the trace back and cross-checks it against the model ({@link CrossCheck}). Prints one row
 * per test as soon as it is checked: test, expected, verdict, agree, runs recorded, distinct outcomes
 * observed (of those the model allows), time, and the cross-check.
 *
 * <p>Exit status: 0 if every test with a Result line agrees and no cross-check failed; 1 otherwise
 * (an unsupported test with a Result line does not agree); 2 for a bad path or a recording that
 * could not be made, with one line on stderr.
 */
public final class LitmusRunCommand {

    /** Starts the engine child JVM with the agent recording into {@code traceDir}; returns its exit code. */
    public interface EngineLauncher {
        int run(Path program, Path results, Path traceDir) throws Exception;
    }

    /** {@code record}: run the engine (else model only); {@code runs} per test; {@code keepTrace}: where to leave the trace, or null. */
    public record Options(boolean record, int runs, long seed, Path keepTrace, long timeoutPerTestMillis) {
        public Options(boolean record, int runs, long seed, Path keepTrace) {
            this(record, runs, seed, keepTrace, 0);
        }

        public static Options defaults() {
            return new Options(true, 16, 1, null, 0);
        }
    }

    /** The recording could not be made; one line for stderr. */
    public static final class RecordingFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public RecordingFailed(String message) {
            super(message);
        }
    }

    private final LitmusParser parser = new LitmusParser();
    private final LitmusDecider decider = new LitmusDecider();
    private java.util.function.UnaryOperator<Set<Map<String, String>>> allowedOverride = s -> s;

    /**
     * For tests of the cross-check only: replaces the model's allowed final states before the
     * recording is checked against them (a deliberately wrong model answer must be caught).
     */
    LitmusRunCommand withAllowedOverride(java.util.function.UnaryOperator<Set<Map<String, String>>> f) {
        this.allowedOverride = f;
        return this;
    }

    /** One test of the batch. */
    static final class Item {
        final Path file;
        /** The test's text when it comes from a packed corpus, else null (read from {@code file}). */
        String text;
        String name;
        String expected;
        LitmusTest test;
        Decision decision;
        long modelNanos;
        final Set<Map<String, String>> allowed = new HashSet<>();
        ModelView view;
        String notRun;
        int index = -1;
        long engineNanos;
        final List<String[]> runLines = new ArrayList<>();
        final Map<Integer, Map<String, String>> engineOutcomes = new HashMap<>();
        CrossCheck.Result check;
        long checkNanos;

        Item(Path file) {
            this.file = file;
        }
    }

    public int run(List<Path> paths, Options o, EngineLauncher launcher, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".litmus")).sorted().forEach(files::add);
                } catch (IOException e) {
                    err.println("smptrace litmus: cannot read directory " + p + ": " + e.getMessage());
                    return 2;
                }
            } else if (Files.isRegularFile(p) && Files.isReadable(p)) { // a test, or a packed corpus (.litmus.gz)
                files.add(p);
            } else {
                err.println("smptrace litmus: cannot read " + p + (Files.exists(p) ? "" : " (no such file or directory)"));
                return 2;
            }
        }
        List<Item> pending = new ArrayList<>();
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".litmus.gz")) {
                try {
                    for (String t : unpack(f)) {
                        Item it = new Item(f);
                        it.text = t;
                        pending.add(it);
                    }
                } catch (IOException e) {
                    err.println("smptrace litmus: cannot read " + f + ": " + e.getMessage());
                    return 2;
                }
            } else {
                pending.add(new Item(f));
            }
        }
        List<Item> items = new ArrayList<>();
        Table table = new Table(o, out);
        table.header(); // each row as soon as its test is decided (and, with the engine, recorded and checked)
        // With the engine: the tests go to the engine in chunks of 1, 2, 4, ... up to CHUNK_MAX tests (one
        // child JVM and one trace each; the whole batch in one trace with --keep-trace), each chunk recorded
        // in the background while the next is decided; rows print in test order as their chunk is checked,
        // so the first row comes after one test, not after the whole folder. Model only: each row as decided.
        java.util.concurrent.ExecutorService engine = !o.record() ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smptrace-litmus-engine");
            t.setDaemon(true);
            return t;
        });
        java.util.ArrayDeque<java.util.concurrent.Future<List<Item>>> inFlight = new java.util.ArrayDeque<>();
        int[] nextIndex = {0};
        try {
            List<Item> chunk = new ArrayList<>();
            int chunkSize = 1;
            for (int k = 0; k < pending.size(); k++) {
                Item it = pending.get(k);
                try {
                    decide(it, o);
                } catch (IOException e) {
                    err.println("smptrace litmus: cannot read " + it.file + ": " + e.getMessage());
                    return 2;
                }
                items.add(it);
                if (engine == null) {
                    table.row(it);
                    continue;
                }
                chunk.add(it);
                boolean last = k == pending.size() - 1;
                if (last || (o.keepTrace() == null && chunk.size() >= chunkSize)) {
                    List<Item> mine = chunk;
                    int first = items.size() - mine.size() + 1;
                    String what = first == items.size() ? "engine: recording test " + first + " of " + pending.size()
                        : "engine: recording tests " + first + "-" + items.size() + " of " + pending.size();
                    inFlight.add(engine.submit(() -> {
                        err.println(what);
                        record(mine, o, launcher, nextIndex);
                        return mine;
                    }));
                    chunk = new ArrayList<>();
                    chunkSize = Math.min(chunkSize * 2, CHUNK_MAX);
                }
                while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
                    printChunk(inFlight.poll(), table);
                }
            }
            while (!inFlight.isEmpty()) {
                printChunk(inFlight.poll(), table);
            }
        } catch (RecordingFailed e) {
            err.println("smptrace litmus: " + e.getMessage());
            return 2;
        } finally {
            if (engine != null) {
                engine.shutdownNow();
            }
        }
        return table.summary(items.size());
    }

    /** The most tests one engine child JVM records (a chunk: 1, 2, 4, ... then this many). */
    static final int CHUNK_MAX = 64;

    private static void printChunk(java.util.concurrent.Future<List<Item>> f, Table table) throws RecordingFailed {
        List<Item> done;
        try {
            done = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingFailed("interrupted while the engine ran");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RecordingFailed rf) {
                throw rf;
            }
            throw new RecordingFailed("cannot record: " + e.getCause());
        }
        for (Item it : done) {
            table.row(it);
        }
    }

    // ---- the model ----------------------------------------------------------------------------------

    private void decide(Item it, Options o) throws IOException {
        String text = it.text != null ? it.text : Files.readString(it.file, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        it.name = it.file.getFileName().toString().replaceFirst("\\.litmus$", "");
        try {
            it.test = parser.parse(text);
            it.name = it.test.name();
            it.expected = it.test.expected() == null ? null : (it.test.expected() + " " + it.test.expectedFlags()).trim();
            it.decision = decider.decide(it.test, o.record() ? it.allowed::add : null, o.timeoutPerTestMillis());
        } catch (LitmusSyntaxException e) {
            it.decision = unsupported(it.name, "syntax: " + e.getMessage());
            it.expected = LitmusCommand.resultLine(text);
        } catch (UnsupportedLitmusException e) {
            it.decision = unsupported(it.name, e.getMessage());
            it.expected = LitmusCommand.resultLine(text);
        }
        it.modelNanos = System.nanoTime() - t0;
        if (it.decision.verdict() == Decision.Verdict.UNSUPPORTED) {
            it.notRun = "unsupported by the model";
        } else if (it.decision.verdict() == Decision.Verdict.TIMEOUT) {
            it.notRun = "the model timed out";
        } else if (it.decision.noExecutions()) {
            it.notRun = "the model allows no execution (deadlock)";
        } else if (o.record()) {
            try {
                it.view = decider.view(it.test);
            } catch (UnsupportedLitmusException e) {
                it.notRun = "unsupported: " + e.getMessage();
            }
        }
    }

    private static Decision unsupported(String name, String what) {
        return new Decision(name, Decision.Verdict.UNSUPPORTED, 0, 0, false, false, 0, what);
    }

    // ---- the engine ---------------------------------------------------------------------------------

    /** Records the runnable tests of {@code items} in one engine child JVM, numbering them from {@code nextIndex[0]} on. */
    private void record(List<Item> items, Options o, EngineLauncher launcher, int[] nextIndex) throws RecordingFailed {
        List<String> program = new ArrayList<>();
        program.add(EngineProgram.MAGIC);
        int index = nextIndex[0];
        int firstIndex = index;
        for (Item it : items) {
            if (it.view == null) {
                continue;
            }
            try {
                program.addAll(EngineProgram.compile(index, it.test, it.view, o.runs(), o.seed() * 7919 + index));
                it.index = index++;
            } catch (EngineProgram.NotRunnable e) {
                it.notRun = e.getMessage();
            }
        }
        nextIndex[0] = index;
        if (index == firstIndex) {
            return;
        }
        Path work;
        try {
            work = Files.createTempDirectory("smptrace-litmus");
        } catch (IOException e) {
            throw new RecordingFailed("cannot create a working directory: " + e.getMessage());
        }
        Path traceDir = o.keepTrace() != null ? o.keepTrace() : work.resolve("trace");
        try {
            Path programFile = work.resolve("program.txt");
            Path results = work.resolve("results.txt");
            Files.write(programFile, program, StandardCharsets.UTF_8);
            int rc;
            try {
                rc = launcher.run(programFile, results, traceDir);
            } catch (RecordingFailed e) {
                throw e;
            } catch (Exception e) {
                throw new RecordingFailed("cannot record: " + e.getMessage());
            }
            if (rc != 0 || !Files.isRegularFile(results)) {
                throw new RecordingFailed("the recording engine exited with code " + rc + "; no runs to check");
            }
            readResults(items, Files.readAllLines(results, StandardCharsets.UTF_8));
            RecordedBatch batch;
            try {
                batch = RecordedBatch.read(traceDir);
            } catch (TraceException e) {
                throw new RecordingFailed("cannot read the recorded trace: " + e.getMessage());
            }
            if (!batch.end().complete()) {
                throw new RecordingFailed("the recorded trace is incomplete (" + batch.end().detail() + ")");
            }
            for (Item it : items) {
                if (it.index >= 0) {
                    long t0 = System.nanoTime();
                    it.check = check(it, batch);
                    it.checkNanos = System.nanoTime() - t0;
                }
            }
        } catch (IOException e) {
            throw new RecordingFailed("cannot exchange files with the engine: " + e.getMessage());
        } finally {
            deleteTree(work);
        }
    }

    private static void readResults(List<Item> items, List<String> lines) {
        Map<Integer, Item> byIndex = new HashMap<>();
        for (Item it : items) {
            if (it.index >= 0) {
                byIndex.put(it.index, it);
            }
        }
        for (String line : lines) {
            String[] t = line.split(" ", 5);
            Item it = t.length > 1 ? byIndex.get(Integer.parseInt(t[1])) : null;
            if (it == null) {
                continue;
            }
            switch (t[0]) {
                case "test" -> it.engineNanos = Long.parseLong(t[2]);
                case "run" -> it.runLines.add(t);
                case "out" -> {
                    Map<String, String> m = new TreeMap<>();
                    String[] kv = line.split(" ");
                    for (int k = 3; k < kv.length; k++) {
                        int eq = kv[k].indexOf('=');
                        m.put(kv[k].substring(0, eq), kv[k].substring(eq + 1));
                    }
                    it.engineOutcomes.put(Integer.parseInt(t[2]), m);
                }
                default -> { }
            }
        }
    }

    private CrossCheck.Result check(Item it, RecordedBatch batch) {
        List<CrossCheck.Run> runs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int aborted = 0;
        int procs = it.view.paths().size();
        if (it.runLines.isEmpty()) {
            errors.add("the engine reported no runs");
        }
        for (String[] rl : it.runLines) {
            int run = Integer.parseInt(rl[2]);
            String status = rl.length > 4 ? rl[4] : "";
            if (status.startsWith("aborted")) {
                aborted++;
                continue;
            }
            if (!status.equals("ok")) {
                errors.add("run " + run + ": engine " + status);
                continue;
            }
            String prefix = "t" + it.index + ".r" + run + ".";
            java.util.function.IntFunction<String> locationOf = oid -> {
                String n = batch.name(oid);
                return n != null && n.startsWith(prefix) ? n.substring(prefix.length()) : null;
            };
            List<List<RecordedBatch.Recorded>> raw = new ArrayList<>();
            List<List<ModelView.Event>> translated = new ArrayList<>();
            for (int p = 0; p < procs; p++) {
                List<RecordedBatch.Recorded> rec = batch.events(it.index, run, p);
                raw.add(rec);
                List<String> problems = new ArrayList<>();
                translated.add(CrossCheck.translate(rec, it.view, locationOf, problems));
                for (String pr : problems) {
                    errors.add("run " + run + " P" + p + ": " + pr);
                }
            }
            runs.add(new CrossCheck.Run(run, translated, CrossCheck.finalMemory(raw, it.view, locationOf),
                it.engineOutcomes.get(run)));
        }
        return CrossCheck.check(it.view, allowedOverride.apply(it.allowed), runs, aborted, errors);
    }

    // ---- the table ----------------------------------------------------------------------------------

    /** The table: a header, one row per test, a summary line with the counts. */
    private static final class Table {
        private static final String FMT = "%-52s %-18s %-22s %-5s %5s %8s %7s  %s%n";
        private final Options o;
        private final PrintStream out;
        int agreed;
        int disagreed;
        int unchecked;
        int checkFailed;
        int notRun;
        int recorded;
        int timedOut;
        long slowest;
        String slowestName = "";

        Table(Options o, PrintStream out) {
            this.o = o;
            this.out = out;
        }

        void header() {
            out.printf(FMT, "test", "expected", "verdict", "agree", "runs", "outcomes", "time ms", "engine cross-check");
            out.flush();
        }

        void row(Item it) {
            Boolean agrees = it.expected == null ? null : LitmusCommand.agrees(it.expected, it.decision);
            String runs = "-";
            String outcomes = "-";
            String check;
            if (!o.record()) {
                check = "not run (--no-record)";
            } else if (it.check != null) {
                CrossCheck.Result c = it.check;
                runs = c.runs() + (c.aborted() > 0 ? "+" + c.aborted() + "a" : "");
                outcomes = c.observed().size() + "/" + it.allowed.size();
                check = c.summary();
                recorded++;
                if (!c.ok()) {
                    checkFailed++;
                }
            } else {
                check = "not run: " + it.notRun;
                notRun++;
            }
            if (it.decision.verdict() == Decision.Verdict.TIMEOUT) {
                timedOut++;
            }
            long ms = (it.modelNanos + it.engineNanos + it.checkNanos) / 1_000_000;
            if (ms >= slowest) {
                slowest = ms;
                slowestName = it.name;
            }
            boolean rowOk = (agrees == null || agrees) && (it.check == null || it.check.ok());
            String agree = agrees == null ? (it.check != null && !it.check.ok() ? "NO" : "-") : rowOk ? "yes" : "NO";
            out.printf(FMT, it.name, it.expected == null ? "-" : it.expected, it.decision.resultText(), agree, runs,
                outcomes, ms, check);
            out.flush();
            if (agrees == null) {
                unchecked++;
            } else if (agrees) {
                agreed++;
            } else {
                disagreed++;
            }
        }

        int summary(int tests) {
            out.printf("%d tests: %d agree, %d disagree, %d without a Result line", tests, agreed, disagreed,
                unchecked);
            if (timedOut > 0) {
                out.printf(", %d timed out", timedOut);
            }
            if (o.record()) {
                out.printf("; engine: %d recorded (%d runs each), %d cross-check failures, %d not run", recorded,
                    o.runs(), checkFailed, notRun);
            }
            out.printf("; slowest %s %d ms%n", slowestName, slowest);
            return disagreed == 0 && checkFailed == 0 ? 0 : 1;
        }
    }

    static List<String> unpack(Path gz) throws IOException {
        return smptrace.litmus.PackedCorpus.unpack(gz);
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind is not worth failing the run for
        }
    }
}

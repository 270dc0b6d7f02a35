package smptrace.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.litmus.run.LitmusRunCommand;

/**
 * {@code smptrace litmus PATH...}: decides C litmus tests under the LKMM and, unless
 * {@code --no-record}, runs them on the engine's kernel primitives with the recording agent and
 * cross-checks the recording against the model ({@link LitmusRunCommand}).
 */
final class LitmusCliCommand implements Command {
    /** The agent instruments only the runner's primitive call sites (and KernelObject for allocations). */
    static final String INCLUDE = "smptrace.kernel.KernelObject:smptrace.demo.litmus.Prim";
    static final String MAIN = "smptrace.demo.litmus.LitmusMain";

    @Override
    public String name() {
        return "litmus";
    }

    @Override
    public String summary() {
        return "decide C litmus tests under the LKMM, run them on the engine with the agent, cross-check";
    }

    @Override
    public String footer() {
        return "\nArguments: litmus files, or directories of *.litmus files.\n"
            + "Columns: test; expected (its Result line); verdict (the LKMM's Never/Sometimes/Always,\n"
            + "DEADLOCK when no execution exists, TIMEOUT past --timeout-per-test, or unsupported: what); agree; runs recorded on the engine (+Na: aborted, e.g. a deadlock);\n"
            + "outcomes: distinct final states observed / allowed by the model; time (model + engine +\n"
            + "check); engine cross-check (ok, NO: why, or not run: why).\n"
            + "Exit: 0 if every test with a Result line agrees and every cross-check passes, 1 otherwise,\n"
            + "2 for a bad path or when the recording cannot be made. Each row is printed as soon as its test is\n"
            + "decided and, with the engine, recorded and checked: the tests go to the engine in chunks of 1, 2,\n"
            + "4, ... 64 (one child JVM each, recorded while the next chunk is decided); with --keep-trace the\n"
            + "whole batch is one trace, and the rows follow its run.\n"
            + "Examples:\n"
            + "  smptrace litmus ../shared/litmus/kernel\n"
            + "  smptrace litmus --runs 64 --keep-trace /tmp/sb.trace my-test.litmus\n"
            + "  smptrace litmus --no-record my-test.litmus";
    }

    @Override
    public Options options() {
        return Main.options(
            Main.opt("no-record", null, "decide with the model only; do not run the tests on the engine"),
            Main.opt("runs", "N", "engine runs per test (default 16; the first, one per process, are sequential)"),
            Main.opt("seed", "N", "scheduler seed (default 1)"),
            Main.opt("timeout-per-test", "MS", "give up deciding a test after MS milliseconds (its row says TIMEOUT;"
                + " default: no limit)"),
            Main.opt("keep-trace", "DIR", "leave the recorded trace in DIR (new or empty) instead of deleting it; the whole batch is then one trace"),
            Main.opt("quiet", null, "print nothing if every test agrees (exit 0); otherwise the whole table"));
    }

    /** A directory must hold *.litmus files; a file must read as a C litmus test (its first line "C NAME"). */
    static void requireLitmus(Path p) throws UsageException {
        if (Files.isDirectory(p)) {
            try (java.util.stream.Stream<Path> s = Files.list(p)) {
                if (s.noneMatch(f -> f.getFileName().toString().endsWith(".litmus"))) {
                    throw new UsageException(p + " holds no *.litmus files");
                }
            } catch (java.io.IOException e) {
                throw new UsageException("cannot read directory " + p + ": " + e.getMessage());
            }
            return;
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UsageException("cannot read " + p + (Files.exists(p) ? " (not a readable regular file)" : " (no such file or directory)"));
        }
        if (smptrace.litmus.PackedCorpus.isPacked(p)) {
            return; // a packed corpus (*.litmus.gz): its tests are read and checked one by one
        }
        String first = "";
        try (java.io.BufferedReader r = Files.newBufferedReader(p, java.nio.charset.StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null && n++ < 1000) {
                if (!line.isBlank()) {
                    first = line.strip();
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new UsageException(p + " is not a C litmus test (not readable as UTF-8 text)");
        }
        if (!first.startsWith("C ") && !first.equals("C")) {
            throw new UsageException(p + " is not a C litmus test (its first line must be 'C NAME')");
        }
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        List<String> args = cl.getArgList();
        if (args.isEmpty()) {
            throw new UsageException("give litmus files or directories (see smptrace litmus --help)");
        }
        boolean record = !cl.hasOption("no-record");
        int runs = (int) Main.longValue(cl, "runs", 16, 1, 10_000);
        long seed = Main.longValue(cl, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        long timeout = Main.longValue(cl, "timeout-per-test", 0, 1, Long.MAX_VALUE);
        Path keep = null;
        if (cl.hasOption("keep-trace")) {
            keep = Paths.get(cl.getOptionValue("keep-trace"));
            if (Files.exists(keep)) {
                boolean empty = false;
                if (Files.isDirectory(keep)) {
                    try (java.util.stream.Stream<Path> s = Files.list(keep)) {
                        empty = s.findAny().isEmpty();
                    }
                }
                if (!empty) {
                    throw new UsageException(keep + " already exists and is not empty; give a new directory");
                }
            }
        }
        if (record) {
            Launcher.agentJar(); // one line and exit 2 if the agent is not built: never a silent model-only run
            Launcher.engineJar();
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            Path p = Paths.get(a);
            requireLitmus(p);
            paths.add(p);
        }
        LitmusRunCommand.EngineLauncher launcher = (program, results, traceDir) -> {
            Map<String, String> header = new LinkedHashMap<>();
            header.put("scenario", "litmus");
            header.put("runs", String.valueOf(runs));
            header.put("seed", String.valueOf(seed));
            List<String> cmd = Launcher.engineCommand(traceDir, "include=" + INCLUDE, header, List.of(), MAIN,
                List.of(program.toString(), results.toString()));
            return Launcher.run(cmd, new StringBuilder());
        };
        LitmusRunCommand.Options o = new LitmusRunCommand.Options(record, runs, seed, keep, timeout);
        return Quiet.run(cl.hasOption("quiet"), out, err, (po, pe) -> new LitmusRunCommand().run(paths, o, launcher, po, pe));
    }
}

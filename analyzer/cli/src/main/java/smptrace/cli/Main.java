package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import smptrace.trace.TraceException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code smptrace COMMAND [options]}: the command-line entry point. */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();
    /** Old names that still work: reproduce is replay. */
    private static final Map<String, String> ALIASES = Map.of("reproduce", "replay");

    public Main() {
        add(new RecordCommand());
        add(new DumpCommand());
        add(new ScenariosCommand());
        add(new ReplayCommand());
        add(new ConfirmCommand());
        add(new ArchiveCommand());
        add(new VerifyCommand());
        add(new DiffCommand());
        add(new BenchCommand());
        add(new AnalyzeCommand());
        add(new PatchesCommand());
        add(new LitmusCliCommand());
    }

    private void add(Command c) {
        commands.put(c.name(), c);
    }

    public static void main(String[] args) {
        int code = new Main().run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line; never throws; returns the exit code. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length > 1 && commands.containsKey(ALIASES.getOrDefault(args[1], args[1]))) {
                help(commands.get(ALIASES.getOrDefault(args[1], args[1])), out);
                return Exit.OK;
            }
            overview(args.length == 0 ? err : out);
            return args.length == 0 ? Exit.USAGE : Exit.OK;
        }
        Command c = commands.get(ALIASES.getOrDefault(args[0], args[0]));
        if (c == null) {
            err.println("smptrace: unknown command '" + args[0] + "' (commands: " + String.join(", ", commands.keySet()) + "; see smptrace --help)");
            return Exit.USAGE;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        for (String a : rest) {
            if (a.equals("--help") || a.equals("-h")) {
                help(c, out);
                return Exit.OK;
            }
        }
        try {
            CommandLine cl = new DefaultParser().parse(c.options(), rest);
            refuseRepeats(cl);
            return c.run(cl, out, err);
        } catch (ParseException e) {
            err.println("smptrace " + c.name() + ": " + e.getMessage() + " (see smptrace " + c.name() + " --help)");
            return Exit.USAGE;
        } catch (UsageException | TraceException e) {
            err.println("smptrace " + c.name() + ": " + TraceException.clean(e.getMessage()));
            return Exit.USAGE;
        } catch (OutOfMemoryError e) {
            if (Boolean.getBoolean("smptrace.debug.stack")) {
                e.printStackTrace(err); // for smptrace's own developers only; users get one line
            }
            err.println("smptrace " + c.name() + ": out of memory (" + TraceException.clean(e.getMessage()) + "); give the JVM more heap");
            return Exit.USAGE;
        } catch (Exception | Error e) {
            if (Boolean.getBoolean("smptrace.debug.stack")) {
                e.printStackTrace(err);
            }
            err.println("smptrace " + c.name() + ": internal error: " + TraceException.clean(String.valueOf(e)));
            return Exit.USAGE;
        }
    }

    /** An option given twice would silently take one of its values: refuse it. */
    private static void refuseRepeats(CommandLine cl) throws UsageException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Option o : cl.getOptions()) {
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            if (!seen.add(name)) {
                throw new UsageException("--" + name + " is given more than once; give it once");
            }
        }
    }

    private void overview(PrintStream out) {
        out.println("usage: smptrace COMMAND [options]   (smptrace COMMAND --help for its options)");
        out.println();
        for (Command c : commands.values()) {
            out.printf("  %-10s %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("Exit codes: 0 ok / clean, 1 findings, mismatches or missed targets, 2 bad usage or bad input,");
        out.println("3 no findings but the trace is incomplete (cut short, damaged, or its recorder failed).");
    }

    static void help(Command c, PrintStream out) {
        HelpFormatter f = HelpFormatter.builder().get();
        PrintWriter w = new PrintWriter(out);
        f.printHelp(w, 100, "smptrace " + c.name() + " [options]", c.summary(), c.options(), 2, 4, c.footer(), false);
        w.flush();
    }

    // ---- small option helpers shared by the commands ------------------------------------------------

    static Option opt(String longName, String arg, String description) {
        Option.Builder b = Option.builder().longOpt(longName).desc(description);
        if (arg != null) {
            b.hasArg().argName(arg);
        }
        return b.get();
    }

    static long longValue(CommandLine cl, String name, long dflt, long min, long max) throws UsageException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return dflt;
        }
        try {
            long x = Long.parseLong(v.trim());
            if (x < min || x > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, not '" + v + "'");
        }
    }

    static List<String> list(String... xs) {
        return new ArrayList<>(List.of(xs));
    }

    static Options options(Option... os) {
        Options o = new Options();
        for (Option x : os) {
            o.addOption(x);
        }
        o.addOption(opt("help", null, "show this help"));
        return o;
    }
}

package smptrace.cli;

import org.apache.commons.cli.Options;

import java.io.PrintStream;

/** One subcommand of the CLI. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** Extra usage text after the option list (arguments, examples); may be empty. */
    default String footer() {
        return "";
    }

    Options options();

    /** Runs with parsed options; returns the exit code. Throw UsageException for bad input. */
    int run(org.apache.commons.cli.CommandLine cl, PrintStream out, PrintStream err) throws Exception;
}

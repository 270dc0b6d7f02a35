package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.engine.Catalogue;

import java.io.PrintStream;

/** {@code smptrace scenarios}: the patches, their variants and the engine's scenarios. */
final class ScenariosCommand implements Command {
    @Override
    public String name() {
        return "scenarios";
    }

    @Override
    public String summary() {
        return "list the seed patches, their variants (before, after, mutants) and the scenarios";
    }

    @Override
    public Options options() {
        return Main.options();
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
        out.print(Catalogue.describe()); // outcomes in finding kinds (Outcome.kind)
        return Exit.OK;
    }
}

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
        out.print(inKindWords(Catalogue.describe()));
        return Exit.OK;
    }

    /**
     * The engine's run outcomes (TWO_OWNERS, ...) in the one vocabulary of finding kinds
     * ({@link smptrace.analysis.Finding.Kind}): "(shows lock-ownership-race)", as analyze and patches say it.
     */
    static String inKindWords(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(shows ([A-Z_]+)\\)").matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            smptrace.analysis.Finding.Kind k = smptrace.analysis.Finding.Kind.ofOutcome(m.group(1));
            String words = k != null ? k.id : m.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " (a run outcome)";
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement("(shows " + words + ")"));
        }
        m.appendTail(b);
        return b.toString();
    }
}

package smptrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code --quiet} for a command that streams its report (litmus rows as decided, verify per bundle): nothing
 * on success; on any other exit, everything it would have printed, in order, so a failure is never silent.
 */
final class Quiet {
    private Quiet() { }

    /** A command body writing to the streams it is given. */
    @FunctionalInterface
    interface Body {
        int run(PrintStream out, PrintStream err) throws Exception;
    }

    static int run(boolean quiet, PrintStream out, PrintStream err, Body body) throws Exception {
        if (!quiet) {
            return body.run(out, err);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            try {
                rc = body.run(po, pe);
            } catch (Exception | Error x) {
                flush(o, e, out, err);
                throw x;
            }
        }
        if (rc != 0) {
            flush(o, e, out, err);
        }
        return rc;
    }

    private static void flush(ByteArrayOutputStream o, ByteArrayOutputStream e, PrintStream out, PrintStream err) {
        out.print(o.toString(StandardCharsets.UTF_8));
        out.flush();
        err.print(e.toString(StandardCharsets.UTF_8));
        err.flush();
    }
}

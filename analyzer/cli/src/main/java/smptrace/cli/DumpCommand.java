package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.trace.Event;
import smptrace.trace.EventText;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceInfo;
import smptrace.trace.TraceReader;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Map;

/** {@code smptrace dump TRACE}: the header and the events, one per line, in replay order. */
final class DumpCommand implements Command {
    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String summary() {
        return "print a trace's header and events in replay order";
    }

    @Override
    public String footer() {
        return "\nArgument: TRACE (a trace directory written by smptrace record or the agent).\n"
                + "Columns: thread.seq, context, cpu, preempt count, event, source site.\n"
                + "Exit 0 for a complete trace, 3 for an incomplete one (the last line says what is missing), 2 bad input.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("limit", "N", "print at most N events (default 100; 0 = all)"),
                Main.opt("thread", "T", "only events of recording thread T"),
                Main.opt("no-header", null, "do not print the header and dictionaries"),
                Main.opt("salvage", null, "print the intact part of a trace with damaged event blocks instead of refusing it"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "missing TRACE (a trace directory)" : "give exactly one TRACE");
        }
        long limit = Main.longValue(cl, "limit", 100, 0, Long.MAX_VALUE);
        long thread = Main.longValue(cl, "thread", -1, -1, Integer.MAX_VALUE);
        try (TraceReader r = TraceReader.open(Paths.get(cl.getArgList().get(0)), cl.hasOption("salvage"))) {
            TraceInfo info = r.info();
            if (!cl.hasOption("no-header")) {
                out.println("# header");
                for (Map.Entry<String, String> h : info.header().entrySet()) {
                    out.println("#   " + h.getKey() + " = " + h.getValue());
                }
                out.println("# " + r.recordedEvents() + " events in " + info.threads().size() + " threads, "
                        + info.sites().size() + " sites, " + info.fields().size() + " fields");
                for (var t : info.threads()) {
                    if (t != null) {
                        out.println("#   thread " + t.id() + " = " + t.name());
                    }
                }
            }
            Event e = new Event();
            long shown = 0;
            while (r.next(e)) {
                if (thread >= 0 && e.thread != thread) {
                    continue;
                }
                if (limit > 0 && shown >= limit) {
                    continue; // keep reading: the end status below must be the trace's, not the limit's
                }
                shown++;
                out.printf("%4d.%-8d ctx %-8s cpu %-2s pc %d  %-70s %s%n", e.thread, e.seq, ctx(e), e.cpu < 0 ? "-" : String.valueOf(e.cpu),
                        e.preemptCount, EventText.what(e, info), EventText.site(e, info));
            }
            TraceEnd end = r.end();
            out.println("# " + end.events() + " events replayed; " + (end.complete() ? "trace complete" : end.detail()));
            return end.complete() ? Exit.OK : Exit.INCOMPLETE;
        }
    }

    private static String ctx(Event e) {
        if (e.inIrq) {
            return "irq" + (e.ctx - 2_000_000);
        }
        return e.task >= 0 ? "task" + e.task : "t" + e.thread;
    }
}

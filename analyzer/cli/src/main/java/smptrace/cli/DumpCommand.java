package smptrace.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.EventText;
import smptrace.trace.Site;
import smptrace.trace.ThreadInfo;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceInfo;
import smptrace.trace.TraceReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code smptrace dump TRACE}: the header and the events, one per line, in replay order. Streams: one
 * reused line buffer into a 64 KiB writer, per-site and per-location texts cached (location names
 * are re-rendered after a NAME or ALLOC event, which can rename an object), so a multi-million-event
 * trace dumps at over a million lines a second.
 */
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
                + "Columns: thread.seq (as reports name events: #thread.seq), thread name, context, cpu, preempt count,\n"
                + "event, source site.\n"
                + "Exit 0 for a complete trace, 3 for an incomplete one (the last line says what is missing), 2 bad input.";
    }

    @Override
    public Options options() {
        return Main.options(
                Main.opt("limit", "N", "print at most N events (default 100; 0 = all)"),
                Main.opt("thread", "T", "only events of recording thread T (its number or its name, e.g. smp-sender0)"),
                Main.opt("around", "T.SEQ", "only the events around event T.SEQ (as reports name it, e.g. 1.14), "
                        + "--context before and after it in replay order"),
                Main.opt("context", "N", "with --around: events before and after (default 20)"),
                Main.opt("no-header", null, "do not print the header and dictionaries"),
                Main.opt("salvage", null, "print the intact part of a trace with damaged event blocks instead of refusing it"));
    }

    @Override
    public int run(CommandLine cl, PrintStream out, PrintStream err) throws Exception {
        if (cl.getArgList().size() != 1) {
            throw new UsageException(cl.getArgList().isEmpty() ? "missing TRACE (a trace directory)" : "give exactly one TRACE");
        }
        long limit = Main.longValue(cl, "limit", cl.hasOption("around") ? 0 : 100, 0, Long.MAX_VALUE);
        int context = (int) Main.longValue(cl, "context", 20, 0, 100_000);
        long aroundId = -1;
        if (cl.hasOption("around")) {
            String a = cl.getOptionValue("around").trim().replaceFirst("^#", "");
            int dot = a.indexOf('.');
            try {
                aroundId = Event.id(Integer.parseInt(a.substring(0, dot)), Long.parseLong(a.substring(dot + 1)));
            } catch (RuntimeException e) {
                throw new UsageException("--around takes an event as THREAD.SEQ (e.g. 1.14), not '" + a + "'");
            }
        }
        LineOut w = new LineOut(out);
        try (TraceReader r = TraceReader.open(Paths.get(cl.getArgList().get(0)), cl.hasOption("salvage"))) {
            TraceInfo info = r.info();
            int thread = thread(cl.getOptionValue("thread"), info);
            if (!cl.hasOption("no-header")) {
                w.write("# header\n");
                for (Map.Entry<String, String> h : info.header().entrySet()) {
                    w.write("#   " + h.getKey() + " = " + h.getValue() + "\n");
                }
                w.write("# " + r.recordedEvents() + " events in " + info.threads().size() + " threads, "
                        + info.sites().size() + " sites, " + info.fields().size() + " fields\n");
                for (ThreadInfo t : info.threads()) {
                    if (t != null) {
                        w.write("#   thread " + t.id() + " = " + t.name() + "\n");
                    }
                }
            }
            Lines lines = new Lines(info);
            Event e = new Event();
            long shown = 0;
            // --around: the last `context` events kept as copies, printed once the event is met
            Event[] ring = new Event[aroundId >= 0 ? Math.max(1, context) : 0];
            for (int i = 0; i < ring.length; i++) {
                ring[i] = new Event();
            }
            int ringN = 0;
            int ringHead = 0;
            long after = -1;
            boolean found = false;
            while (r.next(e)) {
                lines.observe(e);
                if (thread >= 0 && e.thread != thread) {
                    continue;
                }
                if (aroundId >= 0) {
                    if (!found && e.id() == aroundId) {
                        found = true;
                        for (int i = 0; i < ringN; i++) {
                            lines.write(ring[(ringHead - ringN + i + ring.length) % ring.length], w, false);
                        }
                        lines.write(e, w, true);
                        after = context;
                        continue;
                    }
                    if (found) {
                        if (after-- > 0) {
                            lines.write(e, w, false);
                        }
                        continue; // keep reading: the end status must be the trace's
                    }
                    if (context > 0) {
                        ring[ringHead].copyFrom(e);
                        ringHead = (ringHead + 1) % ring.length;
                        ringN = Math.min(ringN + 1, ring.length);
                    }
                    continue;
                }
                if (limit > 0 && shown >= limit) {
                    continue; // keep reading: the end status below must be the trace's, not the limit's
                }
                shown++;
                lines.write(e, w, false);
            }
            TraceEnd end = r.end();
            if (aroundId >= 0 && !found) {
                w.flush();
                throw new UsageException("no event " + cl.getOptionValue("around") + " in the trace"
                        + (thread >= 0 ? " (of thread " + cl.getOptionValue("thread") + ")" : ""));
            }
            w.write("# " + end.events() + " events replayed; " + (end.complete() ? "trace complete" : end.detail()) + "\n");
            return end.complete() ? Exit.OK : Exit.INCOMPLETE;
        } finally {
            w.flush();
        }
    }

    /** --thread: a number, or a thread's name; -1 for all. */
    private static int thread(String v, TraceInfo info) throws UsageException {
        if (v == null) {
            return -1;
        }
        v = v.trim();
        for (ThreadInfo t : info.threads()) {
            if (t != null && t.name().equals(v)) {
                return t.id();
            }
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // not a number
        }
        StringBuilder names = new StringBuilder();
        for (ThreadInfo t : info.threads()) {
            if (t != null) {
                names.append(names.length() == 0 ? "" : ", ").append(t.name());
            }
        }
        throw new UsageException("--thread takes a thread number or name (" + names + "), not '" + v + "'");
    }

    /**
     * A 64 KiB byte buffer in front of the output: ASCII text (nearly every line) is copied char by char with no
     * String and no encoder per line; anything else is encoded as UTF-8.
     */
    static final class LineOut {
        private final java.io.OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int n;

        LineOut(java.io.OutputStream out) {
            this.out = out;
        }

        private char[] chars = new char[256];

        void write(String str) throws IOException {
            write(str, str.length());
        }

        void write(StringBuilder sb) throws IOException {
            write(sb, sb.length());
        }

        private void write(CharSequence cs, int len) throws IOException {
            if (len > chars.length) {
                chars = new char[Math.max(len, chars.length * 2)];
            }
            if (cs instanceof StringBuilder sb) {
                sb.getChars(0, len, chars, 0);      // one bulk copy, not a bounds-checked charAt per char
            } else {
                ((String) cs).getChars(0, len, chars, 0);
            }
            if (len > buf.length - n) {
                flushBuffer();
                if (len > buf.length) {
                    out.write(cs.toString().getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            int start = n;
            byte[] b = buf;
            char[] c = chars;
            int k = n;
            for (int i = 0; i < len; i++) {
                char ch = c[i];
                if (ch >= 0x80) {
                    n = start;
                    byte[] u = cs.toString().getBytes(StandardCharsets.UTF_8);
                    if (u.length > buf.length - n) {
                        flushBuffer();
                        out.write(u);
                    } else {
                        System.arraycopy(u, 0, buf, n, u.length);
                        n += u.length;
                    }
                    return;
                }
                b[k++] = (byte) ch;
            }
            n = k;
        }

        private void flushBuffer() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        void flush() throws IOException {
            flushBuffer();
            out.flush();
        }
    }

    /** The line renderer: one reused buffer, cached site, thread and location texts. */
    static final class Lines {
        private final TraceInfo info;
        private final StringBuilder b = new StringBuilder(256);
        private String[] siteText = new String[256];
        private String[] threadText = new String[16];
        private String[] locText = new String[4096];
        private long[] locKey = new long[4096];

        Lines(TraceInfo info) {
            this.info = info;
        }

        /** Objects whose locations have a cached name (a location's name is its object's name or class). */
        private final java.util.HashSet<Integer> named = new java.util.HashSet<>();

        /**
         * An object can be named or allocated after one of its locations was first printed: then forget the
         * location names. Only then: a fresh object's ALLOC and NAME come before any access to it, and clearing
         * the cache at every one of them made the dump quadratic (a request object per call).
         */
        void observe(Event e) {
            if ((e.kind == EventKind.NAME || e.kind == EventKind.ALLOC) && named.contains((int) e.a)) {
                Arrays.fill(locText, null);
                named.clear();
            }
        }

        void write(Event e, LineOut w, boolean mark) throws IOException {
            StringBuilder s = b;
            s.setLength(0);
            s.append(mark ? "=> " : "   ");
            int start = s.length();
            s.append(e.thread).append('.').append(e.seq);
            pad(s, start + 12);
            start = s.length();
            s.append(threadName(e.thread));
            pad(s, start + 15);
            start = s.length();
            if (e.inIrq) {
                s.append("irq").append(e.ctx - 2_000_000);
            } else if (e.task >= 0) {
                s.append("task").append(e.task);
            } else {
                s.append('t').append(e.thread);
            }
            pad(s, start + 9);
            s.append("cpu ");
            start = s.length();
            if (e.cpu < 0) {
                s.append('-');
            } else {
                s.append(e.cpu);
            }
            pad(s, start + 3);
            s.append("pc ").append(e.preemptCount).append("  ");
            start = s.length();
            what(e, s);
            pad(s, start + 70);
            s.append(' ').append(site(e.site)).append('\n');
            w.write(s);
        }

        private static final String SPACES = " ".repeat(128);

        private static void pad(StringBuilder s, int to) {
            int k = to - s.length();
            if (k > 0) {
                s.append(SPACES, 0, Math.min(k, SPACES.length()));
            }
        }

        private String threadName(int t) {
            if (t >= threadText.length) {
                threadText = Arrays.copyOf(threadText, Math.max(t + 1, threadText.length * 2));
            }
            String n = threadText[t];
            if (n == null) {
                ThreadInfo ti = info.thread(t);
                n = ti == null ? "thread" + t : ti.name();
                threadText[t] = n;
            }
            return n;
        }

        private String site(int id) {
            if (id >= siteText.length) {
                siteText = Arrays.copyOf(siteText, Math.max(id + 1, siteText.length * 2));
            }
            String t = siteText[id];
            if (t == null) {
                Site st = info.site(id);
                t = st == null ? "-" : st.shortText();
                siteText[id] = t;
            }
            return t;
        }

        private String loc(Event e) {
            int li = e.locIndex;
            if (li < 0) {
                return info.locationName(e.loc);
            }
            if (li >= locText.length) {
                locText = Arrays.copyOf(locText, Math.max(li + 1, locText.length * 2));
                locKey = Arrays.copyOf(locKey, locText.length);
            }
            String t = locText[li];
            if (t == null || locKey[li] != e.loc) { // indices are recycled when objects die
                t = info.locationName(e.loc);
                locText[li] = t;
                locKey[li] = e.loc;
                named.add(Event.oidOf(e.loc));
            }
            return t;
        }

        /** As {@link EventText#what}, appended without building intermediate strings for the common shapes. */
        private void what(Event e, StringBuilder s) {
            EventKind k = e.kind;
            switch (k.shape) {
                case READ:
                    s.append(k.name()).append(' ').append(loc(e)).append(" -> ");
                    value(e, e.value, s);
                    rf(e, s);
                    return;
                case WRITE:
                    s.append(k.name()).append(' ').append(loc(e)).append(" = ");
                    value(e, e.value, s);
                    s.append(" (co ").append(e.co).append(')');
                    return;
                case RMW:
                    s.append(k.name()).append(' ').append(loc(e)).append(' ');
                    value(e, e.value, s);
                    s.append(" -> ");
                    value(e, e.value2, s);
                    s.append(" (co ").append(e.co).append(')');
                    rf(e, s);
                    return;
                case FAILED_RMW:
                    s.append(k.name()).append(' ').append(loc(e)).append(" saw ");
                    value(e, e.value, s);
                    s.append(" expected ");
                    value(e, e.value2, s);
                    rf(e, s);
                    return;
                case FENCE:
                    s.append(k.name());
                    return;
                default:
                    s.append(EventText.what(e, info));
            }
        }

        private void value(Event e, long v, StringBuilder s) {
            // numbers need no lookup unless the location holds a pointer
            smptrace.trace.FieldInfo f = info.field(Event.slotOf(e.loc));
            if (f != null && !f.isPointer() && !isArray(e)) {
                s.append(v);
            } else {
                s.append(EventText.valueText(e, v, info));
            }
        }

        private boolean isArray(Event e) {
            String cls = info.objectClass(Event.oidOf(e.loc));
            return cls != null && cls.startsWith("[");
        }

        private static void rf(Event e, StringBuilder s) {
            if (e.rfId < 0) {
                s.append(" (initial value)");
            } else {
                s.append(" (rf ").append(Event.threadOf(e.rfId)).append('.').append(Event.seqOf(e.rfId)).append(')');
            }
        }
    }
}

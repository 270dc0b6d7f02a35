package smptrace.engine.sim;

import java.util.Arrays;

/**
 * A run's schedule: the sequence of scheduling decisions, one per step, as the controlled machine
 * executes them: {@code c2} (CPU 2's context continues to its next scheduling point), {@code i1} (CPU 1
 * takes the pending IPI), {@code s0-7} (CPU 0 switches to context 7), {@code m3-1} (CPU 3's task
 * migrates to CPU 1); a run of equal decisions is written once with its count ({@code c2*15}).
 *
 * <p>Recorded in controlled mode as the strategy picks, and in free mode as the contexts take the
 * machine's baton (a free run that records its schedule runs one step at a time, so the order of its
 * steps is exact; the watchdog's verdict, a wall-clock event, is recorded as {@code w0}/{@code w1} at
 * the step boundary where it fell). Replayed by {@link Strategy.Replay}.
 * Storage is two growable arrays; nothing is allocated per decision except when an array doubles.
 */
public final class ScheduleLog {
    static final int CONT = 0, IRQ = 1, SWITCH = 2, MIGRATE = 3;
    /** Not a decision: the free run's watchdog declared the run stuck here ({@code w0} quiet, {@code w1} its wall-clock limit). */
    static final int WATCHDOG = 4;
    private static final String KINDS = "cismw";

    private int[] tokens = new int[4096];
    private int n;

    static int token(Action a, Cpu self) {
        int cpu = a.cpu == null ? self.id : a.cpu.id;
        int arg = a.kind == Action.SWITCH ? a.next.id : a.kind == Action.MIGRATE ? a.dst.id : 0;
        return a.kind << 28 | cpu << 16 | arg;
    }

    static int kind(int t) {
        return t >>> 28;
    }

    static int cpu(int t) {
        return t >>> 16 & 0xfff;
    }

    static int arg(int t) {
        return t & 0xffff;
    }

    void add(int token) {
        if (n == tokens.length) {
            tokens = Arrays.copyOf(tokens, n * 2);
        }
        tokens[n++] = token;
    }

    public int size() {
        return n;
    }

    int get(int i) {
        return tokens[i];
    }

    /** The text form (one line, space-separated decisions, equal runs as DECISION*COUNT). */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && tokens[j] == tokens[i]) {
                j++;
            }
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(describe(tokens[i]));
            if (j - i > 1) {
                b.append('*').append(j - i);
            }
            i = j;
        }
        return b.toString();
    }

    static String describe(int t) {
        char k = KINDS.charAt(kind(t));
        return kind(t) == SWITCH || kind(t) == MIGRATE ? k + "" + cpu(t) + "-" + arg(t) : k + "" + cpu(t);
    }

    /** Parses {@link #text()}; throws IllegalArgumentException with the bad word. */
    public static ScheduleLog parse(String text) {
        ScheduleLog log = new ScheduleLog();
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            try {
                int star = w.indexOf('*');
                int count = star < 0 ? 1 : Integer.parseInt(w.substring(star + 1));
                String d = star < 0 ? w : w.substring(0, star);
                int kind = KINDS.indexOf(d.charAt(0));
                if (kind < 0 || count < 1) {
                    throw new IllegalArgumentException("bad schedule decision '" + w + "'");
                }
                int dash = d.indexOf('-');
                int cpu = Integer.parseInt(dash < 0 ? d.substring(1) : d.substring(1, dash));
                int arg = dash < 0 ? 0 : Integer.parseInt(d.substring(dash + 1));
                if ((kind == SWITCH || kind == MIGRATE) != (dash >= 0) || cpu > 0xfff || arg > 0xffff) {
                    throw new IllegalArgumentException("bad schedule decision '" + w + "'");
                }
                for (int i = 0; i < count; i++) {
                    log.add(kind << 28 | cpu << 16 | arg);
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("bad schedule decision '" + w + "'");
            }
        }
        return log;
    }
}

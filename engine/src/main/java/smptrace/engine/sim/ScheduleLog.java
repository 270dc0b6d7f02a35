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
 * Storage is runs of equal decisions in two growable arrays (a 500 M-step free run is a few million
 * runs); nothing is allocated per decision except when an array doubles.
 */
public final class ScheduleLog {
    static final int CONT = 0, IRQ = 1, SWITCH = 2, MIGRATE = 3;
    /** Not a decision: the free run's watchdog declared the run stuck here ({@code w0} quiet, {@code w1} its wall-clock limit). */
    static final int WATCHDOG = 4;
    private static final String KINDS = "cismw";

    // runs of equal decisions: run r is runToken[r], repeated up to (exclusive) decision runEnd[r]; a long
    // free run spins through millions of equal steps, so its schedule is kept as it is written, in runs
    private int[] runToken = new int[1024];
    private long[] runEnd = new long[1024];
    private int runs;
    /** get()'s run for sequential reads (the replay reads decisions in order). */
    private int cursor;

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
        add(token, 1);
    }

    private void add(int token, long count) {
        if (runs > 0 && runToken[runs - 1] == token) {
            runEnd[runs - 1] += count;
            return;
        }
        if (runs == runToken.length) {
            runToken = Arrays.copyOf(runToken, runs * 2);
            runEnd = Arrays.copyOf(runEnd, runs * 2);
        }
        runToken[runs] = token;
        runEnd[runs] = size() + count;
        runs++;
    }

    /** The number of decisions. */
    public long size() {
        return runs == 0 ? 0 : runEnd[runs - 1];
    }

    /** Decision i (0 <= i < size()); constant time when read in order. */
    int get(long i) {
        if (cursor >= runs || (cursor > 0 && runEnd[cursor - 1] > i)) {
            int r = Arrays.binarySearch(runEnd, 0, runs, i); // out of order: the run whose end is past i
            cursor = r >= 0 ? r + 1 : -r - 1;
        }
        while (runEnd[cursor] <= i) {
            cursor++;
        }
        return runToken[cursor];
    }

    /** The text form (one line, space-separated decisions, equal runs as DECISION*COUNT). */
    public String text() {
        StringBuilder b = new StringBuilder();
        long start = 0;
        for (int r = 0; r < runs; r++) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(describe(runToken[r]));
            if (runEnd[r] - start > 1) {
                b.append('*').append(runEnd[r] - start);
            }
            start = runEnd[r];
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
                long count = star < 0 ? 1 : Long.parseLong(w.substring(star + 1));
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
                log.add(kind << 28 | cpu << 16 | arg, count);
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("bad schedule decision '" + w + "'");
            }
        }
        return log;
    }
}

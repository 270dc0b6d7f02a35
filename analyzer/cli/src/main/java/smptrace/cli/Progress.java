package smptrace.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on standard error: a progress bar (me.tongfei:progressbar) when standard
 * error is a terminal, plain lines ("analyze: 40% (800000 of 2000000 events)") at most every few
 * seconds otherwise, and nothing with {@code --quiet}. Thread-safe: workers call {@link #step}.
 */
final class Progress implements AutoCloseable {
    /** A terminal on both ends (System.console() is null when any standard stream is redirected). */
    static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM")) && System.getenv("CI") == null;
    }

    private final String task;
    private final String unit;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream plain;
    private long done;
    private long lastPrint = System.nanoTime();
    private int lastPercent = -1;

    private Progress(String task, long total, String unit, ProgressBar bar, PrintStream plain) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.bar = bar;
        this.plain = plain;
    }

    /** Starts reporting on err; quiet: reports nothing. */
    static Progress start(String task, long total, String unit, boolean quiet, PrintStream err) {
        if (quiet) {
            return new Progress(task, total, unit, null, null);
        }
        if (terminal() && err == System.err) {
            ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1)).setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().showSpeed()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            return new Progress(task, total, unit, b, null);
        }
        return new Progress(task, total, unit, null, err);
    }

    /** n more units are done. */
    synchronized void step(long n) {
        to(done + n);
    }

    /** done units so far. */
    synchronized void to(long n) {
        done = n;
        if (bar != null) {
            bar.stepTo(Math.min(n, Math.max(total, 1)));
        } else if (plain != null) {
            int pct = total > 0 ? (int) Math.min(100, n * 100 / total) : 0;
            long now = System.nanoTime();
            if (pct != lastPercent && (now - lastPrint > 3_000_000_000L || pct == 100 && lastPercent >= 0)) {
                plain.println(task + ": " + pct + "% (" + n + " of " + total + " " + unit + ")");
                lastPrint = now;
                lastPercent = pct;
            }
        }
    }

    /** A line about the work (a finished item), shown above the bar or as a plain line. */
    synchronized void say(String line) {
        if (bar != null) {
            System.err.print("\r\033[K");
            System.err.println(line);
            bar.refresh();
        } else if (plain != null) {
            plain.println(line);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}

package smptrace.analysis;

import smptrace.trace.Event;
import smptrace.trace.EventKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drops the repetitions of a busy-wait from the pass: once a context has read the same write of a
 * smp_cond_load_*() condition twice (read, cpu_relax(), read), further "cpu_relax(); read the same
 * write again" pairs tell no detector anything new — the read sees the same write, from the same
 * context, with the same clock (neither R_COND nor cpu_relax() synchronises), and the loop is already
 * known to be one. The pass keeps the first read, the first re-read, and the cpu_relax() before the
 * read that ends the wait. About half of a busy machine's events are such spins.
 *
 * <p>Per recording stream: a cpu_relax() after a repeated read is held back until the stream's next
 * event shows whether it starts another repetition (then both go) or not (then it is delivered first;
 * cpu_relax() orders nothing, so delivering it later than other streams' events changes no clock).
 */
final class SpinFilter {
    private long[] loc = new long[16];
    private long[] rf = new long[16];
    private int[] repeats = new int[16];
    private boolean[] spinning = new boolean[16];
    private boolean[] holding = new boolean[16];
    private Event[] held = new Event[16];

    private void ensure(int t) {
        if (t >= loc.length) {
            int n = Math.max(t + 1, loc.length * 2);
            loc = Arrays.copyOf(loc, n);
            rf = Arrays.copyOf(rf, n);
            repeats = Arrays.copyOf(repeats, n);
            spinning = Arrays.copyOf(spinning, n);
            holding = Arrays.copyOf(holding, n);
            held = Arrays.copyOf(held, n);
        }
    }

    private boolean repeat(Event e) {
        return e.kind == EventKind.R_COND && spinning[e.thread] && e.loc == loc[e.thread] && e.rfId == rf[e.thread];
    }

    /**
     * {@link #heldBefore} and {@link #skip} in one for an event that is neither an R_COND nor a CPU_RELAX (never
     * dropped): ends stream t's wait; returns the held cpu_relax() to deliver before the event, or null.
     */
    Event endWait(int t) {
        if (t >= loc.length) {
            ensure(t);
        }
        spinning[t] = false;
        repeats[t] = 0;
        if (holding[t]) {
            holding[t] = false;
            return held[t];
        }
        return null;
    }

    /** The held cpu_relax() of e's stream, if e shows it must be delivered now (before e); else null. */
    Event heldBefore(Event e) {
        int t = e.thread;
        ensure(t);
        if (!holding[t] || e.kind == EventKind.CPU_RELAX) {
            return null;
        }
        if (repeat(e)) {
            return null; // skip() drops both
        }
        holding[t] = false;
        return held[t];
    }

    /** Whether e is dropped (a repetition, or a cpu_relax() held back). Updates the stream's state. */
    boolean skip(Event e) {
        int t = e.thread;
        if (e.kind == EventKind.CPU_RELAX) {
            if (spinning[t] && repeats[t] >= 1 && !holding[t]) {
                if (held[t] == null) {
                    held[t] = new Event(); // once per stream
                }
                held[t].copyFrom(e);
                holding[t] = true;
                return true;
            }
            return false;
        }
        if (holding[t] && repeat(e)) {
            holding[t] = false; // the held cpu_relax() and this read: one more turn of the same wait
            return true;
        }
        if (e.kind == EventKind.R_COND) {
            if (spinning[t] && e.loc == loc[t] && e.rfId == rf[t]) {
                repeats[t]++;
            } else {
                spinning[t] = true;
                loc[t] = e.loc;
                rf[t] = e.rfId;
                repeats[t] = 0;
            }
        } else {
            spinning[t] = false;
            repeats[t] = 0;
        }
        return false;
    }

    /** The cpu_relax() events still held at the end of the trace. */
    List<Event> drain() {
        List<Event> l = new ArrayList<>();
        for (int t = 0; t < holding.length; t++) {
            if (holding[t]) {
                holding[t] = false;
                l.add(held[t]);
            }
        }
        return l;
    }
}

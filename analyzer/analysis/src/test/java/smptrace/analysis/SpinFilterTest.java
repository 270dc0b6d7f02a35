package smptrace.analysis;

import org.junit.jupiter.api.Test;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpinFilterTest {
    private static Event ev(EventKind k, long seq, long loc, long rf) {
        Event e = new Event();
        e.thread = 0;
        e.seq = seq;
        e.kind = k;
        e.loc = loc;
        e.rfId = rf;
        return e;
    }

    /** What the pass sees of a stream: "R<seq>" for reads, "relax<seq>" for cpu_relax(), in order. */
    private static List<String> pass(List<Event> in) {
        return pass(in, false);
    }

    /**
     * The pass as {@link Analyzer} runs it with {@code endWait}: an event that is neither an R_COND nor a CPU_RELAX
     * through {@link SpinFilter#endWait} (false: through heldBefore and skip like every other event).
     */
    private static List<String> pass(List<Event> in, boolean endWait) {
        SpinFilter f = new SpinFilter();
        List<String> out = new ArrayList<>();
        for (Event e : in) {
            if (endWait && e.kind != EventKind.R_COND && e.kind != EventKind.CPU_RELAX) {
                Event held = f.endWait(e.thread);
                if (held != null) {
                    out.add(name(held));
                }
                out.add(name(e));
                continue;
            }
            Event held = f.heldBefore(e);
            if (held != null) {
                out.add(name(held));
            }
            if (!f.skip(e)) {
                out.add(name(e));
            }
        }
        for (Event h : f.drain()) {
            out.add(name(h));
        }
        return out;
    }

    private static String name(Event e) {
        return (e.kind == EventKind.CPU_RELAX ? "relax" : e.kind == EventKind.R_COND ? "R" : e.kind.name()) + e.seq;
    }

    @Test
    void aBusyWaitKeepsItsFirstReadFirstReReadAndTheRelaxBeforeTheReadThatEndsIt() {
        List<Event> in = new ArrayList<>();
        long seq = 0;
        for (int i = 0; i < 5; i++) {
            in.add(ev(EventKind.R_COND, seq++, 7, 100));   // the same write, five times
            in.add(ev(EventKind.CPU_RELAX, seq++, 0, -1));
        }
        in.add(ev(EventKind.R_COND, seq++, 7, 200));       // the unlock: a new write ends the wait
        in.add(ev(EventKind.W_PLAIN, seq, 8, -1));
        assertEquals(List.of("R0", "relax1", "R2", "relax9", "R10", "W_PLAIN11"), pass(in));
    }

    @Test
    void readsOfOtherWritesLocationsOrKindsAreNeverDropped() {
        List<Event> in = List.of(
                ev(EventKind.R_COND, 0, 7, 100), ev(EventKind.CPU_RELAX, 1, 0, -1),
                ev(EventKind.R_COND, 2, 7, 100), ev(EventKind.CPU_RELAX, 3, 0, -1),
                ev(EventKind.R_ONCE, 4, 7, 100),                                     // not a cond-load read
                ev(EventKind.R_COND, 5, 9, 100), ev(EventKind.CPU_RELAX, 6, 0, -1),  // another location
                ev(EventKind.R_COND, 7, 9, 100));
        assertEquals(List.of("R0", "relax1", "R2", "relax3", "R_ONCE4", "R5", "relax6", "R7"), pass(in));
    }

    @Test
    void anEventOtherThanAConditionReadOrRelaxDeliversTheHeldRelaxFirstAndEndsTheWait() {
        List<Event> in = List.of(
                ev(EventKind.R_COND, 0, 7, 100), ev(EventKind.CPU_RELAX, 1, 0, -1),
                ev(EventKind.R_COND, 2, 7, 100), ev(EventKind.CPU_RELAX, 3, 0, -1),  // held
                ev(EventKind.W_PLAIN, 4, 8, -1),                                     // ends the wait
                ev(EventKind.R_COND, 5, 7, 100), ev(EventKind.CPU_RELAX, 6, 0, -1),  // a new wait: kept
                ev(EventKind.R_COND, 7, 7, 100), ev(EventKind.CPU_RELAX, 8, 0, -1),  // held
                ev(EventKind.R_COND, 9, 7, 100));                                    // dropped with relax8
        List<String> expected = List.of("R0", "relax1", "R2", "relax3", "W_PLAIN4", "R5", "relax6", "R7");
        assertEquals(expected, pass(in, false));
        assertEquals(expected, pass(in, true));
    }
}

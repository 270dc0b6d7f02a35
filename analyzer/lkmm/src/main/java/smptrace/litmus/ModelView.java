package smptrace.litmus;

import java.util.List;
import java.util.Map;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Tag;

/**
 * What {@link LitmusDecider} enumerates, for code that checks a real run against the model (the
 * engine cross-check of {@code smptrace litmus}): the shared locations and, per process, every
 * path that occurs in a candidate execution whose values are consistent (values solved, no symbolic
 * value left: a run can show it), as its events in program order. Values are rendered as
 * in {@link LitmusDecider#decide(LitmusTest, java.util.function.Consumer)}: decimal, or the name of
 * the location a pointer points to.
 *
 * @param locations in the decider's order
 * @param paths     per process (P0, P1, ...), its paths
 */
public record ModelView(String test, List<Location> locations, List<List<Path>> paths) {

    /**
     * A shared location. {@code pointer}/{@code integer}: whether some execution may store (or the
     * initial state holds) an address / a non-zero integer in it (0 is both NULL and zero).
     */
    public record Location(String name, boolean lock, String init, boolean pointer, boolean integer) {
    }

    /**
     * One event of a path. {@code location} is null for fences; {@code value} is the value read or
     * written for READ and WRITE (both halves of an RMW), null for fences and lock events.
     */
    public record Event(EventClass cls, Tag tag, String location, String value) {
        @Override
        public String toString() {
            return cls + (tag == null ? "" : "." + tag) + (location == null ? "" : " " + location)
                + (value == null ? "" : "=" + value);
        }
    }

    /** One path of process {@code thread}: its events and final registers ("P:reg" to value). */
    public record Path(int thread, List<Event> events, Map<String, String> registers) {
    }

    /** The location named {@code name}, or null. */
    public Location location(String name) {
        for (Location l : locations) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}

package smptrace.litmus.run;

import smptrace.analysis.LkmmSync;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import smptrace.litmus.ModelView;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Tag;
import smptrace.trace.EventKind;

/**
 * Checks recorded runs of a litmus test against the model: (a) the events each process recorded
 * are, kind by kind in program order (EventKind.Order as the LKMM tag, locations and values
 * included), the events of one of the model's paths for that process, whose final registers are
 * then the run's; (b) every final outcome a run shows (registers from the matched paths, memory
 * from the last write in coherence order of each location) is one the model allows. A violation
 * of (b) means the model calls impossible what the JVM just did: it is reported as a disagreement.
 */
public final class CrossCheck {

    /** One recorded run: per process its events (already in the model's vocabulary) and the final memory. */
    public record Run(int run, List<List<ModelView.Event>> processes, Map<String, String> finalMemory,
                      Map<String, String> engineOutcome) {
    }

    /**
     * The result for one test. {@code problems} are failures of (a), inconsistencies between the
     * engine's own account and its trace, or engine errors; {@code disallowed} are observed outcomes
     * outside the allowed set (b).
     */
    public record Result(int runs, int aborted, Set<Map<String, String>> observed, List<String> problems,
                         List<String> disallowed) {
        public boolean ok() {
            return problems.isEmpty() && disallowed.isEmpty();
        }

        /** One line for the table's check column. */
        public String summary() {
            if (!disallowed.isEmpty()) {
                return "NO: " + disallowed.size() + " run(s) showed an outcome the model forbids: " + disallowed.get(0);
            }
            if (!problems.isEmpty()) {
                return "NO: " + problems.get(0) + (problems.size() > 1 ? " (+" + (problems.size() - 1) + " more)" : "");
            }
            return "ok";
        }
    }

    private CrossCheck() {
    }

    /**
     * Checks {@code runs} against the model's paths ({@code view}) and the set of final states of
     * the executions it allows ({@code allowed}, as LitmusDecider.decide(test, consumer) hands them).
     * {@code aborted} and {@code engineErrors} are the runs the engine did not finish (a deadlock is
     * an aborted run; an error is a problem).
     */
    public static Result check(ModelView view, Set<Map<String, String>> allowed, List<Run> runs, int aborted,
                               List<String> engineErrors) {
        List<String> problems = new ArrayList<>(engineErrors);
        List<String> disallowed = new ArrayList<>();
        Set<Map<String, String>> observed = new LinkedHashSet<>();
        for (Run r : runs) {
            Map<String, String> outcome = new TreeMap<>();
            boolean matched = true;
            for (int p = 0; p < view.paths().size(); p++) {
                List<ModelView.Event> rec = p < r.processes().size() ? r.processes().get(p) : List.of();
                ModelView.Path path = match(view.paths().get(p), rec);
                if (path == null) {
                    problems.add("run " + r.run() + " P" + p + " recorded " + rec
                        + ", which is no path of the model");
                    matched = false;
                } else {
                    outcome.putAll(path.registers());
                }
            }
            if (!matched) {
                continue;
            }
            for (ModelView.Location l : view.locations()) {
                if (!l.lock()) {
                    outcome.put(l.name(), r.finalMemory().getOrDefault(l.name(), l.init()));
                }
            }
            if (r.engineOutcome() != null && !r.engineOutcome().equals(outcome)) {
                problems.add("run " + r.run() + ": the engine reports " + r.engineOutcome() + " but its trace says "
                    + outcome);
            }
            observed.add(outcome);
            if (!allowed.contains(outcome)) {
                disallowed.add("run " + r.run() + " " + render(outcome));
            }
        }
        return new Result(runs.size(), aborted, observed, problems, disallowed);
    }

    /** The first path whose events the recording is (spin_lock's failed attempts before it taken out). */
    static ModelView.Path match(List<ModelView.Path> paths, List<ModelView.Event> recorded) {
        for (ModelView.Path p : paths) {
            if (matches(p.events(), recorded)) {
                return p;
            }
        }
        return null;
    }

    private static boolean matches(List<ModelView.Event> expected, List<ModelView.Event> recorded) {
        int j = 0;
        for (ModelView.Event e : expected) {
            if (e.cls() == EventClass.LOCK_READ) {
                // spin_lock() spins with failed attempts until it takes the lock: one LKR+LKW to the model
                while (j < recorded.size() && recorded.get(j).cls() == EventClass.LOCK_FAIL
                    && e.location().equals(recorded.get(j).location())) {
                    j++;
                }
            }
            if (j >= recorded.size() || !e.equals(recorded.get(j))) {
                return false;
            }
            j++;
        }
        return j == recorded.size();
    }

    /** "0:r0=1 1:r0=0 x=1". */
    public static String render(Map<String, String> outcome) {
        StringBuilder sb = new StringBuilder();
        outcome.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    // ---- from the trace's vocabulary to the model's ----------------------------------------------------

    /**
     * Translates one process's recorded events of one run. {@code locationOf} names the location
     * of an object id (null if it is not one of this run's objects); {@code view} says which
     * locations are spinlocks and which hold pointers.
     */
    public static List<ModelView.Event> translate(List<RecordedBatch.Recorded> rec, ModelView view,
                                                  java.util.function.IntFunction<String> locationOf,
                                                  List<String> problems) {
        Map<String, ModelView.Location> locs = new HashMap<>();
        for (ModelView.Location l : view.locations()) {
            locs.put(l.name(), l);
        }
        List<ModelView.Event> out = new ArrayList<>();
        for (RecordedBatch.Recorded e : rec) {
            EventKind k = e.kind();
            if (k.shape == EventKind.Shape.FENCE) {
                Tag t = k == EventKind.F_BARRIER ? Tag.BARRIER : LkmmSync.tagOf(k.order);
                out.add(new ModelView.Event(EventClass.FENCE, t, null, null));
                continue;
            }
            String name = locationOf.apply(e.oid());
            ModelView.Location l = name == null ? null : locs.get(name);
            if (l == null) {
                problems.add(k + " on object #" + e.oid() + ", which is not a location of this run");
                continue;
            }
            Tag tag = LkmmSync.tagOf(k.order);
            if (l.lock()) {
                switch (k) {
                    case LOCK -> {
                        out.add(new ModelView.Event(EventClass.LOCK_READ, null, name, null));
                        out.add(new ModelView.Event(EventClass.LOCK_WRITE, null, name, null));
                    }
                    case UNLOCK -> out.add(new ModelView.Event(EventClass.UNLOCK, null, name, null));
                    case LOCK_FAIL -> out.add(new ModelView.Event(EventClass.LOCK_FAIL, null, name, null));
                    default -> {
                        if (k.shape == EventKind.Shape.READ) {
                            out.add(new ModelView.Event(e.value() != 0 ? EventClass.READ_LOCKED
                                : EventClass.READ_UNLOCKED, null, name, null));
                        } else {
                            problems.add(k + " on spinlock " + name);
                        }
                    }
                }
                continue;
            }
            switch (k.shape) {
                case READ, FAILED_RMW -> out.add(new ModelView.Event(EventClass.READ, tag, name,
                    value(l, e.value(), locationOf)));
                case WRITE -> out.add(new ModelView.Event(EventClass.WRITE, tag, name, value(l, e.value(), locationOf)));
                case RMW -> {
                    out.add(new ModelView.Event(EventClass.READ, tag, name, value(l, e.value(), locationOf)));
                    out.add(new ModelView.Event(EventClass.WRITE, tag, name, value(l, e.value2(), locationOf)));
                }
                default -> problems.add("unexpected " + k + " on " + name);
            }
        }
        return out;
    }

    /** The value written last (highest coherence index) to each location by these events. */
    public static Map<String, String> finalMemory(List<List<RecordedBatch.Recorded>> all, ModelView view,
                                                  java.util.function.IntFunction<String> locationOf) {
        Map<String, Long> bestCo = new HashMap<>();
        Map<String, String> out = new TreeMap<>();
        for (List<RecordedBatch.Recorded> proc : all) {
            for (RecordedBatch.Recorded e : proc) {
                if (!e.kind().writes()) {
                    continue;
                }
                String name = locationOf.apply(e.oid());
                ModelView.Location l = name == null ? null : view.location(name);
                if (l == null || l.lock()) {
                    continue;
                }
                if (e.co() > bestCo.getOrDefault(name, 0L)) {
                    bestCo.put(name, e.co());
                    long v = e.kind().shape == EventKind.Shape.RMW ? e.value2() : e.value();
                    out.put(name, value(l, v, locationOf));
                }
            }
        }
        return out;
    }

    private static String value(ModelView.Location l, long v, java.util.function.IntFunction<String> locationOf) {
        if (l.pointer() && v != 0) {
            String target = locationOf.apply((int) v);
            return target == null ? "#" + v : target;
        }
        return Long.toString(v);
    }
}

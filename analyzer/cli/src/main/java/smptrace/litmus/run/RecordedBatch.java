package smptrace.litmus.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceException;
import smptrace.trace.TraceReader;

/**
 * The trace of one {@code smptrace litmus} batch, split back into its runs. Every engine task
 * starts its part of a run with a MARK (code = test, arg = run &lt;&lt; 8 | process) in its own
 * stream, and every kernel object is named {@code t<test>.r<run>.<location>}; so each memory,
 * fence and lock event belongs to the (test, run, process) of the latest MARK in its stream, and
 * each location to one test and run.
 */
public final class RecordedBatch {
    /** A recorded event, copied out of the reader's reused {@link Event}. */
    public record Recorded(EventKind kind, int oid, long value, long value2, long co) {
    }

    private record Key(int test, int run, int proc) {
    }

    private final Map<Key, List<Recorded>> events = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    private long stray;
    private long total;
    private TraceEnd end;

    private RecordedBatch() {
    }

    public static RecordedBatch read(Path traceDir) throws TraceException {
        RecordedBatch b = new RecordedBatch();
        Map<Integer, Key> context = new HashMap<>();
        try (TraceReader r = TraceReader.open(traceDir)) {
            Event e = new Event();
            while (r.next(e)) {
                b.total++;
                if (e.kind == EventKind.NAME) {
                    b.names.put((int) e.a, e.text);
                    continue;
                }
                if (e.kind == EventKind.MARK) {
                    context.put(e.thread, new Key((int) e.a, (int) (e.b >>> 8), (int) (e.b & 0xff)));
                    continue;
                }
                if (e.kind.shape == EventKind.Shape.CONTROL || e.kind == EventKind.CPU_RELAX) {
                    continue;
                }
                Key k = context.get(e.thread);
                if (k == null) {
                    b.stray++;
                    continue;
                }
                b.events.computeIfAbsent(k, x -> new ArrayList<>())
                    .add(new Recorded(e.kind, e.kind.isMemory() ? Event.oidOf(e.loc) : 0, e.value, e.value2, e.co));
            }
            b.end = r.end();
        }
        return b;
    }

    /** The events process {@code proc} recorded in run {@code run} of test {@code test}, in program order. */
    public List<Recorded> events(int test, int run, int proc) {
        return events.getOrDefault(new Key(test, run, proc), List.of());
    }

    /** The name the engine gave object {@code oid} ("t3.r7.x"), or null. */
    public String name(int oid) {
        return names.get(oid);
    }

    /** Memory, fence and lock events outside any run (none in a well-formed batch). */
    public long strayEvents() {
        return stray;
    }

    public long totalEvents() {
        return total;
    }

    public TraceEnd end() {
        return end;
    }
}

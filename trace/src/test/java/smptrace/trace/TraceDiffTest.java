package smptrace.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TraceDiffTest {
    /** A trace whose one object has oid {@code oid} and whose second write writes {@code second}. */
    private static Path trace(Path dir, String name, int oid, long second) throws Exception {
        Path t = dir.resolve(name);
        try (TraceWriter w = new TraceWriter(t, Map.of())) {
            int th = w.addThread("T1", 1);
            int cls = w.addClass("smptrace.engine.smp.call_single_data");
            int f = w.addField("smptrace.engine.smp.__call_single_node", "u_flags", "I");
            BlockEncoder b = new BlockEncoder() { };
            b.control(EventKind.ALLOC, 0, oid, cls);
            b.write(EventKind.W_PLAIN, 0, Event.loc(oid, f), 1, 1, 0);
            b.write(EventKind.W_RELEASE, 0, Event.loc(oid, f), second, 2, 0);
            w.writeBlock(th, 0, 3, b.buffer(), b.position());
        }
        return t;
    }

    @Test
    void tracesThatDifferOnlyInObjectIdsAreTheSameEventForEvent(@TempDir Path dir) throws Exception {
        try (TraceReader a = TraceReader.open(trace(dir, "a", 5, 0)); TraceReader b = TraceReader.open(trace(dir, "b", 905, 0))) {
            assertNull(TraceDiff.compare(a, b));
        }
    }

    @Test
    void aDifferentValueIsReportedAtItsEvent(@TempDir Path dir) throws Exception {
        try (TraceReader a = TraceReader.open(trace(dir, "a", 5, 0)); TraceReader b = TraceReader.open(trace(dir, "b", 5, 1))) {
            TraceDiff.Difference d = TraceDiff.compare(a, b);
            assertNotNull(d);
            assertEquals(2, d.index());
        }
    }
}

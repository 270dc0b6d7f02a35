package smptrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceWriter;

/** {@code dump}'s cached names and its byte output: a location prints by its object's name at that point. */
class DumpCommandTest {
    @Test
    void aLocationPrintedBeforeItsObjectIsNamedPrintsByTheNewNameAfterAndNonAsciiNamesAreUtf8(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        try (TraceWriter w = new TraceWriter(t, Map.of("scenario", "unit"))) {
            int site = w.addSite("smptrace.engine.smp.Smp", "f", "Smp.java", 10);
            int x = w.addField("smptrace.demo.Obj", "x", "I");
            int cls = w.addClass("smptrace.demo.Obj");
            int t0 = w.addThread("A", 1);
            BlockEncoder a = new BlockEncoder() { };
            a.control(EventKind.ALLOC, 0, 7, cls);
            a.write(EventKind.W_PLAIN, site, Event.loc(7, x), 1, 1, 0);
            a.controlText(EventKind.NAME, 0, 7, "kick_dev");                // named after its location was printed
            a.write(EventKind.W_PLAIN, site, Event.loc(7, x), 2, 2, 0);
            a.control(EventKind.ALLOC, 0, 8, cls);                           // a fresh object: nothing to forget
            a.controlText(EventKind.NAME, 0, 8, "péché\u2192ω");
            a.write(EventKind.W_PLAIN, site, Event.loc(8, x), 3, 1, 0);
            a.write(EventKind.W_PLAIN, site, Event.loc(7, x), 4, 3, 0);
            w.writeBlock(t0, 0, 8, a.buffer(), a.position());
        }
        CliBadInputTest.Run r = CliBadInputTest.cli("dump", "--no-header", "--limit", "0", t.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().filter(l -> l.contains("W_PLAIN")).toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).contains("W_PLAIN Obj#7.x = 1"), lines.get(0));
        assertTrue(lines.get(1).contains("W_PLAIN kick_dev.x = 2"), lines.get(1));
        assertTrue(lines.get(2).contains("W_PLAIN péché\u2192ω.x = 3"), lines.get(2));
        assertTrue(lines.get(3).contains("W_PLAIN kick_dev.x = 4"), lines.get(3));
    }
}

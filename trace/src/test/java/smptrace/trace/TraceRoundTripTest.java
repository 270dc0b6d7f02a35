package smptrace.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceRoundTripTest {
    /** Encodes into a block and remembers how many events it holds. */
    static final class Block extends BlockEncoder {
        int count;
        long firstSeq;

        Block() {
        }

        /** Encodes in the event layout of an older format version. */
        Block(int formatVersion) {
            super(formatVersion);
        }

        void write(TraceWriter w, int thread, long firstSeq) {
            w.writeBlock(thread, firstSeq, count, buf, pos);
        }

        /** Starts the next block of the same thread. */
        void next() {
            firstSeq += count;
            count = 0;
            pos = 0;
        }
    }

    private static Map<String, String> header() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("scenario", "unit");
        h.put("seed", "7");
        return h;
    }

    @Test
    void everyEventKindSurvivesTheRoundTripWithItsPayload(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        List<EventKind> written = new ArrayList<>();
        try (TraceWriter w = new TraceWriter(t, header())) {
            int site = w.addSite("smptrace.engine.smp.Smp", "csd_lock", "Smp.java", 42);
            int field = w.addField("smptrace.engine.smp.__call_single_node", "u_flags", "I");
            int cls = w.addClass("smptrace.engine.smp.call_single_data");
            int th = w.addThread("T1@cpu0", 11);
            long loc = Event.loc(5, field);
            Block b = new Block();
            long co = 0;
            long readsOfCurrent = 0;
            for (EventKind k : EventKind.values()) {
                switch (k.shape) {
                    case READ: b.read(k, site, loc, -3, co); readsOfCurrent++; break;
                    case WRITE: b.write(k, site, loc, 1000 + k.code, ++co, readsOfCurrent); readsOfCurrent = 0; break;
                    case RMW: b.rmw(k, site, loc, 1000 + k.code - 1, 2000 + k.code, ++co, readsOfCurrent); readsOfCurrent = 0; break;
                    case FAILED_RMW: b.failedRmw(k, site, loc, 7, 8, co); readsOfCurrent++; break;
                    case FENCE: b.bare(k, site); break;
                    default:
                        if (k == EventKind.NAME || k == EventKind.STUCK) {
                            b.controlText(k, site, 5, "per_cpu(csd_data, 2) \u2713");
                        } else if (k == EventKind.ALLOC) {
                            b.control(k, site, 5, cls);
                        } else if (k == EventKind.ASSERT_EXCLUSIVE_ACCESS || k == EventKind.ASSERT_EXCLUSIVE_WRITER) {
                            b.control(k, site, loc, 0);
                        } else if (k == EventKind.ROLE) {
                            b.role(site, 5, ObjectRole.CFD_CSD.code, 2, 3);
                        } else {
                            // CPU arguments are bounded by the format (-1..MAX_CPUS-1); MARK and KFREE take any signed value
                            b.control(k, site, 3, k == EventKind.MARK || k == EventKind.KFREE ? -4 : 1);
                        }
                }
                b.count++;
                written.add(k);
            }
            b.write(w, th, 0);
        }
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals("unit", r.info().header("scenario"));
            assertEquals(TraceFormat.VERSION, r.info().formatVersion());
            assertEquals("csd_lock", r.info().site(1).method());
            assertEquals("u_flags", r.info().field(0).name());
            Event e = new Event();
            List<EventKind> read = new ArrayList<>();
            EnumSet<EventKind> checked = EnumSet.noneOf(EventKind.class);
            long lastWrite = -1;
            while (r.next(e)) {
                read.add(e.kind);
                assertEquals(1, e.site);
                switch (e.kind.shape) {
                    case WRITE:
                        assertEquals(1000 + e.kind.code, e.value);
                        lastWrite = e.id();
                        checked.add(e.kind);
                        break;
                    case RMW:
                        assertEquals(2000 + e.kind.code, e.value2);
                        assertEquals(lastWrite, e.rfId, "an RMW reads the write before it in coherence order");
                        lastWrite = e.id();
                        checked.add(e.kind);
                        break;
                    case FAILED_RMW:
                        assertEquals(7, e.value);
                        assertEquals(8, e.value2);
                        assertEquals(lastWrite, e.rfId);
                        checked.add(e.kind);
                        break;
                    case READ:
                        assertEquals(-3, e.value);
                        assertEquals(lastWrite, e.rfId);
                        checked.add(e.kind);
                        break;
                    default:
                        if (e.kind == EventKind.NAME) {
                            assertEquals("per_cpu(csd_data, 2) \u2713", e.text);
                            assertEquals("per_cpu(csd_data, 2) \u2713", r.info().objectName(5));
                        } else if (e.kind == EventKind.ALLOC) {
                            assertEquals("smptrace.engine.smp.call_single_data", r.info().objectClass(5));
                        } else if (e.kind == EventKind.ROLE) {
                            assertEquals(ObjectRole.CFD_CSD, r.info().objectRole(5));
                            assertEquals(2, r.info().roleCpu(5));
                            assertEquals(3, r.info().roleIndex(5));
                        } else if (e.kind == EventKind.KFREE) {
                            assertEquals(3, e.a, "the freed object's id");
                            assertEquals(-4, e.b, "how it was freed");
                        } else if (e.kind == EventKind.TASK_ON_CPU || e.kind == EventKind.IPI_SEND || e.kind == EventKind.MARK) {
                            assertEquals(3, e.a);
                            assertEquals(e.kind == EventKind.MARK ? -4 : 1, e.b);
                        }
                        checked.add(e.kind);
                }
            }
            assertEquals(written, read);
            assertEquals(EnumSet.allOf(EventKind.class), checked);
            assertTrue(r.end().complete());
        }
    }

    @Test
    void readsAreDeliveredAfterTheWriteTheyReadFromEvenWhenItsBlockComesLater(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        long loc = Event.loc(9, 0);
        try (TraceWriter w = new TraceWriter(t, header())) {
            w.addField("X", "flag", "I");
            int a = w.addThread("writer", 1);
            int b = w.addThread("reader", 2);
            // the reader's block reaches the queue first: it read write #1 and #2 of loc
            Block rb = new Block();
            rb.read(EventKind.R_ACQUIRE, 0, loc, 10, 1);
            rb.count++;
            rb.read(EventKind.R_ACQUIRE, 0, loc, 20, 2);
            rb.count++;
            rb.write(w, b, 0);
            Block wb = new Block();
            wb.write(EventKind.W_RELEASE, 0, loc, 10, 1, 0);
            wb.count++;
            wb.write(EventKind.W_RELEASE, 0, loc, 20, 2, 1);
            wb.count++;
            wb.write(w, a, 0);
        }
        try (TraceReader r = TraceReader.open(t)) {
            Event e = new Event();
            List<String> order = new ArrayList<>();
            while (r.next(e)) {
                order.add(e.kind + "=" + e.value + (e.kind.reads() ? "<-" + Event.seqOf(e.rfId) : ""));
            }
            assertEquals(List.of("W_RELEASE=10", "R_ACQUIRE=10<-0", "W_RELEASE=20", "R_ACQUIRE=20<-1"), order);
        }
    }

    @Test
    void aTraceWithoutItsEndRecordIsReadAndReportedCutShort(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        TraceWriter w = new TraceWriter(t, header());
        int th = w.addThread("t", 1);
        Block b = new Block();
        b.write(EventKind.W_ONCE, 0, Event.loc(3, 0), 1, 1, 0);
        b.count++;
        b.write(w, th, 0);
        // no close(): what a killed JVM leaves behind
        try (TraceReader r = TraceReader.open(t)) {
            Event e = new Event();
            assertTrue(r.next(e));
            assertFalse(r.next(e));
            assertEquals(TraceEnd.Status.CUT_SHORT, r.end().status());
            assertTrue(r.end().detail().contains("cut short"), r.end().detail());
        }
    }

    @Test
    void aReadOfAWriteThatWasNeverRecordedEndsACutShortTraceThere(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        TraceWriter w = new TraceWriter(t, header());
        int a = w.addThread("a", 1);
        w.addThread("b", 2);
        Block b = new Block();
        b.write(EventKind.W_ONCE, 0, Event.loc(3, 0), 1, 1, 0);
        b.count++;
        b.read(EventKind.R_ONCE, 0, Event.loc(4, 0), 5, 1); // thread b's write to loc 4 was lost with the JVM
        b.count++;
        b.write(w, a, 0);
        try (TraceReader r = TraceReader.open(t)) {
            Event e = new Event();
            int n = 0;
            while (r.next(e)) {
                n++;
            }
            assertEquals(1, n);
            assertEquals(TraceEnd.Status.CUT_SHORT, r.end().status());
        }
    }

    @Test
    void aVersionOneTraceIsStillRead(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("v1");
        try (net.openhft.chronicle.queue.ChronicleQueue q = net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder
                .binary(t.toFile()).build(); net.openhft.chronicle.queue.ExcerptAppender app = q.createAppender()) {
            try (net.openhft.chronicle.wire.DocumentContext dc = app.writingDocument()) {
                dc.wire().bytes().writeByte(TraceFormat.DOC_HEADER);
                dc.wire().bytes().writeUtf8("magic=smptrace\nformat.version=1\n");
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = app.writingDocument()) {
                dc.wire().bytes().writeByte(TraceFormat.DOC_FIELD);
                dc.wire().bytes().writeInt(0);
                dc.wire().bytes().writeUtf8("smptrace.demo.Mailbox#flag"); // version 1: no type
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = app.writingDocument()) {
                dc.wire().bytes().writeByte(TraceFormat.DOC_THREAD);
                dc.wire().bytes().writeInt(0);
                dc.wire().bytes().writeLong(1);
                dc.wire().bytes().writeUtf8("t");
            }
            Block b = new Block(1);
            b.write(EventKind.W_ONCE, 0, Event.loc(3, 0), 7, 1, 0);
            b.count++;
            try (net.openhft.chronicle.wire.DocumentContext dc = app.writingDocument()) {
                var bytes = dc.wire().bytes();
                bytes.writeByte(TraceFormat.DOC_BLOCK);
                bytes.writeInt(0);
                bytes.writeLong(0);
                bytes.writeInt(b.count);
                bytes.writeInt(b.position());
                bytes.write(b.buffer(), 0, b.position());
            }
        }
        try (TraceReader r = TraceReader.open(t)) {
            assertEquals(1, r.info().formatVersion());
            assertEquals("?", r.info().field(0).type());
            Event e = new Event();
            assertTrue(r.next(e));
            assertEquals(7, e.value);
        }
    }

    @Test
    void badInputGivesOneLineMessages(@TempDir Path dir) throws Exception {
        TraceException missing = assertThrows(TraceException.class, () -> TraceReader.open(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        TraceException empty = assertThrows(TraceException.class, () -> TraceReader.open(dir));
        assertTrue(empty.getMessage().contains("no queue file"), empty.getMessage());
        Path junk = dir.resolve("junk");
        java.nio.file.Files.createDirectories(junk);
        java.nio.file.Files.write(junk.resolve("20260101F.cq4"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        TraceException corrupt = assertThrows(TraceException.class, () -> TraceReader.open(junk));
        assertFalse(corrupt.getMessage().contains("\n"), corrupt.getMessage());
    }
}

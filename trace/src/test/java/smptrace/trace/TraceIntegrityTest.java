package smptrace.trace;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The format's checks (version 3): whatever happens to a trace's bytes, the reader either refuses
 * it in one line or delivers exactly the events that were recorded (all of them, or each thread's
 * intact prefix with the damage stated). Exhaustive over one small trace: every byte flipped, every
 * length cut, every record header zeroed.
 */
class TraceIntegrityTest {
    @TempDir
    static Path tmp;
    static Path original;
    static byte[] queueBytes;
    static String queueName;
    static Map<Long, String> events;

    /** Two threads passing a message through one location, with control events and a NAME text. */
    @BeforeAll
    static void record() throws Exception {
        original = tmp.resolve("orig");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("scenario", "integrity");
        try (TraceWriter w = new TraceWriter(original, h)) {
            int site = w.addSite("smptrace.demo.Mailbox", "send", "Mailbox.java", 12);
            int field = w.addField("smptrace.demo.Mailbox", "flag", "I");
            int cls = w.addClass("smptrace.demo.Mailbox");
            int a = w.addThread("a", 1);
            int b = w.addThread("b", 2);
            long loc = Event.loc(7, field);
            TraceRoundTripTest.Block ba = new TraceRoundTripTest.Block();
            TraceRoundTripTest.Block bb = new TraceRoundTripTest.Block();
            ba.control(EventKind.ALLOC, 0, 7, cls);
            ba.count++;
            ba.controlText(EventKind.NAME, 0, 7, "mailbox");
            ba.count++;
            ba.control(EventKind.TASK_ON_CPU, site, 1, 0);
            ba.count++;
            for (int i = 1; i <= 40; i++) {
                ba.write(EventKind.W_RELEASE, site, loc, 100 + i, i, i == 1 ? 0 : 1);
                ba.count++;
                bb.read(EventKind.R_ACQUIRE, site, loc, 100 + i, i);
                bb.count++;
                if (i % 10 == 0) { // several blocks per thread
                    ba.write(w, a, ba.firstSeq);
                    ba.next();
                    bb.write(w, b, bb.firstSeq);
                    bb.next();
                }
            }
        }
        Path q = queueFile(original);
        queueName = q.getFileName().toString();
        queueBytes = Files.readAllBytes(q);
        events = read(original);
        assertEquals(83, events.size());
    }

    static Path queueFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    /** The events of a trace by id, and a null key for the end if it is not complete. */
    static Map<Long, String> read(Path dir) throws TraceException {
        Map<Long, String> m = new LinkedHashMap<>();
        try (TraceReader r = TraceReader.open(dir)) {
            Event e = new Event();
            while (r.next(e)) {
                m.put(e.id(), e.toString() + " rf=" + e.rfId + " text=" + e.text + " " + r.info().locationName(e.loc));
            }
            if (!r.end().complete()) {
                m.put(-1L, r.end().detail());
            }
        }
        return m;
    }

    static int mutants;

    /** Writes a mutant of the queue file (the table file is copied) and checks the reader's answer. */
    static void check(byte[] mutant, String what) throws IOException {
        Path d = tmp.resolve("m" + (mutants++));
        Files.createDirectories(d);
        Files.write(d.resolve(queueName), mutant);
        try {
            Map<Long, String> got = read(d);
            String endDetail = got.remove(-1L);
            for (Map.Entry<Long, String> e : got.entrySet()) {
                if (!e.getValue().equals(events.get(e.getKey()))) {
                    fail(what + ": event " + e.getKey() + " changed silently: " + e.getValue() + " instead of " + events.get(e.getKey()));
                }
            }
            if (endDetail == null) {
                assertEquals(events.size(), got.size(), what + ": events lost without saying so");
            } else {
                assertFalse(endDetail.isBlank(), what);
            }
        } catch (TraceException e) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().length() < 400, e.getMessage());
        } finally {
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(d);
        }
    }

    @Test
    void aClosedTraceFileIsCutToItsContent() {
        // Chronicle's two first index pages (32 KiB each) come before the data, then about 1.2 KB of records
        assertTrue(queueBytes.length < 72 * 1024, "queue file of " + queueBytes.length + " bytes for 83 events");
    }

    /** Every byte of the records and Chronicle's file header; every 61st of the (zero) index pages between. */
    static boolean sampled(int i) {
        return i < 512 || i >= dataStart() || i % 61 == 0;
    }

    static int dataStart() {
        for (int h : recordHeaders(queueBytes)) {
            if ((readInt(queueBytes, h) & QueueFile.META_DATA) == 0) {
                return h;
            }
        }
        return 0;
    }

    @Test
    void everySingleByteFlipIsRefusedOrChangesNoEvent() throws IOException {
        for (int i = 0; i < queueBytes.length; i++) {
            if (!sampled(i)) {
                continue;
            }
            byte[] m = queueBytes.clone();
            m[i] ^= (byte) (1 << (i % 8));
            check(m, "bit " + (i % 8) + " of byte " + i + " flipped");
            m = queueBytes.clone();
            m[i] = (byte) ~m[i];
            check(m, "byte " + i + " inverted");
        }
    }

    @Test
    void everyTruncationIsRefusedOrReadAsCutShort() throws IOException {
        for (int n = 0; n < queueBytes.length; n++) {
            if (!sampled(n)) {
                continue;
            }
            check(java.util.Arrays.copyOf(queueBytes, n), "cut to " + n + " bytes");
        }
    }

    @Test
    void aZeroedRecordHeaderIsRefusedNotTakenForTheEnd() throws Exception {
        List<Integer> headers = recordHeaders(queueBytes);
        assertTrue(headers.size() > 10);
        for (int h : headers.subList(0, headers.size() - 1)) {
            byte[] m = queueBytes.clone();
            m[h] = m[h + 1] = m[h + 2] = m[h + 3] = 0;
            Path d = tmp.resolve("zero" + h);
            Files.createDirectories(d);
            Files.write(d.resolve(queueName), m);
            TraceException e = assertThrows(TraceException.class, () -> read(d), "header at " + h + " zeroed");
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    /**
     * The layout a kill -9 leaves between Chronicle writing a record's bytes and publishing its header
     * (it writes the header word last, by a compare-and-swap from 0): the header word 0, the record's
     * bytes, whole or in part, then the zeros claimed ahead. Built by hand from the closed trace at
     * every record after the dictionaries, in whole and cut at a few lengths: each reads as cut short
     * with exactly the events of the file cut before that record, never as damage.
     */
    @Test
    void aRecordWhoseHeaderWasNotYetPublishedReadsAsCutShortWithTheEventsBeforeItIntact() throws Exception {
        List<Integer> headers = recordHeaders(queueBytes);
        int checked = 0;
        for (int i = 0; i < headers.size(); i++) {
            int h = headers.get(i);
            int len = readInt(queueBytes, h) & QueueFile.LENGTH_MASK;
            if ((readInt(queueBytes, h) & QueueFile.META_DATA) != 0 || queueBytes[h + 4] == TraceFormat.DOC_HEADER) {
                continue; // Chronicle's pages; the trace header (a kill there leaves no trace to read)
            }
            Path cut = tmp.resolve("before" + h);
            Files.createDirectories(cut);
            Files.write(cut.resolve(queueName), java.util.Arrays.copyOf(queueBytes, h));
            Map<Long, String> before = read(cut);
            String cutDetail = before.remove(-1L);
            assertTrue(cutDetail != null && cutDetail.startsWith("cut short"), cutDetail);
            for (int written : new int[] {len, len - 4, len / 2, TraceFormat.BLOCK_HEAD, 1}) {
                if (written <= 0 || written > len) {
                    continue;
                }
                byte[] m = new byte[h + 4 + len + 64 * 1024]; // the claimed space after: zeros
                System.arraycopy(queueBytes, 0, m, 0, h);
                System.arraycopy(queueBytes, h + 4, m, h + 4, written);
                Path d = tmp.resolve("torn" + h + "_" + written);
                Files.createDirectories(d);
                Files.write(d.resolve(queueName), m);
                String what = "record at " + h + " (kind " + (char) queueBytes[h + 4] + ") unpublished with " + written + " of " + len + " bytes";
                Map<Long, String> got;
                try {
                    got = read(d);
                } catch (TraceException e) {
                    throw new AssertionError(what + ": " + e.getMessage(), e);
                }
                String detail = got.remove(-1L);
                assertTrue(detail != null && detail.startsWith("cut short") && detail.contains("being written"), what + ": " + detail);
                assertEquals(before, got, what);
                for (Map.Entry<Long, String> e : got.entrySet()) {
                    assertEquals(events.get(e.getKey()), e.getValue(), what);
                }
                checked++;
            }
        }
        assertTrue(checked > 20, "layouts checked: " + checked);
    }

    /**
     * Chronicle adds an index page at the write position as the trace grows, and publishes it the same
     * way (bytes first, header last): a kill in between leaves a zero header and the page's template
     * (its entries are written only after it is published). Built from the trace's own second index
     * page, in place of the last block: cut short, the events before it intact.
     */
    @Test
    void anIndexPageWhoseHeaderWasNotYetPublishedReadsAsCutShort() throws Exception {
        List<Integer> headers = recordHeaders(queueBytes);
        int page = -1;
        for (int h : headers) {
            if (h > 0 && (readInt(queueBytes, h) & QueueFile.META_DATA) != 0) {
                page = h; // the last of Chronicle's pages before the data
            }
        }
        int pageLen = readInt(queueBytes, page) & QueueFile.LENGTH_MASK;
        int template = 0;
        for (int i = page + 4; i < page + 4 + pageLen; i++) {
            if (queueBytes[i] != 0) {
                template = i - page - 4 + 1;
            }
        }
        assertEquals(QueueFile.CHRONICLE_META_FIRST, queueBytes[page + 4] & 0xFF);
        assertTrue(template > 0 && template < QueueFile.CHRONICLE_META_UNPUBLISHED, "template of " + template + " bytes");
        int h = headers.get(headers.size() - 2); // the last block
        byte[] m = new byte[h + 4 + pageLen + 64 * 1024];
        System.arraycopy(queueBytes, 0, m, 0, h);
        System.arraycopy(queueBytes, page + 4, m, h + 4, template);
        Path d = tmp.resolve("tornPage");
        Files.createDirectories(d);
        Files.write(d.resolve(queueName), m);
        Path cut = tmp.resolve("beforePage");
        Files.createDirectories(cut);
        Files.write(cut.resolve(queueName), java.util.Arrays.copyOf(queueBytes, h));
        Map<Long, String> got = read(d);
        Map<Long, String> before = read(cut);
        String detail = got.remove(-1L);
        before.remove(-1L);
        assertTrue(detail != null && detail.contains("being written"), detail);
        assertEquals(before, got);
    }

    /** A zero header whose record is followed by one more published record is damage, not the end. */
    @Test
    void aZeroHeaderFollowedByMoreThanOneRecordIsRefused() throws Exception {
        List<Integer> headers = recordHeaders(queueBytes);
        int last = headers.get(headers.size() - 1);
        int h = headers.get(headers.size() - 2); // the last block; the end record follows it
        assertEquals(TraceFormat.DOC_END, queueBytes[last + 4]);
        byte[] m = queueBytes.clone();
        writeInt(m, h, 0);
        Path d = tmp.resolve("zeroBeforeEnd");
        Files.createDirectories(d);
        Files.write(d.resolve(queueName), m);
        TraceException e = assertThrows(TraceException.class, () -> read(d));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("byte " + h), e.getMessage());
    }

    @Test
    void aCraftedHugeObjectIdWithAValidChecksumIsRefused() throws Exception {
        // an ALLOC naming object 2^40: the checksum is recomputed, as a crafted file would have it
        byte[] m = queueBytes.clone();
        int block = firstBlock(m);
        int payload = block + 4 + TraceFormat.BLOCK_HEAD;
        byte[] alloc = new byte[] {(byte) EventKind.ALLOC.code, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, 0};
        int len = readInt(m, payload - 4);
        assertTrue(m[payload] == EventKind.ALLOC.code);
        byte[] rest = java.util.Arrays.copyOfRange(m, payload + 3, payload + len); // the original ALLOC is 3 bytes
        byte[] newPayload = new byte[alloc.length + rest.length];
        System.arraycopy(alloc, 0, newPayload, 0, alloc.length);
        System.arraycopy(rest, 0, newPayload, alloc.length, rest.length);
        byte[] rebuilt = rebuildBlock(m, block, newPayload);
        Path d = tmp.resolve("crafted");
        Files.createDirectories(d);
        Files.write(d.resolve(queueName), rebuilt);
        TraceException e = assertThrows(TraceException.class, () -> read(d));
        assertTrue(e.getMessage().contains("names object"), e.getMessage());
    }

    // ---- raw framing helpers -------------------------------------------------------------------

    static int readInt(byte[] a, int at) {
        return (a[at] & 0xff) | (a[at + 1] & 0xff) << 8 | (a[at + 2] & 0xff) << 16 | (a[at + 3] & 0xff) << 24;
    }

    static void writeInt(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }

    /** Positions of every excerpt header (data and metadata) of a queue file. */
    static List<Integer> recordHeaders(byte[] a) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos + 4 <= a.length) {
            int h = readInt(a, pos);
            if (h == 0) {
                break;
            }
            out.add(pos);
            pos = (pos + 4 + (h & QueueFile.LENGTH_MASK) + 3) & ~3;
        }
        return out;
    }

    static int firstBlock(byte[] a) {
        for (int h : recordHeaders(a)) {
            if ((readInt(a, h) & QueueFile.META_DATA) == 0 && a[h + 4] == TraceFormat.DOC_BLOCK) {
                return h;
            }
        }
        throw new AssertionError("no block");
    }

    /** The file with the block record at {@code at} replaced by one with this payload and a valid checksum. */
    static byte[] rebuildBlock(byte[] a, int at, byte[] payload) {
        int oldLen = readInt(a, at) & QueueFile.LENGTH_MASK;
        int oldEnd = (at + 4 + oldLen + 3) & ~3;
        int newLen = TraceFormat.BLOCK_HEAD + payload.length + 4;
        byte[] rec = new byte[(4 + newLen + 3) & ~3];
        writeInt(rec, 0, newLen);
        System.arraycopy(a, at + 4, rec, 4, TraceFormat.BLOCK_HEAD);
        writeInt(rec, 4 + TraceFormat.BLOCK_HEAD - 4, payload.length);
        System.arraycopy(payload, 0, rec, 4 + TraceFormat.BLOCK_HEAD, payload.length);
        CRC32C c = new CRC32C();
        c.update(rec, 4, TraceFormat.BLOCK_HEAD + payload.length);
        writeInt(rec, 4 + TraceFormat.BLOCK_HEAD + payload.length, (int) c.getValue());
        byte[] out = new byte[at + rec.length + (a.length - oldEnd)];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(rec, 0, out, at, rec.length);
        System.arraycopy(a, oldEnd, out, at + rec.length, a.length - oldEnd);
        return out;
    }
}

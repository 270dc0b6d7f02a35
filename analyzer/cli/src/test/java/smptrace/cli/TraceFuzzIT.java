package smptrace.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.analysis.AnalysisResult;
import smptrace.analysis.Analyzer;
import smptrace.analysis.Finding;
import smptrace.trace.BlockEncoder;
import smptrace.trace.EventKind;
import smptrace.trace.TraceException;
import smptrace.trace.TraceFormat;
import smptrace.trace.TraceReader;
import smptrace.trace.TraceWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing as a test: mutants of a real recorded bug reproducer (patch 002 before, a double enqueue)
 * must each be refused in one line, or analysed to exactly the original's findings, or say that
 * the trace is incomplete. A complete-looking trace with other findings is a silent difference: the
 * one outcome that must never happen. Mutations: bit flips and byte writes anywhere (mostly in the
 * records), truncations, record-header and block-field changes, block reordering, and crafted
 * changes whose checksum is recomputed (those test the bounds; a crafted file may be a valid trace
 * with other findings, so it only has to be refused or analysed without failing).
 *
 * <p>Short by default (-Dsmptrace.fuzz.tries=400); the long run and its figures are in docs/trace-format.md.
 */
class TraceFuzzIT {
    static final int TRIES = Integer.getInteger("smptrace.fuzz.tries", 400);
    static final long SEED = Long.getLong("smptrace.fuzz.seed", 13);

    @TempDir
    static Path tmp;
    static Path original;
    static byte[] queue;
    static String queueName;
    static List<String> findings;

    @BeforeAll
    static void recordTheReproducer() throws Exception {
        original = tmp.resolve("orig");
        CliBadInputTest.Run rec = CliBadInputTest.cli("record", "--patch", "002", "--variant", "before", "--seed", "4",
                "--out", original.toString());
        assertEquals(0, rec.exit(), rec.err());
        Path q;
        try (Stream<Path> s = Files.list(original)) {
            q = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        queueName = q.getFileName().toString();
        queue = Files.readAllBytes(q);
        Outcome o = analyze(original);
        assertTrue(o.complete, "the recording is complete");
        findings = o.findings;
        assertFalse(findings.isEmpty(), "the reproducer has findings");
    }

    record Outcome(boolean complete, List<String> findings, String detail) { }

    static Outcome analyze(Path dir) throws TraceException {
        try (TraceReader r = TraceReader.open(dir)) {
            AnalysisResult a = new Analyzer(smptrace.analysis.Options.defaults()).analyze(r);
            List<String> fs = new ArrayList<>();
            for (Finding f : a.findings()) {
                fs.add(f.kind.id + " " + f.rule + " " + f.fingerprint + (f.tolerated ? " tolerated" : ""));
            }
            fs.sort(null);
            return new Outcome(a.end().complete(), fs, a.end().detail());
        }
    }

    // ---- the queue file's framing --------------------------------------------------------------

    static int readInt(byte[] a, int at) {
        return (a[at] & 0xff) | (a[at + 1] & 0xff) << 8 | (a[at + 2] & 0xff) << 16 | (a[at + 3] & 0xff) << 24;
    }

    static void writeInt(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
        a[at + 2] = (byte) (v >>> 16);
        a[at + 3] = (byte) (v >>> 24);
    }

    /** Excerpt header positions: data records only, or all. */
    static List<Integer> records(byte[] a, boolean dataOnly) {
        List<Integer> out = new ArrayList<>();
        int pos = 0;
        while (pos + 4 <= a.length) {
            int h = readInt(a, pos);
            if (h == 0 || (h & 0x80000000) != 0) {
                break;
            }
            if (!dataOnly || (h & 0x40000000) == 0) {
                out.add(pos);
            }
            pos = (pos + 4 + (h & 0x3FFFFFFF) + 3) & ~3;
        }
        return out;
    }

    static int end(byte[] a, int header) {
        return (header + 4 + (readInt(a, header) & 0x3FFFFFFF) + 3) & ~3;
    }

    static List<Integer> blocks(byte[] a) {
        List<Integer> out = new ArrayList<>();
        for (int h : records(a, true)) {
            if (a[h + 4] == TraceFormat.DOC_BLOCK) {
                out.add(h);
            }
        }
        return out;
    }

    /** Recomputes the checksum of the record at header h (a crafted file has a valid one). */
    static void fixCrc(byte[] a, int h) {
        int len = readInt(a, h) & 0x3FFFFFFF;
        CRC32C c = new CRC32C();
        c.update(a, h + 4, len - 4);
        writeInt(a, h + 4 + len - 4, (int) c.getValue());
    }

    /** The file with the record at h replaced by one holding these bytes (kind onward, checksum recomputed). */
    static byte[] replaceRecord(byte[] a, int h, byte[] body) {
        int newLen = body.length + 4;
        byte[] rec = new byte[(4 + newLen + 3) & ~3];
        writeInt(rec, 0, newLen);
        System.arraycopy(body, 0, rec, 4, body.length);
        CRC32C c = new CRC32C();
        c.update(body, 0, body.length);
        writeInt(rec, 4 + body.length, (int) c.getValue());
        int oldEnd = end(a, h);
        byte[] out = new byte[h + rec.length + (a.length - oldEnd)];
        System.arraycopy(a, 0, out, 0, h);
        System.arraycopy(rec, 0, out, h, rec.length);
        System.arraycopy(a, oldEnd, out, h + rec.length, a.length - oldEnd);
        return out;
    }

    // ---- mutations ------------------------------------------------------------------------------

    /** One mutant; crafted[0] says whether its checksums were made valid. */
    static byte[] mutate(Random rnd, boolean[] crafted, String[] what) {
        byte[] a = queue.clone();
        List<Integer> data = records(a, true);
        int dataStart = data.get(0);
        List<Integer> bl = blocks(a);
        crafted[0] = false;
        switch (rnd.nextInt(9)) {
            case 0: { // one bit, mostly in the records
                int i = rnd.nextInt(10) < 8 ? dataStart + rnd.nextInt(a.length - dataStart) : rnd.nextInt(a.length);
                a[i] ^= (byte) (1 << rnd.nextInt(8));
                what[0] = "bit flip at " + i;
                return a;
            }
            case 1: {
                int i = dataStart + rnd.nextInt(a.length - dataStart);
                a[i] = (byte) rnd.nextInt(256);
                what[0] = "byte write at " + i;
                return a;
            }
            case 2: {
                int n = rnd.nextInt(a.length);
                what[0] = "truncated to " + n;
                return Arrays.copyOf(a, n);
            }
            case 3: { // a record header's length
                int h = data.get(rnd.nextInt(data.size()));
                int v = readInt(a, h);
                int nv = rnd.nextBoolean() ? v ^ (1 << rnd.nextInt(32)) : (v & 0xC0000000) | rnd.nextInt(1 << 17);
                writeInt(a, h, nv);
                what[0] = "record header at " + h + " " + Integer.toHexString(v) + " -> " + Integer.toHexString(nv);
                return a;
            }
            case 4: { // a block's thread, firstSeq, count or len field
                int h = bl.get(rnd.nextInt(bl.size()));
                int field = h + 5 + 4 * rnd.nextInt(5);
                writeInt(a, field, rnd.nextBoolean() ? readInt(a, field) + rnd.nextInt(5) - 2 : rnd.nextInt());
                what[0] = "block field at " + field;
                return a;
            }
            case 5: { // two blocks swap places
                int i = rnd.nextInt(bl.size());
                int j = rnd.nextInt(bl.size());
                if (i == j) {
                    j = (i + 1) % bl.size();
                }
                int x = Math.min(bl.get(i), bl.get(j));
                int y = Math.max(bl.get(i), bl.get(j));
                if (x == y) {
                    what[0] = "no swap";
                    return a;
                }
                byte[] rx = Arrays.copyOfRange(a, x, end(a, x));
                byte[] ry = Arrays.copyOfRange(a, y, end(a, y));
                byte[] mid = Arrays.copyOfRange(a, end(a, x), y);
                byte[] out = new byte[a.length];
                System.arraycopy(a, 0, out, 0, x);
                int p = x;
                System.arraycopy(ry, 0, out, p, ry.length);
                p += ry.length;
                System.arraycopy(mid, 0, out, p, mid.length);
                p += mid.length;
                System.arraycopy(rx, 0, out, p, rx.length);
                p += rx.length;
                System.arraycopy(a, end(a, y), out, p, a.length - end(a, y));
                what[0] = "blocks at " + x + " and " + y + " swapped";
                return out;
            }
            case 6: { // crafted: a payload byte changed, checksum recomputed
                crafted[0] = true;
                int h = bl.get(rnd.nextInt(bl.size()));
                int len = readInt(a, h) & 0x3FFFFFFF;
                int i = h + 4 + TraceFormat.BLOCK_HEAD + rnd.nextInt(len - TraceFormat.BLOCK_HEAD - 4);
                a[i] = (byte) rnd.nextInt(256);
                fixCrc(a, h);
                what[0] = "crafted payload byte at " + i;
                return a;
            }
            case 7: { // crafted: a block field changed, checksum recomputed
                crafted[0] = true;
                int h = bl.get(rnd.nextInt(bl.size()));
                int field = h + 5 + 4 * rnd.nextInt(5);
                writeInt(a, field, rnd.nextBoolean() ? Integer.MAX_VALUE - rnd.nextInt(3) : rnd.nextInt());
                fixCrc(a, h);
                what[0] = "crafted block field at " + field;
                return a;
            }
            default: { // crafted: a dictionary record's id, checksum recomputed
                crafted[0] = true;
                List<Integer> dict = new ArrayList<>();
                for (int h : data) {
                    byte k = a[h + 4];
                    if (k == TraceFormat.DOC_SITE || k == TraceFormat.DOC_FIELD || k == TraceFormat.DOC_CLASS || k == TraceFormat.DOC_THREAD) {
                        dict.add(h);
                    }
                }
                int h = dict.get(rnd.nextInt(dict.size()));
                writeInt(a, h + 5, rnd.nextBoolean() ? Integer.MAX_VALUE : rnd.nextInt(1 << 20));
                fixCrc(a, h);
                what[0] = "crafted dictionary id at " + h;
                return a;
            }
        }
    }

    @Test
    void everyMutantIsRefusedInOneLineOrAnalysedToTheOriginalsFindingsOrSaysItIsIncomplete() throws Exception {
        long refused = 0;
        long same = 0;
        long stated = 0;
        long crafted = 0;
        List<String> silent = new ArrayList<>();
        Random rnd = new Random(SEED);
        boolean[] isCrafted = new boolean[1];
        String[] what = new String[1];
        for (int i = 0; i < TRIES; i++) {
            byte[] m = mutate(rnd, isCrafted, what);
            Path d = tmp.resolve("m");
            Files.createDirectories(d);
            Files.write(d.resolve(queueName), m);
            try {
                Outcome o = analyze(d);
                if (isCrafted[0]) {
                    crafted++;
                } else if (!o.complete) {
                    assertFalse(o.detail.isBlank(), what[0]);
                    stated++;
                } else if (o.findings.equals(findings)) {
                    same++;
                } else {
                    silent.add(what[0] + ": " + o.findings);
                }
            } catch (TraceException e) {
                String msg = e.getMessage();
                assertTrue(msg.chars().noneMatch(c -> c < 0x20), what[0] + ": " + msg);
                assertTrue(msg.length() < 500, msg);
                refused++;
            } catch (RuntimeException | Error e) {
                fail(what[0] + ": " + e, e);
            } finally {
                Files.delete(d.resolve(queueName));
            }
        }
        System.out.printf("trace fuzz (seed %d): %d mutants of a %d-byte trace: %d refused, %d analysed to the same findings, "
                + "%d stated incomplete, %d crafted and accepted, %d silent differences%n",
                SEED, TRIES, queue.length, refused, same, stated, crafted, silent.size());
        assertEquals(List.of(), silent, "silent differences");
        assertTrue(refused > TRIES / 4, "most damage is refused: " + refused);
    }

    // ---- crafted files in a small heap ------------------------------------------------------------

    /** Runs `smptrace analyze` on dir in a child JVM with 100 MB of heap. */
    static CliBadInputTest.Run analyzeIn100Mb(Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Launcher.javaBinary());
        cmd.addAll(Launcher.chronicleFlags());
        cmd.add("-Xmx100m");
        cmd.add("-cp");
        cmd.add(Paths.get("target/smptrace-cli.jar").toAbsolutePath().toString());
        cmd.add("smptrace.cli.Main");
        cmd.add("analyze");
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new CliBadInputTest.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** A trace of one block whose payload is the given bytes (valid checksums). */
    static Path craftedPayload(String name, byte[] payload, int count) throws IOException {
        Path t = tmp.resolve(name);
        try (TraceWriter w = new TraceWriter(t, Map.of("scenario", "crafted"))) {
            w.addClass("smptrace.demo.Mailbox");
            int th = w.addThread("t", 1);
            w.writeBlock(th, 0, count, payload, payload.length);
        }
        return t;
    }

    @Test
    void craftedHugeFieldsAreRefusedWithin100MbOfHeap() throws Exception {
        // a NAME whose text length says 2^40 bytes
        byte[] name = {(byte) EventKind.NAME.code, 0, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
        // an ALLOC of object 2^40
        byte[] alloc = {(byte) EventKind.ALLOC.code, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, 0};
        // a TASK_ON_CPU naming CPU 2^30
        byte[] cpu = {(byte) EventKind.TASK_ON_CPU.code, 0, 2, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        for (Path t : List.of(craftedPayload("name", name, 1), craftedPayload("alloc", alloc, 1), craftedPayload("cpu", cpu, 1))) {
            CliBadInputTest.Run r = analyzeIn100Mb(t);
            assertEquals(2, r.exit(), t + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("corrupt trace"), r.err());
        }
        // the largest ids the format allows, many of them: memory follows the content, not the ids
        BlockEncoder b = new BlockEncoder() { };
        int n = 0;
        for (int i = 0; i < 2000; i++) {
            b.control(EventKind.ALLOC, 0, Integer.MAX_VALUE - i, 0);
            b.control(EventKind.TASK_ON_CPU, 0, TraceFormat.MAX_TASK - i, TraceFormat.MAX_CPUS - 1 - i);
            b.control(EventKind.IPI_SEND, 0, TraceFormat.MAX_CPUS - 1 - i, i);
            n += 3;
            if (b.full()) {
                break;
            }
        }
        Path big = craftedPayload("largest", Arrays.copyOf(b.buffer(), b.position()), n);
        CliBadInputTest.Run r = analyzeIn100Mb(big);
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("out of memory"), r.err());
        // no memory access among them: "nothing was checked" (exit 4) is the honest answer
        assertTrue(r.exit() == 0 || r.exit() == 1 || r.exit() == 4, r.out() + r.err());
    }
}

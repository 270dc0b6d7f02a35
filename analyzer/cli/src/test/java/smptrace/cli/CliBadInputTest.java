package smptrace.cli;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smptrace.trace.BlockEncoder;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.TraceFormat;
import smptrace.trace.TraceWriter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliBadInputTest {
    record Run(int exit, String out, String err) { }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main().run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneLineError(Run r, String contains) {
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    /** A small valid trace: two events of one thread, closed properly unless {@code close} is false. */
    static Path validTrace(Path dir, boolean close) throws Exception {
        Path t = dir.resolve("trace");
        TraceWriter w = new TraceWriter(t, Map.of("scenario", "unit"));
        int th = w.addThread("t0", 1);
        w.addField("smptrace.demo.Mailbox", "flag", "I");
        BlockEncoder b = new BlockEncoder() { };
        for (int i = 1; i <= 1000; i++) {
            b.write(EventKind.W_ONCE, 0, Event.loc(3, 0), i, i, 0);
        }
        w.writeBlock(th, 0, 1000, b.buffer(), b.position());
        if (close) {
            w.close();
        }
        return t;
    }

    @Test
    void aTraceWithoutAMemoryAccessIsNothingCheckedNeverClean(@TempDir Path dir) throws Exception {
        // only control events (a task going on a CPU, a mark): what a user's program out of the agent's scope leaves
        Path t = dir.resolve("trace");
        try (TraceWriter w = new TraceWriter(t, Map.of("scenario", "unit"))) {
            int th = w.addThread("t0", 1);
            BlockEncoder b = new BlockEncoder() { };
            b.control(EventKind.TASK_ON_CPU, 0, 1, 0);
            b.control(EventKind.MARK, 0, 7, 0);
            w.writeBlock(th, 0, 2, b.buffer(), b.position());
        }
        Run r = cli("analyze", t.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("clean: no findings"), r.out());
        assertTrue(r.out().contains("nothing checked"), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("nothing was checked"), r.err());
    }

    @Test
    void aMissingTraceIsOneLineAndExitTwo(@TempDir Path dir) {
        assertOneLineError(cli("dump", dir.resolve("missing").toString()), "does not exist");
    }

    @Test
    void anEmptyDirectoryIsNotATrace(@TempDir Path dir) {
        assertOneLineError(cli("dump", dir.toString()), "no queue file");
    }

    @Test
    void aCorruptQueueFileIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("20260101F.cq4"), "this is not a chronicle queue".getBytes(StandardCharsets.UTF_8));
        assertOneLineError(cli("dump", dir.toString()), "corrupt trace");
    }

    @Test
    void aTraceOfAnotherFormatVersionIsRefusedByName(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("v99");
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(t.toFile()).build(); ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().writeByte(TraceFormat.DOC_HEADER);
                dc.wire().bytes().writeUtf8("magic=smptrace\nformat.version=99\n");
            }
        }
        assertOneLineError(cli("dump", t.toString()), "unsupported trace format version 99");
    }

    @Test
    void aQueueThatIsNotAnSmptraceTraceIsRefused(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("other");
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(t.toFile()).build(); ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().writeUtf8("hello");
            }
        }
        assertOneLineError(cli("dump", t.toString()), "not an smptrace trace");
    }

    @Test
    void aTruncatedQueueFileGivesOneLineOrACutShortReadNeverAStackTrace(@TempDir Path dir) throws Exception {
        Path t = validTrace(dir, true);
        Path cq4;
        try (var s = Files.list(t)) {
            cq4 = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(cq4.toFile(), "rw")) {
            f.setLength(70_000); // inside the header and index area Chronicle lays out first
        }
        Run r = cli("dump", t.toString());
        assertFalse(r.err().contains("\tat "), r.err());
        if (r.exit() == 2) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
        } else {
            assertEquals(3, r.exit(), "a cut short trace is never 'complete': " + r.err());
            assertTrue(r.out().contains("events replayed"), r.out());
        }
    }

    @Test
    void anUnfinishedTraceIsDumpedAndSaidToBeCutShort(@TempDir Path dir) throws Exception {
        Path t = validTrace(dir, false);
        Run r = cli("dump", t.toString(), "--limit", "3");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.out().contains("cut short"), r.out());
        assertTrue(r.out().contains("1000 events replayed"), r.out());
    }

    @Test
    void wrongOptionsAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        assertOneLineError(cli("dump", "--bogus"), "Unrecognized option");
        assertOneLineError(cli("dump", validTrace(dir, true).toString(), "--limit", "many"), "--limit takes a whole number");
        assertOneLineError(cli("frobnicate"), "unknown command");
        assertOneLineError(cli("record"), "missing --out");
        assertOneLineError(cli("record", "--out", dir.resolve("x").toString(), "--patch", "009", "--variant", "before"), "009");
        assertOneLineError(cli("bench", "--runs", "0"), "--runs must be between");
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"record", "dump", "bench", "scenarios"}) {
            Run r = cli(c, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("usage: smptrace " + c), r.out());
        }
        Run all = cli("--help");
        assertEquals(0, all.exit());
        assertTrue(all.out().contains("Exit codes"), all.out());
    }
}

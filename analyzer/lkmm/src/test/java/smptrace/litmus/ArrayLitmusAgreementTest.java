package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * herd7's C arrays: hand-written tests ({@code litmus/arrays/}, herd7's verdict and execution counts
 * in each header: cells at byte offsets of their element type, {@code a[k]} scaled as a location and
 * unscaled as a value, addresses outside every cell with no initial write, vectors in the condition,
 * final values cut to the cell's type) and the array corpus made from the diy7 corpus
 * ({@link ArrayCorpus}); both must agree with herd7 exactly. What herd7 itself refuses is refused
 * with the construct named.
 */
class ArrayLitmusAgreementTest {
    static final Path ARRAYS = Path.of("src/test/resources/litmus/arrays");
    static final Path CORPUS = ARRAYS.resolve("lkmm-arrays.litmus.gz");
    private static final Pattern COUNTS = Pattern.compile("Positive: (\\d+) Negative: (\\d+)");
    private final LitmusCommand command = new LitmusCommand();
    private final LitmusParser parser = new LitmusParser();

    @TestFactory
    Stream<DynamicTest> handWrittenArrayTestsAgreeWithHerd7IncludingExecutionCounts() {
        List<Path> files = LitmusCorpus.files(ARRAYS);
        assertTrue(files.size() >= 40, "only " + files.size() + " array tests");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            LitmusCommand.Row row = command.decide(f);
            assertEquals(Boolean.TRUE, row.agrees(),
                row.test() + ": herd7 says " + row.expected() + ", decided " + row.decision().resultText());
            Matcher m = COUNTS.matcher(Files.readString(f));
            assertTrue(m.find(), "no herd7 counts in " + f);
            assertEquals(Long.parseLong(m.group(1)), row.decision().positive(), "positive executions");
            assertEquals(Long.parseLong(m.group(2)), row.decision().negative(), "negative executions");
        }));
    }

    @Test
    void everyTestOfTheArrayCorpusAgreesWithHerd7IncludingExecutionCounts() throws IOException {
        List<String> tests = PackedCorpus.unpack(CORPUS);
        assertTrue(tests.size() >= 900, "only " + tests.size() + " tests");
        for (String primitive : new String[] {"smp_mb()", "smp_store_release(", "smp_load_acquire(", "xchg",
            "spin_lock(", "rcu_read_lock()", " ^ ", "if (", "char ar", "short ar", "atomic_t ar", "ar1["}) {
            assertTrue(tests.stream().filter(t -> t.contains(primitive)).count() >= 10, primitive);
        }
        LitmusDecider decider = new LitmusDecider();
        StringBuilder bad = new StringBuilder();
        int disagree = 0;
        for (String t : tests) {
            String why = DiyCorpus.compare(t, parser, decider, new long[1]);
            if (why != null && disagree++ < 20) {
                bad.append(t, 2, t.indexOf('\n')).append(": ").append(why).append('\n');
            }
        }
        System.out.println("array corpus: " + (tests.size() - disagree) + "/" + tests.size() + " agree with herd7");
        assertEquals(0, disagree, bad.toString());
    }

    @Test
    void anArrayTestPrintedBackDecidesTheSame() throws IOException {
        LitmusWriter writer = new LitmusWriter();
        LitmusDecider decider = new LitmusDecider();
        for (Path f : LitmusCorpus.files(ARRAYS)) {
            LitmusTest t = parser.parse(Files.readString(f));
            String text = writer.write(t, null);
            Decision a = decider.decide(t);
            Decision b = decider.decide(parser.parse(text));
            assertEquals(a.positive() + "/" + a.negative(), b.positive() + "/" + b.negative(), text);
        }
    }

    @Test
    void theArrayDeclarationIsPrintedInHerd7sSyntax() {
        LitmusTest t = parser.parse("C t\n{ char e[2] = {1, 2}; int x = 7; int *p = e[1]; }\n"
            + "P0(char *e) { WRITE_ONCE(*(e + 1), 3); }\nexists (e[1]=3 /\\ p=e[1])\n");
        String text = new LitmusWriter().write(t, null);
        assertTrue(text.contains("char e[2] = {1, 2};"), text);
        assertTrue(text.contains("p=e[1];"), text);
        assertTrue(text.contains("e[1]=3"), text);
    }

    private void refused(Class<? extends RuntimeException> kind, String text, String named) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            LitmusTest t = parser.parse(text);
            Decision d = new LitmusDecider().decide(t);
            throw new UnsupportedLitmusException(d.unsupported() == null ? "decided " + d.resultText() : d.unsupported());
        });
        assertEquals(kind, e.getClass(), e.getMessage());
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void whatHerd7RefusesIsRefusedWithTheConstructNamed() {
        String u = "P0(int *a) { WRITE_ONCE(*(a + 4), 1); }\nexists (a[1]=1)\n";
        // herd7: "unexpected 'u32'", "Declared size of array a does not match", "Out of bounds access on
        // array a", "mask 32 bit value 0x0 with quad mask", "unexpected 'ATOMIC_INIT'", "Lex error",
        // "mixed-size test rejected (symbol [a+1])"
        refused(UnsupportedLitmusException.class, "C t\n{ u32 a[2]; }\n" + u, "arrays of u32");
        refused(LitmusSyntaxException.class, "C t\n{ int a[2] = {1}; }\n" + u, "declared size of array a (2)");
        refused(LitmusSyntaxException.class, "C t\n{ int a[2]; }\nP0(int *a) { WRITE_ONCE(*a, 1); }\n"
            + "exists (a[2]=0)\n", "out of bounds access on array a");
        refused(UnsupportedLitmusException.class, "C t\n{ int64_t a[2]; }\n" + u, "arrays of int64_t");
        refused(UnsupportedLitmusException.class, "C t\n{ atomic_t a[1] = {ATOMIC_INIT(1)}; }\n" + u,
            "ATOMIC_INIT inside the initial value of array a");
        refused(UnsupportedLitmusException.class, "C t\n{ int a[2]; }\nP0(int *a) { WRITE_ONCE(a[1], 1); }\n"
            + "exists (a[1]=1)\n", "array indexing a[...] in a process");
        refused(UnsupportedLitmusException.class, "C t\n{ int a[2]; }\nP0(int *a) { int r0; r0 = READ_ONCE(*(a + 1)); }\n"
            + "exists (0:r0=0)\n", "a read of a+1 in P0");
        refused(LitmusSyntaxException.class, "C t\n{ int a[2]; a[1] = 2; }\n" + u, "cannot be initialised alone");
        refused(UnsupportedLitmusException.class, "C t\n{ int a[2]; }\nP0(int *a) { int b[2]; }\nexists (a[1]=1)\n",
            "array declaration b[...] in a process");
        refused(UnsupportedLitmusException.class, "C t\n{ int x; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\n"
            + "exists (x[1]=1)\n", "x is not an array");
    }
}

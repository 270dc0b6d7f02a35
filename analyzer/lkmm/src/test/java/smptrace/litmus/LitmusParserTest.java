package smptrace.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** herd7's C front end for the LKMM: what it accepts is parsed, what is outside is refused by name. */
class LitmusParserTest {
    private final LitmusParser parser = new LitmusParser();

    private static final String DIY_HEADER = "C MP+diy\n"
        + "\"PodWWONCERELEASE RfeRELEASEACQUIRE PodRRACQUIREONCE FreONCEONCE\"\n"
        + "Cycle=RfeRELEASEACQUIRE PodRRACQUIREONCE FreONCEONCE PodWWONCERELEASE\n"
        + "Relax=\nSafe=RfeRELEASEACQUIRE\nGenerator=diyone7 (version 7.58)\n"
        + "Prefetch=0:x=F,0:y=W,1:y=F,1:x=T\nCom=Rf Fr\nOrig=PodWWONCERELEASE RfeRELEASEACQUIRE\n"
        + "{\n}\n\nP0(int *x, int *y)\n{\n\tWRITE_ONCE(*x, 1);\n\tsmp_store_release(y, 1);\n}\n\n"
        + "P1(int *x, int *y)\n{\n\tint r0; int r1;\n\tr0 = smp_load_acquire(y);\n\tr1 = READ_ONCE(*x);\n}\n\n"
        + "exists (1:r0=1 /\\ 1:r1=0)\n";

    @Test
    void diy7HeaderLinesAreSkippedAsHerd7SkipsThem() {
        LitmusTest t = parser.parse(DIY_HEADER);
        assertEquals("MP+diy", t.name());
        assertEquals(2, t.threads().size());
        assertEquals(Decision.Verdict.NEVER, new LitmusDecider().decide(t).verdict());
    }

    @Test
    void aTestOfAnotherArchitectureIsRefusedByItsArchitecture() {
        UnsupportedLitmusException e = assertThrows(UnsupportedLitmusException.class,
            () -> parser.parse("LISA MP\n{\n}\n P0 | P1 ;\n w[once] x 1 | r[once] r0 y ;\nexists (1:r0=1)\n"));
        assertTrue(e.getMessage().contains("LISA"), e.getMessage());
    }

    @Test
    void constructsOutsideTheDialectAreRefusedByName() {
        String[][] cases = {
            {"\tfor (;;) { }\n", "'for' statements"},
            {"\treturn;\n", "'return' statements"},
            {"\tr0 = try_cmpxchg(x, 0, 1);\n", "primitive try_cmpxchg"},
        };
        for (String[] c : cases) {
            String text = "C t\n{}\nP0(int *x)\n{\n\tint r0;\n" + c[0] + "}\nexists (x=1)\n";
            UnsupportedLitmusException e = assertThrows(UnsupportedLitmusException.class, () -> parser.parse(text));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        // herd7's C lexer has no '[': a process reaches a cell by pointer arithmetic
        UnsupportedLitmusException indexing = assertThrows(UnsupportedLitmusException.class,
            () -> parser.parse("C t\n{ int x[2]; }\nP0(int *x)\n{\n\tWRITE_ONCE(x[1], 1);\n}\nexists (x[1]=1)\n"));
        assertTrue(indexing.getMessage().contains("array indexing x[...] in a process"), indexing.getMessage());
    }

    @Test
    void aTestWithoutAConditionIsForallTrue() {
        LitmusTest t = parser.parse("C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\n");
        assertEquals(Condition.Quantifier.FORALL, t.condition().quantifier());
        assertEquals(Decision.Verdict.ALWAYS, new LitmusDecider().decide(t).verdict());
    }

    @Test
    void aDecisionPastItsTimeLimitIsATimeoutNotAVerdict() throws IOException {
        List<String> tests;
        try (InputStream in = Files.newInputStream(Path.of(DiyCorpusAgreementTest.CORPUS))) {
            tests = DiyCorpus.unpack(in);
        }
        String big = tests.stream().filter(t -> t.startsWith("C r-R0783+v\n")).findFirst().orElseThrow(); // 512 candidates
        Decision d = new LitmusDecider().decide(parser.parse(big), null, 1);
        assertEquals(Decision.Verdict.TIMEOUT, d.verdict());
        assertEquals("TIMEOUT", d.verdictText());
        assertTrue(!LitmusCommand.agrees("Sometimes", d) && !LitmusCommand.agrees("Never", d));
    }
}

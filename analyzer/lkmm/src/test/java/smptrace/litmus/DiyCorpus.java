package smptrace.litmus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The differential corpus made from diy7's critical cycles of the LKMM's relations.
 *
 * <p>diy7 ({@code -bell linux-kernel.bell}) writes its cycles as LISA tests: {@code r[ONCE] r0 x},
 * {@code w[RELEASE] y 1}, {@code f[mb]}, {@code mov r1 (xor r0 r0)}, {@code b[] r1 LC00}. This
 * class translates each into the C dialect the way the kernel writes the same shape (READ_ONCE,
 * smp_store_release, smp_mb(), an address dependency through {@code x + (r0 ^ r0)}, a control
 * dependency as an {@code if} whose two arms hold the rest of the process), and, seeded, derives
 * variants that bring in what diy7's LISA cycles cannot express: atomic RMWs in place of marked
 * accesses (xchg, cmpxchg, atomic_fetch_add, their ordering variants) and spinlock critical
 * sections around a process's accesses (with smp_mb__after_spinlock). herd7 then decides every
 * test once; {@link #pack} keeps each test with herd7's verdict, flags and execution counts in one
 * gzip file, which the suite reads ({@code DiyCorpusAgreementTest}) with no OCaml tool.
 *
 * <pre>
 *   translate LISA_DIR C_DIR SEED       LISA tests from diy7 to C (plus seeded variants)
 *   pack C_DIR HERD_OUTPUT CORPUS.gz    join the C tests with herd7's output
 * </pre>
 * The full recipe (the diy7 command lines and herd7's options) is {@code docs/lkmm-module.md}.
 */
public final class DiyCorpus {
    /** Separates tests in the packed corpus. */
    static final String SEPARATOR = PackedCorpus.SEPARATOR;

    private final Random rnd;

    DiyCorpus(long seed) {
        this.rnd = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "cycles" -> cycles(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "translate" -> translateAll(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]));
            case "pack" -> pack(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "check" -> check(Path.of(args[1]));
            case "time" -> {
                for (int i = 1; i < args.length; i++) {
                    LitmusTest t = new LitmusParser().parse(Files.readString(Path.of(args[i])));
                    for (int rep = 0; rep < 3; rep++) {
                        long t0 = System.nanoTime();
                        Decision d = new LitmusDecider().decide(t);
                        System.out.printf("%s %s %d/%d candidates %d: %d ms%n", t.name(), d.resultText(), d.positive(),
                            d.negative(), d.candidates(), (System.nanoTime() - t0) / 1_000_000);
                    }
                }
            }
            default -> throw new IllegalArgumentException("translate | pack");
        }
    }

    // ---- critical cycles for diyone7 ----------------------------------------------------------

    /** An edge of a cycle in diy7's words, with the direction and annotation at each end. */
    private record Edge(String name, char srcDir, String srcAnn, char dstDir, String dstAnn) {
    }

    private static final String[] FENCE_NAMES = {"MB", "MB", "MB", "Rmb", "Wmb", "Barrier", "Sync-rcu", "Sync-rcu",
        "Rcu-lock", "Rcu-lock", "Rcu-unlock", "Before-atomic", "After-atomic"};

    private static List<Edge> intraEdges() {
        List<Edge> out = new ArrayList<>();
        String[] anns = {"ONCE", "ONCE", "ONCE", "ACQUIRE", "RELEASE", "P"};
        for (char s : new char[] {'R', 'W'}) {
            for (char d : new char[] {'R', 'W'}) {
                for (String sa : anns) {
                    for (String da : anns) {
                        if (!fits(s, sa) || !fits(d, da)) {
                            continue;
                        }
                        out.add(new Edge("Pod" + s + d + sa + da, s, sa, d, da));
                    }
                }
                for (String f : FENCE_NAMES) {
                    out.add(new Edge("Fence" + f + "d" + s + d + "ONCEONCE", s, "ONCE", d, "ONCE"));
                }
                if (s == 'R') {
                    out.add(new Edge("DpAddrd" + d + "ONCEONCE", s, "ONCE", d, "ONCE"));
                    out.add(new Edge("DpCtrld" + d + "ONCEONCE", s, "ONCE", d, "ONCE"));
                    if (d == 'W') {
                        out.add(new Edge("DpDatadWONCEONCE", s, "ONCE", d, "ONCE"));
                        out.add(new Edge("DpDatadWONCERELEASE", s, "ONCE", d, "RELEASE"));
                    }
                }
            }
        }
        return out;
    }

    private static boolean fits(char dir, String ann) {
        return !(dir == 'R' && ann.equals("RELEASE")) && !(dir == 'W' && ann.equals("ACQUIRE"));
    }

    private static List<Edge> comEdges() {
        List<Edge> out = new ArrayList<>();
        String[] wa = {"ONCE", "ONCE", "ONCE", "RELEASE", "RELEASE", "P"};
        String[] ra = {"ONCE", "ONCE", "ONCE", "ACQUIRE", "ACQUIRE", "P"};
        for (String w : wa) {
            for (String r : ra) {
                out.add(new Edge("Rfe" + w + r, 'W', w, 'R', r));
                out.add(new Edge("Fre" + r + w, 'R', r, 'W', w));
            }
            for (String w2 : wa) {
                out.add(new Edge("Coe" + w + w2, 'W', w, 'W', w2));
            }
        }
        return out;
    }

    /**
     * Prints {@code count} critical cycles, one a line, as diyone7 arguments: 2 to 8 processes,
     * each with one or two intra-process edges (po, a fence, a dependency) between communication
     * edges (rfe, fre, coe), annotations chained so that every event has one.
     */
    static void cycles(int count, long seed) {
        Random rnd = new Random(seed);
        List<Edge> intra = intraEdges();
        List<Edge> com = comEdges();
        Set<String> seen = new LinkedHashSet<>();
        int tries = 0;
        while (seen.size() < count && tries++ < count * 1000) {
            int procs = 2 + rnd.nextInt(7);
            List<Edge> cycle = new ArrayList<>();
            Edge first = intra.get(rnd.nextInt(intra.size()));
            Edge last = first;
            cycle.add(first);
            boolean ok = true;
            for (int p = 0; p < procs && ok; p++) {
                if (p > 0) {
                    Edge e = pickFrom(rnd, intra, last.dstDir(), last.dstAnn());
                    if (e == null) {
                        ok = false;
                        break;
                    }
                    cycle.add(e);
                    last = e;
                }
                if (rnd.nextInt(5) == 0) { // a third access in this process
                    Edge e = pickFrom(rnd, intra, last.dstDir(), last.dstAnn());
                    if (e != null) {
                        cycle.add(e);
                        last = e;
                    }
                }
                List<Edge> closing = new ArrayList<>();
                for (Edge c : com) {
                    if (c.srcDir() == last.dstDir() && c.srcAnn().equals(last.dstAnn())
                        && (p < procs - 1 || c.dstDir() == first.srcDir() && c.dstAnn().equals(first.srcAnn()))) {
                        closing.add(c);
                    }
                }
                if (closing.isEmpty()) {
                    ok = false;
                    break;
                }
                Edge c = closing.get(rnd.nextInt(closing.size()));
                cycle.add(c);
                last = c;
            }
            if (!ok) {
                continue;
            }
            String line = cycle.stream().map(Edge::name).collect(Collectors.joining(" "));
            if (seen.add(line)) {
                System.out.println(line);
            }
        }
    }

    private static Edge pickFrom(Random rnd, List<Edge> edges, char dir, String ann) {
        List<Edge> ok = new ArrayList<>();
        for (Edge e : edges) {
            if (e.srcDir() == dir && e.srcAnn().equals(ann)) {
                ok.add(e);
            }
        }
        return ok.isEmpty() ? null : ok.get(rnd.nextInt(ok.size()));
    }

    // ---- translation --------------------------------------------------------------------------

    static void translateAll(Path lisaDir, Path outDir, long seed) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files;
        try (Stream<Path> s = Files.walk(lisaDir)) {
            files = s.filter(p -> p.toString().endsWith(".litmus")).sorted().collect(Collectors.toList());
        }
        DiyCorpus d = new DiyCorpus(seed);
        int written = 0;
        int skipped = 0;
        Set<String> names = new LinkedHashSet<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (!text.startsWith("LISA")) {
                continue;
            }
            Lisa t;
            try {
                t = Lisa.parse(text);
            } catch (IllegalArgumentException e) {
                skipped++;
                continue;
            }
            String dir = f.getParent().getFileName().toString();
            String base = dir + "-" + t.name;
            for (int variant = 0; variant < 2; variant++) {
                String c;
                try {
                    c = d.toC(t, base + (variant == 0 ? "" : "+v"), variant);
                } catch (IllegalArgumentException e) {
                    skipped++;
                    continue;
                }
                if (c == null || !names.add(base + variant)) {
                    continue;
                }
                Files.writeString(outDir.resolve(base + (variant == 0 ? "" : "+v") + ".litmus"), c,
                    StandardCharsets.UTF_8);
                written++;
            }
        }
        System.out.println(written + " C tests written to " + outDir + ", " + skipped + " skipped");
    }

    /** A LISA test as diy7 writes it: header lines, init, one column per process, the condition. */
    static final class Lisa {
        String name;
        String header = "";
        String init = "";
        List<List<String>> code = new ArrayList<>();
        String condition;

        static Lisa parse(String text) {
            Lisa t = new Lisa();
            String[] lines = text.split("\n");
            t.name = lines[0].substring(5).trim();
            int i = 1;
            StringBuilder hdr = new StringBuilder();
            while (i < lines.length && !lines[i].startsWith("{")) {
                hdr.append(lines[i]).append('\n');
                i++;
            }
            t.header = hdr.toString();
            StringBuilder init = new StringBuilder();
            i++;
            while (i < lines.length && !lines[i].startsWith("}")) {
                init.append(lines[i]).append(' ');
                i++;
            }
            t.init = init.toString().trim();
            i++;
            String[] procs = lines[i].replace(";", "").split("\\|");
            int n = procs.length;
            for (int p = 0; p < n; p++) {
                t.code.add(new ArrayList<>());
            }
            i++;
            StringBuilder cond = new StringBuilder();
            for (; i < lines.length; i++) {
                String l = lines[i];
                if (!l.contains("|") && !l.trim().endsWith(";") || l.startsWith("exists") || l.startsWith("~exists")
                    || l.startsWith("forall") || l.startsWith("locations") || l.startsWith("filter")) {
                    cond.append(l).append('\n');
                    continue;
                }
                String row = l.trim();
                if (row.endsWith(";")) {
                    row = row.substring(0, row.length() - 1);
                }
                String[] cols = row.split("\\|", -1);
                if (cols.length != n) {
                    throw new IllegalArgumentException("ragged row " + l);
                }
                for (int p = 0; p < n; p++) {
                    String ins = cols[p].trim();
                    if (!ins.isEmpty()) {
                        t.code.get(p).add(ins);
                    }
                }
            }
            t.condition = cond.toString().trim();
            return t;
        }
    }

    private static final Pattern READ = Pattern.compile("r\\[([^\\]]*)\\] (r\\d+) (\\S+)");
    private static final Pattern WRITE = Pattern.compile("w\\[([^\\]]*)\\] (\\S+) (\\S+)");
    private static final Pattern FENCE = Pattern.compile("f\\[([^\\]]*)\\]");
    private static final Pattern MOV = Pattern.compile("mov (r\\d+) \\((\\w+) (\\S+) (\\S+)\\)");
    private static final Pattern BRANCH = Pattern.compile("b\\[\\] (r\\d+) (\\w+)");
    private static final Map<String, String> FENCES = Map.ofEntries(Map.entry("mb", "smp_mb()"), Map.entry("MB", "smp_mb()"),
        Map.entry("rmb", "smp_rmb()"), Map.entry("wmb", "smp_wmb()"), Map.entry("barrier", "barrier()"),
        Map.entry("before-atomic", "smp_mb__before_atomic()"), Map.entry("after-atomic", "smp_mb__after_atomic()"),
        Map.entry("after-spinlock", "smp_mb__after_spinlock()"),
        Map.entry("after-unlock-lock", "smp_mb__after_unlock_lock()"),
        Map.entry("rcu-lock", "rcu_read_lock()"), Map.entry("rcu-unlock", "rcu_read_unlock()"),
        Map.entry("sync-rcu", "synchronize_rcu()"));
    private static final Map<String, String> OPS = Map.of("xor", "^", "add", "+", "eq", "==", "neq", "!=",
        "and", "&", "sub", "-", "or", "|");

    /**
     * The C test for {@code t}. Variant 0 is the plain translation; variant 1 replaces, at seeded
     * places, marked accesses by RMWs and puts one process's body in a critical section of a lock
     * another process also takes (null when the test has nothing to vary).
     */
    String toC(Lisa t, String name, int variant) {
        int n = t.code.size();
        List<Set<String>> params = new ArrayList<>();
        List<List<String>> bodies = new ArrayList<>();
        boolean varied = false;
        int lockers = 0;
        boolean[] locked = new boolean[n];
        if (variant == 1 && n >= 2 && rnd.nextInt(3) == 0) {
            int a = rnd.nextInt(n);
            int b = (a + 1 + rnd.nextInt(n - 1)) % n;
            locked[a] = true;
            locked[b] = rnd.nextBoolean();
            lockers = 2;
        }
        for (int p = 0; p < n; p++) {
            Set<String> ps = new LinkedHashSet<>();
            Set<String> regs = new LinkedHashSet<>();
            List<String> out = new ArrayList<>();
            boolean[] v = {false};
            translate(t.code.get(p), 0, ps, regs, out, 1, variant == 1, v);
            varied |= v[0];
            List<String> body = new ArrayList<>();
            for (String r : regs) {
                body.add("\tint " + r + ";");
            }
            if (t.code.get(p).stream().anyMatch(s -> s.startsWith("f[rcu-"))) {
                List<String> bracketed = new ArrayList<>();
                bracketed.add("\trcu_read_lock();");
                bracketed.addAll(out);
                bracketed.add("\trcu_read_unlock();");
                out = bracketed;
            }
            if (locked[p]) {
                ps.add("s");
                body.add("\tspin_lock(s);");
                if (rnd.nextBoolean()) {
                    body.add("\tsmp_mb__after_spinlock();");
                }
                for (String l : out) {
                    body.add("\t" + l);
                }
                body.add("\tspin_unlock(s);");
                varied = true;
            } else {
                body.addAll(out);
            }
            params.add(ps);
            bodies.add(body);
        }
        if (variant == 1 && !varied && lockers == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("C ").append(name).append('\n');
        sb.append(t.header);
        sb.append("{\n");
        for (String i : t.init.split(";")) {
            if (!i.isBlank()) {
                sb.append(' ').append(i.trim()).append(";\n");
            }
        }
        sb.append("}\n\n");
        for (int p = 0; p < n; p++) {
            sb.append('P').append(p).append('(');
            int k = 0;
            for (String l : params.get(p)) {
                sb.append(k++ > 0 ? ", " : "").append(l.equals("s") ? "spinlock_t *" : "int *").append(l);
            }
            sb.append(")\n{\n");
            for (String l : bodies.get(p)) {
                sb.append(l).append('\n');
            }
            sb.append("}\n\n");
        }
        sb.append(t.condition.replaceAll("\\[(\\w+)\\]", "$1")).append('\n');
        return sb.toString();
    }

    private void translate(List<String> code, int from, Set<String> params, Set<String> regs, List<String> out,
                           int depth, boolean vary, boolean[] varied) {
        String ind = "\t".repeat(depth);
        for (int i = from; i < code.size(); i++) {
            String ins = code.get(i);
            Matcher m;
            if ((m = READ.matcher(ins)).matches()) {
                String reg = m.group(2);
                regs.add(reg);
                String addr = address(m.group(3), params);
                String deref = addr.startsWith("(") ? "*" + addr : "*" + addr;
                String load = switch (m.group(1)) {
                    case "" -> deref;
                    case "ONCE" -> "READ_ONCE(" + deref + ")";
                    case "ACQUIRE" -> "smp_load_acquire(" + addr + ")";
                    default -> throw new IllegalArgumentException("read annotation " + m.group(1));
                };
                if (vary && !m.group(1).isEmpty() && rnd.nextInt(3) == 0) {
                    String sfx = m.group(1).equals("ACQUIRE") ? "_acquire" : pick("_relaxed", "_relaxed", "");
                    load = rnd.nextBoolean() ? "atomic_fetch_add" + sfx + "(0, " + addr + ")"
                        : "cmpxchg" + sfx + "(" + addr + ", " + rnd.nextInt(3) + ", " + rnd.nextInt(3) + ")";
                    varied[0] = true;
                }
                out.add(ind + reg + " = " + load + ";");
            } else if ((m = WRITE.matcher(ins)).matches()) {
                String addr = address(m.group(2), params);
                String val = m.group(3);
                if (val.matches("r\\d+")) {
                    regs.add(val);
                }
                String deref = "*" + addr;
                String store = switch (m.group(1)) {
                    case "" -> deref + " = " + val;
                    case "ONCE" -> "WRITE_ONCE(" + deref + ", " + val + ")";
                    case "RELEASE" -> "smp_store_release(" + addr + ", " + val + ")";
                    default -> throw new IllegalArgumentException("write annotation " + m.group(1));
                };
                if (vary && !m.group(1).isEmpty() && rnd.nextInt(3) == 0) {
                    String sfx = m.group(1).equals("RELEASE") ? "_release" : pick("_relaxed", "_relaxed", "", "_acquire");
                    String r = "r" + (90 + i);
                    regs.add(r);
                    store = r + " = xchg" + sfx + "(" + addr + ", " + val + ")";
                    varied[0] = true;
                }
                out.add(ind + store + ";");
            } else if ((m = FENCE.matcher(ins)).matches()) {
                // diy7's rcu-lock / rcu-unlock "fences" become well-nested read-side critical
                // sections: the process is one section (toC brackets it), split at an rcu-unlock
                if (m.group(1).equals("rcu-lock")) {
                    continue;
                }
                if (m.group(1).equals("rcu-unlock")) {
                    out.add(ind + "rcu_read_unlock();");
                    out.add(ind + "rcu_read_lock();");
                    continue;
                }
                String f = FENCES.get(m.group(1));
                if (f == null) {
                    throw new IllegalArgumentException("fence " + m.group(1));
                }
                out.add(ind + f + ";");
            } else if ((m = MOV.matcher(ins)).matches()) {
                String op = OPS.get(m.group(2));
                if (op == null) {
                    throw new IllegalArgumentException("operator " + m.group(2));
                }
                regs.add(m.group(1));
                out.add(ind + m.group(1) + " = " + operand(m.group(3), regs) + " " + op + " "
                    + operand(m.group(4), regs) + ";");
            } else if ((m = BRANCH.matcher(ins)).matches()) {
                // LISA's ctrl reaches every later instruction: both arms hold the rest of the process
                String label = m.group(2);
                int at = code.indexOf(label + ":");
                if (at < 0) {
                    throw new IllegalArgumentException("label " + label);
                }
                List<String> rest = new ArrayList<>(code.subList(i + 1, code.size()));
                rest.remove(label + ":");
                out.add(ind + "if (" + m.group(1) + ") {");
                translate(rest, 0, params, regs, out, depth + 1, false, varied);
                out.add(ind + "} else {");
                translate(rest, 0, params, regs, out, depth + 1, false, varied);
                out.add(ind + "}");
                return;
            } else if (ins.endsWith(":")) {
                continue;
            } else {
                throw new IllegalArgumentException("instruction " + ins);
            }
        }
    }

    private static String operand(String s, Set<String> regs) {
        if (s.matches("r\\d+")) {
            regs.add(s);
        }
        return s;
    }

    private static String address(String a, Set<String> params) {
        int plus = a.indexOf('+');
        if (plus < 0) {
            params.add(a);
            return a;
        }
        params.add(a.substring(0, plus));
        return "(" + a.substring(0, plus) + " + " + a.substring(plus + 1) + ")";
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    // ---- packing with herd7's verdicts ----------------------------------------------------------

    /** herd7's answer for one test. */
    record Herd(String verdict, long positive, long negative, String flags) {
    }

    /** Reads herd7's output: Test/Positive/Observation/Flag lines, per test name. */
    static Map<String, Herd> readHerd(List<String> lines) {
        Map<String, Herd> out = new LinkedHashMap<>();
        String test = null;
        long pos = -1;
        long neg = -1;
        Set<String> flags = new LinkedHashSet<>();
        Pattern counts = Pattern.compile("Positive: (\\d+) Negative: (\\d+)");
        for (String l : lines) {
            if (l.startsWith("Test ")) {
                test = l.split("\\s+")[1];
                pos = -1;
                neg = -1;
                flags.clear();
            } else if (l.startsWith("Flag ")) {
                flags.add(l.substring(5).trim());
            } else {
                Matcher m = counts.matcher(l);
                if (m.find()) {
                    pos = Long.parseLong(m.group(1));
                    neg = Long.parseLong(m.group(2));
                } else if (l.startsWith("Observation ") && test != null) {
                    String[] f = l.split("\\s+");
                    String v = pos == 0 && neg == 0 ? "DEADLOCK" : f[2];
                    out.put(f[1], new Herd(v, pos, neg, String.join(",", flags)));
                    test = null;
                }
            }
        }
        return out;
    }

    static void pack(Path cDir, Path herdOutput, Path corpus) throws IOException {
        Map<String, Herd> herd = readHerd(Files.readAllLines(herdOutput, StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> s = Files.list(cDir)) {
            files = s.filter(p -> p.toString().endsWith(".litmus")).sorted().collect(Collectors.toList());
        }
        Map<String, String> packed = new TreeMap<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String name = text.substring(2, text.indexOf('\n')).trim();
            Herd h = herd.get(name);
            if (h == null) {
                continue; // herd7 timed out or refused it: not test data
            }
            String result = h.verdict() + (h.flags().contains("data-race") ? " DATARACE" : "");
            String annotated = text.replaceFirst("\n", "\n(* Result: " + result + "\n * herd7: Positive: "
                + h.positive() + " Negative: " + h.negative() + (h.flags().isEmpty() ? "" : " Flags: " + h.flags())
                + " *)\n");
            packed.put(name, annotated);
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(corpus))) {
            for (String t : packed.values()) {
                o.write(t.getBytes(StandardCharsets.UTF_8));
                o.write((SEPARATOR + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        System.out.println(packed.size() + " tests with herd7's verdicts packed into " + corpus);
    }

    private static final Pattern HERD = Pattern.compile(
        "Result: (\\S+)( DATARACE)?\\n \\* herd7: Positive: (\\d+) Negative: (\\d+)");

    /** One test of the corpus decided and compared with herd7: null if it agrees, else why not. */
    static String compare(String text, LitmusParser parser, LitmusDecider decider, long[] millis) {
        Matcher m = HERD.matcher(text);
        if (!m.find()) {
            return "no herd7 verdict in the test";
        }
        long t0 = System.nanoTime();
        Decision d;
        try {
            d = decider.decide(parser.parse(text), null, 60_000);
        } catch (LitmusSyntaxException | UnsupportedLitmusException e) {
            return "not decided: " + e.getMessage();
        }
        millis[0] = (System.nanoTime() - t0) / 1_000_000;
        String herd = m.group(1) + (m.group(2) == null ? "" : " DATARACE");
        long pos = Long.parseLong(m.group(3));
        long neg = Long.parseLong(m.group(4));
        if (!LitmusCommand.agrees(herd, d) || d.positive() != pos || d.negative() != neg
            || (m.group(2) == null) == d.dataRace()) {
            return "herd7 " + herd + " " + pos + "/" + neg + ", decided " + d.resultText() + " " + d.positive() + "/"
                + d.negative();
        }
        return null;
    }

    static void check(Path corpus) throws IOException {
        List<String> tests;
        try (InputStream in = Files.newInputStream(corpus)) {
            tests = unpack(in);
        }
        LitmusParser parser = new LitmusParser();
        LitmusDecider decider = new LitmusDecider();
        int bad = 0;
        long total = 0;
        long max = 0;
        String slowest = "";
        long start = System.nanoTime();
        for (String t : tests) {
            long[] ms = {0};
            String why = compare(t, parser, decider, ms);
            String name = t.substring(2, t.indexOf('\n')).trim();
            total += ms[0];
            if (ms[0] > max) {
                max = ms[0];
                slowest = name;
            }
            if (why != null) {
                bad++;
                System.out.println(name + ": " + why);
            }
        }
        System.out.printf("%d tests, %d disagree; %.1f s in all, slowest %s %d ms%n", tests.size(), bad,
            (System.nanoTime() - start) / 1e9, slowest, max);
    }

    /** The tests of a packed corpus, in order (one definition: PackedCorpus). */
    static List<String> unpack(InputStream gz) throws IOException {
        return PackedCorpus.unpack(gz);
    }
}

package smptrace.litmus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The array corpus of {@code ArrayCorpusAgreementTest}: tests of the diy7 corpus
 * ({@code litmus/diy/lkmm-diy.litmus.gz}) with their shared locations moved into the cells of arrays,
 * so that every relation the diy7 corpus exercises (fences, release/acquire, RMWs, address, data and
 * control dependencies, locks, RCU) is exercised again through herd7's array layout: a location
 * {@code x} that becomes cell k of {@code T ar0[N]} is reached as {@code (ar0 + k*sizeof(T))} in the
 * processes and named {@code ar0[k]} in the condition. Seeded per test: one array or two, cells in
 * shuffled order, element types int, long, char, short, uint8_t, atomic_t, sometimes one location left
 * a scalar. Spinlocks and srcu_structs stay scalars (herd7 has no size for them).
 *
 * <pre>
 *   translate DIY_CORPUS.gz C_DIR SEED COUNT   COUNT seeded tests of the diy7 corpus, in arrays
 *   pack C_DIR HERD_OUTPUT CORPUS.gz           as DiyCorpus pack
 *   check CORPUS.gz                            as DiyCorpus check
 * </pre>
 * The recipe is {@code litmus/arrays/regenerate.sh}.
 */
public final class ArrayCorpus {
    private ArrayCorpus() {
    }

    private static final String[] TYPES = {"int", "int", "long", "char", "short", "uint8_t", "atomic_t"};
    private static final Pattern PROC = Pattern.compile("(?m)^P(\\d+)\\(([^)]*)\\)");

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "translate" -> translateAll(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                Integer.parseInt(args[4]));
            case "pack" -> DiyCorpus.pack(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "check" -> DiyCorpus.check(Path.of(args[1]));
            default -> throw new IllegalArgumentException("translate | pack | check");
        }
    }

    static void translateAll(Path diyCorpus, Path outDir, long seed, int count) throws IOException {
        List<String> tests = PackedCorpus.unpack(diyCorpus);
        Random rnd = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, rnd);
        Files.createDirectories(outDir);
        int made = 0;
        for (int i : order) {
            if (made == count) {
                break;
            }
            String c = toArrays(tests.get(i), new Random(seed * 31 + i));
            if (c != null) {
                String name = c.substring(2, c.indexOf('\n')).trim();
                Files.writeString(outDir.resolve(name + ".litmus"), c, StandardCharsets.UTF_8);
                made++;
            }
        }
        System.out.println(made + " array tests written to " + outDir);
    }

    /** One diy7 test with its locations in arrays; null for a test with an initial state of its own. */
    static String toArrays(String test, Random rnd) {
        // drop the Result comment the diy corpus carries: herd7 decides the new test afresh
        String text = test.replaceFirst("\\n\\(\\* Result:[^)]*\\*\\)\\n", "\n");
        int open = text.indexOf("\n{");
        int close = text.indexOf("\n}", open);
        if (open < 0 || close < 0 || !text.substring(open + 2, close).isBlank()) {
            return null;
        }
        // the data locations, in order of first appearance in the parameter lists
        List<String> locations = new ArrayList<>();
        Matcher m = PROC.matcher(text);
        while (m.find()) {
            for (String p : m.group(2).split(",")) {
                String pt = p.trim();
                if (pt.isEmpty()) {
                    continue;
                }
                String name = pt.substring(pt.lastIndexOf(' ') + 1).replace("*", "");
                if (!pt.contains("spinlock_t") && !pt.contains("srcu") && !locations.contains(name)) {
                    locations.add(name);
                }
            }
        }
        if (locations.isEmpty()) {
            return null;
        }
        List<String> moved = new ArrayList<>(locations);
        if (moved.size() > 1 && rnd.nextInt(4) == 0) {
            moved.remove(rnd.nextInt(moved.size())); // one location stays a scalar
        }
        int arrays = moved.size() > 1 && rnd.nextBoolean() ? 2 : 1;
        String[] type = new String[arrays];
        List<List<String>> cells = new ArrayList<>();
        for (int a = 0; a < arrays; a++) {
            type[a] = TYPES[rnd.nextInt(TYPES.length)];
            cells.add(new ArrayList<>());
        }
        Collections.shuffle(moved, rnd);
        for (int k = 0; k < moved.size(); k++) {
            cells.get(k % arrays).add(moved.get(k));
        }
        for (List<String> cs : cells) {
            if (rnd.nextInt(3) == 0) {
                cs.add(rnd.nextInt(cs.size() + 1), null); // an unused cell in between
            }
        }
        Map<String, String> address = new LinkedHashMap<>();
        Map<String, String> cellName = new LinkedHashMap<>();
        StringBuilder init = new StringBuilder();
        for (int a = 0; a < arrays; a++) {
            String arr = "ar" + a;
            int bytes = CTypes.bytes(type[a]);
            List<String> cs = cells.get(a);
            init.append(type[a]).append(' ').append(arr).append('[').append(cs.size()).append("];\n");
            for (int k = 0; k < cs.size(); k++) {
                if (cs.get(k) != null) {
                    address.put(cs.get(k), k == 0 ? arr : "(" + arr + " + " + k * bytes + ")");
                    cellName.put(cs.get(k), arr + "[" + k + "]");
                }
            }
        }
        String arrayParams = arrays == 2 ? "int *ar0, int *ar1" : "int *ar0";
        int condAt = Math.max(text.lastIndexOf("\nexists"), Math.max(text.lastIndexOf("\n~exists"),
            text.lastIndexOf("\nforall")));
        if (condAt < 0) {
            return null;
        }
        String head = text.substring(0, open + 2) + "\n";
        String body = text.substring(close, condAt);
        String cond = text.substring(condAt);
        // parameters: the moved locations give way to the arrays
        Matcher pm = PROC.matcher(body);
        StringBuilder nb = new StringBuilder();
        while (pm.find()) {
            List<String> kept = new ArrayList<>();
            for (String p : pm.group(2).split(",")) {
                String pt = p.trim();
                String name = pt.substring(pt.lastIndexOf(' ') + 1).replace("*", "");
                if (!pt.isEmpty() && !address.containsKey(name)) {
                    kept.add(pt);
                }
            }
            kept.add(arrayParams);
            pm.appendReplacement(nb, Matcher.quoteReplacement("P" + pm.group(1) + "(" + String.join(", ", kept) + ")"));
        }
        pm.appendTail(nb);
        body = nb.toString();
        for (Map.Entry<String, String> e : address.entrySet()) {
            body = body.replaceAll("(?<![\\w:])" + Pattern.quote(e.getKey()) + "(?!\\w)",
                Matcher.quoteReplacement(e.getValue()));
            cond = cond.replaceAll("(?<![\\w:])" + Pattern.quote(e.getKey()) + "(?=\\s*=)",
                Matcher.quoteReplacement(cellName.get(e.getKey())));
        }
        String name = head.substring(2, head.indexOf('\n')).trim();
        head = "C arr-" + name + head.substring(head.indexOf('\n'));
        return head + init + body + cond;
    }
}

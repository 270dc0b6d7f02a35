package smptrace.litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import smptrace.lkmm.Tag;

/**
 * Parses the C litmus dialect of tools/memory-model (herd7's C front end with linux-kernel.def's
 * macros): {@code C name}, comments, the initial-state block, processes, and the final condition.
 * Primitives are expanded here the way linux-kernel.def expands them, so later stages see only
 * loads, stores, RMWs, fences and lock operations. Constructs outside the dialect subset raise
 * {@link UnsupportedLitmusException}; malformed text raises {@link LitmusSyntaxException}.
 */
public final class LitmusParser {

    private static final Pattern RESULT = Pattern.compile("Result:\\s*([A-Za-z]+)([^\\n]*)");
    private static final Set<String> TYPE_WORDS = Set.of("int", "long", "unsigned", "char", "short", "intptr_t",
        "uintptr_t", "atomic_t", "atomic_long_t", "spinlock_t", "u8", "u16", "u32", "u64", "s32", "s64", "bool",
        "const", "volatile", "struct");

    private List<String> toks;
    private int pos;
    /** The arrays of the initial state and their lengths (for cells and vectors in the condition). */
    private final Map<String, Integer> arrays = new java.util.HashMap<>();

    public LitmusTest parse(String text) {
        int at = 0;
        int len = text.length();
        while (at < len && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        int eol = text.indexOf('\n', at);
        if (eol < 0) {
            eol = len;
        }
        String[] first = text.substring(at, eol).trim().split("\\s+");
        if (first.length < 2 || first[0].isEmpty()) {
            throw new LitmusSyntaxException("not a litmus test: the first line must be 'C name'");
        }
        if (!first[0].equals("C")) {
            throw new UnsupportedLitmusException("a " + first[0] + " litmus test: only C tests are written in the"
                + " LKMM's dialect (herd7 decides " + first[0] + " tests with another model)");
        }
        String name = first[1];
        String expected = null;
        String flags = "";
        Matcher mr = RESULT.matcher(text);
        if (mr.find()) {
            expected = mr.group(1);
            flags = mr.group(2).replace("*)", "").trim();
        }
        // herd7's splitter: between the name line and the initial state come diy7's quoted cycle
        // line, "key=value" lines (Cycle=, Relax=, Safe=, Prefetch=, Com=, Orig=, Generator=, ...)
        // and (* comments *): everything up to the first '{' outside a comment is header
        int i = eol;
        while (i < len) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("(*", i)) {
                int depth = 1;
                i += 2;
                while (i < len && depth > 0) {
                    if (text.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (c == '{') {
                break;
            } else {
                int e = text.indexOf('\n', i);
                int brace = text.indexOf('{', i);
                boolean keyValue = text.substring(i, e < 0 ? len : e).matches("[A-Za-z0-9_.-]+\\s*=.*");
                if (!keyValue && brace >= 0 && (e < 0 || brace < e)) {
                    i = brace;
                    break;
                }
                i = e < 0 ? len : e;
            }
        }
        if (i >= len) {
            throw new LitmusSyntaxException("no initial state block '{ ... }'");
        }
        toks = tokenize(text.substring(i));
        pos = 0;
        arrays.clear();
        List<Ast.Init> init = new ArrayList<>();
        parseInit(init);
        List<Ast.Thread> threads = new ArrayList<>();
        while (pos < toks.size() && (toks.get(pos).matches("P[0-9]+")
            || toks.get(pos).equals("void") && pos + 1 < toks.size() && toks.get(pos + 1).matches("P[0-9]+"))) {
            accept("void");
            threads.add(parseThread(threads.size()));
        }
        if (threads.isEmpty()) {
            if (pos < toks.size() && isIdent(toks.get(pos)) && peekAt(1, "(")) {
                throw new UnsupportedLitmusException("function " + toks.get(pos) + ": only processes P0, P1, ... are"
                    + " in the dialect");
            }
            throw new LitmusSyntaxException("no process P0");
        }
        Condition.Prop filter = null;
        Condition cond = null;
        while (pos < toks.size()) {
            String t = next();
            switch (t) {
                case "locations": {
                    expect("[");
                    int depth = 0; // a cell a[1] among the locations
                    while (depth > 0 || !peek("]")) {
                        String l = next();
                        depth += l.equals("[") ? 1 : l.equals("]") ? -1 : 0;
                    }
                    expect("]");
                    break;
                }
                case "filter":
                    filter = parseProp();
                    break;
                case "exists":
                case "final":
                    cond = new Condition(Condition.Quantifier.EXISTS, parseProp(), filter);
                    break;
                case "~":
                case "not":
                    expect("exists");
                    cond = new Condition(Condition.Quantifier.NOT_EXISTS, parseProp(), filter);
                    break;
                case "forall":
                    cond = new Condition(Condition.Quantifier.FORALL, parseProp(), filter);
                    break;
                case "with":
                case "observed":
                case "Observed":
                case "cases":
                    throw new UnsupportedLitmusException("'" + t + "' conditions");
                case ";":
                    break;
                default:
                    throw new LitmusSyntaxException("unexpected '" + t + "' after the processes");
            }
        }
        if (cond == null) {
            // herd7's constr_true: no condition is "forall true"
            cond = new Condition(Condition.Quantifier.FORALL, new Condition.Truth(true), filter);
        } else if (cond.filter() == null && filter != null) {
            cond = new Condition(cond.quantifier(), cond.prop(), filter);
        }
        return new LitmusTest(name, List.copyOf(init), List.copyOf(threads), cond, expected, flags);
    }

    /** Parses a condition proposition alone, e.g. "0:r0=1 /\ x=2" (for programs built by hand). */
    public Condition.Prop parseProposition(String text) {
        toks = tokenize(text);
        pos = 0;
        arrays.clear();
        Condition.Prop p = parseProp();
        if (pos != toks.size()) {
            throw new LitmusSyntaxException("trailing '" + toks.get(pos) + "' in condition");
        }
        return p;
    }

    // ---- lexer --------------------------------------------------------------------------------

    private static final String[] PUNCT = {"/\\", "\\/", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "->",
        "{", "}", "(", ")", "[", "]", ";", ",", "*", "=", "<", ">", "+", "-", "&", "|", "^", "~", "!", ":", "/",
        "%", ".", "?"};

    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        int braces = 0; // OCaml-style comments only outside C code: "(*x" in a body is a dereference
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (braces == 0 && s.startsWith("(*", i)) {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (s.startsWith("(*", i)) {
                        depth++;
                        i += 2;
                    } else if (s.startsWith("*)", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else if (s.startsWith("//", i)) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                String p = null;
                for (String cand : PUNCT) {
                    if (s.startsWith(cand, i)) {
                        p = cand;
                        break;
                    }
                }
                if (p == null) {
                    throw new LitmusSyntaxException("unexpected character '" + c + "'");
                }
                out.add(p);
                i += p.length();
                if (p.equals("{")) {
                    braces++;
                } else if (p.equals("}")) {
                    braces = Math.max(0, braces - 1);
                }
            }
        }
        return out;
    }

    private boolean peek(String t) {
        return pos < toks.size() && toks.get(pos).equals(t);
    }

    private boolean peekAt(int k, String t) {
        return pos + k < toks.size() && toks.get(pos + k).equals(t);
    }

    private String next() {
        if (pos >= toks.size()) {
            throw new LitmusSyntaxException("unexpected end of test");
        }
        return toks.get(pos++);
    }

    private void expect(String t) {
        String got = next();
        if (!got.equals(t)) {
            throw new LitmusSyntaxException("expected '" + t + "' but found '" + got + "'");
        }
    }

    private boolean accept(String t) {
        if (peek(t)) {
            pos++;
            return true;
        }
        return false;
    }

    private static boolean isIdent(String t) {
        return !t.isEmpty() && (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_');
    }

    private static boolean isNumber(String t) {
        return !t.isEmpty() && Character.isDigit(t.charAt(0));
    }

    private static long number(String t) {
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new LitmusSyntaxException("bad number '" + t + "'");
        }
    }

    // ---- initial state ------------------------------------------------------------------------

    /**
     * herd7's init grammar: entries separated by ';', each an optional type (one or more words,
     * stars), a location or {@code P:reg} (also in brackets), and an optional value: an integer,
     * an address (with or without '&amp;'; {@code a[k]} is the address k bytes into {@code a}, as
     * herd7 reads a value), or {@code ATOMIC_INIT(n)}; or an array, {@code T a[N];} (zeros) or
     * {@code T a[N] = {v0, ..., vN-1};}, whose cells become the locations {@code a[0]} ...
     */
    private void parseInit(List<Ast.Init> init) {
        expect("{");
        while (!accept("}")) {
            if (accept(";")) {
                continue;
            }
            int start = pos;
            // find the end of this entry (an array's "{...}" is inside it)
            int end = pos;
            int depth = 0;
            while (end < toks.size() && (depth > 0 || !toks.get(end).equals(";") && !toks.get(end).equals("}"))) {
                if (toks.get(end).equals("{")) {
                    depth++;
                } else if (toks.get(end).equals("}")) {
                    depth--;
                }
                end++;
            }
            int eq = -1;
            for (int k = start; k < end; k++) {
                if (toks.get(k).equals("=")) {
                    eq = k;
                    break;
                }
            }
            int lhsEnd = eq < 0 ? end : eq;
            boolean bracketIndex = false;
            for (int k = start; k + 1 < lhsEnd; k++) {
                bracketIndex |= toks.get(k).equals("[") && isNumber(toks.get(k + 1));
            }
            if (bracketIndex) {
                parseArrayInit(init, start, lhsEnd, eq, end);
                pos = end;
                continue;
            }
            // the location: the last name of the left-hand side, with an optional "N:" before it
            int thread = -1;
            String name = null;
            int k = lhsEnd - 1;
            while (k >= start && (toks.get(k).equals("]") || toks.get(k).equals("["))) {
                k--;
            }
            if (k < start || !isIdent(toks.get(k))) {
                throw new LitmusSyntaxException("bad initialisation near '" + String.join(" ", toks.subList(start,
                    Math.min(end, toks.size()))) + "'");
            }
            name = toks.get(k);
            if (k - 2 >= start && toks.get(k - 1).equals(":")) {
                String p = toks.get(k - 2);
                if (isNumber(p)) {
                    thread = (int) number(p);
                } else if (p.matches("P[0-9]+")) {
                    thread = Integer.parseInt(p.substring(1));
                }
            }
            // the declared type of a shared location, when it is one word herd7 has a size for
            // (a pointer is never masked)
            String type = null;
            if (thread < 0 && k - 1 >= start && toks.subList(start, k).stream().noneMatch(x -> x.equals("*"))) {
                String w = toks.get(k - 1);
                if (k - 1 == start && CTypes.sized(w)) {
                    type = w;
                }
            }
            if (eq < 0) {
                init.add(new Ast.Init(thread, name, 0, null, type, null));
            } else {
                pos = eq + 1;
                if (peek("ATOMIC_INIT")) {
                    next();
                    expect("(");
                    boolean n2 = accept("-");
                    String x = next();
                    if (!isNumber(x)) {
                        throw new LitmusSyntaxException("bad ATOMIC_INIT value '" + x + "'");
                    }
                    expect(")");
                    init.add(new Ast.Init(thread, name, n2 ? -number(x) : number(x), null, type, null));
                } else if (peek("{")) {
                    throw new LitmusSyntaxException("a list of values '{...}' for " + name + ", which is not an"
                        + " array (declare it as 'int " + name + "[N]')");
                } else {
                    Object[] v = initialValue(name);
                    init.add(new Ast.Init(thread, name, (Long) v[0], (String) v[1], type, null));
                }
                if (pos != end) {
                    throw new LitmusSyntaxException("unexpected '" + toks.get(pos) + "' in the initialisation of "
                        + name);
                }
            }
            pos = end;
        }
    }

    /**
     * One value of the initial state at {@code pos}: {value, null} for an integer (or NULL), {0,
     * address} for an address: {@code x}, {@code &x}, or {@code x[k]}, which herd7 reads as the
     * address k bytes into x ("x+k"), not as cell k.
     */
    private Object[] initialValue(String of) {
        boolean neg = accept("-");
        accept("&");
        String v = next();
        if (isNumber(v)) {
            return new Object[] {neg ? -number(v) : number(v), null};
        }
        if (v.equals("NULL")) {
            return new Object[] {0L, null};
        }
        if (!isIdent(v) || neg) {
            throw new LitmusSyntaxException("bad initial value '" + v + "' for " + of);
        }
        if (accept("[")) {
            String k = next();
            if (!isNumber(k)) {
                throw new LitmusSyntaxException("bad offset '" + k + "' in the address " + v + "[...]");
            }
            expect("]");
            return new Object[] {0L, offsetAddress(v, number(k))};
        }
        return new Object[] {0L, v};
    }

    /** The address k bytes into location {@code base}, in the form ProgramLayout reads: "x" or "x+k". */
    static String offsetAddress(String base, long k) {
        return k == 0 ? base : base + "+" + k;
    }

    /** {@code T a[N];} or {@code T a[N] = {v0, ...};}: herd7's {@code NAME arrayspec} entries. */
    private void parseArrayInit(List<Ast.Init> init, int start, int lhsEnd, int eq, int end) {
        if (lhsEnd - start != 5 || !isIdent(toks.get(start)) || !isIdent(toks.get(start + 1))
            || !toks.get(start + 2).equals("[") || !toks.get(start + 4).equals("]")) {
            String what = String.join(" ", toks.subList(start, end));
            if (lhsEnd - start == 4 && isIdent(toks.get(start)) && toks.get(start + 1).equals("[")) {
                throw new LitmusSyntaxException("'" + what + "': an array cell cannot be initialised alone (herd7"
                    + " takes 'T " + toks.get(start) + "[N] = {v0, ...}')");
            }
            throw new LitmusSyntaxException("bad array declaration '" + what + "' (herd7 takes 'T a[N];' or"
                + " 'T a[N] = {v0, ...};' with a one-word type T)");
        }
        String type = toks.get(start);
        String name = toks.get(start + 1);
        long n = number(toks.get(start + 3));
        CTypes.bytes(type); // refuses what herd7 cannot lay out
        if (n < 1 || n > 64) {
            throw new UnsupportedLitmusException("an array of " + n + " cells (" + name + "; at most 64 events in"
                + " one execution)");
        }
        List<Object[]> values = new ArrayList<>();
        if (eq >= 0) {
            pos = eq + 1;
            expect("{");
            if (!peek("}")) {
                do {
                    if (peek("ATOMIC_INIT")) {
                        throw new UnsupportedLitmusException("ATOMIC_INIT inside the initial value of array " + name
                            + " (herd7 takes plain values there: {1, 2})");
                    }
                    values.add(initialValue(name));
                } while (accept(","));
            }
            expect("}");
            if (pos != end) {
                throw new LitmusSyntaxException("unexpected '" + toks.get(pos) + "' in the initialisation of " + name);
            }
            if (values.size() != n) {
                throw new LitmusSyntaxException("declared size of array " + name + " (" + n + ") does not match its "
                    + values.size() + " initial values");
            }
        }
        arrays.put(name, (int) n);
        for (int i = 0; i < n; i++) {
            Object[] v = eq >= 0 ? values.get(i) : new Object[] {0L, null};
            init.add(new Ast.Init(-1, name + "[" + i + "]", (Long) v[0], (String) v[1], type,
                new Ast.Cell(name, i, (int) n)));
        }
    }

    // ---- processes ----------------------------------------------------------------------------

    private Ast.Thread parseThread(int expectedId) {
        String p = next();
        int id = Integer.parseInt(p.substring(1));
        if (id != expectedId) {
            throw new LitmusSyntaxException("process " + p + " out of order (expected P" + expectedId + ")");
        }
        expect("(");
        List<Ast.Param> params = new ArrayList<>();
        while (!accept(")")) {
            StringBuilder type = new StringBuilder();
            String last = null;
            while (!peek(",") && !peek(")")) {
                String t = next();
                if (last != null) {
                    type.append(last).append(last.equals("*") ? "" : " ");
                }
                last = t;
            }
            if (last == null || !isIdent(last)) {
                throw new LitmusSyntaxException("bad parameter list of " + p);
            }
            params.add(new Ast.Param(type.toString().trim(), last));
            accept(",");
        }
        expect("{");
        List<Ast.Stmt> body = new ArrayList<>();
        while (!accept("}")) {
            parseStmt(body);
        }
        return new Ast.Thread(id, List.copyOf(params), List.copyOf(body));
    }

    private List<Ast.Stmt> parseBlockOrStmt() {
        List<Ast.Stmt> out = new ArrayList<>();
        if (accept("{")) {
            while (!accept("}")) {
                parseStmt(out);
            }
        } else {
            parseStmt(out);
        }
        return List.copyOf(out);
    }

    private void parseStmt(List<Ast.Stmt> out) {
        String t = toks.get(pos);
        if (accept(";")) {
            return;
        }
        if (t.equals("{")) {
            out.addAll(parseBlockOrStmt());
            return;
        }
        if (t.equals("if")) {
            next();
            expect("(");
            Ast.Expr c = parseExpr();
            expect(")");
            List<Ast.Stmt> th = parseBlockOrStmt();
            List<Ast.Stmt> el = List.of();
            if (accept("else")) {
                el = parseBlockOrStmt();
            }
            out.add(new Ast.If(c, th, el));
            return;
        }
        if (t.equals("while")) {
            next();
            expect("(");
            Ast.Expr c = parseExpr();
            expect(")");
            out.add(new Ast.While(c, parseBlockOrStmt()));
            return;
        }
        if (t.equals("for") || t.equals("do") || t.equals("goto") || t.equals("return") || t.equals("switch")
            || t.equals("break") || t.equals("continue")) {
            throw new UnsupportedLitmusException("'" + t + "' statements (herd7's C has if, while and blocks)");
        }
        if (t.equals("(") && peekAt(1, "void") && peekAt(2, ")")) {
            // (void)expr; evaluates expr for its effect
            pos += 3;
            Ast.Expr e = parseExpr();
            expect(";");
            out.add(new Ast.Eval(e));
            return;
        }
        if (TYPE_WORDS.contains(t)) {
            while (TYPE_WORDS.contains(toks.get(pos)) || toks.get(pos).equals("srcu_struct")) {
                next();
            }
            while (true) {
                while (accept("*")) {
                    // pointer declarator
                }
                String reg = next();
                if (!isIdent(reg)) {
                    throw new LitmusSyntaxException("bad declaration of '" + reg + "'");
                }
                if (peek("[")) {
                    throw new UnsupportedLitmusException("array declaration " + reg + "[...] in a process (herd7's C"
                        + " declares registers only; arrays live in the initial state)");
                }
                if (accept("=")) {
                    out.add(new Ast.Assign(reg, parseExpr()));
                } // a register declared without a value reads as 0, like herd7's
                if (accept(";")) {
                    return;
                }
                expect(",");
            }
        }
        // a call statement that is not an expression: fences, stores, locks
        if (isIdent(t) && peekAt(1, "(")) {
            List<Ast.Stmt> s = statementCall(t);
            if (s != null) {
                out.addAll(s);
                expect(";");
                return;
            }
        }
        Ast.Expr lhs = parseExpr();
        if (accept("=")) {
            Ast.Expr rhs = parseExpr();
            expect(";");
            if (lhs instanceof Ast.Name nm) {
                out.add(new Ast.Assign(nm.name(), rhs));
            } else if (lhs instanceof Ast.Load ld && ld.tag() == Tag.PLAIN) {
                out.add(new Ast.Store(ld.address(), rhs, Tag.PLAIN));
            } else {
                throw new UnsupportedLitmusException("assignment to " + lhs);
            }
            return;
        }
        expect(";");
        out.add(new Ast.Eval(lhs));
    }

    private static final Map<String, Tag> FENCES = Map.ofEntries(
        Map.entry("smp_mb", Tag.MB), Map.entry("smp_rmb", Tag.RMB), Map.entry("smp_wmb", Tag.WMB),
        Map.entry("smp_mb__before_atomic", Tag.BEFORE_ATOMIC), Map.entry("smp_mb__after_atomic", Tag.AFTER_ATOMIC),
        Map.entry("smp_mb__after_spinlock", Tag.AFTER_SPINLOCK),
        Map.entry("smp_mb__after_unlock_lock", Tag.AFTER_UNLOCK_LOCK), Map.entry("barrier", Tag.BARRIER),
        Map.entry("rcu_read_lock", Tag.RCU_LOCK), Map.entry("rcu_read_unlock", Tag.RCU_UNLOCK),
        Map.entry("synchronize_rcu", Tag.SYNC_RCU), Map.entry("synchronize_rcu_expedited", Tag.SYNC_RCU),
        Map.entry("smp_mb__after_srcu_read_unlock", Tag.AFTER_SRCU_READ_UNLOCK));

    /** Statement-only primitives; null when the call is an expression (loads, RMWs). */
    private List<Ast.Stmt> statementCall(String f) {
        Tag fence = FENCES.get(f);
        if (fence != null) {
            next();
            expect("(");
            expect(")");
            return List.of(new Ast.Fence(fence));
        }
        switch (f) {
            case "WRITE_ONCE": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(derefTarget(f, a.get(0)), a.get(1), Tag.ONCE));
            }
            case "rcu_assign_pointer": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(derefTarget(f, a.get(0)), a.get(1), Tag.RELEASE));
            }
            case "smp_store_release":
            case "atomic_set_release": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(a.get(0), a.get(1), Tag.RELEASE));
            }
            case "atomic_set": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(a.get(0), a.get(1), Tag.ONCE));
            }
            case "smp_store_mb": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(derefTarget(f, a.get(0)), a.get(1), Tag.ONCE), new Ast.Fence(Tag.MB));
            }
            case "spin_lock": {
                return List.of(new Ast.Lock(args(f, 1).get(0)));
            }
            case "srcu_read_unlock":
            case "srcu_up_read": {
                List<Ast.Expr> a = args(f, 2);
                return List.of(new Ast.Store(a.get(0), a.get(1), Tag.SRCU_UNLOCK));
            }
            case "synchronize_srcu":
            case "synchronize_srcu_expedited":
                return List.of(new Ast.SyncSrcu(args(f, 1).get(0)));
            case "spin_unlock": {
                return List.of(new Ast.Unlock(args(f, 1).get(0)));
            }
            default:
                return null;
        }
    }

    private Ast.Expr derefTarget(String f, Ast.Expr e) {
        if (e instanceof Ast.Load ld && ld.tag() == Tag.PLAIN) {
            return ld.address();
        }
        throw new UnsupportedLitmusException(f + " of a non-dereference argument");
    }

    private List<Ast.Expr> args(String f, int count) {
        next();
        expect("(");
        List<Ast.Expr> a = new ArrayList<>();
        if (!peek(")")) {
            do {
                a.add(parseExpr());
            } while (accept(","));
        }
        expect(")");
        if (a.size() != count) {
            throw new LitmusSyntaxException(f + " takes " + count + " arguments, got " + a.size());
        }
        return a;
    }

    // ---- expressions --------------------------------------------------------------------------

    private static final String[][] LEVELS = {{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="},
        {"<", ">", "<=", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private Ast.Expr parseExpr() {
        return parseLevel(0);
    }

    private Ast.Expr parseLevel(int level) {
        if (level == LEVELS.length) {
            return parseUnary();
        }
        Ast.Expr left = parseLevel(level + 1);
        while (true) {
            String op = null;
            for (String cand : LEVELS[level]) {
                if (peek(cand)) {
                    op = cand;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            left = new Ast.Binary(op, left, parseLevel(level + 1));
        }
    }

    private Ast.Expr parseUnary() {
        if (accept("*")) {
            return new Ast.Load(parseUnary(), Tag.PLAIN);
        }
        if (accept("!")) {
            return new Ast.Unary("!", parseUnary());
        }
        if (accept("~")) {
            return new Ast.Unary("~", parseUnary());
        }
        if (accept("-")) {
            return new Ast.Unary("-", parseUnary());
        }
        if (accept("&")) {
            Ast.Expr e = parseUnary();
            if (e instanceof Ast.Load ld && ld.tag() == Tag.PLAIN) {
                return ld.address();
            }
            if (e instanceof Ast.Name) {
                return e;
            }
            throw new UnsupportedLitmusException("address-of " + e);
        }
        return parsePrimary();
    }

    private Ast.Expr parsePrimary() {
        String t = next();
        if (t.equals("(")) {
            if (TYPE_WORDS.contains(toks.get(pos)) || toks.get(pos).equals("void")) {
                // a cast: herd7's C values are untyped, (T)e is e
                while (!peek(")")) {
                    String w = next();
                    if (!w.equals("*") && !TYPE_WORDS.contains(w) && !w.equals("void") && !isIdent(w)) {
                        throw new LitmusSyntaxException("bad cast near '" + w + "'");
                    }
                }
                expect(")");
                return parseUnary();
            }
            Ast.Expr e = parseExpr();
            expect(")");
            return e;
        }
        if (t.equals("NULL")) {
            return new Ast.Const(0);
        }
        if (isNumber(t)) {
            return new Ast.Const(number(t));
        }
        if (!isIdent(t)) {
            throw new LitmusSyntaxException("unexpected '" + t + "' in an expression");
        }
        if (peek("(")) {
            pos--;
            return call(t);
        }
        if (peek("[")) {
            // herd7's C lexer has no '[': a process reaches cell i of an int array as *(a + 4*i)
            throw new UnsupportedLitmusException("array indexing " + t + "[...] in a process (herd7's C has no '[';"
                + " cell k of an array of T is *(" + t + " + k*sizeof(T)), e.g. *(" + t + " + 4) for an int's cell 1)");
        }
        if (peek("->") || peek(".")) {
            throw new UnsupportedLitmusException("structures (" + t + toks.get(pos) + "...)");
        }
        return new Ast.Name(t);
    }

    private static final Pattern ATOMIC = Pattern.compile(
        "atomic_(fetch_)?(add|sub|and|or|xor|andnot|inc|dec)(_return)?(_relaxed|_acquire|_release)?");

    private Ast.Expr call(String f) {
        switch (f) {
            case "READ_ONCE":
            case "rcu_dereference":
                return new Ast.Load(derefTarget(f, args(f, 1).get(0)), Tag.ONCE);
            case "smp_load_acquire":
            case "atomic_read_acquire":
                return new Ast.Load(args(f, 1).get(0), Tag.ACQUIRE);
            case "atomic_read":
                return new Ast.Load(args(f, 1).get(0), Tag.ONCE);
            case "spin_trylock":
                return new Ast.TryLock(args(f, 1).get(0));
            case "srcu_read_lock":
            case "srcu_down_read":
                return new Ast.Load(args(f, 1).get(0), Tag.SRCU_LOCK);
            case "spin_is_locked":
                return new Ast.IsLocked(args(f, 1).get(0));
            case "atomic_add_unless": {
                List<Ast.Expr> a = args(f, 3);
                return new Ast.Rmw(Ast.RmwKind.ADD_UNLESS, "+", Tag.MB, a.get(0), a.get(1), a.get(2));
            }
            case "atomic_sub_and_test": {
                List<Ast.Expr> a = args(f, 2);
                return new Ast.Rmw(Ast.RmwKind.OP_AND_TEST, "-", Tag.MB, a.get(1), a.get(0), null);
            }
            case "atomic_dec_and_test":
                return new Ast.Rmw(Ast.RmwKind.OP_AND_TEST, "-", Tag.MB, args(f, 1).get(0), new Ast.Const(1), null);
            case "atomic_inc_and_test":
                return new Ast.Rmw(Ast.RmwKind.OP_AND_TEST, "+", Tag.MB, args(f, 1).get(0), new Ast.Const(1), null);
            default:
                break;
        }
        for (String base : new String[] {"xchg", "atomic_xchg", "cmpxchg", "atomic_cmpxchg", "atomic_add_negative"}) {
            for (String sfx : new String[] {"", "_relaxed", "_acquire", "_release"}) {
                if (!f.equals(base + sfx)) {
                    continue;
                }
                Tag tag = suffixTag(sfx);
                if (base.endsWith("cmpxchg")) {
                    List<Ast.Expr> a = args(f, 3);
                    return new Ast.Rmw(Ast.RmwKind.CMPXCHG, null, tag, a.get(0), a.get(1), a.get(2));
                }
                if (base.endsWith("xchg")) {
                    List<Ast.Expr> a = args(f, 2);
                    return new Ast.Rmw(Ast.RmwKind.XCHG, null, tag, a.get(0), a.get(1), null);
                }
                List<Ast.Expr> a = args(f, 2);
                return new Ast.Rmw(Ast.RmwKind.OP_NEGATIVE, "+", tag, a.get(1), a.get(0), null);
            }
        }
        Matcher m = ATOMIC.matcher(f);
        if (m.matches() && isDefinedAtomic(m)) {
            boolean fetch = m.group(1) != null;
            String opName = m.group(2);
            boolean ret = m.group(3) != null;
            String sfx = m.group(4) == null ? "" : m.group(4);
            boolean unary = opName.equals("inc") || opName.equals("dec");
            String op = switch (opName) {
                case "add", "inc" -> "+";
                case "sub", "dec" -> "-";
                case "and" -> "&";
                case "or" -> "|";
                case "xor" -> "^";
                default -> "&~";
            };
            List<Ast.Expr> a = args(f, unary ? 1 : 2);
            Ast.Expr loc = unary ? a.get(0) : a.get(1);
            Ast.Expr operand = unary ? new Ast.Const(1) : a.get(0);
            if (!fetch && !ret) {
                return new Ast.Rmw(Ast.RmwKind.OP, op, Tag.NORETURN, loc, operand, null);
            }
            return new Ast.Rmw(fetch ? Ast.RmwKind.FETCH_OP : Ast.RmwKind.OP_RETURN, op, suffixTag(sfx), loc,
                operand, null);
        }
        if (FENCES.containsKey(f) || f.equals("WRITE_ONCE") || f.equals("smp_store_release") || f.startsWith("spin_")) {
            throw new UnsupportedLitmusException(f + " used as a value");
        }
        throw new UnsupportedLitmusException("primitive " + f + " (not in linux-kernel.def)");
    }

    /** Only the atomic_* spellings linux-kernel.def defines. */
    private static boolean isDefinedAtomic(Matcher m) {
        boolean fetch = m.group(1) != null;
        String op = m.group(2);
        boolean ret = m.group(3) != null;
        boolean sfx = m.group(4) != null;
        if (fetch && ret) {
            return false;
        }
        if (!fetch && !ret) {
            return !sfx; // atomic_add, atomic_inc, ... have no ordering variants
        }
        if (ret) {
            return op.equals("add") || op.equals("sub") || op.equals("inc") || op.equals("dec");
        }
        return true; // every atomic_fetch_OP has the four variants
    }

    private static Tag suffixTag(String sfx) {
        switch (sfx) {
            case "_relaxed": return Tag.ONCE;
            case "_acquire": return Tag.ACQUIRE;
            case "_release": return Tag.RELEASE;
            default: return Tag.MB;
        }
    }

    // ---- conditions ---------------------------------------------------------------------------

    private Condition.Prop parseProp() {
        Condition.Prop left = parseDisj();
        if (accept("=") && accept(">")) {
            return new Condition.Or(new Condition.Not(left), parseProp()); // p => q, right-associative
        }
        return left;
    }

    private Condition.Prop parseDisj() {
        Condition.Prop left = parseConj();
        while (accept("\\/")) {
            left = new Condition.Or(left, parseConj());
        }
        return left;
    }

    private Condition.Prop parseConj() {
        Condition.Prop left = parsePropUnary();
        while (accept("/\\")) {
            left = new Condition.And(left, parsePropUnary());
        }
        return left;
    }

    /** P:reg, N:reg, x, [x] or *x: a register (thread, name) or a location (-1, name). */
    private Object[] conditionLocation() {
        if (accept("[")) {
            String name = next();
            if (!isIdent(name)) {
                throw new LitmusSyntaxException("bad location '[" + name + "]' in the condition");
            }
            if (isNumber(toks.get(pos))) {
                throw new UnsupportedLitmusException("arrays in the condition (" + name + "[" + toks.get(pos) + "])");
            }
            expect("]");
            return new Object[] {-1, name};
        }
        accept("*");
        String name = next();
        int thread = -1;
        if ((isNumber(name) || name.matches("P[0-9]+")) && accept(":")) {
            thread = name.startsWith("P") ? Integer.parseInt(name.substring(1)) : (int) number(name);
            name = next();
        }
        if (!isIdent(name)) {
            throw new LitmusSyntaxException("bad condition term '" + name + "'");
        }
        if (thread < 0 && accept("[")) {
            // herd7's locindex: cell k of an array (scaled by its element size, unlike a value a[k])
            String k = next();
            if (!isNumber(k)) {
                throw new LitmusSyntaxException("bad index '" + k + "' of " + name + " in the condition");
            }
            expect("]");
            Integer length = arrays.get(name);
            if (length == null) {
                throw new UnsupportedLitmusException("cell " + name + "[" + k + "] in the condition: " + name
                    + " is not an array of the initial state");
            }
            if (number(k) >= length) {
                throw new LitmusSyntaxException("out of bounds access on array " + name + " (" + name + "[" + k
                    + "], " + length + " cells)");
            }
            return new Object[] {thread, name + "[" + number(k) + "]"};
        }
        if (peek("[")) {
            throw new LitmusSyntaxException("a register " + thread + ":" + name + " indexed in the condition");
        }
        return new Object[] {thread, name};
    }

    /**
     * {@code a={v0, ...}} for an array: every cell equals its value (herd7 compares the vector).
     * {@code a=v} with a single value is never true of an array (herd7: a vector is no scalar).
     */
    private Condition.Prop vectorAtom(int thread, String name) {
        Integer length = thread < 0 ? arrays.get(name) : null;
        if (!peek("{")) {
            if (length != null) {
                initialValue(name); // a scalar value, which no array equals
                return new Condition.Truth(false);
            }
            return null;
        }
        expect("{");
        List<Condition.Prop> cells = new ArrayList<>();
        if (!peek("}")) {
            do {
                Object[] v = initialValue(name);
                cells.add(new Condition.Atom(-1, name + "[" + cells.size() + "]", (Long) v[0], (String) v[1]));
            } while (accept(","));
        }
        expect("}");
        if (length == null) {
            throw new UnsupportedLitmusException("a list of values '{...}' for " + (thread >= 0 ? thread + ":" : "")
                + name + ", which is not an array of the initial state");
        }
        if (cells.size() != length) {
            return new Condition.Truth(false); // vectors of different sizes differ
        }
        Condition.Prop all = cells.get(0);
        for (int i = 1; i < cells.size(); i++) {
            all = new Condition.And(all, cells.get(i));
        }
        return all;
    }

    private Condition.Prop parsePropUnary() {
        if (accept("~") || accept("not")) {
            return new Condition.Not(parsePropUnary());
        }
        if (accept("(")) {
            Condition.Prop p = parseProp();
            expect(")");
            return p;
        }
        if (accept("true")) {
            return new Condition.Truth(true);
        }
        if (accept("false")) {
            return new Condition.Truth(false);
        }
        if (peek("fault") || peek("Fault")) {
            throw new UnsupportedLitmusException("fault(...) conditions");
        }
        Object[] lhs = conditionLocation();
        int thread = (Integer) lhs[0];
        String name = (String) lhs[1];
        boolean negated;
        if (accept("=") || accept("==")) {
            negated = false;
        } else if (accept("!=")) {
            negated = true;
        } else if (peek("/\\") || peek("\\/") || peek(")") || pos == toks.size()) {
            // herd7: a bare location in a condition stands for "location = 0" (never true of an array)
            if (thread < 0 && arrays.containsKey(name)) {
                return new Condition.Truth(false);
            }
            return new Condition.Atom(thread, name, 0, null);
        } else {
            throw new LitmusSyntaxException("expected '=' after " + name + " in the condition");
        }
        Condition.Prop atom = vectorAtom(thread, name);
        if (atom != null) {
            return negated ? new Condition.Not(atom) : atom;
        }
        boolean neg = accept("-");
        boolean amp = accept("&");
        String v = toks.get(pos);
        if (!neg && !amp && (peek("[") || peek("*") || (isNumber(v) || v.matches("P[0-9]+")) && peekAt(1, ":"))) {
            Object[] rhs = conditionLocation(); // 0:r2=0:r3: the two final values are equal
            atom = new Condition.Same(thread, name, (Integer) rhs[0], (String) rhs[1]);
        } else {
            next();
            if (isNumber(v)) {
                atom = new Condition.Atom(thread, name, neg ? -number(v) : number(v), null);
            } else if (v.equals("NULL")) {
                atom = new Condition.Atom(thread, name, 0, null);
            } else if (isIdent(v)) {
                String address = v;
                if (accept("[")) {
                    // a value a[k] is the address k bytes into a (herd7's mk_sym_with_index: not scaled)
                    String k = next();
                    if (!isNumber(k)) {
                        throw new LitmusSyntaxException("bad offset '" + k + "' in the address " + v + "[...]");
                    }
                    expect("]");
                    address = offsetAddress(v, number(k));
                }
                atom = new Condition.Atom(thread, name, 0, address);
            } else {
                throw new LitmusSyntaxException("bad value '" + v + "' in the condition");
            }
        }
        return negated ? new Condition.Not(atom) : atom;
    }
}

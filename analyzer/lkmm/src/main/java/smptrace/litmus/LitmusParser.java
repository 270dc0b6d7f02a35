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

    public LitmusTest parse(String text) {
        String[] lines = text.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length || !lines[first].trim().startsWith("C ")) {
            throw new LitmusSyntaxException("not a C litmus test: the first line must be 'C name'");
        }
        String name = lines[first].trim().substring(2).trim();
        StringBuilder rest = new StringBuilder();
        for (int i = first + 1; i < lines.length; i++) {
            rest.append(lines[i]).append('\n');
        }
        String body = rest.toString();
        String expected = null;
        String flags = "";
        Matcher mr = RESULT.matcher(body);
        if (mr.find()) {
            expected = mr.group(1);
            flags = mr.group(2).replace("*)", "").trim();
        }
        toks = tokenize(body);
        pos = 0;
        List<Ast.Init> init = new ArrayList<>();
        if (peek("{")) {
            parseInit(init);
        }
        List<Ast.Thread> threads = new ArrayList<>();
        while (pos < toks.size() && toks.get(pos).matches("P[0-9]+")) {
            threads.add(parseThread(threads.size()));
        }
        if (threads.isEmpty()) {
            throw new LitmusSyntaxException("no process P0");
        }
        Condition.Prop filter = null;
        Condition cond = null;
        while (pos < toks.size()) {
            String t = next();
            switch (t) {
                case "locations": {
                    expect("[");
                    while (!peek("]")) {
                        next();
                    }
                    expect("]");
                    break;
                }
                case "filter":
                    filter = parseProp();
                    break;
                case "exists":
                    cond = new Condition(Condition.Quantifier.EXISTS, parseProp(), filter);
                    break;
                case "~":
                    expect("exists");
                    cond = new Condition(Condition.Quantifier.NOT_EXISTS, parseProp(), filter);
                    break;
                case "forall":
                    cond = new Condition(Condition.Quantifier.FORALL, parseProp(), filter);
                    break;
                default:
                    throw new LitmusSyntaxException("unexpected '" + t + "' after the processes");
            }
        }
        if (cond == null) {
            throw new LitmusSyntaxException("no exists/~exists/forall clause");
        }
        return new LitmusTest(name, List.copyOf(init), List.copyOf(threads), cond, expected, flags);
    }

    /** Parses a condition proposition alone, e.g. "0:r0=1 /\ x=2" (for programs built by hand). */
    public Condition.Prop parseProposition(String text) {
        toks = tokenize(text);
        pos = 0;
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

    private void parseInit(List<Ast.Init> init) {
        expect("{");
        while (!accept("}")) {
            if (accept(";")) {
                continue;
            }
            int thread = -1;
            if (isNumber(toks.get(pos)) && peekAt(1, ":")) {
                thread = (int) number(next());
                expect(":");
            }
            String name = null;
            // optional C type words and stars before the name
            while (true) {
                String t = next();
                if (t.equals("*")) {
                    continue;
                }
                if (TYPE_WORDS.contains(t) && !peek("=") && !peek(";")) {
                    continue;
                }
                name = t;
                break;
            }
            if (!isIdent(name)) {
                throw new LitmusSyntaxException("bad initialisation of '" + name + "'");
            }
            if (accept(";") || peek("}")) {
                init.add(new Ast.Init(thread, name, 0, null));
                continue;
            }
            expect("=");
            boolean neg = accept("-");
            accept("&");
            String v = next();
            if (isNumber(v)) {
                init.add(new Ast.Init(thread, name, neg ? -number(v) : number(v), null));
            } else if (isIdent(v)) {
                init.add(new Ast.Init(thread, name, 0, v));
            } else {
                throw new LitmusSyntaxException("bad initial value '" + v + "' for " + name);
            }
            if (!peek("}")) {
                expect(";");
            }
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
        if (t.equals("while") || t.equals("for") || t.equals("do") || t.equals("goto") || t.equals("return")
            || t.equals("switch")) {
            throw new UnsupportedLitmusException("'" + t + "' statements");
        }
        if (TYPE_WORDS.contains(t)) {
            while (TYPE_WORDS.contains(toks.get(pos))) {
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
        Map.entry("synchronize_rcu", Tag.SYNC_RCU), Map.entry("synchronize_rcu_expedited", Tag.SYNC_RCU));

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
            case "spin_unlock": {
                return List.of(new Ast.Unlock(args(f, 1).get(0)));
            }
            default:
                if (f.startsWith("srcu_") || f.startsWith("synchronize_srcu") || f.equals("smp_mb__after_srcu_read_unlock")) {
                    throw new UnsupportedLitmusException("SRCU (" + f + ")");
                }
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
            if (TYPE_WORDS.contains(toks.get(pos))) {
                throw new UnsupportedLitmusException("casts");
            }
            Ast.Expr e = parseExpr();
            expect(")");
            return e;
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
        if (peek("->") || peek("[") || peek(".")) {
            throw new UnsupportedLitmusException("structures and arrays");
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
        if (f.startsWith("srcu_") || f.startsWith("synchronize_srcu")) {
            throw new UnsupportedLitmusException("SRCU (" + f + ")");
        }
        if (FENCES.containsKey(f) || f.equals("WRITE_ONCE") || f.equals("smp_store_release") || f.startsWith("spin_")) {
            throw new UnsupportedLitmusException(f + " used as a value");
        }
        throw new UnsupportedLitmusException("primitive " + f);
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

    private Condition.Prop parsePropUnary() {
        if (accept("~")) {
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
        int thread = -1;
        String name = next();
        if (isNumber(name) && accept(":")) {
            thread = (int) number(name);
            name = next();
        }
        if (!isIdent(name)) {
            throw new LitmusSyntaxException("bad condition term '" + name + "'");
        }
        boolean negated;
        if (accept("=")) {
            negated = false;
        } else if (accept("!=")) {
            negated = true;
        } else {
            throw new LitmusSyntaxException("expected '=' after " + name + " in the condition");
        }
        boolean neg = accept("-");
        accept("&");
        String v = next();
        Condition.Atom atom;
        if (isNumber(v)) {
            atom = new Condition.Atom(thread, name, neg ? -number(v) : number(v), null);
        } else if (isIdent(v)) {
            atom = new Condition.Atom(thread, name, 0, v);
        } else {
            throw new LitmusSyntaxException("bad value '" + v + "' in the condition");
        }
        return negated ? new Condition.Not(atom) : atom;
    }
}

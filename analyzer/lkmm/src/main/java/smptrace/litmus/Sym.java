package smptrace.litmus;

/**
 * A value of the interpreter as herd7 sees it before the reads-from map is chosen: a constant (an
 * integer or a location's address, see {@link Values}), the value a read returns (a variable, named
 * by the read's event index in its process), or an operator applied to such values. The decider
 * solves the equations the reads-from choice gives (each read's variable equals the value its write
 * stored) instead of guessing read values, so a value that only exists because of a cycle through
 * other processes (a self-justifying write) is found, and a value nothing pins down stays a
 * variable, which herd7 prints as a symbolic value.
 */
final class Sym {
    static final int CONST = 0;
    static final int VAR = 1;
    static final int UNARY = 2;
    static final int BINARY = 3;

    final int kind;
    final long value;
    final int var;
    final String op;
    final Sym a;
    final Sym b;

    private Sym(int kind, long value, int var, String op, Sym a, Sym b) {
        this.kind = kind;
        this.value = value;
        this.var = var;
        this.op = op;
        this.a = a;
        this.b = b;
    }

    private static final Sym[] SMALL = new Sym[256];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new Sym(CONST, i - 128, -1, null, null, null);
        }
    }

    static Sym constant(long v) {
        return v >= -128 && v < 128 ? SMALL[(int) v + 128] : new Sym(CONST, v, -1, null, null, null);
    }

    static Sym var(int index) {
        return new Sym(VAR, 0, index, null, null, null);
    }

    static Sym unary(String op, Sym a) {
        if (a.kind == CONST) {
            return constant(unary(op, a.value));
        }
        return new Sym(UNARY, 0, -1, op, a, null);
    }

    static Sym binary(String op, Sym a, Sym b) {
        if (a.kind == CONST && b.kind == CONST) {
            return constant(ThreadInterpreter.binary(op, a.value, b.value));
        }
        return new Sym(BINARY, 0, -1, op, a, b);
    }

    boolean isConst() {
        return kind == CONST;
    }

    static long unary(String op, long v) {
        return switch (op) {
            case "!" -> v == 0 ? 1 : 0;
            case "~" -> ~v;
            case "-" -> -v;
            default -> throw new IllegalArgumentException("operator " + op);
        };
    }

    /**
     * The value with x ^ x, x - x, x &amp; 0 and x * 0 folded to 0 and x + 0, x - 0, x | 0, x ^ 0
     * to x: the address of diy7's dependency idiom {@code y + (r ^ r)}. Used only to know which
     * location an access touches; the access still records the unsimplified equation, so that a
     * value nothing determines is rejected as herd7 rejects it.
     */
    Sym simplified() {
        if (kind != BINARY) {
            return kind == UNARY && a.simplified().isConst() ? unary(op, a.simplified()) : this;
        }
        Sym x = a.simplified();
        Sym y = b.simplified();
        if (x.isConst() && y.isConst()) {
            return binary(op, x, y);
        }
        if ((op.equals("^") || op.equals("-")) && x.sameAs(y)) {
            return constant(0);
        }
        if ((op.equals("&") || op.equals("*")) && (isZero(x) || isZero(y))) {
            return constant(0);
        }
        if ((op.equals("+") || op.equals("|") || op.equals("^")) && isZero(x)) {
            return y;
        }
        if ((op.equals("+") || op.equals("-") || op.equals("|") || op.equals("^")) && isZero(y)) {
            return x;
        }
        return x == a && y == b ? this : new Sym(BINARY, 0, -1, op, x, y);
    }

    private static boolean isZero(Sym s) {
        return s.isConst() && s.value == 0;
    }

    private boolean sameAs(Sym o) {
        if (kind != o.kind) {
            return false;
        }
        return switch (kind) {
            case CONST -> value == o.value;
            case VAR -> var == o.var;
            case UNARY -> op.equals(o.op) && a.sameAs(o.a);
            default -> op.equals(o.op) && a.sameAs(o.a) && b.sameAs(o.b);
        };
    }

    /** Bit mask of the path-local read variables the value mentions. */
    long vars() {
        return switch (kind) {
            case CONST -> 0;
            case VAR -> 1L << var;
            case UNARY -> a.vars();
            default -> a.vars() | b.vars();
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONST -> Long.toString(value);
            case VAR -> "v" + var;
            case UNARY -> op + a;
            default -> "(" + a + " " + op + " " + b + ")";
        };
    }
}

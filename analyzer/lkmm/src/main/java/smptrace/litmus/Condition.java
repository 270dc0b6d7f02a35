package smptrace.litmus;

/**
 * The final-state condition of a litmus test: {@code exists}, {@code ~exists} or {@code forall}
 * over a proposition, and an optional {@code filter} that drops executions before they are counted.
 */
public record Condition(Quantifier quantifier, Prop prop, Prop filter) {

    public enum Quantifier {
        EXISTS("exists"), NOT_EXISTS("~exists"), FORALL("forall");

        public final String keyword;

        Quantifier(String keyword) {
            this.keyword = keyword;
        }
    }

    /** A proposition over final register values ({@code P:reg=v}) and final memory ({@code x=v}). */
    public sealed interface Prop permits And, Or, Not, Atom, Same, Truth {
    }

    public record And(Prop left, Prop right) implements Prop {
    }

    public record Or(Prop left, Prop right) implements Prop {
    }

    public record Not(Prop operand) implements Prop {
    }

    public record Truth(boolean value) implements Prop {
    }

    /**
     * {@code thread:name=value}, or {@code name=value} for a shared location (thread -1; an array's
     * cell is named {@code a[1]}). The value is an integer, or an address {@code pointsTo}: a
     * location's name, or "x+k", k bytes into x (written {@code x[k]} in herd7's value syntax).
     */
    public record Atom(int thread, String name, long value, String pointsTo) implements Prop {
    }

    /** {@code 0:r2=0:r3}: two final values (registers or locations, thread -1) are equal. */
    public record Same(int thread, String name, int otherThread, String otherName) implements Prop {
    }

    /** Final values of registers and locations; pointers as {@link Values#pointer} values. */
    public interface FinalState {
        long value(int thread, String name);

        /**
         * A value as the location (thread -1) or register holds it: herd7 cuts a location's final
         * value to its C type, and the condition's constant with it (a char written 300 equals 44).
         */
        default long asStored(int thread, String name, long v) {
            return v;
        }
    }

    public static boolean eval(Prop p, FinalState s, java.util.function.ToLongFunction<String> address) {
        if (p instanceof And a) {
            return eval(a.left(), s, address) && eval(a.right(), s, address);
        } else if (p instanceof Or o) {
            return eval(o.left(), s, address) || eval(o.right(), s, address);
        } else if (p instanceof Not n) {
            return !eval(n.operand(), s, address);
        } else if (p instanceof Truth t) {
            return t.value();
        } else if (p instanceof Same q) {
            return s.value(q.thread(), q.name()) == s.value(q.otherThread(), q.otherName());
        } else {
            Atom a = (Atom) p;
            long expected = a.pointsTo() != null ? address.applyAsLong(a.pointsTo()) : a.value();
            return s.value(a.thread(), a.name()) == s.asStored(a.thread(), a.name(), expected);
        }
    }

    /** The proposition in the litmus dialect's syntax. */
    public static String print(Prop p) {
        if (p instanceof And a) {
            return "(" + print(a.left()) + " /\\ " + print(a.right()) + ")";
        } else if (p instanceof Or o) {
            return "(" + print(o.left()) + " \\/ " + print(o.right()) + ")";
        } else if (p instanceof Not n) {
            return "~" + print(n.operand());
        } else if (p instanceof Truth t) {
            return t.value() ? "true" : "false";
        } else if (p instanceof Same q) {
            return (q.thread() >= 0 ? q.thread() + ":" : "") + q.name() + "="
                + (q.otherThread() >= 0 ? q.otherThread() + ":" : "") + q.otherName();
        } else {
            Atom a = (Atom) p;
            String v = a.pointsTo() != null ? valueSyntax(a.pointsTo()) : Long.toString(a.value());
            return (a.thread() >= 0 ? a.thread() + ":" : "") + a.name() + "=" + v;
        }
    }

    /**
     * An address in herd7's value syntax: "x", or "x[4]" for the address 4 bytes into x (herd7 does
     * not scale an index in a value).
     */
    static String valueSyntax(String ref) {
        int plus = ref.lastIndexOf('+');
        return plus > 0 ? ref.substring(0, plus) + "[" + ref.substring(plus + 1) + "]" : ref;
    }
}

package smptrace.litmus;

/**
 * The binary operators of the litmus C dialect with C semantics on longs: one definition for the
 * engine's interpreter and the memory model's (it lives in the memory-model module, which depends on nothing; the engine depends on it).
 */
public final class CArith {
    private CArith() { }

    /** a op b; ArithmeticException on division by zero, IllegalArgumentException for an unknown operator. */
    public static long binary(String op, long a, long b) {
        switch (op) {
            case "+": return a + b;
            case "-": return a - b;
            case "*": return a * b;
            case "/":
                if (b == 0) {
                    throw new ArithmeticException("division by zero");
                }
                return a / b;
            case "%":
                if (b == 0) {
                    throw new ArithmeticException("division by zero");
                }
                return a % b;
            case "&": return a & b;
            case "|": return a | b;
            case "^": return a ^ b;
            case "&~": return a & ~b;
            case "<<": return a << b;
            case ">>": return a >> b;
            case "==": return a == b ? 1 : 0;
            case "!=": return a != b ? 1 : 0;
            case "<": return a < b ? 1 : 0;
            case ">": return a > b ? 1 : 0;
            case "<=": return a <= b ? 1 : 0;
            case ">=": return a >= b ? 1 : 0;
            case "&&": return a != 0 && b != 0 ? 1 : 0;
            case "||": return a != 0 || b != 0 ? 1 : 0;
            default: throw new IllegalArgumentException("operator " + op);
        }
    }
}

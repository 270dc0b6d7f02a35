package smptrace.litmus;

/**
 * Values of the interpreter: plain integers, addresses of shared locations, and symbolic values
 * (a read value nothing in the execution determines, herd7's {@code S<n>}), each range encoded far
 * above any integer a litmus test uses, so they never collide.
 */
final class Values {
    private Values() {
    }

    static final long POINTER_BASE = 1L << 48;
    static final long SYMBOL_BASE = 1L << 56;

    static long pointer(int location) {
        return POINTER_BASE + location;
    }

    static boolean isPointer(long v) {
        return v >= POINTER_BASE && v < POINTER_BASE + (1 << 16);
    }

    static int location(long pointer) {
        return (int) (pointer - POINTER_BASE);
    }

    static long symbolic(int variable) {
        return SYMBOL_BASE + variable;
    }

    static boolean isSymbolic(long v) {
        return v >= SYMBOL_BASE && v < SYMBOL_BASE + (1 << 16);
    }

    static int symbol(long v) {
        return (int) (v - SYMBOL_BASE);
    }
}

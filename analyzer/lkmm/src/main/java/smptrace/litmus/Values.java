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
    /**
     * Each object (a scalar location or an array) owns STRIDE addresses, its byte offsets from
     * -STRIDE/2 on: an address is an object and an offset, as herd7's symbolic addresses are, and
     * integer arithmetic on the encoding is herd7's pointer arithmetic ({@code a + 4} is four bytes
     * into {@code a}, which for an int array is its cell 1).
     */
    static final long STRIDE = 1L << 20;
    private static final int OBJECTS = 1 << 16;

    static long pointer(int object, long offset) {
        return POINTER_BASE + object * STRIDE + STRIDE / 2 + offset;
    }

    static boolean isPointer(long v) {
        return v >= POINTER_BASE && v < POINTER_BASE + OBJECTS * STRIDE;
    }

    static int object(long pointer) {
        return (int) ((pointer - POINTER_BASE) / STRIDE);
    }

    static long offset(long pointer) {
        return (pointer - POINTER_BASE) % STRIDE - STRIDE / 2;
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

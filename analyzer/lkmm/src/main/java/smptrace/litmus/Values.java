package smptrace.litmus;

/**
 * Values of the interpreter: plain integers, and addresses of shared locations encoded far above
 * any integer a litmus test uses, so the two never collide.
 */
final class Values {
    private Values() {
    }

    static final long POINTER_BASE = 1L << 48;

    static long pointer(int location) {
        return POINTER_BASE + location;
    }

    static boolean isPointer(long v) {
        return v >= POINTER_BASE && v < POINTER_BASE + (1 << 16);
    }

    static int location(long pointer) {
        return (int) (pointer - POINTER_BASE);
    }
}

package smptrace.agent.rt;

/**
 * The arguments of a call the agent brackets (RJava.before / after*), parked per thread while the
 * receiver beneath them on the operand stack is duplicated: stash from the last argument to the first,
 * then load them back in order. Reused per thread: nothing is allocated per call.
 */
@SuppressWarnings("unused")
public final class Stash {
    private final long[] prims = new long[8];
    private final Object[] refs = new Object[8];

    private static final ThreadLocal<Stash> MINE = ThreadLocal.withInitial(Stash::new);

    private Stash() { }

    public static void putI(int v, int i) {
        MINE.get().prims[i] = v;
    }

    public static void putJ(long v, int i) {
        MINE.get().prims[i] = v;
    }

    public static void putF(float v, int i) {
        MINE.get().prims[i] = Float.floatToRawIntBits(v);
    }

    public static void putD(double v, int i) {
        MINE.get().prims[i] = Double.doubleToRawLongBits(v);
    }

    public static void putA(Object v, int i) {
        MINE.get().refs[i] = v;
    }

    public static int getI(int i) {
        return (int) MINE.get().prims[i];
    }

    public static long getJ(int i) {
        return MINE.get().prims[i];
    }

    public static float getF(int i) {
        return Float.intBitsToFloat((int) MINE.get().prims[i]);
    }

    public static double getD(int i) {
        return Double.longBitsToDouble(MINE.get().prims[i]);
    }

    public static Object getA(int i) {
        Stash s = MINE.get();
        Object v = s.refs[i];
        s.refs[i] = null; // keep nothing alive
        return v;
    }
}

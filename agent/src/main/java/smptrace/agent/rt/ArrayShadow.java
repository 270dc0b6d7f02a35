package smptrace.agent.rt;

/** The recorder's shadow of an object that is not a KernelObject: its identity and, for arrays, per-slot coherence state. */
final class ArrayShadow {
    final int oid;
    volatile int lock;
    int[] co;

    ArrayShadow(int oid) {
        this.oid = oid;
    }
}

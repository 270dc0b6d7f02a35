package smptrace.agent.rt;

/** The recorder's shadow of an object that is not a KernelObject: its identity and, for arrays, per-slot coherence state. */
final class ArrayShadow {
    final int oid;
    volatile int lock;
    int[] co;
    /** The trace generation whose trace has this object's ALLOC record (batch mode: once per trace). */
    int announced = -1;

    ArrayShadow(int oid) {
        this.oid = oid;
    }
}

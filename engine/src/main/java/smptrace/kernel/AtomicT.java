package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** {@code atomic_t}: an int counter accessed only through the atomic_* primitives. */
public final class AtomicT extends KernelObject {
    public static final IntField COUNTER = IntField.of(MethodHandles.lookup(), AtomicT.class, "counter");

    public int counter;

    public AtomicT(int init) {
        this.counter = init; // ATOMIC_INIT(i): initialisation before publication, not a racing access
    }
}

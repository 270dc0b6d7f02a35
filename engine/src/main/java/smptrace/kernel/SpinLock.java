package smptrace.kernel;

import java.lang.invoke.MethodHandles;

/** {@code spinlock_t} / {@code raw_spinlock_t}: one lock word. */
public final class SpinLock extends KernelObject {
    public static final IntField LOCKED = IntField.of(MethodHandles.lookup(), SpinLock.class, "locked");

    public int locked;
}

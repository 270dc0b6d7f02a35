package smptrace.demo.litmus;

import java.lang.invoke.MethodHandles;
import smptrace.kernel.KernelObject;
import smptrace.kernel.PtrField;

/** A litmus location that holds a pointer ({@code int **p}): the address of another location, or NULL. */
public final class PtrLoc extends KernelObject {
    public static final PtrField<KernelObject> P = PtrField.of(MethodHandles.lookup(), PtrLoc.class, "p", KernelObject.class);

    public KernelObject p;

    PtrLoc() {
    }

    /** The initial value: set before any task runs (not a recorded access: this class is not instrumented). */
    void init(KernelObject target) {
        this.p = target;
    }

    KernelObject get() {
        return p;
    }
}

package smptrace.engine.smp;

import smptrace.kernel.KernelObject;

/** One request of a {@link rearm_dev}: the callback reads {@code seq} and reports it through {@code dev->done}. */
public final class rearm_req extends KernelObject {
    public final rearm_dev dev;
    public int seq;

    public rearm_req(rearm_dev dev) {
        this.dev = dev;
    }
}

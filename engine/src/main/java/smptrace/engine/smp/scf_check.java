package smptrace.engine.smp;

import smptrace.kernel.KernelObject;

/** The {@code info} of a request (after scftorture's struct scf_check): the sender writes {@code scfc_data}, the callback reads it. */
public final class scf_check extends KernelObject {
    public int scfc_data;
}

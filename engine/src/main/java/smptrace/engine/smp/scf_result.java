package smptrace.engine.smp;

import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;

/**
 * The {@code info} of a call whose callback returns a result (the kernel's
 * {@code smp_call_function_single(cpu, func, &result, 1)} pattern, e.g. rdmsr_on_cpu()'s struct msr_info):
 * it lives on the waiter's stack; the callback reads {@code arg} and writes {@code result} with plain
 * accesses, the waiter reads {@code result} back after the wait; {@code count} is bumped by every CPU of
 * an on_each_cpu() call.
 */
public final class scf_result extends KernelObject {
    public int arg;
    public int result;
    public final AtomicT count = new AtomicT(0);
}

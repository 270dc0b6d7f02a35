package smptrace.litmus;

import java.util.Map;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Tag;

/**
 * The events one process produces along one control-flow path, herd7's way: each read's value is a
 * variable (its own event index, {@link Sym#var}), each write's value an expression over the
 * path's read variables, and the path holds only if every {@code constraints} expression is
 * non-zero once the reads-from map fixes the variables (the branch conditions taken, the
 * comparison of a cmpxchg, the location a computed address names). Dependencies are masks over
 * this path's own event indices: bit j of {@code addrFrom[i]} means the address of event i was
 * computed from the value read by event j.
 */
final class ThreadPath {
    final int thread;
    final int size;
    final EventClass[] cls;
    final Tag[] tag;
    final int[] loc;
    /** For a read its variable, for a write the value written; null for other events. */
    final Sym[] value;
    final long[] addrFrom;
    final long[] dataFrom;
    final long[] ctrlFrom;
    /** For the read of an RMW or spin_lock: the index of its write; else -1. */
    final int[] rmwPartner;
    /** Events of RMW instructions (.def's RMW set), failed cmpxchg reads included. */
    final long rmwInstr;
    final Map<String, Sym> registers;
    final Sym[] constraints;

    ThreadPath(int thread, int size, EventClass[] cls, Tag[] tag, int[] loc, Sym[] value, long[] addrFrom,
               long[] dataFrom, long[] ctrlFrom, int[] rmwPartner, long rmwInstr, Map<String, Sym> registers,
               Sym[] constraints) {
        this.thread = thread;
        this.size = size;
        this.cls = cls;
        this.tag = tag;
        this.loc = loc;
        this.value = value;
        this.addrFrom = addrFrom;
        this.dataFrom = dataFrom;
        this.ctrlFrom = ctrlFrom;
        this.rmwPartner = rmwPartner;
        this.rmwInstr = rmwInstr;
        this.registers = registers;
        this.constraints = constraints;
    }
}

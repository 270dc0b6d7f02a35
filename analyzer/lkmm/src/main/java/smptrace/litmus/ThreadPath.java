package smptrace.litmus;

import java.util.Map;
import smptrace.lkmm.EventClass;
import smptrace.lkmm.Tag;

/**
 * The events one process produces along one control-flow path, with the value each read returned,
 * and the registers at the end. Dependencies are masks over this path's own event indices: bit j
 * of {@code addrFrom[i]} means the address of event i was computed from the value read by event j.
 */
final class ThreadPath {
    final int thread;
    final int size;
    final EventClass[] cls;
    final Tag[] tag;
    final int[] loc;
    final long[] value;
    final long[] addrFrom;
    final long[] dataFrom;
    final long[] ctrlFrom;
    /** For the read of an RMW or spin_lock: the index of its write; else -1. */
    final int[] rmwPartner;
    /** Events of RMW instructions (.def's RMW set), failed cmpxchg reads included. */
    final long rmwInstr;
    final Map<String, Long> registers;

    ThreadPath(int thread, int size, EventClass[] cls, Tag[] tag, int[] loc, long[] value, long[] addrFrom,
               long[] dataFrom, long[] ctrlFrom, int[] rmwPartner, long rmwInstr, Map<String, Long> registers) {
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
    }
}

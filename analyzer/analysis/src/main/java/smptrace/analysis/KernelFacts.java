package smptrace.analysis;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import smptrace.trace.Event;
import smptrace.trace.FieldInfo;
import smptrace.trace.ObjectRole;
import smptrace.trace.TraceInfo;

/**
 * What the analyzer knows about kernel/smp.c's objects, from the trace's own dictionaries: field
 * roles by struct member (docs/engine.md: {@code __call_single_node.u_flags}, {@code call_single_data.func},
 * {@code LlistNode.next}, {@code LlistHead.first}, {@code cpumask.bits}) and per-CPU ownership by kernel
 * object name ({@code per_cpu(call_single_queue, N)}, {@code cfd_data[N].cpumask},
 * {@code cfd_data[N].cpumask_ipi}, {@code cfd_data[N].csd[D]}, {@code cpu_online_mask}). These are the
 * names of the kernel's variables, not of variants. Cached per location index; no allocation per event.
 */
final class KernelFacts {
    static final byte OTHER = 1;
    static final byte U_FLAGS = 2;
    static final byte CSD_DATA = 3; // func, info, src, dst
    static final byte NEXT = 4;
    static final byte QUEUE_FIRST = 5;
    static final byte MASK_BITS = 6;

    static final int CSD_FLAG_LOCK = 0x01;
    /** include/linux/smp_types.h: the node type in u_flags' CSD_FLAG_TYPE_MASK bits, one definition for every detector. */
    static final int CSD_FLAG_TYPE_MASK = 0xF0;
    static final int CSD_TYPE_ASYNC = 0x00;
    static final int CSD_TYPE_SYNC = 0x10;
    static final int CSD_TYPE_IRQ_WORK = 0x20;
    /** A task's wake_entry (try_to_wake_up()'s wakelist): owned through p->pi_lock and p->__state, never CSD_FLAG_LOCK. */
    static final int CSD_TYPE_TTWU = 0x30;

    private static final Pattern QUEUE = Pattern.compile("per_cpu\\(call_single_queue, (\\d+)\\)");
    private static final Pattern SCRATCH = Pattern.compile("cfd_data\\[(\\d+)\\]\\.(cpumask|cpumask_ipi|csd\\[\\d+\\])");

    private final TraceInfo info;
    private byte[] fieldRole = new byte[64];
    private final IntIntMap objectCpu = new IntIntMap();   // oid -> owner CPU + 1 (queue or scratch), 0 = none
    private final IntIntMap objectKind = new IntIntMap();  // oid -> 1 queue, 2 scratch mask, 3 cfd csd, 4 online mask, 0 other

    /** Traces older than format 3 declare no roles: use the names that engine gave. */
    private final boolean legacyNames;

    KernelFacts(TraceInfo info) {
        this.info = info;
        int v = info.formatVersion();
        this.legacyNames = v > 0 && v < 3;
    }

    private byte[] locRole = new byte[4096];

    /** The location with dense index li died (its index will be reused): its cached role goes. */
    void forget(int li) {
        if (li >= 0 && li < locRole.length) {
            locRole[li] = 0;
        }
    }

    /** The role of the location with dense index li (cached per location). */
    byte role(int li, long loc) {
        if (li < 0) {
            return role(loc);
        }
        if (li >= locRole.length) {
            locRole = Arrays.copyOf(locRole, Math.max(li + 1, locRole.length * 2));
        }
        byte r = locRole[li];
        if (r == 0) {
            r = role(loc);
            locRole[li] = r;
        }
        return r;
    }

    /** The role of a location's field. */
    byte role(long loc) {
        int oid = Event.oidOf(loc);
        int slot = Event.slotOf(loc);
        String cls = info.objectClass(oid);
        if (cls != null && cls.startsWith("[")) {
            return OTHER; // an array element
        }
        if (slot >= fieldRole.length) {
            fieldRole = Arrays.copyOf(fieldRole, Math.max(slot + 1, fieldRole.length * 2));
        }
        byte r = fieldRole[slot];
        if (r == 0) {
            r = computeRole(info.field(slot));
            fieldRole[slot] = r;
        }
        return r;
    }

    private int[] infoField = new int[64]; // per field slot: 0 unknown, 1 no, 2 call_single_data.info

    /** Whether the location is a CSD's {@code info} pointer (call_single_data.info): the callback's argument. */
    boolean isInfo(long loc) {
        int slot = Event.slotOf(loc);
        if (slot >= infoField.length) {
            infoField = Arrays.copyOf(infoField, Math.max(slot + 1, infoField.length * 2));
        }
        if (infoField[slot] == 0) {
            FieldInfo f = info.field(slot);
            infoField[slot] = f != null && f.name().equals("info") && f.owner().endsWith("call_single_data") ? 2 : 1;
        }
        return infoField[slot] == 2;
    }

    private static byte computeRole(FieldInfo f) {
        if (f == null) {
            return OTHER;
        }
        String owner = f.owner().substring(f.owner().lastIndexOf('.') + 1);
        String n = f.name();
        if (n.equals("u_flags") && owner.equals("__call_single_node")) {
            return U_FLAGS;
        }
        if ((n.equals("func") || n.equals("info")) && owner.equals("call_single_data")
                || (n.equals("src") || n.equals("dst")) && owner.equals("__call_single_node")) {
            return CSD_DATA;
        }
        if (n.equals("next") && owner.equals("LlistNode")) {
            return NEXT;
        }
        if (n.equals("first") && owner.equals("LlistHead")) {
            return QUEUE_FIRST;
        }
        if (n.equals("bits") && owner.equals("cpumask")) {
            return MASK_BITS;
        }
        return OTHER;
    }

    /**
     * 1 call_single_queue, 2 cfd scratch cpumask, 3 cfd csd, 4 cpu_online_mask, 0 other; -1 not declared yet.
     * From the object's ROLE (declared by the engine when it creates the object), never from its name;
     * traces older than format 3 carry no ROLE events and fall back to the names that engine gave.
     */
    int objectKind(int oid) {
        ObjectRole r = info.objectRole(oid);
        if (r != null) {
            switch (r) {
                case CALL_SINGLE_QUEUE:
                    return 1;
                case CFD_CPUMASK:
                case CFD_CPUMASK_IPI:
                    return 2;
                case CFD_CSD:
                    return 3;
                case CPU_ONLINE_MASK:
                    return 4;
                default:
                    return 0;
            }
        }
        if (!legacyNames) {
            return info.isNamed(oid) ? 0 : -1;
        }
        int k = objectKind.get(oid);
        if (k >= 0) {
            return k;
        }
        classifyByLegacyName(oid);
        return objectKind.get(oid);
    }

    /** The CPU owning a per-CPU object (queue: its CPU; cfd scratch / csd: the source CPU), or -1. */
    int objectCpu(int oid) {
        if (objectKind(oid) <= 0) {
            return -1;
        }
        if (info.objectRole(oid) != null) {
            return info.roleCpu(oid);
        }
        return objectCpu.get(oid) - 1;
    }

    /** The structural role of an object (null: none declared). */
    ObjectRole objectRole(int oid) {
        return info.objectRole(oid);
    }

    /** Format 1 and 2 traces: the roles are the names that engine gave (docs/engine.md of that version). */
    private void classifyByLegacyName(int oid) {
        if (!info.isNamed(oid)) {
            return; // not named (yet): look again next time
        }
        String name = info.objectName(oid);
        Matcher m = QUEUE.matcher(name);
        if (m.matches()) {
            objectKind.put(oid, 1);
            objectCpu.put(oid, Integer.parseInt(m.group(1)) + 1);
            return;
        }
        m = SCRATCH.matcher(name);
        if (m.matches()) {
            objectKind.put(oid, m.group(2).startsWith("csd") ? 3 : 2);
            objectCpu.put(oid, Integer.parseInt(m.group(1)) + 1);
            return;
        }
        if (name.equals("cpu_online_mask")) {
            objectKind.put(oid, 4);
            objectCpu.put(oid, 0);
            return;
        }
        objectKind.put(oid, 0);
        objectCpu.put(oid, 0);
    }

    private byte[] snapshot = new byte[64];

    /**
     * The CSD-lock diagnostic snapshot (per-CPU {@code cur_csd_func}/{@code cur_csd_info}, written by
     * __csd_lock_record() and printed best-effort by csd_lock_wait_toolong(); patches.md seed 000 (f)):
     * by struct member, like every field role here.
     */
    boolean diagnosticSnapshot(long loc) {
        int slot = Event.slotOf(loc);
        if (slot >= snapshot.length) {
            snapshot = Arrays.copyOf(snapshot, Math.max(slot + 1, snapshot.length * 2));
        }
        byte b = snapshot[slot];
        if (b == 0) {
            FieldInfo f = info.field(slot);
            String owner = f == null ? "" : f.owner().substring(f.owner().lastIndexOf('.') + 1);
            b = (byte) (f != null && owner.equals("per_cpu_data")
                    && (f.name().equals("cur_csd_func") || f.name().equals("cur_csd_info")) ? 2 : 1);
            snapshot[slot] = b;
        }
        return b == 2;
    }

    /** A fingerprint component: a location's role (see {@link Fingerprints#locationRole}). */
    String stableLocation(long loc) {
        return Fingerprints.locationRole(info, loc);
    }

    /** A location's name for text: the kernel name of its object, or its struct and field when unnamed. */
    String locationText(long loc) {
        int oid = Event.oidOf(loc);
        String name = info.objectName(oid);
        if (name.indexOf('#') >= 0 && !name.contains("(")) {
            String cls = info.objectClass(oid);
            String simple = cls == null ? "obj" : cls.substring(cls.lastIndexOf('.') + 1);
            FieldInfo f = info.field(Event.slotOf(loc));
            return simple + "." + (f == null ? "?" : f.name());
        }
        return info.locationName(loc);
    }

    String stableObject(int oid) {
        String name = info.objectName(oid);
        if (name.indexOf('#') >= 0 && !name.contains("(")) {
            String cls = info.objectClass(oid);
            return cls == null ? "obj" : cls.substring(cls.lastIndexOf('.') + 1);
        }
        return name;
    }

    /** A fingerprint component: an object's role (see {@link Fingerprints#objectRole}). */
    String objectKey(int oid) {
        return Fingerprints.objectRole(info, oid);
    }

    /** A fingerprint component: the kernel function of a site (see {@link Fingerprints#function}). */
    String fn(int site) {
        return Fingerprints.function(info, site);
    }

    /** A fingerprint component: "function:KIND" of an access. */
    String access(Event e) {
        return Fingerprints.access(info, e.site, e.kind);
    }

    /** "Smp.java:489": a site for the detectors' own de-duplication keys (never a fingerprint: lines move). */
    String site(int site) {
        smptrace.trace.Site s = info.site(site);
        return s == null ? "-" : s.file() + ":" + s.line();
    }

    private byte[] init = new byte[256];

    /** A store in a constructor: the initial value of a new object (LKMM's IW), not shared-memory traffic yet. */
    boolean initialising(int site) {
        if (site >= init.length) {
            init = Arrays.copyOf(init, Math.max(site + 1, init.length * 2));
        }
        byte b = init[site];
        if (b == 0) {
            smptrace.trace.Site s = info.site(site);
            b = (byte) (s != null && (s.method().equals("<init>") || s.method().equals("<clinit>")) ? 2 : 1);
            init[site] = b;
        }
        return b == 2;
    }

    String function(int site) {
        smptrace.trace.Site s = info.site(site);
        return s == null ? "?" : s.method();
    }
}

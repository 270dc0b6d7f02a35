package smptrace.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trace says about itself: the header (format version, engine configuration, scenario,
 * seed, JVM and host facts, start time) and the dictionaries (sites, fields, classes, threads,
 * object names). Object classes and names arrive with ALLOC / NAME events, so they fill in as the
 * trace is read.
 */
public final class TraceInfo {
    private final Map<String, String> header = new LinkedHashMap<>();
    private final List<Site> sites = new ArrayList<>();
    private final List<FieldInfo> fields = new ArrayList<>();
    private final List<String> classes = new ArrayList<>();
    private final List<ThreadInfo> threads = new ArrayList<>();
    /**
     * Class id + 1 per object id (0: no ALLOC seen). Object ids are dense (a JVM-wide counter), so
     * an array holds them; ids past {@link #DENSE_OIDS} and past four times the ALLOCs read so far (a trace
     * of a long-lived JVM, or a crafted one) go to a map, so memory follows the ALLOCs a trace holds, not
     * the ids they name.
     */
    /** Per dense object id: 1 + its class id (0: no ALLOC read); WIDE: in sparseClass (a class id past 65 533). */
    private char[] objectClass = new char[1024];
    private static final char WIDE_CLASS = 0xffff;
    private final Map<Integer, Integer> sparseClass = new HashMap<>();
    private static final int DENSE_OIDS = 1 << 20;
    private long allocs;
    private final Map<Integer, String> objectName = new HashMap<>();
    /** One bit per dense object id: it has a NAME (the detectors ask per access; the map would box the id). */
    private long[] namedBits = new long[16];
    private int sparseNamed;
    /** Per object id: role code (0: none declared), the role's CPU and index (ROLE events, format 3). */
    private byte[] objectRole = new byte[1024];
    /** The role's CPU and index as shorts; WIDE_ROLE: the value is in wideRole (cpu << 32 | index). */
    private short[] roleCpu = new short[1024];
    private short[] roleIndex = new short[1024];
    private static final short WIDE_ROLE = Short.MIN_VALUE;
    private final Map<Integer, Long> wideRole = new HashMap<>();

    public Map<String, String> header() {
        return Collections.unmodifiableMap(header);
    }

    public String header(String key) {
        return header.get(key);
    }

    public int formatVersion() {
        String v = header.get(TraceFormat.KEY_VERSION);
        return v == null ? -1 : Integer.parseInt(v);
    }

    public Site site(int id) {
        return id >= 0 && id < sites.size() ? sites.get(id) : null;
    }

    public FieldInfo field(int id) {
        return id >= 0 && id < fields.size() ? fields.get(id) : null;
    }

    public String className(int id) {
        return id >= 0 && id < classes.size() ? classes.get(id) : null;
    }

    public ThreadInfo thread(int id) {
        return id >= 0 && id < threads.size() ? threads.get(id) : null;
    }

    public List<ThreadInfo> threads() {
        return Collections.unmodifiableList(threads);
    }

    public List<Site> sites() {
        return Collections.unmodifiableList(sites);
    }

    public List<FieldInfo> fields() {
        return Collections.unmodifiableList(fields);
    }

    /** The class of object {@code oid}, or null if no ALLOC for it has been read. */
    public String objectClass(int oid) {
        int c = oid >= 0 && oid < objectClass.length ? objectClass[oid] : 0;
        if ((c == 0 || c == WIDE_CLASS) && !sparseClass.isEmpty()) {
            c = sparseClass.getOrDefault(oid, 0);
        }
        return c == 0 ? null : className(c - 1);
    }

    /** Whether a NAME event gave this object a kernel name (cheap: no string is built). */
    public boolean isNamed(int oid) {
        if (oid >= 0 && (oid >>> 6) < namedBits.length && (namedBits[oid >>> 6] & (1L << (oid & 63))) != 0) {
            return true;
        }
        return sparseNamed > 0 && objectName.containsKey(oid);
    }

    /** The structural role the engine declared for this object (a ROLE event), or null if none (yet). */
    public ObjectRole objectRole(int oid) {
        int r = oid >= 0 && oid < objectRole.length ? objectRole[oid] : 0;
        return r == 0 ? null : ObjectRole.ofCode(r);
    }

    /** The CPU of the object's role (the queue's CPU, the cfd's source CPU), or -1. */
    public int roleCpu(int oid) {
        if (oid < 0 || oid >= roleCpu.length || objectRole[oid] == 0) {
            return -1;
        }
        return roleCpu[oid] != WIDE_ROLE ? roleCpu[oid] : (int) (wideRole.get(oid) >> 32);
    }

    /** The index of the object's role (a cfd CSD's destination, a task's pid), or -1. */
    public int roleIndex(int oid) {
        if (oid < 0 || oid >= roleIndex.length || objectRole[oid] == 0) {
            return -1;
        }
        return roleIndex[oid] != WIDE_ROLE ? roleIndex[oid] : (int) (long) wideRole.get(oid);
    }

    /** The kernel name of an object, falling back to Class#oid. */
    public String objectName(int oid) {
        if (oid == 0) {
            return "NULL";
        }
        String n = objectName.get(oid);
        if (n != null) {
            return n;
        }
        String c = objectClass(oid);
        return (c == null ? "object" : typeName(c)) + "#" + oid;
    }

    /**
     * A class as a C-like type name, never a JVM descriptor: "smptrace.engine.smp.call_single_data" ->
     * "call_single_data", "[I" -> "int[]", "[Lsmptrace.engine.smp.call_single_data;" -> "call_single_data[]",
     * a nested class "Llist$Node" -> "Node".
     */
    public static String typeName(String jvmClass) {
        int dims = 0;
        while (dims < jvmClass.length() && jvmClass.charAt(dims) == '[') {
            dims++;
        }
        String base = jvmClass.substring(dims);
        if (dims > 0) {
            switch (base) {
                case "I": base = "int"; break;
                case "J": base = "long"; break;
                case "Z": base = "bool"; break;
                case "B": base = "u8"; break;
                case "S": base = "short"; break;
                case "C": base = "char"; break;
                case "F": base = "float"; break;
                case "D": base = "double"; break;
                default:
                    if (base.startsWith("L") && base.endsWith(";")) {
                        base = base.substring(1, base.length() - 1);
                    }
            }
        }
        base = base.replace('/', '.');
        base = base.substring(base.lastIndexOf('.') + 1);
        base = base.substring(base.lastIndexOf('$') + 1);
        return base + "[]".repeat(dims);
    }

    /** "csd_data[2].u_flags": the object's name and the field (or [index] for arrays). */
    public String locationName(long loc) {
        int oid = Event.oidOf(loc);
        int slot = Event.slotOf(loc);
        String cls = objectClass(oid);
        if (cls != null && cls.startsWith("[")) {
            return objectName(oid) + "[" + slot + "]";
        }
        FieldInfo f = field(slot);
        return objectName(oid) + "." + (f == null ? "field" + slot : f.name());
    }

    // ---- filled by readers and writers of the format --------------------------------------------

    public void putHeader(String k, String v) {
        header.put(k, v);
    }

    public void addSite(Site s) {
        put(sites, s.id(), s);
    }

    public void addField(FieldInfo f) {
        put(fields, f.id(), f);
    }

    public void addClass(int id, String name) {
        put(classes, id, name);
    }

    public void addThread(ThreadInfo t) {
        put(threads, t.id(), t);
    }

    public void objectAllocated(int oid, int classId) {
        if (oid < 0) {
            return;
        }
        allocs++;
        if (!dense(oid) || classId + 1 >= WIDE_CLASS) {
            sparseClass.put(oid, classId + 1);
            if (oid < objectClass.length) {
                objectClass[oid] = WIDE_CLASS;
            }
            return;
        }
        if (oid >= objectClass.length) {
            objectClass = java.util.Arrays.copyOf(objectClass, Math.max(oid + 1, objectClass.length * 2));
        }
        objectClass[oid] = (char) (classId + 1);
    }

    private boolean dense(int oid) {
        return oid < DENSE_OIDS || oid < 4 * allocs;
    }

    public void objectNamed(int oid, String name) {
        objectName.put(oid, name);
        if (oid >= 0 && (oid < objectClass.length || dense(oid))) {
            int w = oid >>> 6;
            if (w >= namedBits.length) {
                namedBits = java.util.Arrays.copyOf(namedBits, Math.max(w + 1, namedBits.length * 2));
            }
            namedBits[w] |= 1L << (oid & 63);
        } else {
            sparseNamed++;
        }
    }

    public void objectRole(int oid, int role, int cpu, int index) {
        if (oid < 0 || role <= 0 || role > 127) {
            return;
        }
        if (oid >= objectRole.length) {
            int n = Math.max(oid + 1, objectRole.length * 2);
            objectRole = java.util.Arrays.copyOf(objectRole, n);
            roleCpu = java.util.Arrays.copyOf(roleCpu, n);
            roleIndex = java.util.Arrays.copyOf(roleIndex, n);
        }
        objectRole[oid] = (byte) role;
        if (cpu > WIDE_ROLE && cpu <= Short.MAX_VALUE && index > WIDE_ROLE && index <= Short.MAX_VALUE) {
            roleCpu[oid] = (short) cpu;
            roleIndex[oid] = (short) index;
            if (!wideRole.isEmpty()) {
                wideRole.remove(oid);
            }
        } else {
            roleCpu[oid] = WIDE_ROLE;
            roleIndex[oid] = WIDE_ROLE;
            wideRole.put(oid, (long) cpu << 32 | (index & 0xffffffffL));
        }
    }

    private static <T> void put(List<T> list, int id, T v) {
        while (list.size() <= id) {
            list.add(null);
        }
        list.set(id, v);
    }
}

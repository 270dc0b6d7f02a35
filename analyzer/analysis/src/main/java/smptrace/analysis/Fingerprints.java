package smptrace.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.FieldInfo;
import smptrace.trace.Site;
import smptrace.trace.TraceInfo;

/**
 * The one definition of a finding's fingerprint: what went wrong, where, in the kernel's words.
 *
 * <p>A fingerprint is the first 16 hex digits of SHA-256 over the canonical key text
 * {@code kind|rule|component|component...}. Its components name only things that are the same in
 * every run of the same code:
 * <ul>
 *   <li>the <b>kernel function</b> of an access ({@code csd_lock}, {@code llist_add}), never its
 *       file:line: an edit of the engine that moves lines does not change it; lambdas count as the
 *       method that wrote them;</li>
 *   <li>the <b>access kind</b> ({@code W_PLAIN}, {@code RMW_ACQUIRE}, ...) where the event is at hand;</li>
 *   <li>the <b>object or field role</b>: the kernel name with every number abstracted
 *       ({@code cfd_data[*].csd[*]}, {@code per_cpu(csd_data, *).u_flags}), so the CPU a seed picked does
 *       not matter; an unnamed object by its struct ({@code scf_check.scfc_data}), never by its id.</li>
 * </ul>
 * Never: timestamps, object ids, event numbers, thread ids, the seed, the order in which a run met
 * the two sides of a symmetric finding (such pairs are sorted). Detectors hand the components to
 * {@link Finding.Builder#key}; this class is where their spelling is defined.
 */
public final class Fingerprints {
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern LAMBDA = Pattern.compile("lambda\\$(.+?)\\$\\d+");

    private Fingerprints() { }

    /** The fingerprint of a canonical key text. */
    public static String hash(String canonical) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                b.append(String.format("%02x", d[i]));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kernel name with its CPU and slot numbers abstracted: "cfd_data[0].csd[2]" -> "cfd_data[*].csd[*]". */
    public static String role(String kernelName) {
        return NUMBER.matcher(kernelName).replaceAll("*");
    }

    /** An object's role: its kernel name abstracted, or its struct's simple class name when it has no kernel name. */
    static String objectRole(TraceInfo info, int oid) {
        if (oid == 0) {
            return "NULL";
        }
        if (info.isNamed(oid)) {
            return role(info.objectName(oid));
        }
        return simpleClass(info.objectClass(oid));
    }

    /** A location's role: the object's role and the field (or "[*]" for an array element). */
    static String locationRole(TraceInfo info, long loc) {
        int oid = Event.oidOf(loc);
        String cls = info.objectClass(oid);
        if (cls != null && cls.startsWith("[")) {
            return objectRole(info, oid) + "[*]";
        }
        FieldInfo f = info.field(Event.slotOf(loc));
        return objectRole(info, oid) + "." + (f == null ? "?" : f.name());
    }

    /**
     * The kernel function of a site: the engine's methods are named after kernel/smp.c's functions, so
     * for the model's own packages the method alone (a method that moves to another class keeps its
     * fingerprint); for other code (the agent on users' classes) the simple class and method.
     */
    static String function(TraceInfo info, int site) {
        Site s = info.site(site);
        if (s == null) {
            return "?";
        }
        String m = s.method();
        java.util.regex.Matcher l = LAMBDA.matcher(m);
        if (l.matches()) {
            m = l.group(1);
        }
        String cls = s.className();
        if (cls.startsWith("smptrace.engine.") || cls.startsWith("smptrace.kernel.")) {
            return m;
        }
        String simple = simpleClass(cls);
        int dollar = simple.indexOf('$');
        return (dollar > 0 ? simple.substring(0, dollar) : simple) + "." + m;
    }

    /** One access: "function:KIND" ("csd_lock:RMW_ACQUIRE"). */
    static String access(TraceInfo info, int site, EventKind kind) {
        return function(info, site) + ":" + kind.name();
    }

    /** Two components of a symmetric finding, in one order whatever order the run met them in. */
    static String unordered(String x, String y) {
        return x.compareTo(y) <= 0 ? x + "&" + y : y + "&" + x;
    }

    private static String simpleClass(String cls) {
        return cls == null ? "obj" : cls.substring(cls.lastIndexOf('.') + 1);
    }
}

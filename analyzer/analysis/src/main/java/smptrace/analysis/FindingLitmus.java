package smptrace.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smptrace.litmus.Decision;
import smptrace.litmus.LitmusBuilder;
import smptrace.litmus.LitmusDecider;
import smptrace.litmus.LitmusTest;
import smptrace.litmus.LitmusWriter;
import smptrace.lkmm.Tag;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Turns a finding of the trace analyzer into a litmus test: per thread the ordered accesses the
 * trace recorded (kind, location name, value), an initial state, and the bad outcome (which read
 * saw which value, optionally final memory values). The test is built with {@link LitmusBuilder},
 * decided with {@link LitmusDecider} and written with {@link LitmusWriter} (with the verdict as its
 * Result line), so that {@code smptrace litmus FILE} decides (and runs) it again.
 *
 * <pre>{@code
 * FindingLitmus f = new FindingLitmus("MP-finding")
 *     .thread(List.of(Access.write(EventKind.W_ONCE, "data", 1), Access.write(EventKind.W_ONCE, "flag", 1)))
 *     .thread(List.of(Access.read(EventKind.R_ONCE, "flag", 1), Access.read(EventKind.R_ONCE, "data", 0)))
 *     .badRead(1, 0, 1).badRead(1, 1, 0);          // P1's access 0 saw 1, its access 1 saw 0
 * Decision d = f.decide();                          // Sometimes: no ordering on either side
 * String text = f.write();                           // "C MP-finding ... exists (1:r0=1 /\ 1:r1=0)"
 * }</pre>
 *
 * <p>Mapping, per trace event kind: reads ({@code R_ONCE}, {@code R_DEREF} → READ_ONCE,
 * {@code R_ACQUIRE} → smp_load_acquire, {@code R_PLAIN} → a plain load) into register
 * {@code r<i>}, i the access's index in its thread; writes ({@code W_ONCE} → WRITE_ONCE,
 * {@code W_RELEASE}/{@code W_ASSIGN} → smp_store_release, {@code W_PLAIN} → a plain store);
 * successful value-returning RMWs → {@code cmpxchg{,_acquire,_release,_relaxed}(x, old, new)} with
 * the old value the trace read (it writes exactly when it reads what it read in the trace; the
 * trace does not say whether the code was an xchg); {@code RMW_NORETURN} → {@code atomic_add(new - old)};
 * failed RMWs → {@code cmpxchg(x, expected, expected + 1)} with the recorded ordering; {@code LOCK}
 * → spin_lock, {@code UNLOCK} → spin_unlock, {@code LOCK_FAIL} (spinning) dropped; fences by their
 * ordering ({@code F_ACQUIRE_AFTER_CTRL_DEP} as smp_rmb, as the kernel defines it); control events
 * dropped. Dependencies (addr/data/ctrl) are not in a trace and are not exported: the test is the
 * finding without them, which can only allow more.
 */
public final class FindingLitmus {

    /**
     * One recorded access: its kind, location name, value (read, or written), {@code value2} (an
     * RMW's new value, a failed RMW's expected value), and for a pointer value the name of the
     * location it points to (else null).
     */
    public record Access(EventKind kind, String location, long value, long value2, String pointsTo) {
        public static Access read(EventKind kind, String location, long value) {
            return new Access(kind, location, value, 0, null);
        }

        public static Access write(EventKind kind, String location, long value) {
            return new Access(kind, location, value, 0, null);
        }

        public static Access rmw(EventKind kind, String location, long old, long value) {
            return new Access(kind, location, old, value, null);
        }

        public static Access fence(EventKind kind) {
            return new Access(kind, null, 0, 0, null);
        }

        /** A copy of a trace event, its location named by the caller (e.g. TraceInfo.locationName). */
        public static Access of(Event e, String locationName) {
            return new Access(e.kind, locationName, e.value, e.value2, null);
        }
    }

    private final String name;
    private final Map<String, Long> init = new LinkedHashMap<>();
    private final Map<String, String> initPointers = new LinkedHashMap<>();
    private final List<List<Access>> threads = new ArrayList<>();
    private final List<String> outcome = new ArrayList<>();

    public FindingLitmus(String name) {
        this.name = name;
    }

    /** A location's initial value (0 otherwise). */
    public FindingLitmus init(String location, long value) {
        init.put(location, value);
        return this;
    }

    /** A pointer location's initial target. */
    public FindingLitmus initPointer(String location, String target) {
        initPointers.put(location, target);
        return this;
    }

    /** The next thread (P0, P1, ...): its accesses in program order. */
    public FindingLitmus thread(List<Access> accesses) {
        threads.add(List.copyOf(accesses));
        return this;
    }

    /** Part of the bad outcome: access {@code index} of thread {@code thread} (a read) saw {@code value}. */
    public FindingLitmus badRead(int thread, int index, long value) {
        outcome.add(thread + ":" + register(thread, index) + "=" + value);
        return this;
    }

    /** Part of the bad outcome: the read saw the address of {@code target}. */
    public FindingLitmus badReadPointer(int thread, int index, String target) {
        outcome.add(thread + ":" + register(thread, index) + "=" + target);
        return this;
    }

    /** Part of the bad outcome: {@code location}'s final value. */
    public FindingLitmus finalValue(String location, long value) {
        outcome.add(location + "=" + value);
        return this;
    }

    private String register(int thread, int index) {
        if (thread >= threads.size() || index >= threads.get(thread).size()) {
            throw new IllegalArgumentException("no access " + index + " in thread " + thread);
        }
        if (!threads.get(thread).get(index).kind().reads()) {
            throw new IllegalArgumentException("access " + index + " of thread " + thread + " ("
                + threads.get(thread).get(index).kind() + ") reads nothing");
        }
        return "r" + index;
    }

    /** The litmus test: the threads' accesses and {@code exists} of the bad outcome. */
    public LitmusTest build() {
        if (outcome.isEmpty()) {
            throw new IllegalStateException("no bad outcome: call badRead(...) or finalValue(...)");
        }
        LitmusBuilder b = new LitmusBuilder(name);
        init.forEach(b::init);
        initPointers.forEach(b::initPointer);
        for (List<Access> t : threads) {
            b.thread(tb -> {
                for (int i = 0; i < t.size(); i++) {
                    access(tb, t.get(i), "r" + i);
                }
            });
        }
        return b.exists(String.join(" /\\ ", outcome)).build();
    }

    /** The LKMM's verdict on the bad outcome. */
    public Decision decide() {
        return new LitmusDecider().decide(build());
    }

    /** The test as litmus text, with the model's verdict as its Result line. */
    public String write() {
        LitmusTest t = build();
        Decision d = new LitmusDecider().decide(t);
        return new LitmusWriter().write(t, d.verdict() == Decision.Verdict.UNSUPPORTED ? null : d.resultText());
    }

    private static void access(LitmusBuilder.ThreadBuilder tb, Access a, String reg) {
        EventKind k = a.kind();
        switch (k) {
            case R_ONCE, R_DEREF -> tb.load(reg, a.location(), Tag.ONCE);
            case R_ACQUIRE -> tb.load(reg, a.location(), Tag.ACQUIRE);
            case R_PLAIN -> tb.load(reg, a.location(), Tag.PLAIN);
            case W_ONCE, W_RELEASE, W_ASSIGN, W_PLAIN -> {
                Tag t = k == W_ONCE_KIND ? Tag.ONCE : k == EventKind.W_PLAIN ? Tag.PLAIN : Tag.RELEASE;
                if (a.pointsTo() != null) {
                    tb.storePointer(a.location(), a.pointsTo(), t);
                } else {
                    tb.store(a.location(), a.value(), t);
                }
            }
            case RMW_MB, RMW_ACQUIRE, RMW_RELEASE, RMW_RELAXED -> tb.cmpxchg(reg, a.location(), a.value(), a.value2(),
                LkmmSync.tagOf(k.order));
            case RMW_NORETURN -> tb.atomicOp("+", a.value2() - a.value(), a.location());
            case RMW_FAIL_MB, RMW_FAIL_ACQUIRE, RMW_FAIL_RELEASE, RMW_FAIL_RELAXED -> tb.cmpxchg(reg, a.location(),
                a.value2(), a.value2() + 1, LkmmSync.tagOf(k.order));
            case LOCK -> tb.lock(a.location());
            case UNLOCK -> tb.unlock(a.location());
            case F_MB -> tb.fence(Tag.MB);
            case F_WMB -> tb.fence(Tag.WMB);
            case F_RMB, F_ACQUIRE_AFTER_CTRL_DEP -> tb.fence(Tag.RMB);
            case F_BEFORE_ATOMIC -> tb.fence(Tag.BEFORE_ATOMIC);
            case F_AFTER_ATOMIC -> tb.fence(Tag.AFTER_ATOMIC);
            case F_AFTER_SPINLOCK -> tb.fence(Tag.AFTER_SPINLOCK);
            case F_BARRIER -> tb.fence(Tag.BARRIER);
            case F_SYNC_RCU -> tb.fence(Tag.SYNC_RCU);
            case RCU_READ_LOCK -> tb.fence(Tag.RCU_LOCK);
            case RCU_READ_UNLOCK -> tb.fence(Tag.RCU_UNLOCK);
            default -> {
                // LOCK_FAIL (a spin_lock's failed attempts), CPU_RELAX and control events: not part of the test
            }
        }
    }

    private static final EventKind W_ONCE_KIND = EventKind.W_ONCE;
}

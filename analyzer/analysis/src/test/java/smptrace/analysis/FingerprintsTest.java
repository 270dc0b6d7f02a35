package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import smptrace.trace.EventKind;

/**
 * A fingerprint names what went wrong where in the kernel's words: it survives moved lines, other object
 * ids, other CPUs and the order in which the run met the two sides; it changes with the function, the
 * access or the object's role. (FingerprintsIT checks the same on recorded traces of the engine.)
 */
class FingerprintsTest {
    /**
     * The R1 / two-owner shape of CsdOwnershipDetectorTest, parameterised by everything a fingerprint must
     * not see: line shift, objects allocated before (ids), the CPU of the queue and the tasks, which
     * context comes first, and the acquiring function's name.
     */
    private static Set<String> fingerprints(int lineShift, int objectsBefore, int queueCpu, boolean swap, String acquire)
            throws Exception {
        TraceBuilder t = new TraceBuilder();
        t.lineShift = lineShift;
        for (int i = 0; i < objectsBefore; i++) {
            t.object("filler" + i, "smptrace.test.Filler");
        }
        String queue = "per_cpu(call_single_queue, " + queueCpu + ")";
        t.object("cfd_data[" + (queueCpu + 1) % 4 + "].csd[" + queueCpu + "]", "smptrace.engine.smp.call_single_data")
                .object(queue, "smptrace.kernel.LlistHead");
        String x = "cfd_data[" + (queueCpu + 1) % 4 + "].csd[" + queueCpu + "]";
        TraceBuilder.Ctx a = t.task(1, "A", 1, (queueCpu + 1) % 4);
        TraceBuilder.Ctx b = t.task(2, "B", 2, (queueCpu + 2) % 4);
        TraceBuilder.Ctx c = t.task(3, "C", 3, queueCpu);
        TraceBuilder.Ctx first = swap ? b : a;
        TraceBuilder.Ctx second = swap ? a : b;
        lockAndQueue(t, first, x, queue, acquire);
        c.irqEnter().rmw(EventKind.RMW_MB, queue, "first", t.oid(x), 0).at("llist_del_all").r(x, "u_flags", 1).at("flush")
                .mem(EventKind.W_RELEASE, x, "u_flags", 0).at("csd_unlock").irqExit();
        second.mem(EventKind.R_ONCE, x, "u_flags", 0).at("csd_lock_wait").fence(EventKind.F_ACQUIRE_AFTER_CTRL_DEP);
        lockAndQueue(t, second, x, queue, acquire);
        AnalysisResult r = t.analyze();
        Set<String> s = new TreeSet<>();
        for (Finding f : r.problems()) {
            s.add(f.fingerprint + " " + f.fingerprintKey);
        }
        assertFalse(s.isEmpty(), "the shape has findings");
        return s;
    }

    private static void lockAndQueue(TraceBuilder t, TraceBuilder.Ctx c, String x, String queue, String acquire) {
        // every access names its function: the builder's default site is the event's position in the trace
        c.preemptDisable().r(x, "u_flags", 0).at(acquire).w(x, "u_flags", 1).at(acquire).w(x, "func", 7).at("csd_do_func")
                .mem(EventKind.R_ONCE, queue, "first", 0).at("llist_add_batch").w(x, "next", 0).at("llist_add_batch")
                .rmw(EventKind.RMW_MB, queue, "first", 0, t.oid(x)).at("llist_add_batch").preemptEnable();
    }

    @Test
    void theSameBugHasTheSameFingerprintWhateverLinesIdsCpusAndOrder() throws Exception {
        Set<String> base = fingerprints(0, 0, 1, false, "csd_lock");
        assertEquals(base, fingerprints(137, 0, 1, false, "csd_lock"), "lines moved");
        assertEquals(base, fingerprints(0, 25, 1, false, "csd_lock"), "other object ids");
        assertEquals(base, fingerprints(0, 0, 3, false, "csd_lock"), "another CPU");
        assertEquals(base, fingerprints(0, 0, 1, true, "csd_lock"), "the other context first");
        assertEquals(base, fingerprints(51, 7, 2, true, "csd_lock"), "all at once");
    }

    @Test
    void anotherFunctionIsAnotherBug() throws Exception {
        Set<String> a = fingerprints(0, 0, 1, false, "csd_lock");
        Set<String> b = fingerprints(0, 0, 1, false, "csd_lock_nodebug");
        Set<String> shared = new TreeSet<>(a);
        shared.retainAll(b);
        // only findings that do not involve the acquiring function may coincide
        for (String s : shared) {
            assertFalse(s.contains("csd_lock"), s);
        }
        assertNotEquals(a, b);
    }

    @Test
    void rolesAbstractNumbersAndFunctionsNameTheMethodNotTheLine() {
        assertEquals("cfd_data[*].csd[*]", Fingerprints.role("cfd_data[0].csd[2]"));
        assertEquals("per_cpu(csd_data, *).u_flags", Fingerprints.role("per_cpu(csd_data, 13).u_flags"));
        assertEquals(Fingerprints.unordered("b", "a"), Fingerprints.unordered("a", "b"));
        smptrace.trace.TraceInfo info = new smptrace.trace.TraceInfo();
        info.addSite(new smptrace.trace.Site(0, "smptrace.engine.smp.Smp", "csd_lock", "Smp.java", 489));
        info.addSite(new smptrace.trace.Site(1, "smptrace.engine.smp.SmpSplit", "csd_lock", "SmpSplit.java", 12));
        info.addSite(new smptrace.trace.Site(2, "smptrace.engine.scenario.Scenarios", "lambda$req$3", "Scenarios.java", 36));
        info.addSite(new smptrace.trace.Site(3, "com.example.Mailbox$Inner", "send", "Mailbox.java", 7));
        assertEquals("csd_lock", Fingerprints.function(info, 0));
        assertEquals(Fingerprints.function(info, 0), Fingerprints.function(info, 1), "a kernel function that moved file");
        assertEquals("req", Fingerprints.function(info, 2));
        assertEquals("Mailbox.send", Fingerprints.function(info, 3));
        assertTrue(Fingerprints.hash("a").matches("[0-9a-f]{16}"));
        assertNotEquals(Fingerprints.hash("lock-ownership-race|two-owners|x"), Fingerprints.hash("lock-ownership-race|two-owners|y"));
    }
}

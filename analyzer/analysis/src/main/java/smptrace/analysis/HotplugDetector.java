package smptrace.analysis;

import java.util.Arrays;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Lost IPIs across CPU hotplug (patches.md seeds 003 L4 and 004).
 *
 * <ul>
 *   <li><b>observed</b>: an llist_add to CPU d's call_single_queue after d's dying flush
 *       (smpcfd_dying_cpu) while d is offline: the work is never run, the IPI goes to a dead CPU.</li>
 *   <li><b>predicted (L4)</b>: a task enqueues to CPU d's queue while the cpu_online() check that admitted d
 *       (the first read of cpu_online_mask since the task's last pinned section ended, showing d online)
 *       lies outside the enqueue's preemption-disabled section. stop_machine's stopper can run between
 *       the two, take d down and flush its queue. Reported whether or not hotplug happened in the run.
 *       Only for the nodes whose senders admit the target by that check: CSDs ({@code CSD_TYPE_ASYNC},
 *       {@code CSD_TYPE_SYNC}; smp_call_function_single() and friends return -ENXIO for an offline CPU). A
 *       {@code CSD_TYPE_IRQ_WORK} node is not admitted by any check: irq_work_queue_on() enqueues whatever
 *       its {@code WARN_ON_ONCE(cpu_is_offline(cpu))} saw ("All work should have been flushed before going
 *       offline": keeping the target online is its caller's contract, not a check of kernel/smp.c), so an
 *       online-mask read before it admits nothing. The node's type is the last u_flags value the trace
 *       shows written to it.</li>
 * </ul>
 */
final class HotplugDetector implements Detector {
    private boolean[] offline = new boolean[8];
    private boolean[] dyingDone = new boolean[8];
    private int[] flushReason = new int[8];          // per recording stream: the reason of the flush it runs
    private EventRef[] dyingFlushRef = new EventRef[8];

    // per slot: the first cpu_online_mask read since its last pinned section ended
    private long[] firstOnlineValue = new long[16];
    private int[] firstOnlinePin = new int[16];
    private int[] firstOnlineSite = new int[16];
    private long[] firstOnlineSeq = new long[16];
    private int[] firstOnlineThread = new int[16];
    private int[] firstOnlineCpu = new int[16];
    private boolean[] hasFirst = new boolean[16];
    /** Per node: the last u_flags value written to it (its CSD_TYPE_* bits say which API queued it). */
    private final IntIntMap nodeFlags = new IntIntMap();
    private static final int CSD_FLAG_TYPE_MASK = KernelFacts.CSD_FLAG_TYPE_MASK;
    private static final int CSD_TYPE_IRQ_WORK = KernelFacts.CSD_TYPE_IRQ_WORK;

    @Override
    public String name() {
        return "lost-ipi";
    }

    /** Memory events and the four control kinds onEvent keeps state for; any other kind only sizes the slot arrays. */
    @Override
    public java.util.Set<EventKind> kinds() {
        return Detector.memoryAnd(EventKind.CPU_ONLINE, EventKind.FLUSH_BEGIN, EventKind.FLUSH_END,
                EventKind.PREEMPT_ENABLE);
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        int s = a.hb.slot();
        ensureSlot(s);
        switch (e.kind) {
            case CPU_ONLINE: {
                int c = (int) e.a;
                ensureCpu(c);
                offline[c] = e.b == 0;
                if (e.b != 0) {
                    dyingDone[c] = false;
                }
                return;
            }
            case FLUSH_BEGIN:
                ensureThread(e.thread);
                flushReason[e.thread] = (int) e.b;
                return;
            case FLUSH_END: {
                ensureThread(e.thread);
                if (flushReason[e.thread] == 2) {
                    int c = (int) e.a;
                    ensureCpu(c);
                    dyingDone[c] = true;
                    dyingFlushRef[c] = a.ref(e);
                }
                flushReason[e.thread] = -1;
                return;
            }
            case PREEMPT_ENABLE:
                if (e.a <= 0) {
                    hasFirst[s] = false;
                }
                return;
            default:
                break;
        }
        if (!e.kind.isMemory()) {
            return;
        }
        byte role = a.role;
        int oid = Event.oidOf(e.loc);
        if (role == KernelFacts.U_FLAGS && e.kind.writes()) {
            nodeFlags.put(oid, (int) (e.kind.shape == EventKind.Shape.RMW ? e.value2 : e.value));
            return;
        }
        if (role == KernelFacts.MASK_BITS && e.kind.reads() && a.facts.objectKind(oid) == 4) {
            if (!hasFirst[s] && !a.hb.isIrq(s) && !a.hb.isBoot(s)) {
                hasFirst[s] = true;
                firstOnlineValue[s] = e.value;
                firstOnlinePin[s] = a.hb.pin(s);
                firstOnlineSite[s] = e.site;
                firstOnlineSeq[s] = e.seq;
                firstOnlineThread[s] = e.thread;
                firstOnlineCpu[s] = e.cpu;
            }
            return;
        }
        if (role != KernelFacts.QUEUE_FIRST || e.kind.shape != EventKind.Shape.RMW || e.value2 == 0
                || a.facts.objectKind(oid) != 1) {
            return;
        }
        int d = a.facts.objectCpu(oid);
        if (d < 0) {
            return;
        }
        ensureCpu(d);
        if (offline[d] && dyingDone[d]) {
            Finding.Builder f = new Finding.Builder(Finding.Kind.LOST_IPI, false, "after-dying-flush")
                    .summary("work queued to CPU" + d + " after its dying flush while it is offline: it never runs")
                    .key(a.facts.objectKey(oid)).key(a.facts.access(e))
                    .event(dyingFlushRef[d]).event(a.ref(e))
                    .witness("1. " + dyingFlushRef[d].text() + "   -- smpcfd_dying_cpu() flushed CPU" + d + "'s queue")
                    .witness("2. " + a.ref(e).text() + "   -- llist_add() onto the dead CPU's queue");
            a.report(f.build());
        }
        int flags = nodeFlags.get((int) e.value2);
        boolean admitted = flags < 0 || (flags & CSD_FLAG_TYPE_MASK) != CSD_TYPE_IRQ_WORK;
        if (admitted && !a.hb.isIrq(s) && !a.hb.isBoot(s) && hasFirst[s] && (firstOnlineValue[s] >> d & 1) != 0) {
            int pin = a.hb.pin(s);
            if (pin == 0 || firstOnlinePin[s] != pin) {
                EventRef check = checkRef(a, s);
                Finding.Builder f = new Finding.Builder(Finding.Kind.LOST_IPI, true, "L4")
                        .summary("the cpu_online() check that admitted CPU" + d + " and the llist_add() onto its queue are "
                                + "not in one preemption-disabled section")
                        .key(a.facts.fn(firstOnlineSite[s])).key(a.facts.access(e))
                        .event(check).event(a.ref(e))
                        .witness("1. " + check.text() + "   -- CPU" + d + " online" + (firstOnlinePin[s] == 0 ? ", preemptible" : ""))
                        .witness("   predicted: the stopper runs here; take_cpu_down() clears CPU" + d
                                + "'s online bit and smpcfd_dying_cpu() flushes its (empty) queue")
                        .witness("2. " + a.ref(e).text() + "   -- enqueues to the dead CPU; the IPI is lost");
                a.report(f.build());
            }
        }
    }

    private EventRef checkRef(Analysis a, int s) {
        smptrace.trace.Site site = a.info.site(firstOnlineSite[s]);
        smptrace.trace.ThreadInfo t = a.info.thread(firstOnlineThread[s]);
        return new EventRef(firstOnlineThread[s], t == null ? "?" : t.name(), firstOnlineSeq[s], "task", firstOnlineCpu[s],
                "R cpu_online_mask", "cpu_online_mask.bits", Long.toString(firstOnlineValue[s]),
                site == null ? null : site.method(), site == null ? null : site.file(), site == null ? 0 : site.line());
    }

    @Override
    public void onFree(int o, Analysis a) {
        nodeFlags.remove(o);
    }

    @Override
    public void finish(Analysis a) {
    }

    private void ensureCpu(int c) {
        if (c >= offline.length) {
            int n = Math.max(c + 1, offline.length * 2);
            offline = Arrays.copyOf(offline, n);
            dyingDone = Arrays.copyOf(dyingDone, n);
            dyingFlushRef = Arrays.copyOf(dyingFlushRef, n);
        }
    }

    private void ensureThread(int t) {
        if (t >= flushReason.length) {
            flushReason = Arrays.copyOf(flushReason, Math.max(t + 1, flushReason.length * 2));
        }
    }

    private void ensureSlot(int s) {
        if (s >= hasFirst.length) {
            int n = Math.max(s + 1, hasFirst.length * 2);
            firstOnlineValue = Arrays.copyOf(firstOnlineValue, n);
            firstOnlinePin = Arrays.copyOf(firstOnlinePin, n);
            firstOnlineSite = Arrays.copyOf(firstOnlineSite, n);
            firstOnlineSeq = Arrays.copyOf(firstOnlineSeq, n);
            firstOnlineThread = Arrays.copyOf(firstOnlineThread, n);
            firstOnlineCpu = Arrays.copyOf(firstOnlineCpu, n);
            hasFirst = Arrays.copyOf(hasFirst, n);
        }
    }
}

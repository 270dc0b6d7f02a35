package smptrace.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Event;
import smptrace.trace.EventKind;

/**
 * Per-CPU scratch and preemption (patches.md seed 003, rules L1, L2, L3, L5): cfd_data[c].cpumask,
 * cfd_data[c].cpumask_ipi and the owner's stores to cfd_data[c].csd[*] (acquiring it, filling func/info/src/dst)
 * belong to the task that holds PIN[c] (preemption disabled on CPU c). Reported (predicted) when a task
 * touches such scratch outside a section pinned on c (L1, L3, L5), or reads a scratch mask in another pinned
 * section than the one that wrote it (L2) — but only for scratch that more than one task uses in the
 * trace, since only then can another task on that CPU reuse it (the init_task / idle fallback to
 * cfd->cpumask is used by that task alone, and is not a bug). Reads of a CSD's u_flags (the ACQ wait,
 * including the ABA re-wait) are allowed after put_cpu().
 */
final class PreemptionWindowDetector implements Detector {
    /** Per scratch object: the tasks that use it (bit per slot, first 64 slots; more are counted as many). */
    private final IntIntMap objIndex = new IntIntMap();
    private long[] users = new long[32];
    private boolean[] manyUsers = new boolean[32];
    private int nobj;
    private final Map<String, Finding.Builder> candidates = new LinkedHashMap<>();
    private final List<Integer> candidateObj = new ArrayList<>();
    // L2: per (slot, object) the pin instance of the slot's last write to the mask
    private final LongIntMap writePin = new LongIntMap();

    @Override
    public String name() {
        return "preemption-window";
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        if (!k.isMemory()) {
            return;
        }
        byte role = a.role;
        if (role != KernelFacts.MASK_BITS && role != KernelFacts.U_FLAGS && role != KernelFacts.CSD_DATA) {
            return;
        }
        int oid = Event.oidOf(e.loc);
        int kind = a.facts.objectKind(oid);
        if (kind != 2 && kind != 3) {
            return;
        }
        int s = a.hb.slot();
        if (a.hb.isBoot(s)) {
            return;
        }
        if (kind == 3) {
            // the owner's stores to a cfd CSD: acquiring (setting LOCK) and filling it; not the target's unlock
            if (!k.writes()) {
                return;
            }
            if (role == KernelFacts.U_FLAGS) {
                long now = k.shape == EventKind.Shape.RMW ? e.value2 : e.value;
                if ((now & KernelFacts.CSD_FLAG_LOCK) == 0) {
                    return;
                }
            }
            if (a.hb.isIrq(s)) {
                return;
            }
        }
        int c = a.facts.objectCpu(oid);
        int o = obj(oid);
        use(o, s);
        int pin = a.hb.pin(s);
        boolean pinnedHere = pin != 0 && e.cpu == c;
        if (!pinnedHere) {
            candidate(a, e, o, c, pin == 0 ? "L1" : "L1", pin == 0
                    ? "touches per-CPU scratch of CPU" + c + " with preemption enabled (after put_cpu() or before get_cpu())"
                    : "touches per-CPU scratch of CPU" + c + " while pinned on CPU" + e.cpu);
            return;
        }
        if (kind == 2) {
            long key = (long) s << 32 | o;
            if (k.writes()) {
                writePin.put(key, pin);
            } else {
                int wp = writePin.get(key);
                if (wp != LongIntMap.MISSING && wp != pin) {
                    candidate(a, e, o, c, "L2", "reads per-CPU scratch of CPU" + c
                            + " in another pinned section than the one that wrote it (preemption was enabled in between)");
                }
            }
        }
    }

    private void candidate(Analysis a, Event e, int o, int c, String rule, String what) {
        String name = a.facts.stableObject(Event.oidOf(e.loc));
        String key = rule + "|" + name + "|" + a.facts.site(e.site);
        if (candidates.containsKey(key)) {
            return;
        }
        EventRef r = a.ref(e);
        Finding.Builder f = new Finding.Builder(Finding.Kind.PREEMPTION_WINDOW, true, rule)
                .summary(r.threadName() + " " + what + ": " + name)
                .key(a.facts.objectKey(Event.oidOf(e.loc))).key(a.facts.access(e))
                .event(r)
                .witness("1. " + r.text())
                .witness("   predicted: another task on CPU" + c + " runs here and reuses " + name);
        candidates.put(key, f);
        candidateObj.add(o);
    }

    @Override
    public void finish(Analysis a) {
        int i = 0;
        for (Finding.Builder f : candidates.values()) {
            int o = candidateObj.get(i++);
            if (manyUsers[o] || Long.bitCount(users[o]) >= 2) {
                a.report(f.build());
            }
        }
    }

    private void use(int o, int s) {
        if (s < 64) {
            users[o] |= 1L << s;
        } else {
            manyUsers[o] = true;
        }
    }

    private int obj(int oid) {
        int o = objIndex.get(oid);
        if (o >= 0) {
            return o;
        }
        o = nobj++;
        if (o >= users.length) {
            users = Arrays.copyOf(users, users.length * 2);
            manyUsers = Arrays.copyOf(manyUsers, manyUsers.length * 2);
        }
        objIndex.put(oid, o);
        return o;
    }
}

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
 * section than the one that wrote it (L2) — but only where another task can reuse that scratch: another
 * task used the same object, or another task ran the code that uses this kind of scratch (the same
 * cfd_data member, of any CPU's cfd_data: this_cpu_ptr() gives it CPU c's when it runs on c) and could run
 * on CPU c (the trace shows it on c, or on more than one CPU). The init_task / idle fallback to
 * cfd->cpumask is used by that task alone (other tasks have task-local masks; an idle task never leaves its
 * CPU), and is not a bug. Reads of a CSD's u_flags (the ACQ wait, including the ABA re-wait) are allowed
 * after put_cpu().
 */
final class PreemptionWindowDetector implements Detector {
    /** Per scratch object: the tasks that use it (bit per slot, first 64 slots; more are counted as many). */
    private final IntIntMap objIndex = new IntIntMap();
    private long[] users = new long[32];
    private boolean[] manyUsers = new boolean[32];
    private int nobj;
    private final Map<String, Finding.Builder> candidates = new LinkedHashMap<>();
    private final List<Integer> candidateObj = new ArrayList<>();
    /** Per candidate: the slot, the CPU whose scratch it touched and the scratch kind (see {@link #group}). */
    private final List<int[]> candidateWho = new ArrayList<>();
    /** Per slot: the CPUs the trace shows it on (bit per CPU, first 64). */
    private long[] cpus = new long[16];
    /** Per scratch kind (cpumask, cpumask_ipi, csd): the slots that used scratch of that kind (first 64 slots). */
    private final long[] groupUsers = new long[3];
    private final boolean[] groupManyUsers = new boolean[3];
    // L2: per (slot, object) the pin instance of the slot's last write to the mask
    private final LongIntMap writePin = new LongIntMap();

    @Override
    public String name() {
        return "preemption-window";
    }

    @Override
    public void onEvent(Event e, Analysis a) {
        EventKind k = e.kind;
        if (e.cpu >= 0 && e.cpu < 64) {
            int s = a.hb.slot();
            if (s >= cpus.length) {
                cpus = Arrays.copyOf(cpus, Math.max(s + 1, cpus.length * 2));
            }
            cpus[s] |= 1L << e.cpu;
        }
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
        int g = group(a, oid, kind);
        if (s < 64) {
            groupUsers[g] |= 1L << s;
        } else {
            groupManyUsers[g] = true;
        }
        int pin = a.hb.pin(s);
        boolean pinnedHere = pin != 0 && e.cpu == c;
        if (!pinnedHere) {
            candidate(a, e, o, s, c, g, "L1", pin == 0
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
                    candidate(a, e, o, s, c, g, "L2", "reads per-CPU scratch of CPU" + c
                            + " in another pinned section than the one that wrote it (preemption was enabled in between)");
                }
            }
        }
    }

    /** The kind of scratch: 0 cfd->cpumask, 1 cfd->cpumask_ipi, 2 a cfd CSD (format 1/2 traces: masks are one kind). */
    private static int group(Analysis a, int oid, int kind) {
        if (kind == 3) {
            return 2;
        }
        return a.facts.objectRole(oid) == smptrace.trace.ObjectRole.CFD_CPUMASK_IPI ? 1 : 0;
    }

    /** Whether a task other than slot s used scratch of kind g and could run on CPU c (seen there or on two CPUs). */
    private boolean anotherCanReuse(int s, int c, int g) {
        if (groupManyUsers[g]) {
            return true;
        }
        for (long m = groupUsers[g] & ~(s < 64 ? 1L << s : 0); m != 0; m &= m - 1) {
            int t = Long.numberOfTrailingZeros(m);
            long on = t < cpus.length ? cpus[t] : 0;
            if (c >= 0 && c < 64 && (on >> c & 1) != 0 || Long.bitCount(on) >= 2) {
                return true;
            }
        }
        return false;
    }

    private void candidate(Analysis a, Event e, int o, int s, int c, int g, String rule, String what) {
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
        candidateWho.add(new int[] {s, c, g});
    }

    @Override
    public void finish(Analysis a) {
        int i = 0;
        for (Finding.Builder f : candidates.values()) {
            int[] who = candidateWho.get(i);
            int o = candidateObj.get(i++);
            if (manyUsers[o] || Long.bitCount(users[o]) >= 2 || anotherCanReuse(who[0], who[1], who[2])) {
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

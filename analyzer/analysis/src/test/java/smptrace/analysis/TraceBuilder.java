package smptrace.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import smptrace.trace.Event;
import smptrace.trace.EventKind;
import smptrace.trace.EventSource;
import smptrace.trace.FieldInfo;
import smptrace.trace.Site;
import smptrace.trace.ThreadInfo;
import smptrace.trace.TraceEnd;
import smptrace.trace.TraceInfo;

/**
 * Builds small in-memory traces for detector tests: events in delivery order, with the context
 * fields the reader would maintain (task, cpu, preempt count, irq, data_race) and reads-from/co
 * computed as the reader does (a read reads the latest earlier write of its location).
 */
final class TraceBuilder {
    private final TraceInfo info = new TraceInfo();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Integer> fields = new HashMap<>();
    private final Map<String, Integer> objects = new HashMap<>();
    private final Map<String, Integer> sites = new HashMap<>();
    private final Map<Long, long[]> co = new HashMap<>(); // loc -> {writes, lastWriterId}
    private final Map<Integer, Ctx> ctxByThread = new HashMap<>();
    private int nextOid = 1;
    /** Added to every site's line: the same code after an edit that moved it (fingerprint tests). */
    int lineShift;

    /** A context: one recording thread running one task. */
    final class Ctx {
        final int thread;
        int task;
        int cpu;
        int preempt;
        boolean irq;
        int irqCount;
        boolean dataRace;
        long seq;

        Ctx(int thread, int task, int cpu) {
            this.thread = thread;
            this.task = task;
            this.cpu = cpu;
        }

        Ctx r(String obj, String field, long v) {
            return mem(EventKind.R_PLAIN, obj, field, v, 0);
        }

        Ctx w(String obj, String field, long v) {
            return mem(EventKind.W_PLAIN, obj, field, v, 0);
        }

        Ctx mem(EventKind k, String obj, String field, long v) {
            return mem(k, obj, field, v, 0);
        }

        Ctx rmw(EventKind k, String obj, String field, long old, long nv) {
            return mem(k, obj, field, old, nv);
        }

        Ctx mem(EventKind k, String obj, String field, long v, long v2) {
            Event e = base(k, "L" + events.size());
            e.loc = loc(obj, field);
            e.value = v;
            e.value2 = v2;
            long[] c = co.computeIfAbsent(e.loc, x -> new long[] {0, -1});
            if (k.writes()) {
                e.rfId = k.reads() ? c[1] : -1;
                c[0]++;
                e.co = c[0];
                c[1] = e.id();
            } else {
                e.co = c[0];
                e.rfId = c[1];
            }
            events.add(e);
            return this;
        }

        Ctx at(String method) {
            events.get(events.size() - 1).site = site(method);
            return this;
        }

        Ctx fence(EventKind k) {
            events.add(base(k, "F"));
            return this;
        }

        Ctx relax() {
            return fence(EventKind.CPU_RELAX);
        }

        Ctx preemptDisable() {
            preempt++;
            Event e = base(EventKind.PREEMPT_DISABLE, "P");
            e.a = preempt;
            events.add(e);
            return this;
        }

        Ctx preemptEnable() {
            preempt--;
            Event e = base(EventKind.PREEMPT_ENABLE, "P");
            e.a = preempt;
            events.add(e);
            return this;
        }

        Ctx irqEnter() {
            Event e = base(EventKind.IRQ_ENTER, "I");
            e.a = cpu;
            irq = true;
            e.inIrq = true;
            e.ctx = 2_000_000 + irqCount++;
            events.add(e);
            return this;
        }

        Ctx irqExit() {
            irq = false;
            Event e = base(EventKind.IRQ_EXIT, "I");
            e.a = cpu;
            events.add(e);
            return this;
        }

        Ctx dataRace(boolean on) {
            dataRace = on;
            events.add(base(on ? EventKind.DATA_RACE_BEGIN : EventKind.DATA_RACE_END, "D"));
            return this;
        }

        Ctx control(EventKind k, long a, long b) {
            Event e = base(k, "C");
            e.a = a;
            e.b = b;
            events.add(e);
            return this;
        }

        /** The watchdog's record (STUCK: cpu, reason). */
        Ctx stuck(int cpu, String reason) {
            Event e = base(EventKind.STUCK, "S");
            e.a = cpu;
            e.text = reason;
            events.add(e);
            return this;
        }

        Ctx assertExclusive(EventKind k, String obj, String field) {
            Event e = base(k, "A");
            e.loc = loc(obj, field);
            events.add(e);
            return this;
        }

        private Event base(EventKind k, String siteName) {
            Event e = new Event();
            e.thread = thread;
            e.seq = seq++;
            e.kind = k;
            e.site = site("m" + siteName);
            e.rfId = -1;
            e.cpu = cpu;
            e.task = task;
            e.ctx = irq ? 2_000_000 + irqCount - 1 : task;
            e.inIrq = irq;
            e.preemptCount = preempt;
            e.inDataRace = dataRace;
            return e;
        }
    }

    Ctx task(int thread, String name, int task, int cpu) {
        info.addThread(new ThreadInfo(thread, name, thread));
        Ctx c = new Ctx(thread, task, cpu);
        ctxByThread.put(thread, c);
        return c;
    }

    /** A kernel object: a class (for field roles) and a kernel name. */
    TraceBuilder object(String name, String cls) {
        int oid = nextOid++;
        objects.put(name, oid);
        info.addClass(oid, cls);
        info.objectAllocated(oid, oid);
        info.objectNamed(oid, name);
        return this;
    }

    /** A kernel object with the structural role the engine would declare for it (a ROLE event). */
    TraceBuilder object(String name, String cls, smptrace.trace.ObjectRole role, int cpu, int index) {
        object(name, cls);
        info.objectRole(objects.get(name), role.code, cpu, index);
        return this;
    }

    long loc(String obj, String field) {
        Integer oid = objects.get(obj);
        if (oid == null) {
            object(obj, "smptrace.test.Obj");
            oid = objects.get(obj);
        }
        String owner = ownerOf(field);
        Integer f = fields.computeIfAbsent(field, x -> {
            int id = fields.size() + 1;
            info.addField(new FieldInfo(id, owner, field));
            return id;
        });
        return Event.loc(oid, f);
    }

    int oid(String obj) {
        return objects.get(obj);
    }

    private static String ownerOf(String field) {
        switch (field) {
            case "u_flags":
            case "src":
            case "dst":
                return "smptrace.engine.smp.__call_single_node";
            case "func":
            case "info":
                return "smptrace.engine.smp.call_single_data";
            case "next":
                return "smptrace.kernel.LlistNode";
            case "first":
                return "smptrace.kernel.LlistHead";
            case "bits":
                return "smptrace.engine.smp.cpumask";
            case "cur_csd_func":
            case "cur_csd_info":
            case "cur_csd":
                return "smptrace.engine.smp.per_cpu_data";
            default:
                return "smptrace.test.Obj";
        }
    }

    int site(String method) {
        return sites.computeIfAbsent(method, m -> {
            int id = sites.size() + 1;
            info.addSite(new Site(id, "smptrace.test.T", m, "T.java", Math.floorMod(m.hashCode(), 10000) + lineShift));
            return id;
        });
    }

    AnalysisResult analyze() throws Exception {
        return analyze(Options.defaults());
    }

    AnalysisResult analyze(Options o) throws Exception {
        info.putHeader("patch", "test");
        return new Analyzer(o).analyze(new ListSource());
    }

    /** A fresh source over the events built so far (a second look, as reports take one). */
    EventSource source() {
        return new ListSource();
    }

    /** The EventSource over the list. */
    final class ListSource implements EventSource {
        private int i;

        @Override
        public TraceInfo info() {
            return info;
        }

        @Override
        public boolean next(Event e) {
            if (i >= events.size()) {
                return false;
            }
            e.copyFrom(events.get(i++));
            return true;
        }

        @Override
        public TraceEnd end() {
            return new TraceEnd(TraceEnd.Status.COMPLETE, events.size(), "");
        }

        @Override
        public void close() {
        }
    }
}

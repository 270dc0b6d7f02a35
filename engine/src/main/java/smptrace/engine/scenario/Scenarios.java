package smptrace.engine.scenario;

import smptrace.engine.Patch;
import smptrace.engine.Scenario;
import smptrace.engine.smp.Callbacks;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.call_single_data;
import smptrace.engine.smp.cpumask;
import smptrace.engine.smp.kick_dev;
import smptrace.engine.smp.scf_check;
import smptrace.kernel.Kernel;
import smptrace.kernel.TraceHooks;

/** The workloads of {@link Scenario}. Task bodies are kernel callers (driver code), run as tasks of the machine. */
public final class Scenarios {
    private Scenarios() { }

    public static void build(Scenario s, Workload w) {
        if (s == Scenario.S000) {
            s000(w);
        } else if (s == Scenario.S001) {
            s001(w);
        } else if (s == Scenario.S002) {
            s002(w);
        } else if (s == Scenario.S003) {
            s003(w);
        } else if (s == Scenario.S004) {
            s004(w);
        } else {
            standard(w);
        }
    }

    private static scf_check req(int v) {
        scf_check c = new scf_check();
        c.scfc_data = v;                            // the sender's plain store, published by llist_add
        return c;
    }

    /** 000: slow async work on CPU1 keeps cur_csd[1] busy while sync waiters time out in debug mode. */
    private static void s000(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        w.task("async-sender", 0, false, () -> {
            for (int i = 0; i < len; i++) {
                k.smp_call_function_single(1, Callbacks.SLOW_HANDLER, req(i), false);
            }
        });
        w.task("sync-sender", 2, false, () -> {
            for (int i = 0; i < len; i++) {
                scf_check r = req(i);
                if (k.smp_call_function_single(1, Callbacks.SCF_HANDLER, r, true) == 0) {
                    w.m.mon.checkSyncComplete(r);
                }
            }
        });
        if (w.cfg.cpus() > 3) {
            cpumask to1 = w.mask("mask{1}", 1);
            w.task("many-sender", 3, false, () -> {
                for (int i = 0; i < len; i++) {
                    scf_check r = req(i);
                    k.smp_call_function_many(to1, Callbacks.SCF_HANDLER, r, true);
                    w.m.mon.checkSyncComplete(r);
                }
            });
        }
    }

    /** 001: three senders share per_cpu(csd_data, 1) in debug mode. */
    private static void s001(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        for (int cpu = 0; cpu < w.cfg.cpus() && cpu < 4; cpu++) {
            if (cpu == 1) {
                continue;
            }
            w.task("sender" + cpu, cpu, false, () -> {
                for (int i = 0; i < len; i++) {
                    k.smp_call_function_single(1, Callbacks.SCF_HANDLER, req(i), false);
                }
            });
        }
    }

    /** 002: two tasks share one CSD and rely on -EBUSY. */
    private static void s002(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        kick_dev dev = new kick_dev();
        TraceHooks.kobj_name(dev, "kick_dev");
        TraceHooks.kobj_name(dev.csd, "kick_dev.csd");
        dev.csd.func = Callbacks.KICK_HANDLER;      // INIT_CSD(&dev->csd, kick_handler, dev)
        dev.csd.info = dev;
        for (int cpu : new int[] {0, 2}) {
            w.task("kicker" + cpu, cpu, false, () -> {
                for (int i = 0; i < len; i++) {
                    Kernel.WRITE_ONCE(dev, kick_dev.PENDING, 1);
                    if (k.smp_call_function_single_async(1, dev.csd) == 0) {
                        w.m.mon.expect(dev);
                    }
                }
            });
        }
    }

    /** 003: two tasks on CPU0 around smp_call_function_many_cond(). */
    private static void s003(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        boolean pinnedCaller = !Patch.P003.applied(w.cfg); // pre-series: the caller disables preemption
        cpumask m1 = w.mask("mask{1,2}", 1, 2);
        cpumask m2 = w.mask("mask{2,3}", 2, 3);
        for (int t = 1; t <= 2; t++) {
            cpumask mk = t == 1 ? m1 : m2;
            w.task("T" + t, 0, true, () -> {
                for (int i = 0; i < len; i++) {
                    scf_check r = req(i);
                    if (pinnedCaller) {
                        k.preempt_disable();
                    }
                    k.smp_call_function_many(mk, Callbacks.SCF_HANDLER, r, true);
                    if (pinnedCaller) {
                        k.preempt_enable();
                    }
                    w.m.mon.checkSyncComplete(r);
                }
            });
        }
    }

    /** 004: senders to CPU2 race takedown_cpu(2). */
    private static void s004(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        for (int cpu = 0; cpu <= 1; cpu++) {
            w.task("sender" + cpu, cpu, false, () -> {
                for (int i = 0; i < len; i++) {
                    scf_check r = req(i);
                    boolean wait = (i & 1) == 1;
                    if (k.smp_call_function_single(2, Callbacks.SCF_HANDLER, r, wait) == 0 && wait) {
                        w.m.mon.checkSyncComplete(r);
                    }
                }
            });
        }
        w.task("cpuhp/3", 3, false, () -> w.hp.takedown_cpu(2));
    }

    /** standard: one mixed task per CPU. */
    private static void standard(Workload w) {
        Smp k = w.k;
        int n = w.cfg.cpus();
        int len = w.cfg.length();
        boolean pinnedCaller = !Patch.P003.applied(w.cfg);
        for (int cpu = 0; cpu < n; cpu++) {
            final int me = cpu;
            int[] others = new int[n - 1];
            for (int c = 0, j = 0; c < n; c++) {
                if (c != me) {
                    others[j++] = c;
                }
            }
            cpumask all = w.mask("mask(all but " + me + ")", others);
            cpumask every = w.mask("mask(all)", range(n));
            call_single_data own = new call_single_data();
            TraceHooks.kobj_name(own, "task" + me + ".csd");
            own.func = Callbacks.SCF_HANDLER;
            scf_check ownInfo = req(me);
            own.info = ownInfo;
            w.task("worker" + me, me, true, () -> {
                for (int i = 0; i < len; i++) {
                    int kind = (me + i) % 5;
                    scf_check r = req(i);
                    int dst = (me + 1 + i) % n;
                    if (kind == 0) {
                        boolean wait = (i & 1) == 0;
                        if (k.smp_call_function_single(dst, Callbacks.SCF_HANDLER, r, wait) == 0 && wait) {
                            w.m.mon.checkSyncComplete(r);
                        }
                    } else if (kind == 1) {
                        if (pinnedCaller) {
                            k.preempt_disable();
                        }
                        k.smp_call_function_many(all, Callbacks.SCF_HANDLER, r, true);
                        if (pinnedCaller) {
                            k.preempt_enable();
                        }
                        w.m.mon.checkSyncComplete(r);
                    } else if (kind == 2) {
                        k.on_each_cpu_cond_mask(Callbacks.COND_EVEN, Callbacks.SCF_HANDLER, r, true, every);
                        w.m.mon.checkSyncComplete(r);
                    } else if (kind == 3) {
                        k.smp_call_function(Callbacks.SCF_HANDLER, r, true);
                        w.m.mon.checkSyncComplete(r);
                    } else {
                        if (k.smp_call_function_single_async(dst, own) == 0) {
                            w.m.mon.expect(ownInfo);
                        }
                    }
                }
            });
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}

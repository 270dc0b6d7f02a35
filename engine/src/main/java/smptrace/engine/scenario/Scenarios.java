package smptrace.engine.scenario;

import smptrace.engine.Patch;
import smptrace.engine.Scenario;
import smptrace.engine.smp.Callbacks;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.call_single_data;
import smptrace.engine.smp.cpumask;
import smptrace.engine.sim.Machine;
import smptrace.engine.smp.IrqWork;
import smptrace.engine.smp.Ttwu;
import smptrace.engine.smp.ttwu_task;
import smptrace.engine.smp.wake_handoff;
import smptrace.engine.smp.irq_work;
import smptrace.engine.smp.kick_dev;
import smptrace.engine.smp.rearm_dev;
import smptrace.engine.smp.rearm_req;
import smptrace.engine.smp.scf_result;
import smptrace.engine.smp.scf_check;
import smptrace.kernel.Kernel;
import smptrace.kernel.Role;
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
        } else if (s == Scenario.SYNC_RESULT) {
            syncResult(w);
        } else if (s == Scenario.ASYNC_REARM) {
            asyncRearm(w);
        } else if (s == Scenario.HOTPLUG_DEAD) {
            hotplugDead(w);
        } else if (s == Scenario.HOTPLUG_CYCLE) {
            hotplugCycle(w);
        } else if (s == Scenario.TTWU) {
            ttwu(w);
        } else if (s == Scenario.IRQ_WORK) {
            irqWork(w);
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
        TraceHooks.kobj_role(dev.csd, Role.CALLER_CSD, -1, -1);
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

    /** The pid of the running task (current->pid). */
    private static int pid() {
        return Machine.current().ts.pid;
    }

    /** sync-result: callers that read a result back from the callback, with the info on their stack. */
    private static void syncResult(Workload w) {
        int len = w.cfg.length();
        cpumask every = w.mask("mask(all)", range(w.cfg.cpus()));
        cpumask to12 = w.mask("mask{1,2}", 1, 2);
        for (int cpu : new int[] {0, 2}) {
            w.task("reader" + cpu, cpu, false, () -> {
                for (int i = 0; i < len; i++) {
                    readResult(w, 1, 10 * cpu + i);
                    countOnEachCpu(w, every);
                    heapRequest(w, to12, i);
                }
            });
        }
    }

    /** A caller like rdmsr_on_cpu(): its info {@code r} lives in this frame and dies when it returns. */
    private static void readResult(Workload w, int cpu, int arg) {
        scf_result r = new scf_result();
        TraceHooks.kobj_role(r, Role.REQUEST_INFO, -1, pid());
        r.arg = arg;
        if (w.k.smp_call_function_single(cpu, Callbacks.SCF_RESULT_HANDLER, r, true) == 0) {
            w.m.mon.checkSyncComplete(r);
            if (r.result == arg * 2 + 1) {
                w.m.mon.path("result read back");
            } else {
                w.m.mon.warn("sync-result: the wait returned before the callback wrote the result");
            }
        }
        TraceHooks.kobj_returned(r);
    }

    /** on_each_cpu(func, &r, 1): every online CPU, this one included, bumps r.count before the call returns. */
    private static void countOnEachCpu(Workload w, cpumask every) {
        scf_result r = new scf_result();
        TraceHooks.kobj_role(r, Role.REQUEST_INFO, -1, pid());
        w.k.on_each_cpu_cond_mask(null, Callbacks.COUNT_HANDLER, r, true, every);
        w.m.mon.checkSyncComplete(r);
        if (Kernel.atomic_read(r.count) == w.k.num_online_cpus()) {
            w.m.mon.path("count read back");
        } else {
            w.m.mon.warn("sync-result: on_each_cpu() returned before every callback ran");
        }
        TraceHooks.kobj_returned(r);
    }

    /** A kmalloc()ed request: kfree()d after smp_call_function_many(wait) returned, when no callback can touch it. */
    private static void heapRequest(Workload w, cpumask to, int i) {
        scf_check h = req(i);
        TraceHooks.kobj_role(h, Role.REQUEST_INFO, -1, pid());
        w.k.smp_call_function_many(to, Callbacks.SCF_HANDLER, h, true);
        w.m.mon.checkSyncComplete(h);
        TraceHooks.kfree(h);
        w.m.mon.path("heap info freed");
    }

    /** async-rearm: two drivers each re-arm their own CSD with alternating func/info, serialised by a done flag. */
    private static void asyncRearm(Workload w) {
        int len = w.cfg.length();
        for (int cpu : new int[] {0, 2}) {
            rearm_dev dev = new rearm_dev();
            TraceHooks.kobj_name(dev, "rearm_dev" + cpu);
            TraceHooks.kobj_name(dev.csd, "rearm_dev" + cpu + ".csd");
            TraceHooks.kobj_role(dev.csd, Role.CALLER_CSD, -1, -1);
            TraceHooks.kobj_name(dev.even, "rearm_dev" + cpu + ".even");
            TraceHooks.kobj_role(dev.even, Role.REQUEST_INFO, -1, -1);
            TraceHooks.kobj_name(dev.odd, "rearm_dev" + cpu + ".odd");
            TraceHooks.kobj_role(dev.odd, Role.REQUEST_INFO, -1, -1);
            w.task("rearm" + cpu, cpu, false, () -> {
                for (int i = 0; i < len; i++) {
                    final int seq = i;
                    // wait until the previous request's callback said done (it ran after csd_unlock())
                    // (m.spin: a busy-wait, so that PCT lets the flushing CPU run, as csd_lock_wait() does)
                    Kernel.smp_cond_load_acquire(dev, rearm_dev.DONE, v -> {
                        if (v == seq) {
                            return true;
                        }
                        w.m.spin("async-rearm done", 1);
                        return false;
                    });
                    w.m.spinDone();
                    rearm_req r = (seq & 1) == 0 ? dev.even : dev.odd;
                    r.seq = seq;
                    dev.csd.func = (seq & 1) == 0 ? Callbacks.REARM_EVEN : Callbacks.REARM_ODD; // INIT_CSD(&dev->csd, f, r)
                    dev.csd.info = r;
                    if (w.k.smp_call_function_single_async(1, dev.csd) == 0) {
                        w.m.mon.expect(r);
                        w.m.mon.path("csd re-armed");
                    } else {
                        w.m.mon.warn("async-rearm: -EBUSY on a CSD whose callback had signalled done");
                    }
                }
                Kernel.smp_cond_load_acquire(dev, rearm_dev.DONE, v -> {
                    if (v == len) {
                        return true;
                    }
                    w.m.spin("async-rearm done", 1);
                    return false;
                });
                w.m.spinDone();
            });
        }
    }

    /** hotplug-dead: a waiter on cfd_data[0].csd[*] outlives CPU0, which cpu_down() takes away mid-wait. */
    private static void hotplugDead(Workload w) {
        int len = w.cfg.length();
        boolean pinnedCaller = !Patch.P003.applied(w.cfg);
        cpumask to12 = w.mask("mask{1,2}", 1, 2);
        w.task("waiter", 0, true, () -> {
            for (int i = 0; i < len; i++) {
                scf_check r = req(i);
                TraceHooks.kobj_role(r, Role.REQUEST_INFO, -1, pid());
                if (pinnedCaller) {
                    w.k.preempt_disable();
                }
                w.k.smp_call_function_many(to12, Callbacks.SLOW_HANDLER, r, true);
                if (pinnedCaller) {
                    w.k.preempt_enable();
                }
                w.m.mon.checkSyncComplete(r);
                TraceHooks.kfree(r);
            }
        });
        w.task("cpuhp/3", 3, false, () -> {
            if (w.hp.cpu_down(0) == 0) {
                w.m.mon.path("cpu0 down");
            }
        });
    }

    /** hotplug-cycle: CPU2 goes down and comes back while senders keep calling it. */
    private static void hotplugCycle(Workload w) {
        Smp k = w.k;
        int len = w.cfg.length();
        w.task("sender0", 0, false, () -> {
            for (int i = 0; i < 3 * len; i++) {
                scf_check r = req(i);
                boolean wait = (i & 1) == 0;
                int ret = k.smp_call_function_single(2, Callbacks.SCF_HANDLER, r, wait);
                if (ret == 0 && w.m.cpuUps() > 0) {
                    w.m.mon.path("cpu2 called after it came back");
                }
                if (ret == 0 && wait) {
                    w.m.mon.checkSyncComplete(r);
                    TraceHooks.kfree(r);
                } else if (ret != 0) {
                    w.m.mon.path("-ENXIO from an offline cpu2");
                }
            }
        });
        cpumask to23 = w.mask("mask{2,3}", 2, 3);
        w.task("sender1", 1, false, () -> {
            for (int i = 0; i < 2 * len; i++) {
                scf_check r = req(100 + i);
                k.preempt_disable();
                k.smp_call_function_many(to23, Callbacks.SCF_HANDLER, r, true);
                k.preempt_enable();
            }
        });
        w.task("cpuhp/3", 3, false, () -> {
            for (int i = 0; i < len; i++) {
                if (w.hp.cpu_down(2) == 0) {
                    w.m.mon.path("cpu2 down");
                }
                if (w.hp.cpu_up(2) == 0) {
                    w.m.mon.path("cpu2 back online");
                }
                onoffInterval(w);
            }
        });
    }

    /** torture_onoff()'s sleep between hotplug operations: a while of cpu_relax(), so the senders run meanwhile. */
    private static void onoffInterval(Workload w) {
        for (int i = 0; i < 40; i++) {
            w.m.spin("torture_onoff interval", -1);
            smptrace.kernel.Kernel.cpu_relax();
        }
        w.m.spinDone();
    }

    /** ttwu: a remote wake-up's CSD_TYPE_TTWU node and synchronous CSDs share CPU1's call_single_queue. */
    private static void ttwu(Workload w) {
        int len = w.cfg.length();
        Ttwu sched = new Ttwu(w.k, w.m);
        ttwu_task p = new ttwu_task(1);
        TraceHooks.kobj_name(p, "sleeper.task_struct");
        wake_handoff box = new wake_handoff();
        TraceHooks.kobj_name(box, "wake_handoff");
        w.task("sleeper", 1, false, () -> {
            for (int i = 0; i < len; i++) {
                Ttwu.set_current_state(p, ttwu_task.TASK_INTERRUPTIBLE);
                smptrace.kernel.Kernel.smp_store_release(box, wake_handoff.ROUND, i + 1);
                sched.schedule(p);
                if (box.data == 10 * i + 7) {       // what the waker wrote before it woke us
                    w.m.mon.path("woken with the waker's data");
                } else {
                    w.m.mon.warn("ttwu: the sleeper ran again without the data written before its wake-up");
                }
            }
        });
        w.task("waker", 0, false, () -> {
            for (int i = 0; i < len; i++) {
                // wait until the sleeper is off its runqueue for round i+1 (the scenario's wait queue)
                while (smptrace.kernel.Kernel.smp_load_acquire(box, wake_handoff.ROUND) != i + 1
                        || smptrace.kernel.Kernel.smp_load_acquire(p, ttwu_task.ON_RQ) != 0) {
                    w.m.spin("waiting for the sleeper", 1);
                    smptrace.kernel.Kernel.cpu_relax();
                }
                w.m.spinDone();
                box.data = 10 * i + 7;
                if (sched.try_to_wake_up(p, ttwu_task.TASK_INTERRUPTIBLE)) {
                    w.m.mon.path("woken through the wakelist");
                }
            }
        });
        w.task("sync-sender", 2, false, () -> {
            for (int i = 0; i < 2 * len; i++) {
                readResult(w, 1, 100 + i);
            }
        });
    }

    /** irq-work: an irq_work and synchronous CSDs share CPU1's call_single_queue. */
    private static void irqWork(Workload w) {
        int len = w.cfg.length();
        IrqWork iw = new IrqWork(w.k, w.m);
        irq_work work = new irq_work();
        scf_result counter = new scf_result();
        TraceHooks.kobj_name(work, "irq_work");
        TraceHooks.kobj_role(work, Role.IRQ_WORK, -1, -1);
        TraceHooks.kobj_name(counter, "irq_work.owner");
        work.func = Callbacks.IRQ_WORK_COUNT;      // init_irq_work(&work, func)
        work.owner = counter;
        w.task("irq-worker", 0, false, () -> {
            for (int i = 0; i < len; i++) {
                if (iw.irq_work_queue_on(work, 1)) {
                    w.m.mon.path("irq_work queued");
                }
                iw.irq_work_sync(work);
            }
        });
        w.task("sync-sender", 2, false, () -> {
            for (int i = 0; i < len; i++) {
                readResult(w, 1, i);
            }
        });
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
            TraceHooks.kobj_role(own, Role.CALLER_CSD, me, -1);
            own.func = Callbacks.SCF_HANDLER;
            scf_check ownInfo = req(me);
            own.info = ownInfo;
            w.task("worker" + me, me, true, () -> {
                for (int i = 0; i < len; i++) {
                    int kind = (me + i) % 5;
                    int dst = (me + 1 + i) % n;
                    // scftorture's requests are kmalloc()ed per call and kfree()d by whoever uses them last: the
                    // sender after a call it waited for, the callback after one nobody waits for
                    if (kind == 0) {
                        scf_check r = req(i);
                        boolean wait = (i & 1) == 0;
                        int ret = k.smp_call_function_single(dst, wait ? Callbacks.SCF_HANDLER : Callbacks.SCF_HANDLER_KFREE,
                                r, wait);
                        if (ret == 0 && wait) {
                            w.m.mon.checkSyncComplete(r);
                        }
                        if (wait || ret != 0) {
                            TraceHooks.kfree(r);
                        }
                    } else if (kind == 1) {
                        scf_check r = req(i);
                        if (pinnedCaller) {
                            k.preempt_disable();
                        }
                        k.smp_call_function_many(all, Callbacks.SCF_HANDLER, r, true);
                        if (pinnedCaller) {
                            k.preempt_enable();
                        }
                        w.m.mon.checkSyncComplete(r);
                        TraceHooks.kfree(r);
                    } else if (kind == 2) {
                        scf_check r = req(i);
                        k.on_each_cpu_cond_mask(Callbacks.COND_EVEN, Callbacks.SCF_HANDLER, r, true, every);
                        w.m.mon.checkSyncComplete(r);
                        TraceHooks.kfree(r);
                    } else if (kind == 3) {
                        scf_check r = req(i);
                        k.smp_call_function(Callbacks.SCF_HANDLER, r, true);
                        w.m.mon.checkSyncComplete(r);
                        TraceHooks.kfree(r);
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

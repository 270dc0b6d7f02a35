package smptrace.engine;

/** The workloads: one per patch, driving the paths it touches, plus the mixed "standard" benchmark workload. */
public enum Scenario {
    S000("000", Patch.P000, 3, true, 2,
            "debug mode: CPU0 sends slow async callbacks to CPU1 while CPU2 (sync single) and CPU3 (sync many) "
            + "wait on CPU1 long enough for csd_lock_wait_toolong() to read per_cpu(cur_csd, 1) of the busy target"),
    S001("001", Patch.P001, 4, true, 3,
            "debug mode: CPUs 0, 2 and 3 each send async smp_call_function_single() to CPU1, all through "
            + "per_cpu(csd_data, 1) (get_single_csd_data of b0473dcd4b1d)"),
    S002("002", Patch.P002, 3, false, 3,
            "two tasks (CPU0, CPU2) share one driver CSD and kick CPU1 with smp_call_function_single_async(), "
            + "setting dev->pending first and relying on -EBUSY"),
    S003("003", Patch.P003, 4, false, 2,
            "two tasks on CPU0 (migratable) preempt each other around smp_call_function_many_cond(wait): "
            + "T1 to {1,2}, T2 to {2,3}, sharing per_cpu(cfd_data, 0)"),
    S004("004", Patch.P004, 4, false, 3,
            "CPU0 and CPU1 send smp_call_function_single() (async and sync) to CPU2 while the hotplug task on "
            + "CPU3 takes CPU2 down: takedown_cpu -> stop_machine -> take_cpu_down -> smpcfd_dying_cpu"),
    STANDARD("standard", null, 4, false, 10,
            "mixed benchmark workload, one task per CPU: single sync/async, many, on_each_cpu_cond_mask, "
            + "smp_call_function, _async on a private CSD; length = iterations per task"),
    SYNC_RESULT("sync-result", null, 3, false, 3,
            "callers that read a result back: smp_call_function_single(cpu, func, &r, 1) with r on the waiter's stack "
            + "(the callback writes r.result, the waiter reads it; r dies when the caller returns), and on_each_cpu() "
            + "whose callbacks atomic_inc() the waiter's counter"),
    ASYNC_REARM("async-rearm", null, 3, false, 4,
            "a driver re-arms one CSD with a new func/info per request (INIT_CSD, smp_call_function_single_async()), "
            + "reusing it only after the previous callback signalled done (release/acquire); a second driver kicks "
            + "a heap request whose callback-side owner kfree()s it after the done signal"),
    HOTPLUG_DEAD("hotplug-dead", null, 4, false, 3,
            "a migratable task on CPU0 waits in smp_call_function_many(wait) on slow callbacks while the hotplug task "
            + "takes CPU0 down (cpu_down: stop_machine, smpcfd_dying_cpu, then smpcfd_dead_cpu); the waiter migrates "
            + "and keeps waiting on cfd_data[0].csd[*]"),
    HOTPLUG_CYCLE("hotplug-cycle", null, 4, false, 3,
            "CPU2 goes down and comes back, length times (cpuhp/3: cpu_down(2), then cpu_up(2): smpcfd_prepare_cpu, "
            + "bringup_cpu, the AP's start_secondary sets it online) while CPU0 sends smp_call_function_single(2) "
            + "(sync and async) and CPU1 smp_call_function_many({2,3}, wait): senders see -ENXIO or a callback that runs, "
            + "before the CPU goes and after it is back"),
    TTWU("ttwu", null, 3, false, 4,
            "CSD_TYPE_TTWU nodes on call_single_queue: a task on CPU1 sleeps (set_current_state, schedule) and a waker "
            + "on CPU0 wakes it remotely (try_to_wake_up -> __ttwu_queue_wakelist) after writing the data the sleeper "
            + "reads when it runs again, while CPU2 sends smp_call_function_single(1, wait): CPU1's flush runs SYNC "
            + "nodes first and sched_ttwu_pending() last"),
    IRQ_WORK("irq-work", null, 3, false, 4,
            "CSD_TYPE_IRQ_WORK nodes on call_single_queue: CPU0 queues an irq_work on CPU1 (irq_work_queue_on, "
            + "irq_work_sync) while CPU2 sends smp_call_function_single(1, wait), so CPU1's flush runs both node types");

    public final String id;
    /** The patch the scenario is about (null for standard). */
    public final Patch patch;
    public final int minCpus;
    public final boolean defaultDebug;
    public final int defaultLength;
    public final String description;

    Scenario(String id, Patch patch, int minCpus, boolean defaultDebug, int defaultLength, String description) {
        this.id = id;
        this.patch = patch;
        this.minCpus = minCpus;
        this.defaultDebug = defaultDebug;
        this.defaultLength = defaultLength;
        this.description = description;
    }

    public static Scenario forPatch(Patch p) {
        for (Scenario s : values()) {
            if (s.patch == p) {
                return s;
            }
        }
        return STANDARD;
    }

    public static Scenario parse(String s) {
        for (Scenario x : values()) {
            if (x.id.equalsIgnoreCase(s) || x.name().equalsIgnoreCase(s)) {
                return x;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + s + "' (000..004, standard, sync-result, async-rearm, hotplug-dead, irq-work)");
    }

    /** The controlled watchdog's default bound (scheduling steps). */
    long stepBudget(RunConfig cfg) {
        int tasks = this == STANDARD ? cfg.cpus() : this == HOTPLUG_DEAD ? 6 : 3;
        return 1500L + 300L * cfg.length() * tasks;
    }
}

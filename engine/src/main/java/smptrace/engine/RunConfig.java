package smptrace.engine;

/**
 * One run: which patch and variant the engine code is built as, which scenario drives it, and how it
 * is scheduled. Immutable; no static state, so any number of runs can share a JVM.
 *
 * @param patch     the patch whose lines are switched (also picks the default scenario)
 * @param variant   before, after, or a mutant of {@code patch}
 * @param scenario  the workload
 * @param seed      the controlled scheduler's seed (free runs use it for their local choices)
 * @param schedule  RANDOM or PCT (controlled), or FREE
 * @param pctDepth  PCT's bug depth d (d-1 priority change points)
 * @param cpus      number of CPUs (at least the scenario's minimum, at most 32)
 * @param length    iterations per task (the scenario's unit of work)
 * @param debug     CONFIG_CSD_LOCK_WAIT_DEBUG (the build option); null: scenario/variant default
 * @param maxSteps  controlled watchdog bound in scheduling steps; 0: derived from the scenario and length
 * @param freeTimeoutMillis free-mode watchdog: the run is stuck after this long without a callback; 0: default (5 s)
 * @param debugKey  the csdlock_debug_enabled static key (boot option csdlock_debug=), meaningful only with
 *                  the config on; null: on whenever the config is
 */
public record RunConfig(Patch patch, Variant variant, Scenario scenario, long seed, Schedule schedule,
                        int pctDepth, int cpus, int length, Boolean debug, long maxSteps, long freeTimeoutMillis,
                        Boolean debugKey) {

    public RunConfig {
        if (patch == null || variant == null || scenario == null || schedule == null) {
            throw new IllegalArgumentException("patch, variant, scenario and schedule are required");
        }
        if (variant.patch != null && variant.patch != patch) {
            throw new IllegalArgumentException("variant " + variant.label + " belongs to patch " + variant.patch.number);
        }
        if (cpus < scenario.minCpus || cpus > 32) {
            throw new IllegalArgumentException("scenario " + scenario.id + " needs " + scenario.minCpus + "..32 CPUs, got " + cpus);
        }
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1");
        }
        if (pctDepth < 1) {
            throw new IllegalArgumentException("pct depth must be >= 1");
        }
    }

    /** Defaults: the patch's own scenario, seed 1, random schedule, PCT depth 3, 4 CPUs, the scenario's length. */
    public static RunConfig of(Patch patch, Variant variant) {
        Scenario s = variant.scenario(patch);
        return new RunConfig(patch, variant, s, 1, Schedule.RANDOM, 3, Math.max(4, s.minCpus), s.defaultLength, null, 0, 0, null);
    }

    public static RunConfig of(Patch patch, Variant variant, Scenario scenario) {
        return new RunConfig(patch, variant, scenario, 1, Schedule.RANDOM, 3, Math.max(4, scenario.minCpus),
                scenario.defaultLength, null, 0, 0, null);
    }

    public RunConfig withSeed(long s) {
        return new RunConfig(patch, variant, scenario, s, schedule, pctDepth, cpus, length, debug, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withSchedule(Schedule s) {
        return new RunConfig(patch, variant, scenario, seed, s, pctDepth, cpus, length, debug, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withPctDepth(int d) {
        return new RunConfig(patch, variant, scenario, seed, schedule, d, cpus, length, debug, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withCpus(int n) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, n, length, debug, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withLength(int n) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, cpus, n, debug, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withDebug(Boolean d) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, cpus, length, d, maxSteps, freeTimeoutMillis, debugKey);
    }

    public RunConfig withMaxSteps(long n) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, cpus, length, debug, n, freeTimeoutMillis, debugKey);
    }

    public RunConfig withFreeTimeoutMillis(long n) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, cpus, length, debug, maxSteps, n, debugKey);
    }

    /** The mutant switch: {@code if (cfg.is(Variant.M001_SINGLE_CAS_ATTEMPT))}. */
    public boolean is(Variant v) {
        return variant == v;
    }

    /** The csdlock_debug_enabled key on or off (null: with the config). */
    public RunConfig withDebugKey(Boolean k) {
        return new RunConfig(patch, variant, scenario, seed, schedule, pctDepth, cpus, length, debug, maxSteps, freeTimeoutMillis, k);
    }

    /** CONFIG_CSD_LOCK_WAIT_DEBUG (the build option: src/dst are filled, the debug functions exist). */
    public boolean configCsdLockWaitDebug() {
        if (debug != null) {
            return debug;
        }
        if (variant.debugOverride != null) {
            return variant.debugOverride;
        }
        return scenario.defaultDebug;
    }

    /** static_branch_unlikely(&csdlock_debug_enabled): the key; only ever on with the config. */
    public boolean csdlockDebugEnabled() {
        return configCsdLockWaitDebug() && (debugKey == null || debugKey);
    }

    /** CONFIG_CSD_LOCK_WAIT_DEBUG && csdlock_debug_enabled for this run: the debug paths run. */
    public boolean csdLockDebug() {
        return csdlockDebugEnabled();
    }

    /** "on" (config and key), "config" (config on, key off), "off": the --debug value of this run. */
    public String debugMode() {
        return csdlockDebugEnabled() ? "on" : configCsdLockWaitDebug() ? "config" : "off";
    }

    public long effectiveMaxSteps() {
        return maxSteps > 0 ? maxSteps : scenario.stepBudget(this);
    }

    public long effectiveFreeTimeoutMillis() {
        return freeTimeoutMillis > 0 ? freeTimeoutMillis : 5000;
    }
}

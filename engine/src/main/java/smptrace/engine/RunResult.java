package smptrace.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one run observed. Counts are of events seen by the engine's oracle (simulator-side shadow
 * state), not of trace analysis.
 *
 * @param doubleEnqueue       llist_add of a node that was still on a queue
 * @param selfLoop            of those, node->next == node right after the add
 * @param twoOwners           a CSD acquired while another context owned it
 * @param callbacksLost       accepted requests whose callback never ran (0 when the run is stuck)
 * @param callbacksDuplicated callback runs beyond the accepted requests (a request run twice)
 * @param ipiToOffline        CSDs queued to a CPU after its dying flush (the IPI goes to an offline CPU)
 * @param ipiToDeadCpu        IPIs sent to a CPU after its dying flush
 * @param maskOverwritten     per-CPU scratch masks (cfd->cpumask_ipi, cfd->cpumask) found rewritten by another task
 * @param syncReturnedEarly   synchronous calls that returned before their callback ran
 * @param stuck               the watchdog ended the run
 * @param stuckCpu            the CPU it blamed (-1 unknown)
 * @param stuckReason         why (null unless stuck)
 */
public record RunResult(RunConfig config, long doubleEnqueue, long selfLoop, long twoOwners, long callbacksLost,
                        long callbacksDuplicated, long ipiToOffline, long ipiToDeadCpu, long maskOverwritten,
                        long syncReturnedEarly, boolean stuck, int stuckCpu, String stuckReason, long callbacksRun,
                        long requests, long steps, long contextSwitches, long irqs, long migrations,
                        long toolongReports, long toolongPrior, long enxio, long ebusy, long warnings,
                        long wallMillis, List<String> notes, java.util.Map<String, Long> paths) {

    /** Whether the run showed {@code o}. */
    public boolean has(Outcome o) {
        switch (o) {
            case DOUBLE_ENQUEUE: return doubleEnqueue > 0;
            case TWO_OWNERS: return twoOwners > 0;
            case CALLBACK_LOST: return callbacksLost > 0;
            case IPI_TO_OFFLINE: return ipiToOffline > 0;
            case MASK_OVERWRITTEN: return maskOverwritten > 0;
            case SYNC_RETURNED_EARLY: return syncReturnedEarly > 0;
            case STUCK: return stuck;
            default: return false;
        }
    }

    public Set<Outcome> outcomes() {
        Set<Outcome> s = EnumSet.noneOf(Outcome.class);
        for (Outcome o : Outcome.values()) {
            if (has(o)) {
                s.add(o);
            }
        }
        return s;
    }

    /** Any bad outcome (everything but a clean run). */
    public boolean bad() {
        return !outcomes().isEmpty();
    }

    /** Everything that must be equal for two runs of the same config in controlled mode. */
    public String fingerprint() {
        return doubleEnqueue + "/" + selfLoop + "/" + twoOwners + "/" + callbacksLost + "/" + callbacksDuplicated + "/"
                + ipiToOffline + "/" + ipiToDeadCpu + "/" + maskOverwritten + "/" + syncReturnedEarly + "/" + stuck + "/"
                + stuckCpu + "/" + stuckReason + "/" + callbacksRun + "/" + requests + "/" + steps + "/" + contextSwitches
                + "/" + irqs + "/" + migrations + "/" + toolongReports + "/" + toolongPrior + "/" + enxio + "/" + ebusy
                + "/" + warnings;
    }

    /** The one-line summary EngineMain prints. */
    public String summary() {
        RunConfig c = config;
        return "patch=" + c.patch().number + " variant=" + c.variant().label + " scenario=" + c.scenario().id
                + " seed=" + c.seed() + " schedule=" + c.schedule().name().toLowerCase()
                + (c.schedule() == Schedule.PCT ? " pct-depth=" + c.pctDepth() : "")
                + " cpus=" + c.cpus() + " length=" + c.length() + " debug=" + c.debugMode()
                + " | outcome=" + (stuck ? Outcome.STUCK.kind : bad() ? "BAD" : "ok")
                // the oracle's counts under the analysis' finding kinds (Outcome.kind), so one word means one thing
                + " " + Outcome.DOUBLE_ENQUEUE.kind + "=" + doubleEnqueue + " self-loop=" + selfLoop
                + " " + Outcome.TWO_OWNERS.kind + "=" + twoOwners
                + " " + Outcome.CALLBACK_LOST.kind + "=" + callbacksLost + " duplicated-callbacks=" + callbacksDuplicated
                + " " + Outcome.IPI_TO_OFFLINE.kind + "=" + ipiToOffline
                + " " + Outcome.MASK_OVERWRITTEN.kind + "=" + maskOverwritten
                + " " + Outcome.SYNC_RETURNED_EARLY.kind + "=" + syncReturnedEarly
                + " callbacks=" + callbacksRun + "/" + requests + " toolong=" + toolongReports
                + " enxio=" + enxio + " ebusy=" + ebusy + " warnings=" + warnings
                + " steps=" + steps + " switches=" + contextSwitches + " irqs=" + irqs + " migrations=" + migrations
                + " ms=" + wallMillis
                + (paths == null || paths.isEmpty() ? "" : " paths=\"" + paths + "\"")
                + (stuck ? " stuck_cpu=" + stuckCpu + " reason=\"" + stuckReason + "\"" : "");
    }
}

package smptrace.engine.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded choice among the enabled actions at a scheduling point (controlled mode). */
abstract class Strategy {
    final SplittableRandom rng;

    Strategy(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    abstract Action pick(List<Action> actions, long step, List<Cpu> cpus, Machine m);

    /** Weighted choice among the actions of one CPU (or all of them). */
    final Action weighted(List<Action> actions) {
        int total = 0;
        for (Action a : actions) {
            total += a.weight;
        }
        int r = rng.nextInt(total);
        for (Action a : actions) {
            r -= a.weight;
            if (r < 0) {
                return a;
            }
        }
        return actions.get(actions.size() - 1);
    }

    /** Uniform random walk: every enabled action, weighted (continue 4, IRQ 3, preempt 1, migrate 1). */
    static final class RandomWalk extends Strategy {
        RandomWalk(long seed) {
            super(seed);
        }

        @Override
        Action pick(List<Action> actions, long step, List<Cpu> cpus, Machine m) {
            return weighted(actions);
        }
    }

    /**
     * PCT (Burckhardt et al.): random distinct priorities per CPU, the highest-priority CPU with an
     * enabled action runs; at depth-1 random change points the running CPU drops to the lowest
     * priority. A CPU whose context is spinning (cpu_relax in a wait loop) yields to non-spinning ones.
     */
    static final class Pct extends Strategy {
        private final List<Integer> prio = new ArrayList<>();
        private final List<Long> changePoints = new ArrayList<>();
        private int low;
        private Cpu last;

        Pct(long seed, int ncpus, int depth, long horizon) {
            super(seed);
            List<Integer> perm = new ArrayList<>();
            for (int i = 0; i < ncpus; i++) {
                perm.add(i + depth + 1);
            }
            for (int i = ncpus - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = perm.get(i);
                perm.set(i, perm.get(j));
                perm.set(j, t);
            }
            prio.addAll(perm);
            low = depth;
            for (int i = 0; i < depth - 1; i++) {
                changePoints.add(1 + rng.nextLong(Math.max(2, horizon)));
            }
        }

        @Override
        Action pick(List<Action> actions, long step, List<Cpu> cpus, Machine m) {
            if (last != null && changePoints.contains(step)) {
                prio.set(last.id, low--);
            }
            Cpu best = null;
            boolean bestSpin = true;
            for (Action a : actions) {
                boolean spin = a.kind != Action.IRQ && m.spinning(a.cpu.current);
                if (best == null || (bestSpin && !spin)
                        || (bestSpin == spin && prio.get(a.cpu.id) > prio.get(best.id))) {
                    best = a.cpu;
                    bestSpin = spin;
                }
            }
            if (bestSpin) {
                // every CPU is spin-waiting: they yield to each other (a fair random pick)
                last = null;
                return weighted(actions);
            }
            List<Action> mine = new ArrayList<>();
            for (Action a : actions) {
                if (a.cpu == best) {
                    mine.add(a);
                }
            }
            last = best;
            return weighted(mine);
        }
    }

    /**
     * Replays a recorded schedule ({@link ScheduleLog}): at step n it takes exactly the recorded
     * decision n among the enabled actions, so tasks switch at the recorded points. A recorded decision
     * that is not enabled now is a divergence: the run stops there and says so (with what was
     * enabled); the end of the recording ends the run where the recorded one ended.
     */
    static final class Replay extends Strategy {
        private final ScheduleLog log;
        private long next;

        Replay(ScheduleLog log) {
            super(0);
            this.log = log;
        }

        /** The next recorded entry is the free run's watchdog: the run ends here, declared stuck as it was. */
        boolean atWatchdog(Machine m) {
            if (next < log.size() && ScheduleLog.kind(log.get(next)) == ScheduleLog.WATCHDOG) {
                m.replayWatchdog(ScheduleLog.cpu(log.get(next)) == 1 ? 1 : 0);
                m.replayEnded("replay: the recorded run's watchdog fired after " + next + " decisions");
                next++;
                return true;
            }
            return false;
        }

        @Override
        Action pick(List<Action> actions, long step, List<Cpu> cpus, Machine m) {
            if (next >= log.size()) {
                m.replayEnded("replay: end of the recorded schedule after " + next + " decisions");
                return null;
            }
            int want = log.get(next);
            for (Action a : actions) {
                if (a.kind == ScheduleLog.kind(want) && a.cpu.id == ScheduleLog.cpu(want)
                        && (a.kind == Action.SWITCH ? a.next.id == ScheduleLog.arg(want)
                            : a.kind != Action.MIGRATE || a.dst.id == ScheduleLog.arg(want))) {
                    next++;
                    return a;
                }
            }
            StringBuilder enabled = new StringBuilder();
            for (Action a : actions) {
                enabled.append(' ').append(ScheduleLog.describe(ScheduleLog.token(a, a.cpu)));
            }
            m.replayEnded("replay diverged at scheduling decision " + next + ": recorded " + ScheduleLog.describe(want)
                    + ", enabled" + enabled);
            return null;
        }
    }
}

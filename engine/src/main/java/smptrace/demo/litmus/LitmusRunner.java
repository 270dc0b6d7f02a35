package smptrace.demo.litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;
import smptrace.kernel.Sched;
import smptrace.kernel.SpinLock;

/**
 * Runs litmus tests on the kernel primitives: each process is an engine task, a Java thread that
 * executes its instructions ({@link Interp}) on fresh kernel objects per run, under a seeded
 * controlled scheduler: exactly one task runs at a time, and at every scheduling point
 * ({@link Sched#point()}, which every primitive and, with the agent, every plain access passes)
 * the scheduler may hand the CPU to another task. The first runs of a test are sequential (one
 * task after the other, each process first once); the others switch at random with a per-run
 * probability. A task spinning (spin_lock on a held lock, synchronize_rcu waiting for a reader)
 * is switched out after {@value #MAX_CONSECUTIVE} consecutive points; a run that needs more than
 * its step budget (a lock never released) is abandoned as "aborted".
 *
 * <p>Task threads are reused from run to run and test to test (fresh ones after an aborted run).
 * Each task marks the start of its part of a run with {@code TraceHooks.mark(test, run << 8 | proc)}
 * in its own stream, and names every object {@code t<test>.r<run>.<location>}, so one trace can
 * hold a whole batch and the analyzer can split it again.
 */
public final class LitmusRunner {
    static final int MAX_CONSECUTIVE = 64;
    private static final double[] SWITCH = {0.5, 0.25, 0.75, 0.1, 1.0};

    /** The outcome of one run: status "ok", "aborted: why" or "error: why", and the final state. */
    public record RunResult(int test, int run, String status, Map<String, String> outcome, long nanos) {
        public boolean ok() {
            return status.equals("ok");
        }
    }

    private final long maxSteps;
    private final long wallMillis;

    public LitmusRunner(long maxSteps, long wallMillis) {
        this.maxSteps = maxSteps;
        this.wallMillis = wallMillis;
        install();
    }

    // ---- the scheduler ------------------------------------------------------------------------------

    private static final ThreadLocal<Job> CURRENT = new ThreadLocal<>();

    /** Unwinds a task whose run is over (aborted). */
    static final class Abort extends Error {
        private static final long serialVersionUID = 1L;
        static final Abort INSTANCE = new Abort();

        private Abort() {
            super("run aborted", null, false, false);
        }
    }

    private static final Sched.Hook HOOK = new Sched.Hook() {
        @Override
        public void point() {
            Job j = CURRENT.get();
            if (j != null) {
                j.ctl.point(j);
            }
        }
    };

    private static synchronized void install() {
        if (Sched.installed() != HOOK) {
            Sched.install(HOOK);
        }
    }

    /** One process of one run. */
    private static final class Job {
        final RunCtl ctl;
        final int proc;
        final Ops.Proc code;
        final Worker worker;
        long[] regs;
        boolean[] assigned;
        volatile boolean finished;

        Job(RunCtl ctl, int proc, Ops.Proc code, Worker worker) {
            this.ctl = ctl;
            this.proc = proc;
            this.code = code;
            this.worker = worker;
            this.assigned = new boolean[Math.max(1, code.registers())];
        }
    }

    /** The state of one run: whose turn it is, and the seeded choices. */
    private static final class RunCtl {
        final Ops.Test test;
        final int run;
        final KernelObject[] objs;
        final List<Job> jobs = new ArrayList<>();
        final SplittableRandom rng;
        final double switchProbability;
        final long maxSteps;
        final CountDownLatch exited;
        volatile Job current;
        volatile boolean aborted;
        volatile String reason;
        long steps;
        int consecutive;

        RunCtl(Ops.Test test, int run, KernelObject[] objs, long seed, double p, long maxSteps, int procs) {
            this.test = test;
            this.run = run;
            this.objs = objs;
            this.rng = new SplittableRandom(seed);
            this.switchProbability = p;
            this.maxSteps = maxSteps;
            this.exited = new CountDownLatch(procs);
        }

        /** A scheduling point of the task running {@code j} (it holds the turn). */
        void point(Job j) {
            if (aborted) {
                throw Abort.INSTANCE;
            }
            if (++steps > maxSteps) {
                abort("no end after " + maxSteps + " scheduling points (a lock never released?)");
                throw Abort.INSTANCE;
            }
            boolean force = ++consecutive > MAX_CONSECUTIVE;
            if (force || (switchProbability > 0 && rng.nextDouble() < switchProbability)) {
                Job next = pick(force ? j : null);
                if (next != null && next != j) {
                    handTo(j, next);
                }
            }
        }

        /** A random unfinished job, other than {@code not} if possible. */
        Job pick(Job not) {
            int live = 0;
            for (Job x : jobs) {
                if (!x.finished && x != not) {
                    live++;
                }
            }
            if (live == 0) {
                return null;
            }
            int k = rng.nextInt(live);
            for (Job x : jobs) {
                if (!x.finished && x != not && k-- == 0) {
                    return x;
                }
            }
            throw new AssertionError();
        }

        void handTo(Job from, Job to) {
            consecutive = 0;
            current = to;
            LockSupport.unpark(to.worker.thread);
            awaitTurn(from);
        }

        void awaitTurn(Job j) {
            while (current != j) {
                if (aborted) {
                    throw Abort.INSTANCE;
                }
                LockSupport.park(this);
            }
            if (aborted) {
                throw Abort.INSTANCE;
            }
        }

        /** The task of {@code j} is done (normally or not); passes the turn on. */
        void finished(Job j) {
            j.finished = true;
            if (!aborted && current == j) {
                Job next = pick(null);
                if (next != null) {
                    consecutive = 0;
                    current = next;
                    LockSupport.unpark(next.worker.thread);
                }
            }
            exited.countDown();
        }

        void abort(String why) {
            if (!aborted) {
                reason = why;
                aborted = true;
            }
            for (Job x : jobs) {
                LockSupport.unpark(x.worker.thread);
            }
        }
    }

    /** An engine task's thread, reused for the runs of one test. */
    private static final class Worker {
        private static final Job STOP = new Job(null, -1, new Ops.Proc(-1, 0, List.of(), List.of(), List.of()), null);
        final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile String error;

        Worker(String name) {
            thread = new Thread(this::loop, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (true) {
                Job j;
                try {
                    j = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (j == STOP) {
                    return;
                }
                execute(j);
            }
        }

        private void execute(Job j) {
            RunCtl c = j.ctl;
            Prim.mark(c.test.index(), ((long) c.run << 8) | j.proc);
            CURRENT.set(j);
            try {
                c.awaitTurn(j);
                j.regs = Interp.run(c.test, j.code, c.objs, j.assigned);
            } catch (Abort a) {
                // the run is over
            } catch (Interp.EngineError e) {
                c.abort("error: P" + j.proc + ": " + e.getMessage());
            } catch (RuntimeException | Error e) {
                c.abort("error: P" + j.proc + ": " + e);
            } finally {
                CURRENT.remove();
                c.finished(j);
            }
        }

        void stop() {
            queue.add(STOP);
        }
    }

    // ---- running tests ------------------------------------------------------------------------------

    /** Runs every run of {@code test}; never throws for a misbehaving test (its runs say why). */
    public List<RunResult> run(Ops.Test test) {
        List<RunResult> out = new ArrayList<>();
        int procs = test.procs().size();
        List<Worker> workers = workers(procs);
        for (int run = 0; run < test.runs(); run++) {
            long t0 = System.nanoTime();
            KernelObject[] objs = objects(test, run);
            // the first runs are sequential, each process first once; then random switching
            boolean sequential = run < procs;
            double p = sequential ? 0 : SWITCH[run % SWITCH.length];
            RunCtl ctl = new RunCtl(test, run, objs, test.seed() * 1_000_003L + run, p, maxSteps, procs);
            for (int k = 0; k < procs; k++) {
                ctl.jobs.add(new Job(ctl, k, test.procs().get(k), workers.get(k)));
            }
            if (procs == 0) {
                out.add(new RunResult(test.index(), run, "ok", outcome(test, ctl), System.nanoTime() - t0));
                continue;
            }
            ctl.current = sequential ? ctl.jobs.get(run) : ctl.jobs.get(ctl.rng.nextInt(procs));
            for (Job j : ctl.jobs) {
                j.worker.queue.add(j);
            }
            boolean ended = await(ctl, wallMillis);
            if (!ended) {
                ctl.abort("no end within " + wallMillis + " ms");
                ended = await(ctl, 1000);
            }
            String status;
            if (!ended) {
                status = "error: tasks did not stop";
            } else if (ctl.aborted) {
                status = ctl.reason.startsWith("error: ") ? ctl.reason : "aborted: " + ctl.reason;
            } else {
                status = "ok";
            }
            out.add(new RunResult(test.index(), run, status, status.equals("ok") ? outcome(test, ctl) : Map.of(),
                System.nanoTime() - t0));
            if (!status.equals("ok")) {
                // tasks unwound mid-way may sit in an RCU read-side section: fresh threads from here on
                for (Worker w : pool) {
                    w.stop();
                }
                pool.clear();
                if (!ended) {
                    break;
                }
                workers = workers(procs);
            }
        }
        return out;
    }

    /** Stops the task threads (they are daemons; this only frees them early). */
    public void close() {
        for (Worker w : pool) {
            w.stop();
        }
        pool.clear();
    }

    private static boolean await(RunCtl ctl, long millis) {
        try {
            return ctl.exited.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The task threads, reused from test to test (each holds a recording buffer with the agent). */
    private final List<Worker> pool = new ArrayList<>();
    private int threads;

    private List<Worker> workers(int procs) {
        while (pool.size() < procs) {
            pool.add(new Worker("litmus-task-" + threads++));
        }
        return new ArrayList<>(pool.subList(0, procs));
    }

    /** Fresh kernel objects for one run, named t<test>.r<run>.<location>. */
    private static KernelObject[] objects(Ops.Test test, int run) {
        List<Ops.Loc> locs = test.locs();
        KernelObject[] objs = new KernelObject[locs.size()];
        for (int i = 0; i < objs.length; i++) {
            Ops.Loc l = locs.get(i);
            objs[i] = switch (l.kind()) {
                case INT -> new AtomicT((int) l.init());
                case PTR -> new PtrLoc();
                case LOCK -> new SpinLock();
            };
            Prim.name(objs[i], "t" + test.index() + ".r" + run + "." + l.name());
        }
        for (int i = 0; i < objs.length; i++) {
            Ops.Loc l = locs.get(i);
            if (l.kind() == Ops.Kind.PTR && l.init() >= 0) {
                ((PtrLoc) objs[i]).init(objs[(int) l.init()]);
            }
        }
        return objs;
    }

    /** Final registers ("P:reg") and memory (every non-lock location) of a finished run. */
    private static Map<String, String> outcome(Ops.Test test, RunCtl ctl) {
        Map<String, String> m = new TreeMap<>();
        for (Job j : ctl.jobs) {
            Ops.Proc p = j.code;
            for (int k = 0; k < p.registerNames().size(); k++) {
                int slot = p.registerSlots().get(k);
                if (j.assigned[slot]) {
                    m.put(j.proc + ":" + p.registerNames().get(k), render(test, j.regs[slot]));
                }
            }
        }
        for (int i = 0; i < ctl.objs.length; i++) {
            KernelObject o = ctl.objs[i];
            if (o instanceof AtomicT a) {
                m.put(test.locs().get(i).name(), Long.toString(a.counter));
            } else if (o instanceof PtrLoc p) {
                m.put(test.locs().get(i).name(), render(test, Interp.value(ctl.objs, p.get())));
            }
        }
        return m;
    }

    static String render(Ops.Test test, long v) {
        long i = v - Ops.POINTER_BASE;
        if (i >= 0 && i < test.locs().size()) {
            return test.locs().get((int) i).name();
        }
        return Long.toString(v);
    }
}

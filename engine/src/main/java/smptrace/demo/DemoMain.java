package smptrace.demo;

/**
 * Entry point the CLI runs (with or without the agent): {@code mp [rounds]} runs the message-passing
 * demo; {@code bench THREADS ITERATIONS [CELLS [ROUNDS]]} runs {@link BenchLoop} and prints its timing (with
 * ROUNDS, also the CPU time of each thread's best round, scaled to all its iterations).
 */
public final class DemoMain {
    private DemoMain() { }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "mp";
        switch (what) {
            case "mp": {
                int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
                long sum = MessagePassing.run(rounds);
                long expected = 7L * rounds * (rounds + 1) / 2;
                System.out.println("mp-demo rounds=" + rounds + " sum=" + sum + (sum == expected ? " ok" : " WRONG expected=" + expected));
                break;
            }
            case "bench": {
                int threads = Integer.parseInt(args[1]);
                long iterations = Long.parseLong(args[2]);
                // optional: the threads share this many cells (contended shadow locks); default one each
                int ncells = args.length > 3 ? Math.max(1, Integer.parseInt(args[3])) : threads;
                // optional: each thread runs its iterations as this many equal rounds and reports its best round
                // too (the CPU time of the round least disturbed by the machine, scaled to all iterations)
                int rounds = args.length > 4 ? Math.max(1, Integer.parseInt(args[4])) : 1;
                long perRound = iterations / rounds; // the rest of the division is not run
                // warm-up on the same code path, so the timed part runs compiled code in both modes: many
                // short calls, not one long one, so that the JIT compiles the method itself (one long call
                // only gets an on-stack-replacement compile, and the timed call would start interpreted)
                BenchLoop.Cell warm = new BenchLoop.Cell();
                for (int i = 0; i < 40; i++) {
                    BenchLoop.loop(warm, 50_000);
                }
                Thread[] ts = new Thread[threads];
                long[] sums = new long[threads];
                BenchLoop.Cell[] cells = new BenchLoop.Cell[threads];
                BenchLoop.Cell[] distinct = new BenchLoop.Cell[Math.min(ncells, threads)];
                for (int t = 0; t < threads; t++) {
                    if (t < distinct.length) {
                        distinct[t] = new BenchLoop.Cell();
                    }
                    cells[t] = distinct[t % distinct.length];
                }
                // each loop thread's own CPU time too: what recording costs the recording thread, whatever
                // else (the trace writer, other processes) runs on the machine's cores meanwhile
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long[] cpu = new long[threads];
                long[] best = new long[threads];
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    final int id = t;
                    ts[t] = new Thread(() -> {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long min = Long.MAX_VALUE;
                        long sum = 0;
                        for (int r = 0; r < rounds; r++) {
                            long r0 = mx.getCurrentThreadCpuTime();
                            sum += BenchLoop.loop(cells[id], perRound);
                            min = Math.min(min, mx.getCurrentThreadCpuTime() - r0);
                        }
                        sums[id] = sum;
                        cpu[id] = mx.getCurrentThreadCpuTime() - c0;
                        best[id] = min;
                    }, "bench-" + t);
                    ts[t].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                long elapsed = System.nanoTime() - t0;
                long events = (long) threads * perRound * rounds * BenchLoop.EVENTS_PER_ITERATION;
                long cpuNs = 0;
                long bestNs = 0;
                for (int t = 0; t < threads; t++) {
                    cpuNs += cpu[t];
                    bestNs += best[t] * rounds;
                }
                System.out.println("bench threads=" + threads + " events=" + events + " elapsedNs=" + elapsed + " cpuNs=" + cpuNs + " bestRoundCpuNs=" + bestNs
                        + " check=" + (sums[0] & 1));
                break;
            }
            default:
                System.err.println("demo: unknown demo '" + what + "' (mp, bench)");
                System.exit(2);
        }
    }
}

package smptrace.demo.litmus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the child JVM {@code smptrace litmus} starts (with the agent recording):
 * {@code LitmusMain PROGRAM RESULTS [MAX_STEPS [WALL_MS]]} runs every test of the program file
 * ({@link Ops}) and writes one block per test to RESULTS:
 *
 * <pre>
 * test T NANOS
 * run T R NANOS ok|aborted: why|error: why
 * out T R KEY=VALUE ...        (ok runs: final registers "P:reg" and memory)
 * </pre>
 *
 * Exit status 0, or 2 with one line on stderr for an unreadable or malformed program.
 */
public final class LitmusMain {
    private LitmusMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LitmusMain PROGRAM RESULTS [MAX_STEPS [WALL_MS]]");
            System.exit(2);
        }
        List<Ops.Test> tests;
        try {
            tests = Ops.parse(Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("litmus engine: " + e.getMessage());
            System.exit(2);
            return;
        }
        long maxSteps = args.length > 2 ? Long.parseLong(args[2]) : 20_000;
        long wall = args.length > 3 ? Long.parseLong(args[3]) : 2_000;
        LitmusRunner runner = new LitmusRunner(maxSteps, wall);
        Path results = Paths.get(args[1]);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8))) {
            for (Ops.Test t : tests) {
                long t0 = System.nanoTime();
                List<LitmusRunner.RunResult> rs = runner.run(t);
                w.println("test " + t.index() + " " + (System.nanoTime() - t0));
                for (LitmusRunner.RunResult r : rs) {
                    w.println("run " + r.test() + " " + r.run() + " " + r.nanos() + " " + r.status().replace('\n', ' '));
                    if (r.ok()) {
                        StringBuilder sb = new StringBuilder("out " + r.test() + " " + r.run());
                        for (Map.Entry<String, String> e : r.outcome().entrySet()) {
                            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
                        }
                        w.println(sb);
                    }
                }
            }
        }
        runner.close();
    }
}

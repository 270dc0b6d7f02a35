package smptrace.engine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Runs one scenario and prints a one-line summary.
 *
 * <pre>
 * EngineMain --patch 000..004 --variant before|after|MUTANT [--scenario 000..004|standard] [--seed N]
 *            [--schedule random|pct|free] [--pct-depth D] [--cpus N] [--length N]
 *            [--debug on|off|config] [--max-steps N] [--timeout-ms N] [--steer SPEC] [--repeat N]
 * EngineMain --list
 * </pre>
 * {@code --repeat N} runs the scenario N times in this JVM, one summary line each (under the agent with
 * out=DIR all of them go into that one trace): the later runs' {@code ms=} is the workload's time once the
 * JIT has compiled it ({@code smptrace bench} reports it beside the first run's).
 * Exit 0 after a run (also a stuck one: that is a result), 2 on bad arguments.
 */
public final class EngineMain {
    private EngineMain() { }

    public static final String USAGE = "usage: EngineMain --patch 000..004 --variant before|after|<mutant> "
            + "[--scenario 000..004|standard] [--seed N] [--schedule random|pct|free] [--pct-depth D] [--cpus N] "
            + "[--length N] [--debug on|off|config] [--max-steps N] [--timeout-ms N] [--repeat N] | --list";

    public static void main(String[] args) {
        RunConfig cfg;
        List<String> a = Arrays.asList(args);
        if (a.contains("--list")) {
            System.out.print(Catalogue.describe());
            System.exit(0);
            return;
        }
        String steer;
        int repeat;
        try {
            a = new java.util.ArrayList<>(a);
            steer = take(a, "--steer");
            String rep = take(a, "--repeat");
            try {
                repeat = rep == null ? 1 : Integer.parseInt(rep);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number for --repeat: " + rep);
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat takes a number >= 1");
            }
            if (steer != null) {
                smptrace.engine.sim.Steer.parse(steer);
            }
            cfg = parse(a);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        for (int run = 0; run < repeat; run++) {
            Engine.ScheduleIo io = new Engine.ScheduleIo();
            String scheduleOut = System.getProperty("smptrace.schedule.out");
            io.record = scheduleOut != null;
            io.steer = steer == null ? null : smptrace.engine.sim.Steer.parse(steer);
            RunResult r = Engine.run(cfg, io);
            if (io.recorded != null) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Paths.get(scheduleOut), io.recorded.text() + "\n");
                } catch (java.io.IOException e) {
                    System.err.println("error: cannot write the schedule " + scheduleOut + ": " + e.getMessage());
                }
            }
            System.out.println(r.summary());
            System.out.flush();
        }
        System.exit(0);
    }

    /** Removes {@code opt VALUE} (or {@code opt=VALUE}) from {@code words} and returns VALUE, or null when absent. */
    public static String take(List<String> words, String opt) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals(opt) && i + 1 < words.size()) {
                String v = words.get(i + 1);
                words.subList(i, i + 2).clear();
                return v;
            }
            if (w.startsWith(opt + "=")) {
                words.remove(i);
                return w.substring(opt.length() + 1);
            }
        }
        return null;
    }

    /** Parses the arguments (throws IllegalArgumentException on bad ones). */
    public static RunConfig parse(List<String> args) {
        String patch = null;
        String variant = null;
        String scenario = null;
        long seed = 1;
        String schedule = "random";
        int depth = 3;
        Integer cpus = null;
        Integer length = null;
        Boolean debug = null;
        Boolean debugKey = null;
        long maxSteps = 0;
        long timeout = 0;
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String k = it.next();
            String v = k.contains("=") ? k.substring(k.indexOf('=') + 1) : null;
            if (v != null) {
                k = k.substring(0, k.indexOf('='));
            } else {
                if (!it.hasNext()) {
                    throw new IllegalArgumentException("missing value for " + k);
                }
                v = it.next();
            }
            try {
                switch (k) {
                    case "--patch": patch = v; break;
                    case "--variant": variant = v; break;
                    case "--scenario": scenario = v; break;
                    case "--seed": seed = Long.parseLong(v); break;
                    case "--schedule": schedule = v; break;
                    case "--pct-depth": depth = Integer.parseInt(v); break;
                    case "--cpus": cpus = Integer.parseInt(v); break;
                    case "--length": length = Integer.parseInt(v); break;
                    case "--debug":
                        if (!v.equals("on") && !v.equals("off") && !v.equals("config")) {
                            throw new IllegalArgumentException("--debug takes on|off|config");
                        }
                        debug = !v.equals("off");
                        debugKey = v.equals("config") ? Boolean.FALSE : null;
                        break;
                    case "--max-steps": maxSteps = Long.parseLong(v); break;
                    case "--timeout-ms": timeout = Long.parseLong(v); break;
                    default: throw new IllegalArgumentException("unknown option " + k);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number for " + k + ": " + v);
            }
        }
        if (patch == null || variant == null) {
            throw new IllegalArgumentException("--patch and --variant are required");
        }
        Patch p = Patch.parse(patch);
        Variant var = Variant.parse(p, variant);
        Scenario s = scenario == null ? var.scenario(p) : Scenario.parse(scenario);
        Schedule sch;
        try {
            sch = Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown schedule '" + schedule + "' (random|pct|free)");
        }
        return new RunConfig(p, var, s, seed, sch, depth, cpus == null ? Math.max(4, s.minCpus) : cpus,
                length == null ? s.defaultLength : length, debug, maxSteps, timeout, debugKey);
    }
}

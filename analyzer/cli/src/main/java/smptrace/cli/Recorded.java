package smptrace.cli;

import smptrace.trace.TraceInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a trace's header says about the engine run that recorded it: its EngineMain arguments and its command line. */
final class Recorded {
    private static final String[][] HEADER_TO_OPTION = {
        {"patch", "--patch"}, {"variant", "--variant"}, {"scenario", "--scenario"}, {"seed", "--seed"},
        {"schedule", "--schedule"}, {"pct.depth", "--pct-depth"}, {"cpus", "--cpus"}, {"length", "--length"},
        {"watchdog.ms", "--timeout-ms"},
    };

    private Recorded() { }

    static boolean isEngineRun(TraceInfo info) {
        return info.header("patch") != null && info.header("variant") != null;
    }

    /** The EngineMain arguments that recorded this trace. */
    static List<String> engineArgs(Path t, TraceInfo info) throws UsageException {
        if (!isEngineRun(info)) {
            throw new UsageException(t + " was not recorded from an engine scenario (its header names no patch); nothing to re-execute");
        }
        List<String> run = new ArrayList<>();
        for (String[] ho : HEADER_TO_OPTION) {
            String v = info.header(ho[0]);
            if (v != null) {
                run.add(ho[1]);
                run.add(v);
            }
        }
        String debug = info.header("csd.lock.wait.debug");
        if (debug != null) {
            run.add("--debug");
            // "config": CONFIG_CSD_LOCK_WAIT_DEBUG built in with the csdlock_debug key off (not the same as off)
            run.add("config".equals(debug) ? "config" : Boolean.parseBoolean(debug) ? "on" : "off");
        }
        String steer = info.header("steer");
        if (steer != null) {
            run.add("--steer"); // a confirming run (smptrace confirm): the seeded strategy, steered
            run.add(steer);
        }
        return run;
    }

    /** The command that records this run again ({@code ./smptrace record ... --compact}), or null for a non-engine trace. */
    static String command(TraceInfo info) throws UsageException {
        if (!isEngineRun(info)) {
            return null;
        }
        StringBuilder b = new StringBuilder("./smptrace record");
        for (String a : engineArgs(null, info)) {
            // a steering spec holds ';': quoted, so that the line pastes into a shell as it is
            b.append(' ').append(a.matches("[A-Za-z0-9._/=:@#,+-]*") ? a : "'" + a + "'");
        }
        return b.append(" --compact --out TRACE").toString();
    }
}

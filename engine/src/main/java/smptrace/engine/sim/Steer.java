package smptrace.engine.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Steering of a controlled run toward a predicted finding's interleaving (smptrace confirm). A spec
 * names contexts, the engine site (file:line) of an access of each and which arrival at that site
 * counts ({@code ctx@File.java:123#2}: the second scheduling point of ctx at that site):
 * <ul>
 * <li>{@code meet;A@S#n;B@T#m}: hold each context at the scheduling point before its access until
 *     every one has reached its own, then release them all (both check-then-acts read before either
 *     acts);</li>
 * <li>{@code window;A@S#n}: hold A at its first scheduling point after its n-th access at S while
 *     the others run (a stopper or another task can preempt it there), released when nothing else
 *     can run.</li>
 * </ul>
 * A held context loses its CONT and IRQ actions, any SWITCH back to it and its migration; when
 * nothing else is enabled every hold is released. The seeded strategy picks among what is left, and
 * the run's schedule is recorded as usual, so its schedule.txt replays it exactly without steering.
 * Only steered runs pay for this (a stack walk per scheduling point).
 */
public final class Steer {
    private static final StackWalker WALKER = StackWalker.getInstance();

    static final class Hold {
        final String ctx;
        final String site;
        final int occurrence;
        int arrivals;
        boolean armed;
        Ctx held;
        boolean done;

        Hold(String ctx, String site, int occurrence) {
            this.ctx = ctx;
            this.site = site;
            this.occurrence = occurrence;
        }
    }

    private final boolean meeting;
    private final List<Hold> holds = new ArrayList<>();
    private final String spec;
    private int released;
    /** A meeting's members after their release, until each has taken its step (the witness access). */
    private final List<Ctx> acting = new ArrayList<>();

    private Steer(boolean meeting, String spec) {
        this.meeting = meeting;
        this.spec = spec;
    }

    /** Parses {@code meet;ctx@file:line#n;...} or {@code window;ctx@file:line#n}; IllegalArgumentException when malformed. */
    public static Steer parse(String spec) {
        String[] parts = spec.split(";");
        if (parts.length < 2 || !(parts[0].equals("meet") || parts[0].equals("window"))) {
            throw new IllegalArgumentException("steering '" + spec + "': want meet;CTX@FILE:LINE#N;... or window;CTX@FILE:LINE#N");
        }
        Steer s = new Steer(parts[0].equals("meet"), spec);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int at = p.indexOf('@');
            int hash = p.lastIndexOf('#');
            if (at <= 0 || hash < at + 2 || p.indexOf(':', at) < 0) {
                throw new IllegalArgumentException("steering '" + spec + "': bad hold '" + p + "' (want CTX@FILE:LINE#N)");
            }
            int n;
            try {
                n = Integer.parseInt(p.substring(hash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("steering '" + spec + "': bad occurrence in '" + p + "'");
            }
            if (n < 1) {
                throw new IllegalArgumentException("steering '" + spec + "': occurrence must be >= 1 in '" + p + "'");
            }
            s.holds.add(new Hold(p.substring(0, at), p.substring(at + 1, hash), n));
        }
        if (!s.meeting && s.holds.size() != 1) {
            throw new IllegalArgumentException("steering '" + spec + "': a window holds one context");
        }
        return s;
    }

    public String spec() {
        return spec;
    }

    /** How many times the holds were released because nothing else could run (for the summary). */
    public int forcedReleases() {
        return released;
    }

    /** {@code me} is at a scheduling point: count its arrival at its site, hold it when a hold says so. */
    void arrive(Ctx me) {
        acting.remove(me); // it took its step since its last point
        String site = null;
        for (Hold h : holds) {
            if (h.done || h.held != null || !h.ctx.equals(me.name)) {
                continue;
            }
            if (h.armed) {
                h.held = me;
                continue;
            }
            if (site == null) {
                site = site();
            }
            if (site.equals(h.site) && ++h.arrivals == h.occurrence) {
                if (meeting) {
                    h.held = me;
                } else {
                    h.armed = true; // a window opens at the next point, after this access
                }
            }
        }
    }

    /** The engine site (file:line) the calling context is about to execute: the first frame outside the machinery. */
    private static String site() {
        StackWalker.StackFrame f = WALKER.walk(s -> s.filter(x -> !machinery(x.getClassName())).findFirst().orElse(null));
        return f == null ? "-" : f.getFileName() + ":" + f.getLineNumber();
    }

    private static boolean machinery(String cls) {
        return cls.startsWith("smptrace.engine.sim.") || cls.startsWith("smptrace.agent.") || cls.startsWith("java.")
                || cls.equals("smptrace.kernel.Sched") || cls.startsWith("smptrace.kernel.Sched$") || cls.equals("smptrace.kernel.Kernel");
    }

    /** The actions the strategy may pick among (a new list), or {@code actions} itself when nothing is held. */
    List<Action> filter(List<Action> actions) {
        if (meeting) {
            boolean all = true;
            boolean any = false;
            for (Hold h : holds) {
                all &= h.held != null || h.done;
                any |= h.held != null;
            }
            if (all && any) {
                for (Hold h : holds) {
                    if (h.held != null && !acting.contains(h.held)) {
                        acting.add(h.held);
                    }
                }
                releaseAll();   // everyone is at the meeting point: each takes its step now, together
            }
            if (!acting.isEmpty()) {
                List<Action> go = new ArrayList<>();
                for (Action a : actions) {
                    if (a.kind == Action.CONT && acting.contains(a.cpu.current)) {
                        go.add(a);
                    }
                }
                if (!go.isEmpty()) {
                    return go;
                }
                acting.clear();
            }
        }
        boolean holding = false;
        for (Hold h : holds) {
            holding |= h.held != null && !h.done;
        }
        if (!holding) {
            return actions;
        }
        List<Action> left = new ArrayList<>();
        for (Action a : actions) {
            if (!blocked(a)) {
                left.add(a);
            }
        }
        if (left.isEmpty()) {
            released++;
            releaseAll();       // nothing else can run: the hold would hang the machine
            return actions;
        }
        if (meeting) {
            // a meeting forms fastest, and with no third context in between, when the members still on
            // their way run first (unless they are spin-waiting: then whatever they wait for must run)
            List<Action> way = new ArrayList<>();
            for (Action a : left) {
                if (onTheWay(a.cpu.current) && !a.cpu.current.m.spinning(a.cpu.current)) {
                    way.add(a);
                }
            }
            if (!way.isEmpty()) {
                return way;
            }
        }
        return left;
    }

    private boolean onTheWay(Ctx x) {
        for (Hold h : holds) {
            if (!h.done && h.held == null && h.ctx.equals(x.name)) {
                return true;
            }
        }
        return false;
    }

    private boolean blocked(Action a) {
        for (Hold h : holds) {
            Ctx x = h.held;
            if (x == null || h.done) {
                continue;
            }
            if (a.kind == Action.SWITCH ? a.next == x : a.cpu.current == x && a.kind != Action.SWITCH) {
                return true;
            }
        }
        return false;
    }

    private void releaseAll() {
        for (Hold h : holds) {
            if (h.held != null) {
                h.done = true;
            }
            h.armed = false;
        }
        for (Hold h : holds) {
            h.done = true;  // a hold never reached is not waited for again
        }
    }
}

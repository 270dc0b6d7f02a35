package smptrace.kernel;

/**
 * The scheduling-point hook. Every kernel primitive and control event calls {@link #point()}
 * before it acts; with the agent attached, plain accesses to kernel memory do too. The engine's
 * controlled scheduler installs a hook that may switch tasks there; free-running and the default
 * hook do nothing.
 */
public final class Sched {
    /** Decides, at a scheduling point, whether the calling task keeps running. */
    public interface Hook {
        void point();

        /** The body of a spin-wait iteration (cpu_relax()); free-running machines may yield the core here. */
        default void relax() {
            Thread.onSpinWait();
        }
    }

    private static final Hook NONE = () -> { };
    private static volatile Hook hook = NONE;

    private Sched() { }

    public static void install(Hook h) {
        hook = h == null ? NONE : h;
    }

    public static Hook installed() {
        return hook;
    }

    public static void point() {
        hook.point();
    }

    /** cpu_relax(): the spinning task lets the machine run something else. */
    public static void relax() {
        hook.relax();
    }
}

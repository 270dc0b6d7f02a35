package smptrace.engine.sim;

/** Thrown at a scheduling point once a run is over (finished or stuck): unwinds every context thread. */
public final class Killed extends Error {
    private static final long serialVersionUID = 1L;
    static final Killed INSTANCE = new Killed();

    private Killed() {
        super("run over", null, false, false);
    }
}

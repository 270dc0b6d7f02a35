package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.WRITE_ONCE;

/** Runs uninstrumented until an agent attaches; then its next calls to step() are recorded. */
public final class AttachTarget {
    private AttachTarget() { }

    static int step(Cell c, int i) {
        WRITE_ONCE(c, Cell.V, i);
        c.w = READ_ONCE(c, Cell.V);
        return c.w;
    }

    /**
     * Steps until the test says on stdin that the agent is loaded, then for args[0] ms more: a fixed run time
     * would end the JVM while a slow attach (a loaded machine) is still loading the agent ("Premature EOF").
     */
    public static void main(String[] args) throws Exception {
        Cell c = new Cell();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        long after = Long.parseLong(args[0]) * 1_000_000L;
        long giveUp = System.nanoTime() + 120_000_000_000L;
        long end = 0;
        long sum = 0;
        for (int i = 0; end == 0 ? System.nanoTime() < giveUp : System.nanoTime() < end; i++) {
            sum += step(c, i);
            if ((i & 1023) == 0) {
                Thread.sleep(1);
                if (end == 0 && System.in.available() > 0) {
                    end = System.nanoTime() + after;
                }
            }
        }
        System.out.println("done " + (sum > 0 && end != 0));
    }
}

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

    public static void main(String[] args) throws Exception {
        Cell c = new Cell();
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000L;
        long sum = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            sum += step(c, i);
            if ((i & 1023) == 0) {
                Thread.sleep(1);
            }
        }
        System.out.println("done " + (sum > 0));
    }
}

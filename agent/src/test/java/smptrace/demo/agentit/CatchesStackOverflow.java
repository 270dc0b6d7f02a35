package smptrace.demo.agentit;

import static smptrace.kernel.Kernel.WRITE_ONCE;

/**
 * Recurses until the stack overflows and catches the StackOverflowError, again and again, with a
 * recorded write at every level: sooner or later the overflow hits inside the agent's own code.
 * Prints how many writes it made. Args: rounds.
 */
public final class CatchesStackOverflow {
    private CatchesStackOverflow() { }

    static final Cell CELL = new Cell();
    static long writes;

    static void down(int depth) {
        WRITE_ONCE(CELL, Cell.V, depth);
        writes++;
        down(depth + 1);
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int overflows = 0;
        for (int r = 0; r < rounds; r++) {
            try {
                down(0);
            } catch (StackOverflowError e) {
                overflows++;
            }
        }
        System.out.println("overflows=" + overflows + " writes=" + writes);
    }
}

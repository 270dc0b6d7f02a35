package smptrace.engine.sim;

/** One scheduling choice: continue, take an IRQ, switch tasks, or migrate, on one CPU. */
final class Action {
    static final int CONT = 0;
    static final int IRQ = 1;
    static final int SWITCH = 2;
    static final int MIGRATE = 3;

    final int kind;
    final Cpu cpu;
    final Ctx next;   // SWITCH: the context switched in
    final Cpu dst;    // MIGRATE: the destination
    final int weight;
    final boolean forced;

    Action(int kind, Cpu cpu, Ctx next, Cpu dst, int weight, boolean forced) {
        this.kind = kind;
        this.cpu = cpu;
        this.next = next;
        this.dst = dst;
        this.weight = weight;
        this.forced = forced;
    }

    static final Action CONTINUE_SELF = new Action(CONT, null, null, null, 1, false);

    @Override
    public String toString() {
        String k = kind == CONT ? "cont" : kind == IRQ ? "irq" : kind == SWITCH ? "switch" : "migrate";
        return k + "@" + (cpu == null ? "-" : String.valueOf(cpu.id));
    }
}

package userapp;

/** The README's example of a user program: a static counter raced by a thread and main. */
public final class StaticRace {
    static int hits;

    private StaticRace() { }

    public static void main(String[] args) throws InterruptedException {
        Thread t = new Thread(() -> hits++);
        t.start();
        hits++;
        t.join();
        System.out.println("hits=" + hits);
    }
}

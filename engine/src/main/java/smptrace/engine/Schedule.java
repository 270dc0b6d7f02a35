package smptrace.engine;

/** How a run is scheduled: controlled (seeded uniform random walk or PCT) or free (real parallel threads). */
public enum Schedule {
    RANDOM, PCT, FREE;

    public boolean controlled() {
        return this != FREE;
    }

    public static Schedule parse(String s) {
        return valueOf(s.trim().toUpperCase());
    }
}

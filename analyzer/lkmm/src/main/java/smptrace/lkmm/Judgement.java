package smptrace.lkmm;

/**
 * What the LKMM says about one candidate execution: whether every axiom holds (and if not, the
 * first one that fails, by its cat name), and the flags the model raises on it.
 *
 * @param allowed       all of coherence, atomic, happens-before, propagation, rcu, plain-coherence
 *                      and lock.cat's checks hold
 * @param violated      the name of the first failed check ("coherence", "atomic", ...), or null
 * @param dataRace      the data-race flag: a ww-, wr- or rw-race exists
 * @param mixedAccesses the mixed-accesses flag: a plain write and a marked access to one location
 *                      in one thread with no barrier between them
 */
public record Judgement(boolean allowed, String violated, boolean dataRace, boolean mixedAccesses) {
    static Judgement forbidden(String axiom) {
        return new Judgement(false, axiom, false, false);
    }
}

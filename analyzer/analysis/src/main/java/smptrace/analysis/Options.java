package smptrace.analysis;

/**
 * Analysis options.
 *
 * @param assumePlainWritesAtomic KCSAN's CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC: conflicts whose only
 *                                plain accesses are aligned writes (every write of the model is an
 *                                aligned word) are not data races. Off by default: the LKMM's definition.
 * @param maxWitnessEvents        events kept per finding's witness
 */
public record Options(boolean assumePlainWritesAtomic, int maxWitnessEvents) {
    public static Options defaults() {
        return new Options(false, 8);
    }

    public Options withAssumePlainWritesAtomic(boolean v) {
        return new Options(v, maxWitnessEvents);
    }
}

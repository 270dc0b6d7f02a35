package smptrace.litmus;

/**
 * The verdict of a litmus test under the LKMM, in herd7's words: the condition's proposition holds
 * in no allowed execution (Never), in some (Sometimes) or in all (Always). {@code positive} and
 * {@code negative} count the allowed executions where the proposition holds or not, as herd7's
 * "Positive/Negative" witnesses do. The flags are raised if any allowed execution raises them.
 */
public record Decision(String test, Verdict verdict, long positive, long negative, boolean dataRace,
                       boolean mixedAccesses, long candidates, String unsupported) {

    public enum Verdict {
        NEVER("Never"), SOMETIMES("Sometimes"), ALWAYS("Always"), UNSUPPORTED("unsupported"), TIMEOUT("TIMEOUT");

        public final String word;

        Verdict(String word) {
            this.word = word;
        }
    }

    static Decision of(String test, long positive, long negative, boolean dataRace, boolean mixed, long candidates) {
        Verdict v = positive == 0 ? Verdict.NEVER : negative == 0 ? Verdict.ALWAYS : Verdict.SOMETIMES;
        return new Decision(test, v, positive, negative, dataRace, mixed, candidates, null);
    }

    static Decision unsupported(String test, String what) {
        return new Decision(test, Verdict.UNSUPPORTED, 0, 0, false, false, 0, what);
    }

    static Decision timeout(String test, long millis) {
        return new Decision(test, Verdict.TIMEOUT, 0, 0, false, false, 0, "no verdict within " + millis + " ms");
    }

    /** Whether some execution the LKMM allows satisfies the condition's proposition. */
    public boolean outcomeAllowed() {
        return positive > 0;
    }

    /** No execution at all is allowed (herd7 reports this as a deadlock, e.g. a lock never released). */
    public boolean noExecutions() {
        return verdict == Verdict.NEVER && positive == 0 && negative == 0;
    }

    /**
     * "Never", "Sometimes", "Always", "DEADLOCK" (no execution at all, as herd7-lkmm says it: herd7
     * itself prints Never with 0 positive and 0 negative), "TIMEOUT", or "unsupported: what".
     */
    public String verdictText() {
        if (verdict == Verdict.UNSUPPORTED) {
            return "unsupported: " + unsupported;
        }
        return noExecutions() ? "DEADLOCK" : verdict.word;
    }

    /** The verdict followed by DATARACE when the flag is raised, as the Result lines write it. */
    public String resultText() {
        return dataRace ? verdictText() + " DATARACE" : verdictText();
    }
}

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
        NEVER("Never"), SOMETIMES("Sometimes"), ALWAYS("Always"), UNSUPPORTED("unsupported");

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

    /** Whether some execution the LKMM allows satisfies the condition's proposition. */
    public boolean outcomeAllowed() {
        return positive > 0;
    }

    /** No execution at all is allowed (herd7 reports this as a deadlock, e.g. a lock never released). */
    public boolean noExecutions() {
        return verdict != Verdict.UNSUPPORTED && positive == 0 && negative == 0;
    }

    /** "Never", "Sometimes", "Always", or "unsupported: what". */
    public String verdictText() {
        return verdict == Verdict.UNSUPPORTED ? "unsupported: " + unsupported : verdict.word;
    }

    /** The verdict followed by DATARACE when the flag is raised, as the Result lines write it. */
    public String resultText() {
        return dataRace ? verdictText() + " DATARACE" : verdictText();
    }
}

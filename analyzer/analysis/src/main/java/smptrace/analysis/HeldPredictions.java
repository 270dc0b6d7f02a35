package smptrace.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicted findings about an object, held to the end of the trace and reported only for objects whose bad outcome
 * the trace does not show happening: where it does, the observed finding is the report, and the prediction adds
 * nothing. Used by detectors whose prediction and observation are about the same object (a CSD on a list twice, an
 * object used after its free).
 */
final class HeldPredictions {
    private final List<Finding.Builder> held = new ArrayList<>();
    private int[] heldOid = new int[8];
    private final IntIntMap observed = new IntIntMap();

    /** A prediction about object oid, reported at {@link #report} unless oid is {@link #observed} by then. */
    void predict(int oid, Finding.Builder f) {
        if (held.size() == heldOid.length) {
            heldOid = java.util.Arrays.copyOf(heldOid, heldOid.length * 2);
        }
        heldOid[held.size()] = oid;
        held.add(f);
    }

    /** The trace shows the bad outcome on object oid. */
    void observed(int oid) {
        observed.put(oid, 1);
    }

    /** Reports the held predictions of objects never observed (at the detector's finish). */
    void report(Analysis a) {
        for (int i = 0; i < held.size(); i++) {
            if (observed.get(heldOid[i]) < 0) {
                a.report(held.get(i).build());
            }
        }
    }
}

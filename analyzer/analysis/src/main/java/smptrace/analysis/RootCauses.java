package smptrace.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Findings grouped by what causes them, most severe cause first: what reports print.
 *
 * <p>First, findings of one kind about the same racing pair of sites on the same location become one
 * {@link Entry} whatever the access kinds (a {@code counter++} race is one entry, not ww, wr and rw).
 * Then an entry joins the cause of an earlier, at least as severe entry that is about the same kernel
 * object (the double ownership of a CSD explains the stores to its fields by the non-owner, its double
 * enqueue and the races on its fields); entries of the least severe class (data races) explain nothing
 * but themselves. Causes are ordered by their head: severity of its kind ({@link Finding.Kind#severity}),
 * observed before predicted, then the first to be complete in replay order (the first thing that went
 * wrong). Everything is computed from the findings' data, never from the variant.
 */
public final class RootCauses {
    /** One or more findings of one kind about one pair of sites. */
    public static final class Entry {
        public final List<Finding> members = new ArrayList<>();
        final Set<String> objects = new LinkedHashSet<>();
        long completedAt = Long.MAX_VALUE;

        public Finding head() {
            return members.get(0);
        }

        public Finding.Kind kind() {
            return head().kind;
        }

        /** Tolerated or an accepted kernel race: shown only on request, never the head of a problem's cause. */
        public boolean tolerated() {
            return hidden(head());
        }

        public boolean predicted() {
            return head().predicted;
        }

        /** The members' rules, in first-seen order: "ww-race, wr-race". */
        public String rules() {
            Set<String> r = new LinkedHashSet<>();
            members.forEach(m -> r.add(m.rule));
            return String.join(", ", r);
        }

        /** Occurrences summed over members. */
        public int occurrences() {
            return members.stream().mapToInt(Finding::occurrences).sum();
        }

        /**
         * The entry's stable fingerprint: a finding's own fingerprint, or for a racing pair of sites one
         * built from the kind, the location and the two kernel functions (so it is the same whichever of
         * ww / wr / rw the run showed, and survives line moves in the engine).
         */
        public String fingerprint() {
            String pair = stablePairKey(head());
            return pair == null ? head().fingerprint : Fingerprints.hash(head().kind.id + "|pair|" + pair);
        }
    }

    /** A cause: its head entry and the entries it explains. */
    public record Cause(Entry head, List<Entry> explained) {
        public List<Entry> entries() {
            List<Entry> l = new ArrayList<>();
            l.add(head);
            l.addAll(explained);
            return l;
        }
    }

    private RootCauses() { }

    /**
     * @param showTolerated include tolerated findings (as causes of their own, after the others)
     * @param kinds         only these kinds (empty: all)
     * @param steps         replay positions (may be {@link Steps#none})
     */
    /** A finding a clean verdict may hide: tolerated (a known benign pattern) or an accepted kernel race. */
    static boolean hidden(Finding f) {
        return f.tolerated || f.accepted() != null;
    }

    public static List<Cause> of(List<Finding> findings, boolean showTolerated, Set<Finding.Kind> kinds, Steps steps) {
        List<Entry> entries = new ArrayList<>();
        for (Finding f : findings) {
            if (hidden(f) && !showTolerated || !kinds.isEmpty() && !kinds.contains(f.kind)) {
                continue;
            }
            String pair = pairKey(f);
            Entry into = null;
            if (pair != null) {
                for (Entry x : entries) {
                    if (x.kind() == f.kind && x.tolerated() == hidden(f) && x.predicted() == f.predicted
                            && pair.equals(pairKey(x.head()))) {
                        into = x;
                        break;
                    }
                }
            }
            if (into == null) {
                into = new Entry();
                entries.add(into);
            }
            into.members.add(f);
            into.objects.addAll(objects(f));
            into.completedAt = Math.min(into.completedAt, completedAt(f, steps));
        }
        entries.sort(ORDER);
        int weakest = 0;
        for (Finding.Kind k : Finding.Kind.values()) {
            weakest = Math.max(weakest, k.severity);
        }
        List<Cause> causes = new ArrayList<>();
        for (Entry e : entries) {
            Cause home = null;
            // a hang is its own cause, printed whole (who is stuck, waiting for what, how it got there): the
            // objects of what led there (the add, the last IPI and flush) make no other finding its cause
            if (!e.tolerated() && e.kind() != Finding.Kind.HANG) {
                for (Cause c : causes) {
                    Entry h = c.head();
                    if (!h.tolerated() && h.kind() != Finding.Kind.HANG && h.kind().severity <= e.kind().severity && h.kind().severity < weakest
                            && intersects(h.objects, e.objects)) {
                        home = c;
                        break;
                    }
                }
            }
            if (home == null) {
                causes.add(new Cause(e, new ArrayList<>()));
            } else {
                home.explained().add(e);
            }
        }
        causes.sort((a, b) -> Boolean.compare(a.head().tolerated(), b.head().tolerated()));
        return causes;
    }

    static final Comparator<Entry> ORDER = Comparator
            .comparing((Entry e) -> e.tolerated())
            .thenComparingInt(e -> e.kind().severity)
            .thenComparing(Entry::predicted)
            .thenComparingLong(e -> e.completedAt)
            .thenComparingInt(e -> e.kind().ordinal())
            .thenComparing(e -> e.head().fingerprint);

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String x : b) {
            if (a.contains(x)) {
                return true;
            }
        }
        return false;
    }

    /** When the finding is complete: the replay position of its last event (Long.MAX_VALUE if unknown). */
    private static long completedAt(Finding f, Steps steps) {
        long last = -1;
        for (Steps.Step s : steps.of(f)) {
            if (s.role.equals("access")) {
                last = Math.max(last, s.pos);
            }
        }
        return last < 0 ? Long.MAX_VALUE : last;
    }

    /**
     * Two accesses on one location, as "location|site|site" with the sites sorted; null when the
     * finding is not about exactly two accesses of one location.
     */
    static String pairKey(Finding f) {
        if (!f.kind.byPairOfSites() || f.events.size() != 2) {
            return null;
        }
        EventRef a = f.events.get(0);
        EventRef b = f.events.get(1);
        if (a.location() == null || !a.location().equals(b.location()) || a.function() == null || b.function() == null) {
            return null;
        }
        String sa = a.function() + "@" + a.where();
        String sb = b.function() + "@" + b.where();
        return a.location() + "|" + (sa.compareTo(sb) <= 0 ? sa + "|" + sb : sb + "|" + sa);
    }

    /** Like {@link #pairKey} without file:line: "location|function|function", or null. */
    static String stablePairKey(Finding f) {
        if (pairKey(f) == null) {
            return null;
        }
        String a = f.events.get(0).function();
        String b = f.events.get(1).function();
        return f.events.get(0).location() + "|" + (a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a);
    }

    /** The kernel objects a finding is about: its subject if the detector named one, else the objects of its accesses. */
    static Set<String> objects(Finding f) {
        Set<String> s = new LinkedHashSet<>();
        if (f.subject != null) {
            s.add(f.subject);
            return s;
        }
        for (EventRef e : f.events) {
            if (e.location() != null) {
                s.add(objectOf(e.location()));
            }
        }
        return s;
    }

    /** "per_cpu(csd_data, 1).u_flags" -> "per_cpu(csd_data, 1)"; "cfd_data[1].csd[2].next" -> "cfd_data[1].csd[2]"; "x[3]" -> "x". */
    public static String objectOf(String location) {
        int depth = 0;
        int cut = -1;
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (c == '.' || c == '[')) {
                cut = i;
            }
        }
        if (cut > 0 && location.charAt(cut) == '[' && location.endsWith("]")) {
            return location.substring(0, cut);
        }
        return cut > 0 ? location.substring(0, cut) : location;
    }
}

package smptrace.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifetimesDeferredTest {
    private final Set<Integer> named = new HashSet<>();
    private final List<Integer> dropped = new ArrayList<>();
    private final Lifetimes.Deferred deferred = new Lifetimes.Deferred(named::contains, dropped::add);

    @Test
    void anObjectNothingNamesIsDroppedAtItsFree() {
        deferred.died(7);
        assertEquals(List.of(7), dropped);
        assertEquals(0, deferred.size());
    }

    @Test
    void aNamedObjectWaitsUntilAFreeAfterNothingNamesIt() {
        named.add(7);
        deferred.died(7);
        deferred.sweep();
        assertEquals(List.of(), dropped, "still named: kept");
        named.remove(7);
        deferred.sweep();
        assertEquals(List.of(7), dropped);
        assertEquals(0, deferred.size());
    }

    @Test
    void anObjectFreedTwiceWhileNamedWaitsOnceAndIsDroppedOnce() {
        named.add(3);
        deferred.died(3);
        deferred.died(3);
        assertEquals(1, deferred.size());
        named.clear();
        deferred.sweep();
        deferred.sweep();
        assertEquals(List.of(3), dropped);
    }
}

package smptrace.agent.rt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Identity map from objects that are not KernelObjects (kernel arrays, callback objects) to their
 * shadow. Lookups are lock-free and allocate nothing; inserts are rare and synchronized.
 * Entries are never removed: such objects are few (per-CPU tables, named callbacks).
 */
final class IdentityTable<V> {
    private static final VarHandle AA = MethodHandles.arrayElementVarHandle(Object[].class);

    /** Pairs: [2i] key, [2i+1] value; the key is published after its value. */
    private volatile Object[] table = new Object[2 * 64];
    private int size;

    @SuppressWarnings("unchecked")
    V get(Object key) {
        Object[] t = table;
        int mask = (t.length >> 1) - 1;
        int i = mix(System.identityHashCode(key)) & mask;
        while (true) {
            Object k = AA.getAcquire(t, 2 * i);
            if (k == key) {
                return (V) t[2 * i + 1];
            }
            if (k == null) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    synchronized V putIfAbsent(Object key, V value) {
        V old = get(key);
        if (old != null) {
            return old;
        }
        if (2 * (size + 1) > (table.length >> 1)) {
            Object[] bigger = new Object[table.length * 2];
            Object[] t = table;
            for (int i = 0; i < t.length; i += 2) {
                if (t[i] != null) {
                    insert(bigger, t[i], t[i + 1]);
                }
            }
            table = bigger;
        }
        insert(table, key, value);
        size++;
        return value;
    }

    private static void insert(Object[] t, Object key, Object value) {
        int mask = (t.length >> 1) - 1;
        int i = mix(System.identityHashCode(key)) & mask;
        while (t[2 * i] != null) {
            i = (i + 1) & mask;
        }
        t[2 * i + 1] = value;
        AA.setRelease(t, 2 * i, key);
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}

package smptrace.engine;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smptrace.engine.smp.Hotplug;
import smptrace.engine.smp.IrqWork;
import smptrace.engine.smp.Smp;
import smptrace.engine.smp.StopMachine;
import smptrace.kernel.Mirrors;

/**
 * The engine's statement of which kernel code each member mirrors ({@link Mirrors}), for reports:
 * engine member, kernel function, file, and the seed hunks that change it.
 */
public final class KernelLines {
    private KernelLines() { }

    /** One row: {@code Smp.csd_lock} mirrors {@code csd_lock} in {@code kernel/smp.c}, changed by 001:-354,8. */
    public record Row(String member, String function, String file, List<String> hunks) {
        @Override
        public String toString() {
            return member + " -> " + file + ": " + function + (hunks.isEmpty() ? "" : " " + hunks);
        }
    }

    /** Every annotated member of the kernel model, in declaration order per class. */
    public static List<Row> table() {
        List<Row> rows = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {Smp.class, Hotplug.class, StopMachine.class, IrqWork.class, smptrace.engine.smp.cpumask.class,
                smptrace.kernel.Llist.class}) {
            List<AnnotatedElement> els = new ArrayList<>();
            els.addAll(Arrays.asList(c.getDeclaredFields()));
            els.addAll(Arrays.asList(c.getDeclaredConstructors()));
            els.addAll(Arrays.asList(c.getDeclaredMethods()));
            for (AnnotatedElement e : els) {
                Mirrors m = e.getAnnotation(Mirrors.class);
                if (m != null) {
                    rows.add(new Row(c.getSimpleName() + "." + ((Member) e).getName(), m.value(), m.file(),
                            List.of(m.hunks())));
                }
            }
        }
        return rows;
    }

    /** The engine member that mirrors a kernel function, or null. */
    public static Row of(String function) {
        for (Row r : table()) {
            if (r.function().equals(function)) {
                return r;
            }
        }
        return null;
    }
}

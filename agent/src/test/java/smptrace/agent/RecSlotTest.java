package smptrace.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recorder slot the instrumenter adds to every method: the rewritten class still verifies (its
 * stack map frames declare the slot, the method's own locals moved past it) and computes exactly what
 * the original does, with two-slot locals, loops, exception handlers, switches and constructors.
 */
class RecSlotTest {

    /** Code whose frames and locals the slot must not disturb. */
    public static final class Sample {
        private final long base;
        private double scale;

        public Sample(long base, double scale) {
            long twice = base * 2;
            this.base = twice / 2;
            this.scale = scale;
        }

        public static long mix(int a, long b, double c, Object o) {
            long acc = b;
            double d = c;
            for (int i = 0; i < a; i++) {
                acc += i * 31L;
                d *= 1.5;
                if ((i & 1) == 0) {
                    continue;
                }
                acc ^= (long) d;
            }
            String s = String.valueOf(o);
            try {
                acc += Integer.parseInt(s);
            } catch (NumberFormatException e) {
                acc -= s.length();
            }
            switch ((int) (acc & 3)) {
                case 0: return acc + 1;
                case 1: return acc * 3;
                default: return acc - (long) d;
            }
        }

        public double scaled(int n) {
            double sum = 0;
            long k = base;
            while (n-- > 0) {
                sum += k * scale;
                k++;
            }
            return sum;
        }

        public int[] fill(int n) {
            int[] a = new int[n];
            int j = 0;
            for (long x = 0; x < n; x++) {
                a[j++] = (int) (x * x);
            }
            return a;
        }
    }

    /** Rewrites every method with a RecSlot, initialising it at entry and touching it before every return. */
    private static byte[] withSlot(byte[] original) {
        ClassReader r = new ClassReader(original);
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                RecSlot slot = new RecSlot(mv, (access & Opcodes.ACC_STATIC) != 0, desc);
                return new MethodVisitor(Opcodes.ASM9, slot) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        slot.init();
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                            slot.load(); // the slot is an Object in every frame up to here
                            slot.store();
                        }
                        super.visitInsn(opcode);
                    }
                };
            }
        }, ClassReader.EXPAND_FRAMES);
        return w.toByteArray();
    }

    private static Class<?> rewritten() throws Exception {
        String res = Sample.class.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = RecSlotTest.class.getClassLoader().getResourceAsStream(res)) {
            original = in.readAllBytes();
        }
        byte[] bytes = withSlot(original);
        ClassLoader loader = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(Sample.class.getName())) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        return Class.forName(Sample.class.getName(), true, loader); // verified on definition
    }

    @Test
    void aMethodWithTheSlotVerifiesAndComputesWhatTheOriginalDoes() throws Exception {
        Class<?> c = rewritten();
        Method mix = c.getMethod("mix", int.class, long.class, double.class, Object.class);
        for (int a = 0; a < 12; a++) {
            for (Object o : new Object[] {"17", "x", null, 5}) {
                assertEquals(Sample.mix(a, 1L << 40 | a, 0.75 + a, o), mix.invoke(null, a, 1L << 40 | a, 0.75 + a, o),
                        "mix(" + a + ", .., " + o + ")");
            }
        }
        Constructor<?> k = c.getConstructor(long.class, double.class);
        Object s = k.newInstance(7L, 2.5);
        Sample ref = new Sample(7L, 2.5);
        assertEquals(ref.scaled(9), c.getMethod("scaled", int.class).invoke(s, 9));
        assertArrayEquals(ref.fill(13), (int[]) c.getMethod("fill", int.class).invoke(s, 13));
    }
}

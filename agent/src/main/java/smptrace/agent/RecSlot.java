package smptrace.agent;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.jar.asm.TypePath;

import java.util.Arrays;

/**
 * Gives a rewritten method one more local, its recorder slot: the slot right after the parameters,
 * every later local of the original code moved up by one (in its instructions, its local-variable
 * tables and its stack map frames, which the class reader expands for this). The slot holds an
 * Object (a recorder, or null) from the method's first instruction on, so every frame declares it.
 *
 * <p>Only the {@link Instrumenter}'s own code uses the slot ({@link #init}, {@link #load},
 * {@link #store}); what the original code does with its locals is unchanged. A two-slot local
 * that overlaps the last parameter slot (no Java compiler produces one) cannot be moved: such a
 * method is refused with an exception, and the class stays as it was (Agent's transformer).
 */
final class RecSlot extends MethodVisitor {
    /** The slot's index: the first one after the parameters (and {@code this}). */
    private final int slot;

    RecSlot(MethodVisitor mv, boolean isStatic, String descriptor) {
        super(Opcodes.ASM9, mv);
        this.slot = (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - (isStatic ? 1 : 0);
    }

    /** At method entry: the slot starts empty. */
    void init() {
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    void load() {
        super.visitVarInsn(Opcodes.ALOAD, slot);
    }

    void store() {
        super.visitVarInsn(Opcodes.ASTORE, slot);
    }

    private int moved(int var) {
        return var >= slot ? var + 1 : var;
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        boolean wide = opcode == Opcodes.LLOAD || opcode == Opcodes.DLOAD || opcode == Opcodes.LSTORE || opcode == Opcodes.DSTORE;
        if (wide && var == slot - 1) {
            throw new IllegalStateException("a two-slot local overlaps the last parameter slot: not rewritten");
        }
        super.visitVarInsn(opcode, moved(var));
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        super.visitIincInsn(moved(var), increment);
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end, moved(index));
    }

    @Override
    public net.bytebuddy.jar.asm.AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath, Label[] start,
                                                                                Label[] end, int[] index, String descriptor, boolean visible) {
        int[] m = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            m[i] = moved(index[i]);
        }
        return super.visitLocalVariableAnnotation(typeRef, typePath, start, end, m, descriptor, visible);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("RecSlot needs expanded frames (ClassReader.EXPAND_FRAMES)");
        }
        Object[] out = new Object[numLocal + slot + 1];
        int n = 0;
        int slots = 0;
        int i = 0;
        while (i < numLocal && slots < slot) {
            Object t = local[i++];
            out[n++] = t;
            slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        if (slots > slot) {
            throw new IllegalStateException("a two-slot local overlaps the last parameter slot: not rewritten");
        }
        while (slots < slot) {
            out[n++] = Opcodes.TOP;
            slots++;
        }
        out[n++] = "java/lang/Object";
        while (i < numLocal) {
            out[n++] = local[i++];
        }
        super.visitFrame(type, n, Arrays.copyOf(out, n), numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack, maxLocals + 1);
    }
}

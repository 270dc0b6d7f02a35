package smptrace.agent;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import smptrace.agent.rt.RHooks;
import smptrace.agent.rt.RKernel;
import smptrace.agent.rt.Rec;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bytecode rewriting: in every method of an instrumented engine class,
 * <ul>
 *   <li>a call {@code Kernel.X(args)} or {@code TraceHooks.X(args)} becomes
 *       {@code RKernel.X(args, site)} / {@code RHooks.X(args, site)};</li>
 *   <li>{@code GETFIELD} / {@code PUTFIELD} and {@code xALOAD} / {@code xASTORE} are bracketed by
 *       calls that lock the object's shadow, perform the original instruction, and record it.</li>
 * </ul>
 * No fields or methods are added, so classes can also be retransformed after an attach.
 */
final class Instrumenter {
    static final String KERNEL = "smptrace/kernel/Kernel";
    static final String HOOKS = "smptrace/kernel/TraceHooks";
    static final String RKERNEL = Type.getInternalName(RKernel.class);
    static final String RHOOKS = Type.getInternalName(RHooks.class);
    static final String REC = Type.getInternalName(Rec.class);
    /** Recorder-owned or identity fields of KernelObject: never kernel memory. */
    private static final Set<String> SHADOW_FIELDS = Set.of("oid", "shadowLock", "shadowCo");

    private final Set<String> kernelTwins = twins(RKernel.class);
    private final Set<String> hookTwins = twins(RHooks.class);
    private final Set<String> warnedMissing = new HashSet<>();

    /** name + descriptor of the primitive each twin stands for (the twin has one more int: the site). */
    private static Set<String> twins(Class<?> c) {
        Set<String> s = new HashSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String d = Type.getMethodDescriptor(m);
            int cut = d.lastIndexOf("I)");
            if (cut < 0) {
                continue;
            }
            s.add(m.getName() + d.substring(0, cut) + d.substring(cut + 1));
        }
        return s;
    }

    /**
     * The rewriting for one class. {@code memory}: its plain field and array accesses are kernel
     * memory and recorded; otherwise (simulator code) only its primitive and hook calls are.
     */
    AsmVisitorWrapper wrapper(boolean memory) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .writerFlags(ClassWriter.COMPUTE_MAXS)
                .invokable(ElementMatchers.any(), (type, method, mv, ctx, pool, wf, rf) ->
                        method.isAbstract() || method.isNative() ? mv : new Rewriter(mv, type, method, pool, memory));
    }

    private final class Rewriter extends MethodVisitor {
        private final TypeDescription type;
        private final String methodName;
        private final TypePool pool;
        private final String file;
        private final Map<Integer, Integer> sites = new HashMap<>();
        private final Map<String, Integer> fieldIds = new HashMap<>();
        private int line;
        /** In a constructor: `this` is uninitialised until the super/this constructor call. */
        private boolean thisUninitialised;
        private int pendingNews;
        private final boolean memory;

        Rewriter(MethodVisitor mv, TypeDescription type, MethodDescription method, TypePool pool, boolean memory) {
            super(Opcodes.ASM9, mv);
            this.memory = memory;
            this.type = type;
            this.methodName = method.getInternalName();
            this.pool = pool;
            this.thisUninitialised = method.isConstructor();
            String src = null;
            this.file = src;
        }

        private int site() {
            Integer s = sites.get(line);
            if (s == null) {
                s = Agent.site(type.getName(), methodName, sourceFile(), line);
                sites.put(line, s);
            }
            return s;
        }

        private String sourceFile() {
            String n = type.getName();
            int dollar = n.indexOf('$');
            String top = dollar < 0 ? n : n.substring(0, dollar);
            return top.substring(top.lastIndexOf('.') + 1) + ".java";
        }

        private void push(int v) {
            if (v >= -1 && v <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                super.visitIntInsn(Opcodes.BIPUSH, v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                super.visitIntInsn(Opcodes.SIPUSH, v);
            } else {
                super.visitLdcInsn(v);
            }
        }

        private void rec(String name, String desc) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, REC, name, desc, false);
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitTypeInsn(int opcode, String t) {
            if (opcode == Opcodes.NEW) {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, t);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                if (pendingNews > 0) {
                    pendingNews--;
                } else {
                    thisUninitialised = false;
                }
            }
            if (opcode == Opcodes.INVOKESTATIC && (owner.equals(KERNEL) || owner.equals(HOOKS))) {
                boolean kernel = owner.equals(KERNEL);
                if ((kernel ? kernelTwins : hookTwins).contains(name + desc)) {
                    push(site());
                    String twinDesc = desc.substring(0, desc.lastIndexOf(')')) + "I" + desc.substring(desc.lastIndexOf(')'));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, kernel ? RKERNEL : RHOOKS, name, twinDesc, false);
                    return;
                }
                if (warnedMissing.add(owner + "." + name + desc)) {
                    Agent.warn("no recording twin for " + owner.replace('/', '.') + "." + name + desc + "; its calls are not recorded");
                }
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
        }

        private int fieldId(String owner, String name, String desc) {
            String key = owner + "#" + name;
            Integer id = fieldIds.get(key);
            if (id == null) {
                id = Rec.fieldId(declaringClass(owner, name), name, desc);
                fieldIds.put(key, id);
            }
            return id;
        }

        /** The class that declares owner.name: bytecode names the qualifying type, Field handles the declaring one. */
        private String declaringClass(String owner, String name) {
            try {
                TypePool.Resolution r = pool.describe(owner.replace('/', '.'));
                TypeDefinition t = r.isResolved() ? r.resolve() : null;
                while (t != null) {
                    for (FieldDescription.InDefinedShape f : t.asErasure().getDeclaredFields()) {
                        if (f.getName().equals(name)) {
                            return t.asErasure().getInternalName();
                        }
                    }
                    TypeDescription.Generic sup = t.getSuperClass();
                    t = sup == null ? null : sup.asErasure();
                }
            } catch (RuntimeException e) {
                // fall back to the qualifying type
            }
            return owner;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            if (!memory || SHADOW_FIELDS.contains(name) || owner.startsWith("java/")) {
                super.visitFieldInsn(opcode, owner, name, desc);
                return;
            }
            char t = desc.charAt(0);
            boolean wide = t == 'J' || t == 'D';
            if (opcode == Opcodes.GETFIELD) {
                // [o] DUP; readBegin -> [o, r]; SWAP -> [r, o]; GETFIELD -> [r, v]; DUP_X1 -> [v, r, v]; readEnd -> [v]
                super.visitInsn(Opcodes.DUP);
                push(fieldId(owner, name, desc));
                push(site());
                rec("readBegin", "(Ljava/lang/Object;II)Ljava/lang/Object;");
                super.visitInsn(Opcodes.SWAP);
                super.visitFieldInsn(opcode, owner, name, desc);
                super.visitInsn(wide ? Opcodes.DUP2_X1 : Opcodes.DUP_X1);
                rec("readEnd" + suffix(t), "(Ljava/lang/Object;" + stackType(t) + ")V");
                return;
            }
            if (opcode == Opcodes.PUTFIELD && !thisUninitialised && !wide) {
                // [o, v] DUP2; write -> [o, v, r]; DUP_X2 -> [r, o, v, r]; POP; PUTFIELD -> [r]; writeEnd -> []
                super.visitInsn(Opcodes.DUP2);
                push(fieldId(owner, name, desc));
                push(site());
                rec("write" + suffix(t), "(Ljava/lang/Object;" + stackType(t) + "II)Ljava/lang/Object;");
                super.visitInsn(Opcodes.DUP_X2);
                super.visitInsn(Opcodes.POP);
                super.visitFieldInsn(opcode, owner, name, desc);
                rec("writeEnd", "(Ljava/lang/Object;)V");
                return;
            }
            if (opcode == Opcodes.PUTFIELD && !thisUninitialised) {
                // long/double: [o, vv] -> [o, vv, o]; preWrite; DUP2; writeValue; PUTFIELD; postWrite
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.DUP_X2);
                push(fieldId(owner, name, desc));
                push(site());
                rec("preWrite", "(Ljava/lang/Object;II)V");
                super.visitInsn(Opcodes.DUP2);
                rec("writeValue" + suffix(t), "(" + stackType(t) + ")V");
                super.visitFieldInsn(opcode, owner, name, desc);
                rec("postWrite", "()V");
                return;
            }
            super.visitFieldInsn(opcode, owner, name, desc);
        }

        @Override
        public void visitInsn(int opcode) {
            char t = memory ? arrayElement(opcode) : 0;
            if (t == 0) {
                super.visitInsn(opcode);
                return;
            }
            boolean wide = t == 'J' || t == 'D';
            if (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD) {
                // [a, i] DUP2; arrayReadBegin -> [a, i, r]; DUP_X2; POP -> [r, a, i]; xALOAD -> [r, v]; DUP_X1; readEnd
                super.visitInsn(Opcodes.DUP2);
                push(site());
                rec("arrayReadBegin", "(Ljava/lang/Object;II)Ljava/lang/Object;");
                super.visitInsn(Opcodes.DUP_X2);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(opcode);
                super.visitInsn(wide ? Opcodes.DUP2_X1 : Opcodes.DUP_X1);
                rec("readEnd" + suffix(t), "(Ljava/lang/Object;" + stackType(t) + ")V");
                return;
            }
            if (wide) {
                super.visitInsn(Opcodes.DUP2_X2);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.DUP2_X2);
            } else {
                super.visitInsn(Opcodes.DUP_X2);
                super.visitInsn(Opcodes.POP);
                super.visitInsn(Opcodes.DUP2_X1);
            }
            push(site());
            rec("preArrayWrite", "(Ljava/lang/Object;II)V");
            super.visitInsn(wide ? Opcodes.DUP2 : Opcodes.DUP);
            rec("writeValue" + suffix(t), "(" + stackType(t) + ")V");
            super.visitInsn(opcode);
            rec("postWrite", "()V");
        }
    }

    /** The element type of an array load/store opcode, or 0 for any other instruction. */
    private static char arrayElement(int opcode) {
        switch (opcode) {
            case Opcodes.IALOAD: case Opcodes.IASTORE:
            case Opcodes.BALOAD: case Opcodes.BASTORE:
            case Opcodes.CALOAD: case Opcodes.CASTORE:
            case Opcodes.SALOAD: case Opcodes.SASTORE:
                return 'I';
            case Opcodes.LALOAD: case Opcodes.LASTORE:
                return 'J';
            case Opcodes.FALOAD: case Opcodes.FASTORE:
                return 'F';
            case Opcodes.DALOAD: case Opcodes.DASTORE:
                return 'D';
            case Opcodes.AALOAD: case Opcodes.AASTORE:
                return 'A';
            default:
                return 0;
        }
    }

    private static String suffix(char t) {
        switch (t) {
            case 'J': return "J";
            case 'F': return "F";
            case 'D': return "D";
            case 'L': case '[': case 'A': return "A";
            default: return "I";
        }
    }

    private static String stackType(char t) {
        switch (t) {
            case 'J': return "J";
            case 'F': return "F";
            case 'D': return "D";
            case 'L': case '[': case 'A': return "Ljava/lang/Object;";
            default: return "I";
        }
    }
}

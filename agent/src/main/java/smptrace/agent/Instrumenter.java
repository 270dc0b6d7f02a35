package smptrace.agent;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import smptrace.agent.rt.RAtomic;
import smptrace.agent.rt.RHooks;
import smptrace.agent.rt.RJava;
import smptrace.agent.rt.RKernel;
import smptrace.agent.rt.RVarHandle;
import smptrace.agent.rt.Rec;
import smptrace.agent.rt.Stash;

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
 * Three scopes ({@link Mode}): the simulator's classes (calls only), the kernel model's classes
 * (kernel memory is KernelObjects' fields and arrays; the model's own Java synchronisation is the
 * simulator's, not the kernel's), and application classes, where every field of every object, every
 * static field and every array element is memory, and Java's synchronisation is recorded at its call
 * sites: monitorenter/monitorexit and synchronized methods, Thread.start/join, Object.wait,
 * java.util.concurrent locks, Conditions, latches, semaphores, barriers, executors and futures,
 * java.util.concurrent.atomic and VarHandle access modes (RJava, RAtomic, RVarHandle).
 *
 * <p>Why call sites and not the JDK's classes: the recorder's classes live on the application class
 * path (they see the engine's KernelObject), where java.base cannot call them; a call site in a class
 * in scope is exactly the program's use of the mechanism, with its source line; and the JDK's own
 * internal use of the same classes (class loading, the agent's writer thread) stays unrecorded.
 * No fields or methods are added, so classes can also be retransformed after an attach.
 *
 * <p>Every rewritten method gets one local more, its recorder slot ({@link RecSlot}): null at entry,
 * then the recorder the last recorded access returned. The plain-access hooks and the twins of
 * the marked primitives take it and only look the thread's recorder up (a ThreadLocal) when it is
 * null or of an older trace, so a method recording many accesses pays that lookup once per
 * invocation, not once per access.
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
    /** The kernel twins that take the recorder slot too. */
    private final Set<String> kernelRecTwins = twins(RKernel.class, SITE_REC);
    private final Set<String> hookTwins = twins(RHooks.class);
    private final Set<String> warnedMissing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final String RJAVA = Type.getInternalName(RJava.class);
    static final String RATOMIC = Type.getInternalName(RAtomic.class);
    static final String RVH = Type.getInternalName(RVarHandle.class);
    static final String STASH = Type.getInternalName(Stash.class);
    /** RAtomic's twins: "owner.name(desc)" of the original -> twin name. */
    private static final Map<String, String[]> ATOMIC_TWINS = atomicTwins();
    /** RVarHandle's twins: name$coords + erased descriptor. */
    private static final Set<String> VH_TWINS = staticMethods(RVarHandle.class);

    /** What a class in scope records. */
    enum Mode {
        /** Simulator code: its primitive and hook calls only. */
        CALLS,
        /** The kernel model: KernelObject fields and arrays, primitive and hook calls. */
        MODEL,
        /** Application code: every field, static and array access, and Java's synchronisation. */
        APP
    }

    private static Map<String, String[]> atomicTwins() {
        Map<String, String[]> m = new HashMap<>();
        for (Method t : RAtomic.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(t.getModifiers()) || !Modifier.isStatic(t.getModifiers())) {
                continue;
            }
            int us = t.getName().indexOf('_');
            Class<?>[] ps = t.getParameterTypes();
            String owner = Type.getInternalName(ps[0]);
            StringBuilder d = new StringBuilder("(");
            for (int i = 1; i < ps.length - 1; i++) {
                d.append(Type.getDescriptor(ps[i]));
            }
            d.append(')').append(Type.getDescriptor(t.getReturnType()));
            m.put(owner + "." + t.getName().substring(us + 1) + d, new String[] {t.getName(), Type.getMethodDescriptor(t)});
        }
        return m;
    }

    private static Set<String> staticMethods(Class<?> c) {
        Set<String> s = new HashSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                s.add(m.getName() + Type.getMethodDescriptor(m));
            }
        }
        return s;
    }

    /** name + descriptor of the primitive each twin stands for (the twin has one more int: the site). */
    private static Set<String> twins(Class<?> c) {
        return twins(c, "I)");
    }

    /** Twins taking the site and the caller's recorder slot ({@code ..., int site, Object rec}). */
    private static final String SITE_REC = "ILjava/lang/Object;)";

    /** name + descriptor of the primitive each twin stands for, the twin's last parameters being {@code tail}. */
    private static Set<String> twins(Class<?> c, String tail) {
        Set<String> s = new HashSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String d = Type.getMethodDescriptor(m);
            int cut = d.lastIndexOf(')');
            if (!d.startsWith(tail, cut + 1 - tail.length()) || (tail.equals("I)") && d.startsWith(SITE_REC, cut + 1 - SITE_REC.length()))) {
                continue;
            }
            s.add(m.getName() + d.substring(0, cut + 1 - tail.length()) + d.substring(cut));
        }
        return s;
    }

    /**
     * The rewriting for one class. {@code memory}: its plain field and array accesses are kernel
     * memory and recorded; otherwise (simulator code) only its primitive and hook calls are.
     */
    AsmVisitorWrapper wrapper(Mode mode) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .writerFlags(ClassWriter.COMPUTE_MAXS)
                .readerFlags(ClassReader.EXPAND_FRAMES) // RecSlot adds its local to every frame
                .invokable(ElementMatchers.any(), (type, method, mv, ctx, pool, wf, rf) ->
                        method.isAbstract() || method.isNative() ? mv
                                : new Rewriter(new RecSlot(mv, method.isStatic(), method.getDescriptor()), type, method, pool, mode));
    }

    /** Caches "is owner (internal name) assignable to one of the JDK types" per class being rewritten. */
    private static boolean assignable(TypePool pool, String owner, Class<?> to, Map<String, Boolean> cache) {
        String key = owner + ">" + to.getName();
        Boolean b = cache.get(key);
        if (b == null) {
            b = false;
            if (owner.equals(Type.getInternalName(to))) {
                b = true;
            } else if (!owner.startsWith("[")) {
                try {
                    TypePool.Resolution r = pool.describe(owner.replace('/', '.'));
                    b = r.isResolved() && r.resolve().isAssignableTo(to);
                } catch (RuntimeException e) {
                    b = false;
                }
            }
            cache.put(key, b);
        }
        return b;
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
        private final boolean app;
        private final MethodDescription method;
        private final Map<String, Boolean> assignCache = new HashMap<>();

        /** The method's recorder slot. */
        private final RecSlot slot;

        Rewriter(RecSlot mv, TypeDescription type, MethodDescription method, TypePool pool, Mode mode) {
            super(Opcodes.ASM9, mv);
            this.slot = mv;
            this.memory = mode != Mode.CALLS;
            this.app = mode == Mode.APP;
            this.method = method;
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

        /** Pushes the recorder slot (the last argument of a hook that takes it). */
        private void loadSlot() {
            slot.load();
        }

        /** [r] -> [r], keeping r in the recorder slot too (after a hook that returns the recorder). */
        private void keepInSlot() {
            super.visitInsn(Opcodes.DUP);
            slot.store();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            slot.init();
            if (app && method.isSynchronized()) {
                // the JVM holds the method's monitor from here on
                pushMonitor();
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "monitorEnter", "(Ljava/lang/Object;I)V", false);
            }
        }

        private void pushMonitor() {
            if (method.isStatic()) {
                super.visitLdcInsn(Type.getObjectType(type.getInternalName()));
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
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
                if (kernel && kernelRecTwins.contains(name + desc)) {
                    // [args] site; slot -> mine -> DUP into the slot -> [args, site, rec]
                    push(site());
                    loadSlot();
                    rec("mine", "(Ljava/lang/Object;)Ljava/lang/Object;");
                    keepInSlot();
                    String twinDesc = desc.substring(0, desc.lastIndexOf(')')) + SITE_REC + desc.substring(desc.lastIndexOf(')') + 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RKERNEL, name, twinDesc, false);
                    return;
                }
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
            if (app && appCall(opcode, owner, name, desc, itf)) {
                return;
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
        }

        // ---- application classes: Java's synchronisation at its call sites ----------------------------

        private boolean is(String owner, Class<?> c) {
            return assignable(pool, owner, c, assignCache);
        }

        private boolean appCall(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKESPECIAL) {
                return false;
            }
            if (owner.equals("java/lang/invoke/VarHandle")) {
                return varHandle(opcode, owner, name, desc, itf);
            }
            if (owner.equals("java/lang/invoke/MethodHandles$Lookup") && (name.equals("findVarHandle") || name.equals("findStaticVarHandle"))
                    && desc.equals("(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;")) {
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, name,
                        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/invoke/VarHandle;", false);
                return true;
            }
            String[] twin = ATOMIC_TWINS.get(owner + "." + name + desc);
            if (twin != null) {
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RATOMIC, twin[0], twin[1], false);
                Type ret = Type.getReturnType(desc);
                if (ret.getSort() == Type.OBJECT && !ret.getInternalName().equals("java/lang/Object")) {
                    super.visitTypeInsn(Opcodes.CHECKCAST, ret.getInternalName());
                }
                return true;
            }
            boolean waitDesc = desc.equals("()V") || desc.equals("(J)V") || desc.equals("(JI)V");
            if (name.equals("wait") && waitDesc) {
                return bracket(opcode, owner, name, desc, itf, RJava.OBJECT_WAIT, true, true);
            }
            if (name.equals("start") && desc.equals("()V") && is(owner, Thread.class)) {
                return bracket(opcode, owner, name, desc, itf, RJava.THREAD_START, true, false);
            }
            if (name.equals("join") && waitDesc && is(owner, Thread.class)) {
                return bracket(opcode, owner, name, desc, itf, RJava.THREAD_JOIN, false, true);
            }
            if (is(owner, java.util.concurrent.locks.Lock.class)) {
                if ((name.equals("lock") || name.equals("lockInterruptibly")) && desc.equals("()V")
                        || name.equals("tryLock") && (desc.equals("()Z") || desc.equals("(JLjava/util/concurrent/TimeUnit;)Z"))) {
                    return bracket(opcode, owner, name, desc, itf, RJava.LOCK, false, true);
                }
                if (name.equals("unlock") && desc.equals("()V")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.UNLOCK, true, false);
                }
                return false;
            }
            if (is(owner, java.util.concurrent.locks.Condition.class)) {
                if (name.startsWith("await")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.CONDITION_AWAIT, true, true);
                }
                return false;
            }
            if (is(owner, java.util.concurrent.CountDownLatch.class)) {
                if (name.equals("countDown")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.RELEASE, true, false);
                }
                if (name.equals("await")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.ACQUIRE, false, true);
                }
                return false;
            }
            if (is(owner, java.util.concurrent.Semaphore.class)) {
                if (name.equals("release")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.RELEASE, true, false);
                }
                if (name.startsWith("acquire") || name.startsWith("tryAcquire")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.ACQUIRE, false, true);
                }
                return false;
            }
            if (is(owner, java.util.concurrent.CyclicBarrier.class)) {
                if (name.equals("await")) {
                    return bracket(opcode, owner, name, desc, itf, RJava.BARRIER, true, true);
                }
                return false;
            }
            if (name.equals("get") && (desc.equals("()Ljava/lang/Object;") || desc.equals("(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;"))
                    && is(owner, java.util.concurrent.Future.class)) {
                return bracket(opcode, owner, name, desc, itf, RJava.FUTURE_GET, false, true);
            }
            if (name.equals("execute") && desc.equals("(Ljava/lang/Runnable;)V") && is(owner, java.util.concurrent.Executor.class)) {
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "submitRunnable", "(Ljava/lang/Runnable;I)Ljava/lang/Runnable;", false);
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                return true;
            }
            if (name.equals("submit") && is(owner, java.util.concurrent.ExecutorService.class)) {
                if (desc.equals("(Ljava/lang/Runnable;)Ljava/util/concurrent/Future;")) {
                    push(site());
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "submitRunnable", "(Ljava/lang/Runnable;I)Ljava/lang/Runnable;", false);
                } else if (desc.equals("(Ljava/util/concurrent/Callable;)Ljava/util/concurrent/Future;")) {
                    push(site());
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "submitCallable", "(Ljava/util/concurrent/Callable;I)Ljava/util/concurrent/Callable;", false);
                } else if (desc.equals("(Ljava/lang/Runnable;Ljava/lang/Object;)Ljava/util/concurrent/Future;")) {
                    super.visitInsn(Opcodes.SWAP);
                    push(site());
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "submitRunnable", "(Ljava/lang/Runnable;I)Ljava/lang/Runnable;", false);
                    super.visitInsn(Opcodes.SWAP);
                } else {
                    return false;
                }
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "submitted", "(Ljava/lang/Object;I)Ljava/lang/Object;", false);
                super.visitTypeInsn(Opcodes.CHECKCAST, "java/util/concurrent/Future");
                return true;
            }
            return false;
        }

        /**
         * recv.name(args) with RJava.before(recv, what, site) before and RJava.after*(recv, result, what,
         * site) after: the arguments are parked in the Stash while the receiver is duplicated.
         */
        private boolean bracket(int opcode, String owner, String name, String desc, boolean itf, int what,
                                boolean before, boolean after) {
            Type[] args = Type.getArgumentTypes(desc);
            if (args.length > 8) {
                return false;
            }
            for (int i = args.length - 1; i >= 0; i--) {
                stash(args[i], i, true);
            }
            if (before) {
                super.visitInsn(Opcodes.DUP);
                push(what);
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "before", "(Ljava/lang/Object;II)V", false);
            }
            if (after) {
                super.visitInsn(Opcodes.DUP);
            }
            for (int i = 0; i < args.length; i++) {
                stash(args[i], i, false);
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            if (after) {
                Type ret = Type.getReturnType(desc);
                push(what);
                push(site());
                switch (ret.getSort()) {
                    case Type.VOID:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "afterV", "(Ljava/lang/Object;II)V", false);
                        break;
                    case Type.BOOLEAN:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "afterZ", "(Ljava/lang/Object;ZII)Z", false);
                        break;
                    case Type.INT:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "afterI", "(Ljava/lang/Object;III)I", false);
                        break;
                    case Type.LONG:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "afterJ", "(Ljava/lang/Object;JII)J", false);
                        break;
                    case Type.OBJECT:
                    case Type.ARRAY:
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "afterA", "(Ljava/lang/Object;Ljava/lang/Object;II)Ljava/lang/Object;", false);
                        if (!ret.getDescriptor().equals("Ljava/lang/Object;")) {
                            super.visitTypeInsn(Opcodes.CHECKCAST, ret.getSort() == Type.ARRAY ? ret.getDescriptor() : ret.getInternalName());
                        }
                        break;
                    default:
                        throw new IllegalStateException("no after-call for " + desc);
                }
            }
            return true;
        }

        /** Parks (put) or reloads (get) argument i of type t. */
        private void stash(Type t, int i, boolean put) {
            String s;
            String d;
            switch (t.getSort()) {
                case Type.LONG: s = "J"; d = "J"; break;
                case Type.FLOAT: s = "F"; d = "F"; break;
                case Type.DOUBLE: s = "D"; d = "D"; break;
                case Type.OBJECT: case Type.ARRAY: s = "A"; d = "Ljava/lang/Object;"; break;
                default: s = "I"; d = "I"; break;
            }
            push(i);
            if (put) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, STASH, "put" + s, "(" + d + "I)V", false);
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, STASH, "get" + s, "(I)" + d, false);
                if (s.equals("A") && !t.getDescriptor().equals("Ljava/lang/Object;")) {
                    super.visitTypeInsn(Opcodes.CHECKCAST, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName());
                }
            }
        }

        /** A VarHandle access-mode call: to its RVarHandle twin by coordinate shape and erased types. */
        private boolean varHandle(int opcode, String owner, String name, String desc, boolean itf) {
            int values;
            if (name.startsWith("compareAnd") || name.startsWith("weakCompareAndSet")) {
                values = 2;
            } else if (name.startsWith("getAndSet") || name.startsWith("getAndAdd") || name.startsWith("set")) {
                values = 1;
            } else if (name.startsWith("get") && !name.startsWith("getAndBitwise")) {
                values = 0;
            } else {
                return unsupported(owner, name, desc);
            }
            Type[] args = Type.getArgumentTypes(desc);
            Type ret = Type.getReturnType(desc);
            int coords = args.length - values;
            if (coords < 0 || coords > 2 || coords == 2 && args[1].getSort() != Type.INT
                    || coords >= 1 && args[0].getSort() != Type.OBJECT && args[0].getSort() != Type.ARRAY) {
                return unsupported(owner, name, desc);
            }
            Type value = values > 0 ? args[coords] : ret;
            String v = erase(value);
            if (v == null) {
                return unsupported(owner, name, desc);
            }
            StringBuilder d = new StringBuilder("(Ljava/lang/invoke/VarHandle;");
            if (coords >= 1) {
                d.append("Ljava/lang/Object;");
            }
            if (coords == 2) {
                d.append('I');
            }
            for (int i = 0; i < values; i++) {
                d.append(v);
            }
            d.append("I)");
            String r = ret.getSort() == Type.VOID ? "V" : erase(ret);
            if (r == null) {
                return unsupported(owner, name, desc);
            }
            d.append(r);
            String twin = name + "$" + coords + "$" + (v.length() == 1 ? v : "A");
            if (!VH_TWINS.contains(twin + d)) {
                return unsupported(owner, name, desc);
            }
            push(site());
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RVH, twin, d.toString(), false);
            if ((ret.getSort() == Type.OBJECT || ret.getSort() == Type.ARRAY) && !ret.getDescriptor().equals("Ljava/lang/Object;")) {
                super.visitTypeInsn(Opcodes.CHECKCAST, ret.getSort() == Type.ARRAY ? ret.getDescriptor() : ret.getInternalName());
            }
            return true;
        }

        private String erase(Type t) {
            switch (t.getSort()) {
                case Type.INT: return "I";
                case Type.LONG: return "J";
                case Type.BOOLEAN: return "Z";
                case Type.OBJECT: case Type.ARRAY: return "Ljava/lang/Object;";
                default: return null;
            }
        }

        private boolean unsupported(String owner, String name, String desc) {
            if (warnedMissing.add(owner + "." + name + desc)) {
                Agent.warn("VarHandle." + name + desc + " is not recorded (access modes of int, long, boolean and reference"
                        + " variables are; bitwise modes and other types are not)");
            }
            return false;
        }

        // ---- application classes: every field access -------------------------------------------------

        /** A field access in an application class; false: leave it as it is (final fields, class initialisation). */
        private boolean appField(int opcode, String owner, String name, String desc) {
            FieldDescription f = resolveField(owner, name);
            if (f != null && f.isFinal() || methodName.equals("<clinit>")) {
                // final fields are safely published by the JMM (17.5), and what <clinit> writes happens
                // before every use of the class (12.4.2): neither is ever a race
                return false;
            }
            if (opcode == Opcodes.PUTFIELD && thisUninitialised) {
                return false;
            }
            boolean vol = f != null && f.isVolatile();
            char t = desc.charAt(0);
            boolean wide = t == 'J' || t == 'D';
            String sfx = suffix(t);
            String st = stackType(t);
            int fid = fieldId(owner, name, desc);
            String readBegin = vol ? "readBeginV" : "readBegin";
            String readEnd = vol ? "readEndV" + sfx : "readEnd" + sfx;
            String readEndOwner = vol ? RJAVA : REC;
            String write = (vol ? "writeV" : "write") + sfx;
            switch (opcode) {
                case Opcodes.GETFIELD:
                    super.visitInsn(Opcodes.DUP);
                    push(fid);
                    push(site());
                    if (vol) {
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, readBegin, "(Ljava/lang/Object;II)Ljava/lang/Object;", false);
                    } else {
                        loadSlot();
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, readBegin, "(Ljava/lang/Object;IILjava/lang/Object;)Ljava/lang/Object;", false);
                        keepInSlot();
                    }
                    super.visitInsn(Opcodes.SWAP);
                    super.visitFieldInsn(opcode, owner, name, desc);
                    super.visitInsn(wide ? Opcodes.DUP2_X1 : Opcodes.DUP_X1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, readEndOwner, readEnd, "(Ljava/lang/Object;" + st + ")V", false);
                    return true;
                case Opcodes.GETSTATIC:
                    super.visitLdcInsn(Type.getObjectType(owner));
                    push(fid);
                    push(site());
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, readBegin, "(Ljava/lang/Object;II)Ljava/lang/Object;", false);
                    super.visitFieldInsn(opcode, owner, name, desc);
                    super.visitInsn(wide ? Opcodes.DUP2_X1 : Opcodes.DUP_X1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, readEndOwner, readEnd, "(Ljava/lang/Object;" + st + ")V", false);
                    return true;
                case Opcodes.PUTFIELD:
                    if (!wide) {
                        // [o, v] DUP2; write -> [o, v, r]; DUP_X2 -> [r, o, v, r]; POP; PUTFIELD -> [r]; writeEnd
                        super.visitInsn(Opcodes.DUP2);
                        push(fid);
                        push(site());
                        if (!vol && t != 'L' && t != '[' && t != 'F') { // int-like: RJava.writeI, with the recorder slot
                            loadSlot();
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, write, "(Ljava/lang/Object;" + st + "IILjava/lang/Object;)Ljava/lang/Object;", false);
                            keepInSlot();
                        } else {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, write, "(Ljava/lang/Object;" + st + "II)Ljava/lang/Object;", false);
                        }
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.POP);
                    } else {
                        // [o, vv] park vv -> [o]; DUP; reload -> [o, o, vv]; write -> [o, r]; SWAP; reload -> [r, o, vv]
                        stash(Type.getType(desc), 0, true);
                        super.visitInsn(Opcodes.DUP);
                        stash(Type.getType(desc), 0, false);
                        push(fid);
                        push(site());
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, write, "(Ljava/lang/Object;" + st + "II)Ljava/lang/Object;", false);
                        super.visitInsn(Opcodes.SWAP);
                        stash(Type.getType(desc), 0, false);
                    }
                    super.visitFieldInsn(opcode, owner, name, desc);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, REC, "writeEnd", "(Ljava/lang/Object;)V", false);
                    return true;
                case Opcodes.PUTSTATIC:
                    if (!wide) {
                        // [v] DUP; class; SWAP -> [v, C, v]; write -> [v, r]; SWAP -> [r, v]; PUTSTATIC; writeEnd
                        super.visitInsn(Opcodes.DUP);
                        super.visitLdcInsn(Type.getObjectType(owner));
                        super.visitInsn(Opcodes.SWAP);
                        push(fid);
                        push(site());
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, write, "(Ljava/lang/Object;" + st + "II)Ljava/lang/Object;", false);
                        super.visitInsn(Opcodes.SWAP);
                    } else {
                        // [vv] DUP2; class; DUP_X2; POP -> [vv, C, vv]; write -> [vv, r]; DUP_X2; POP -> [r, vv]
                        super.visitInsn(Opcodes.DUP2);
                        super.visitLdcInsn(Type.getObjectType(owner));
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.POP);
                        push(fid);
                        push(site());
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, write, "(Ljava/lang/Object;" + st + "II)Ljava/lang/Object;", false);
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.POP);
                    }
                    super.visitFieldInsn(opcode, owner, name, desc);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, REC, "writeEnd", "(Ljava/lang/Object;)V", false);
                    return true;
                default:
                    return false;
            }
        }

        /** The field owner.name as declared (in owner or a superclass), or null if it cannot be resolved. */
        private FieldDescription resolveField(String owner, String name) {
            try {
                TypePool.Resolution r = pool.describe(owner.replace('/', '.'));
                TypeDefinition t = r.isResolved() ? r.resolve() : null;
                while (t != null) {
                    for (FieldDescription.InDefinedShape f : t.asErasure().getDeclaredFields()) {
                        if (f.getName().equals(name)) {
                            return f;
                        }
                    }
                    for (TypeDescription.Generic i : t.getInterfaces()) {
                        for (FieldDescription.InDefinedShape f : i.asErasure().getDeclaredFields()) {
                            if (f.getName().equals(name)) {
                                return f;
                            }
                        }
                    }
                    TypeDescription.Generic sup = t.getSuperClass();
                    t = sup == null ? null : sup.asErasure();
                }
            } catch (RuntimeException e) {
                // unresolvable: treat as a plain, non-final field
            }
            return null;
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
            if (app && !SHADOW_FIELDS.contains(name) && !owner.startsWith("java/") && appField(opcode, owner, name, desc)) {
                return;
            }
            if (!memory || app || SHADOW_FIELDS.contains(name) || owner.startsWith("java/")
                    || opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) {
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
                loadSlot();
                rec("readBegin", "(Ljava/lang/Object;IILjava/lang/Object;)Ljava/lang/Object;");
                keepInSlot();
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
                loadSlot();
                rec("write" + suffix(t), "(Ljava/lang/Object;" + stackType(t) + "IILjava/lang/Object;)Ljava/lang/Object;");
                keepInSlot();
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
            if (app && opcode == Opcodes.MONITORENTER) {
                super.visitInsn(Opcodes.DUP);
                super.visitInsn(opcode);
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "monitorEnter", "(Ljava/lang/Object;I)V", false);
                return;
            }
            if (app && opcode == Opcodes.MONITOREXIT) {
                super.visitInsn(Opcodes.DUP);
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "monitorExit", "(Ljava/lang/Object;I)V", false);
                super.visitInsn(opcode);
                return;
            }
            if (app && method.isSynchronized() && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                // the monitor is still held until the return; an exception leaving the method is not
                // recorded as a release (docs/agent-java.md)
                pushMonitor();
                push(site());
                super.visitMethodInsn(Opcodes.INVOKESTATIC, RJAVA, "monitorExit", "(Ljava/lang/Object;I)V", false);
            }
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
                loadSlot();
                rec("arrayReadBegin", "(Ljava/lang/Object;IILjava/lang/Object;)Ljava/lang/Object;");
                keepInSlot();
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

package smptrace.litmus.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import smptrace.litmus.Ast;
import smptrace.litmus.LitmusTest;
import smptrace.litmus.ModelView;
import smptrace.lkmm.Tag;

/**
 * Compiles a litmus test into the engine's program form (smptrace.demo.litmus.Ops, a line-based
 * register machine the engine interprets on the kernel primitives). The engine executes each
 * statement in the order the analyzer's interpreter gives its events (an address before the value
 * stored, left operand before right, an RMW's operands before its access), so a recorded run can
 * be compared event by event with the model's paths.
 *
 * <p>A construct the engine has no kernel primitive for (e.g. {@code atomic_fetch_or_relaxed},
 * {@code smp_mb__after_unlock_lock}) is a {@link NotRunnable} with the reason; the verdict still
 * comes from the model, the row says the test was not recorded and why.
 */
public final class EngineProgram {
    /** The first line of a program file. */
    public static final String MAGIC = "smptrace-litmus-program 1";

    /** The test cannot run on the engine; {@code getMessage()} says why. */
    public static final class NotRunnable extends Exception {
        private static final long serialVersionUID = 1L;

        public NotRunnable(String why) {
            super(why);
        }
    }

    private EngineProgram() {
    }

    /** The program block of one test (test .. endtest), numbered {@code index}. */
    public static List<String> compile(int index, LitmusTest test, ModelView view, int runs, long seed)
        throws NotRunnable {
        List<String> out = new ArrayList<>();
        out.add("test " + index + " " + test.name().replaceAll("\\s", "_"));
        out.add("runs " + runs + " " + seed);
        Set<String> locNames = new LinkedHashSet<>();
        for (ModelView.Location l : view.locations()) {
            if (l.name().contains("[") || l.name().contains("+") || l.init().contains("+")) {
                // the runner's locations are separate kernel objects: no pointer arithmetic between them
                throw new NotRunnable("array cells and pointer arithmetic (" + l.name() + ") have no kernel twin");
            }
            locNames.add(l.name());
            if (l.lock()) {
                out.add("loc " + l.name() + " lock");
            } else if (l.pointer() && l.integer()) {
                throw new NotRunnable("location " + l.name() + " holds both addresses and integers");
            } else if (l.pointer()) {
                out.add("loc " + l.name() + " ptr " + l.init());
            } else {
                long v = Long.parseLong(l.init());
                if (v != (int) v) {
                    throw new NotRunnable("initial value of " + l.name() + " does not fit an int");
                }
                out.add("loc " + l.name() + " int " + v);
            }
        }
        for (Ast.Thread th : test.threads()) {
            out.addAll(new ProcCompiler(th, test, locNames).compile());
        }
        out.add("endtest");
        return out;
    }

    /** One process: registers are the named ones (in order of appearance) followed by temporaries. */
    private static final class ProcCompiler {
        private final Ast.Thread thread;
        private final LitmusTest test;
        private final Set<String> locations;
        private final Map<String, Integer> named = new LinkedHashMap<>();
        private final List<String[]> code = new ArrayList<>();
        private int next;

        ProcCompiler(Ast.Thread thread, LitmusTest test, Set<String> locations) {
            this.thread = thread;
            this.test = test;
            this.locations = locations;
        }

        List<String> compile() throws NotRunnable {
            for (Ast.Init i : test.init()) {
                if (i.thread() == thread.id()) {
                    register(i.name());
                }
            }
            collectRegisters(thread.body());
            for (String r : named.keySet()) {
                if (locations.contains(r)) {
                    throw new NotRunnable("P" + thread.id() + " register " + r + " has the name of a shared location");
                }
            }
            for (Ast.Init i : test.init()) {
                if (i.thread() == thread.id()) {
                    if (i.pointsTo() != null) {
                        emit("addr", reg(i.name()), i.pointsTo());
                    } else {
                        emit("const", reg(i.name()), Long.toString(i.value()));
                    }
                }
            }
            stmts(thread.body());
            List<String> out = new ArrayList<>();
            StringBuilder head = new StringBuilder("proc " + thread.id() + " " + next);
            named.forEach((n, s) -> head.append(' ').append(n).append('=').append(s));
            out.add(head.toString());
            for (String[] c : code) {
                out.add(String.join(" ", c));
            }
            out.add("endproc");
            return out;
        }

        private void collectRegisters(List<Ast.Stmt> body) {
            for (Ast.Stmt s : body) {
                if (s instanceof Ast.Assign a) {
                    register(a.register());
                } else if (s instanceof Ast.If i) {
                    collectRegisters(i.then());
                    collectRegisters(i.otherwise());
                }
            }
        }

        private int register(String name) {
            Integer r = named.get(name);
            if (r == null) {
                r = next++;
                named.put(name, r);
            }
            return r;
        }

        private String reg(String name) {
            return Integer.toString(named.get(name));
        }

        private int temp() {
            return next++;
        }

        private int emit(String... parts) {
            code.add(parts);
            return code.size() - 1;
        }

        private void stmts(List<Ast.Stmt> body) throws NotRunnable {
            for (Ast.Stmt s : body) {
                stmt(s);
            }
        }

        private void stmt(Ast.Stmt s) throws NotRunnable {
            if (s instanceof Ast.Assign a) {
                int v = expr(a.value());
                int r = named.get(a.register());
                if (v != r) {
                    emit("mov", s(r), s(v));
                }
            } else if (s instanceof Ast.Store st) {
                int a = expr(st.address());
                int v = expr(st.value());
                emit("st", accessOrder(st.tag(), "store"), s(a), s(v));
            } else if (s instanceof Ast.Eval e) {
                expr(e.expr());
            } else if (s instanceof Ast.Fence f) {
                String call = f.tag().fenceCall();
                if (!ENGINE_FENCES.contains(call)) {
                    throw new NotRunnable("no kernel primitive for " + call + "()");
                }
                emit("fence", call);
            } else if (s instanceof Ast.Lock lk) {
                emit("lock", s(expr(lk.address())));
            } else if (s instanceof Ast.Unlock u) {
                emit("unlock", s(expr(u.address())));
            } else if (s instanceof Ast.If i) {
                int c = expr(i.condition());
                int jz = emit("jz", s(c), "?");
                stmts(i.then());
                if (i.otherwise().isEmpty()) {
                    code.get(jz)[2] = Integer.toString(code.size());
                } else {
                    int jmp = emit("jmp", "?");
                    code.get(jz)[2] = Integer.toString(code.size());
                    stmts(i.otherwise());
                    code.get(jmp)[1] = Integer.toString(code.size());
                }
            } else {
                throw new NotRunnable("statement " + s);
            }
        }

        /** Compiles an expression; returns the register holding its value. */
        private int expr(Ast.Expr e) throws NotRunnable {
            if (e instanceof Ast.Const c) {
                int t = temp();
                emit("const", s(t), Long.toString(c.value()));
                return t;
            } else if (e instanceof Ast.Name n) {
                Integer r = named.get(n.name());
                if (r != null) {
                    return r;
                }
                int t = temp();
                if (locations.contains(n.name())) {
                    emit("addr", s(t), n.name());
                } else {
                    emit("const", s(t), "0"); // an undeclared register reads as 0, as in the model
                }
                return t;
            } else if (e instanceof Ast.Load ld) {
                int a = expr(ld.address());
                int t = temp();
                emit("ld", accessOrder(ld.tag(), "load"), s(t), s(a));
                return t;
            } else if (e instanceof Ast.Unary u) {
                int a = expr(u.operand());
                int t = temp();
                emit("un", u.op(), s(t), s(a));
                return t;
            } else if (e instanceof Ast.Binary b) {
                int l = expr(b.left());
                int r = expr(b.right());
                int t = temp();
                emit("bin", b.op(), s(t), s(l), s(r));
                return t;
            } else if (e instanceof Ast.Rmw x) {
                return rmw(x);
            } else if (e instanceof Ast.TryLock tl) {
                int a = expr(tl.address());
                int t = temp();
                emit("trylock", s(t), s(a));
                return t;
            } else if (e instanceof Ast.IsLocked il) {
                int a = expr(il.address());
                int t = temp();
                emit("islocked", s(t), s(a));
                return t;
            }
            throw new NotRunnable("expression " + e);
        }

        private int rmw(Ast.Rmw x) throws NotRunnable {
            int a = expr(x.address());
            int o1 = x.operand() == null ? -1 : expr(x.operand());
            int o2 = x.operand2() == null ? -1 : expr(x.operand2());
            int t = temp();
            switch (x.kind()) {
                case XCHG:
                    emit("xchg", rmwOrder(x.tag()), s(t), s(a), s(o1));
                    return t;
                case CMPXCHG:
                    emit("cmpxchg", rmwOrder(x.tag()), s(t), s(a), s(o1), s(o2));
                    return t;
                case OP:
                    emit("add", s(a), s(addend(x, o1)));
                    emit("const", s(t), "0");
                    return t;
                case FETCH_OP:
                    requireMb(x, "atomic_fetch_" + opName(x.op()));
                    emit("fetch_add", s(t), s(a), s(addend(x, o1)));
                    return t;
                case OP_RETURN: {
                    requireMb(x, "atomic_" + opName(x.op()) + "_return");
                    long delta = constDelta(x);
                    if (delta == 1) {
                        emit("inc_return", s(t), s(a));
                    } else if (delta == -1) {
                        emit("dec_return", s(t), s(a));
                    } else {
                        throw new NotRunnable("no kernel primitive for atomic_" + opName(x.op())
                            + "_return of " + Math.abs(delta) + " (only inc/dec)");
                    }
                    return t;
                }
                case OP_AND_TEST: {
                    requireMb(x, "atomic_" + opName(x.op()) + "_and_test");
                    if (constDelta(x) != -1) {
                        throw new NotRunnable("no kernel primitive for atomic_" + opName(x.op())
                            + "_and_test (only atomic_dec_and_test)");
                    }
                    emit("dec_and_test", s(t), s(a));
                    return t;
                }
                default:
                    throw new NotRunnable("no kernel primitive for " + (x.kind() == Ast.RmwKind.ADD_UNLESS
                        ? "atomic_add_unless" : "atomic_add_negative"));
            }
        }

        /** The register to add: the operand for "+", its negation for "-"; other operators have no primitive. */
        private int addend(Ast.Rmw x, int operand) throws NotRunnable {
            if (x.op().equals("+")) {
                return operand;
            }
            if (x.op().equals("-")) {
                int t = temp();
                emit("un", "-", s(t), s(operand));
                return t;
            }
            throw new NotRunnable("no kernel primitive for atomic_" + opName(x.op()) + " (only add/sub/inc/dec)");
        }

        private long constDelta(Ast.Rmw x) throws NotRunnable {
            if (!(x.operand() instanceof Ast.Const c) || !(x.op().equals("+") || x.op().equals("-"))) {
                throw new NotRunnable("no kernel primitive for atomic_" + opName(x.op()) + " of a computed value");
            }
            return x.op().equals("+") ? c.value() : -c.value();
        }

        private void requireMb(Ast.Rmw x, String what) throws NotRunnable {
            if (x.tag() != Tag.MB) {
                throw new NotRunnable("no kernel primitive for " + what + "_" + x.tag().name().toLowerCase()
                    .replace("once", "relaxed"));
            }
        }

        private static String opName(String op) {
            return switch (op) {
                case "+" -> "add";
                case "-" -> "sub";
                case "&" -> "and";
                case "|" -> "or";
                case "^" -> "xor";
                default -> "andnot";
            };
        }

        private static String accessOrder(Tag t, String what) throws NotRunnable {
            return switch (t) {
                case ONCE -> "once";
                case ACQUIRE -> "acquire";
                case RELEASE -> "release";
                case PLAIN -> "plain";
                default -> throw new NotRunnable("a " + what + " tagged " + t);
            };
        }

        private static String rmwOrder(Tag t) throws NotRunnable {
            return switch (t) {
                case MB -> "mb";
                case ACQUIRE -> "acquire";
                case RELEASE -> "release";
                case ONCE -> "relaxed";
                default -> throw new NotRunnable("an RMW tagged " + t);
            };
        }

        private static String s(int r) {
            return Integer.toString(r);
        }
    }

    /** The fences the engine has a kernel primitive for (smptrace.kernel.Kernel). */
    static final Set<String> ENGINE_FENCES = Set.of("smp_mb", "smp_rmb", "smp_wmb", "smp_mb__before_atomic",
        "smp_mb__after_atomic", "smp_mb__after_spinlock", "barrier", "synchronize_rcu", "rcu_read_lock",
        "rcu_read_unlock");
}

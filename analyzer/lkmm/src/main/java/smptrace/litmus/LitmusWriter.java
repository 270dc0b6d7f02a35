package smptrace.litmus;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import smptrace.lkmm.Tag;

/**
 * Prints a {@link LitmusTest} in the C litmus dialect of tools/memory-model, so that herd7 (and
 * {@link LitmusParser}) read it back as the same program: the primitives are the
 * linux-kernel.def spellings of each load, store, RMW and fence.
 */
public final class LitmusWriter {

    /** The test as litmus text; {@code result}, if non-null, goes into a header "Result:" line. */
    public String write(LitmusTest t, String result) {
        StringBuilder sb = new StringBuilder();
        sb.append("C ").append(t.name()).append("\n\n");
        if (result != null) {
            sb.append("(*\n * Result: ").append(result).append("\n *)\n\n");
        }
        sb.append("{\n");
        for (int k = 0; k < t.init().size(); k++) {
            Ast.Init i = t.init().get(k);
            sb.append('\t');
            if (i.cell() != null) {
                // herd7's array entry: T a[N] = {v0, ..., vN-1}; the cells follow one another
                Ast.Cell c = i.cell();
                sb.append(i.type()).append(' ').append(c.array()).append('[').append(c.length()).append("] = {");
                for (int j = 0; j < c.length(); j++) {
                    Ast.Init e = t.init().get(k + j);
                    sb.append(j > 0 ? ", " : "").append(initValue(e));
                }
                sb.append("};\n");
                k += c.length() - 1;
                continue;
            }
            if (i.thread() >= 0) {
                sb.append(i.thread()).append(':');
            } else if (i.type() != null) {
                sb.append(i.type()).append(' ');
            }
            sb.append(i.name()).append('=').append(initValue(i)).append(";\n");
        }
        sb.append("}\n\n");
        for (Ast.Thread th : t.threads()) {
            sb.append('P').append(th.id()).append('(');
            for (int k = 0; k < th.params().size(); k++) {
                Ast.Param p = th.params().get(k);
                sb.append(k > 0 ? ", " : "").append(p.type()).append(p.type().endsWith("*") ? "" : " ")
                    .append(p.name());
            }
            sb.append(")\n{\n");
            Set<String> regs = new LinkedHashSet<>();
            registers(th.body(), regs);
            for (String r : regs) {
                sb.append("\tint ").append(r).append(";\n");
            }
            if (!regs.isEmpty()) {
                sb.append('\n');
            }
            body(sb, th.body(), 1);
            sb.append("}\n\n");
        }
        Condition c = t.condition();
        if (c.filter() != null) {
            sb.append("filter (").append(Condition.print(c.filter())).append(")\n");
        }
        sb.append(c.quantifier().keyword).append(" (").append(Condition.print(c.prop())).append(")\n");
        return sb.toString();
    }

    private static String initValue(Ast.Init i) {
        return i.pointsTo() != null ? Condition.valueSyntax(i.pointsTo()) : Long.toString(i.value());
    }

    private static void registers(List<Ast.Stmt> body, Set<String> regs) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Assign a) {
                regs.add(a.register());
            } else if (s instanceof Ast.If i) {
                registers(i.then(), regs);
                registers(i.otherwise(), regs);
            } else if (s instanceof Ast.While w) {
                registers(w.body(), regs);
            }
        }
    }

    private static void body(StringBuilder sb, List<Ast.Stmt> body, int depth) {
        for (Ast.Stmt s : body) {
            sb.append("\t".repeat(depth));
            if (s instanceof Ast.Assign a) {
                sb.append(a.register()).append(" = ").append(expr(a.value())).append(";\n");
            } else if (s instanceof Ast.Store st) {
                String a = expr(st.address());
                String v = expr(st.value());
                switch (st.tag()) {
                    case PLAIN -> sb.append('*').append(a).append(" = ").append(v).append(";\n");
                    case ONCE -> sb.append("WRITE_ONCE(*").append(a).append(", ").append(v).append(");\n");
                    case RELEASE -> sb.append("smp_store_release(").append(a).append(", ").append(v).append(");\n");
                    case SRCU_UNLOCK -> sb.append("srcu_read_unlock(").append(a).append(", ").append(v).append(");\n");
                    default -> throw new UnsupportedLitmusException("a store tagged " + st.tag());
                }
            } else if (s instanceof Ast.Eval e) {
                sb.append(expr(e.expr())).append(";\n");
            } else if (s instanceof Ast.Fence f) {
                sb.append(f.tag().fenceCall()).append("();\n");
            } else if (s instanceof Ast.SyncSrcu ss) {
                sb.append("synchronize_srcu(").append(expr(ss.address())).append(");\n");
            } else if (s instanceof Ast.While w) {
                sb.append("while (").append(expr(w.condition())).append(") {\n");
                body(sb, w.body(), depth + 1);
                sb.append("\t".repeat(depth)).append("}\n");
            } else if (s instanceof Ast.Lock l) {
                sb.append("spin_lock(").append(expr(l.address())).append(");\n");
            } else if (s instanceof Ast.Unlock u) {
                sb.append("spin_unlock(").append(expr(u.address())).append(");\n");
            } else if (s instanceof Ast.If i) {
                sb.append("if (").append(expr(i.condition())).append(") {\n");
                body(sb, i.then(), depth + 1);
                sb.append("\t".repeat(depth)).append('}');
                if (!i.otherwise().isEmpty()) {
                    sb.append(" else {\n");
                    body(sb, i.otherwise(), depth + 1);
                    sb.append("\t".repeat(depth)).append('}');
                }
                sb.append('\n');
            }
        }
    }

    private static String suffix(Tag t) {
        return switch (t) {
            case ONCE -> "_relaxed";
            case ACQUIRE -> "_acquire";
            case RELEASE -> "_release";
            case MB -> "";
            default -> throw new UnsupportedLitmusException("an RMW tagged " + t);
        };
    }

    private static String opName(String op) {
        return switch (op) {
            case "+" -> "add";
            case "-" -> "sub";
            case "&" -> "and";
            case "|" -> "or";
            case "^" -> "xor";
            case "&~" -> "andnot";
            default -> throw new UnsupportedLitmusException("atomic operator " + op);
        };
    }

    static String expr(Ast.Expr e) {
        if (e instanceof Ast.Const c) {
            return Long.toString(c.value());
        } else if (e instanceof Ast.Name n) {
            return n.name();
        } else if (e instanceof Ast.Load l) {
            String a = expr(l.address());
            return switch (l.tag()) {
                case PLAIN -> "*" + a;
                case ONCE -> "READ_ONCE(*" + a + ")";
                case ACQUIRE -> "smp_load_acquire(" + a + ")";
                case SRCU_LOCK -> "srcu_read_lock(" + a + ")";
                default -> throw new UnsupportedLitmusException("a load tagged " + l.tag());
            };
        } else if (e instanceof Ast.Unary u) {
            return u.op() + "(" + expr(u.operand()) + ")";
        } else if (e instanceof Ast.Binary b) {
            return "(" + expr(b.left()) + " " + b.op() + " " + expr(b.right()) + ")";
        } else if (e instanceof Ast.TryLock t) {
            return "spin_trylock(" + expr(t.address()) + ")";
        } else if (e instanceof Ast.IsLocked il) {
            return "spin_is_locked(" + expr(il.address()) + ")";
        }
        Ast.Rmw r = (Ast.Rmw) e;
        String x = expr(r.address());
        String a = r.operand() == null ? null : expr(r.operand());
        switch (r.kind()) {
            case XCHG:
                return "xchg" + suffix(r.tag()) + "(" + x + ", " + a + ")";
            case CMPXCHG:
                return "cmpxchg" + suffix(r.tag()) + "(" + x + ", " + a + ", " + expr(r.operand2()) + ")";
            case OP:
                return "atomic_" + opName(r.op()) + "(" + a + ", " + x + ")";
            case OP_RETURN:
                return "atomic_" + opName(r.op()) + "_return" + suffix(r.tag()) + "(" + a + ", " + x + ")";
            case FETCH_OP:
                return "atomic_fetch_" + opName(r.op()) + suffix(r.tag()) + "(" + a + ", " + x + ")";
            case OP_AND_TEST:
                if (r.op().equals("+")) {
                    if (!(r.operand() instanceof Ast.Const c && c.value() == 1)) {
                        throw new UnsupportedLitmusException("atomic add-and-test of a value other than 1");
                    }
                    return "atomic_inc_and_test(" + x + ")";
                }
                return "atomic_sub_and_test(" + a + ", " + x + ")";
            case OP_NEGATIVE:
                return "atomic_add_negative" + suffix(r.tag()) + "(" + a + ", " + x + ")";
            case ADD_UNLESS:
                return "atomic_add_unless(" + x + ", " + a + ", " + expr(r.operand2()) + ")";
            default:
                throw new AssertionError(r.kind());
        }
    }
}

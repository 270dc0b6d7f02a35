package smptrace.demo.litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The serialized litmus program the analyzer writes for the engine (the engine has no litmus
 * parser): one line per item, tokens separated by single spaces.
 *
 * <pre>
 * smptrace-litmus-program 1
 * test T NAME                        a test, numbered from 0 in the file
 * runs N SEED                        how many runs, and the scheduler seed
 * loc NAME int INIT | ptr TARGET|0 | lock     locations in the analyzer's order (index from 0)
 * proc P NREGS [NAME=REG ...]        a process, its register count and its named registers
 * OP ARGS...                         its instructions (below), index from 0
 * endproc
 * endtest
 * </pre>
 *
 * Registers hold longs; the address of location i is {@link #POINTER_BASE} + i, as in the
 * analyzer's interpreter. Instructions: {@code const d v}, {@code addr d loc}, {@code mov d s},
 * {@code un OP d s}, {@code bin OP d a b}, {@code ld once|acquire|plain d a},
 * {@code st once|release|plain a v}, {@code xchg mb|acquire|release|relaxed d a v},
 * {@code cmpxchg mb|acquire|release|relaxed d a e n}, {@code add a v}, {@code inc_return d a},
 * {@code dec_return d a}, {@code fetch_add d a v}, {@code dec_and_test d a}, {@code lock a},
 * {@code unlock a}, {@code trylock d a}, {@code islocked d a}, {@code fence NAME},
 * {@code jz c target}, {@code jmp target}. Operands a, v, e, n, s, c are registers.
 */
public final class Ops {
    private Ops() {
    }

    public static final String MAGIC = "smptrace-litmus-program 1";
    public static final long POINTER_BASE = 1L << 48;

    // instruction codes
    static final int CONST = 1, ADDR = 2, MOV = 3, UN = 4, BIN = 5, LD = 6, ST = 7, XCHG = 8, CMPXCHG = 9, ADD = 10,
        INC_RETURN = 11, DEC_RETURN = 12, FETCH_ADD = 13, DEC_AND_TEST = 14, LOCK = 15, UNLOCK = 16, TRYLOCK = 17,
        ISLOCKED = 18, FENCE = 19, JZ = 20, JMP = 21;

    // orderings
    static final int ONCE = 0, ACQUIRE = 1, RELEASE = 2, PLAIN = 3, MB = 4, RELAXED = 5;

    // fences
    static final int F_MB = 1, F_RMB = 2, F_WMB = 3, F_BEFORE_ATOMIC = 4, F_AFTER_ATOMIC = 5, F_AFTER_SPINLOCK = 6,
        F_BARRIER = 7, F_SYNC_RCU = 8, F_RCU_LOCK = 9, F_RCU_UNLOCK = 10;

    /** The fence names of the program format (linux-kernel.def's spellings). */
    public static final Map<String, Integer> FENCES = Map.of("smp_mb", F_MB, "smp_rmb", F_RMB, "smp_wmb", F_WMB,
        "smp_mb__before_atomic", F_BEFORE_ATOMIC, "smp_mb__after_atomic", F_AFTER_ATOMIC,
        "smp_mb__after_spinlock", F_AFTER_SPINLOCK, "barrier", F_BARRIER, "synchronize_rcu", F_SYNC_RCU,
        "rcu_read_lock", F_RCU_LOCK, "rcu_read_unlock", F_RCU_UNLOCK);

    private static final Map<String, Integer> CODES = Map.ofEntries(Map.entry("const", CONST), Map.entry("addr", ADDR),
        Map.entry("mov", MOV), Map.entry("un", UN), Map.entry("bin", BIN), Map.entry("ld", LD), Map.entry("st", ST),
        Map.entry("xchg", XCHG), Map.entry("cmpxchg", CMPXCHG), Map.entry("add", ADD),
        Map.entry("inc_return", INC_RETURN), Map.entry("dec_return", DEC_RETURN), Map.entry("fetch_add", FETCH_ADD),
        Map.entry("dec_and_test", DEC_AND_TEST), Map.entry("lock", LOCK), Map.entry("unlock", UNLOCK),
        Map.entry("trylock", TRYLOCK), Map.entry("islocked", ISLOCKED), Map.entry("fence", FENCE), Map.entry("jz", JZ),
        Map.entry("jmp", JMP));

    private static final Map<String, Integer> ORDERS = Map.of("once", ONCE, "acquire", ACQUIRE, "release", RELEASE,
        "plain", PLAIN, "mb", MB, "relaxed", RELAXED);

    /** One instruction. */
    static final class Op {
        final int code;
        final int order;
        final String op;
        final int a;
        final int b;
        final int c;
        final int d;
        final long k;

        Op(int code, int order, String op, int a, int b, int c, int d, long k) {
            this.code = code;
            this.order = order;
            this.op = op;
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
            this.k = k;
        }
    }

    enum Kind { INT, PTR, LOCK }

    /** A location: kind, name, and initial value (an int, or a location index for a pointer, -1 for NULL). */
    record Loc(String name, Kind kind, long init) {
    }

    record Proc(int id, int registers, List<String> registerNames, List<Integer> registerSlots, List<Op> ops) {
    }

    record Test(int index, String name, int runs, long seed, List<Loc> locs, List<Proc> procs) {
    }

    /** Parses a program file's lines; throws IllegalArgumentException with the line number on bad input. */
    static List<Test> parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).trim().equals(MAGIC)) {
            throw new IllegalArgumentException("not a litmus program (first line must be '" + MAGIC + "')");
        }
        List<Test> tests = new ArrayList<>();
        int i = 1;
        try {
            while (i < lines.size()) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    i++;
                    continue;
                }
                String[] t = line.split(" ");
                expect(t, "test");
                int index = Integer.parseInt(t[1]);
                String name = t[2];
                i++;
                String[] r = lines.get(i).trim().split(" ");
                expect(r, "runs");
                int runs = Integer.parseInt(r[1]);
                long seed = Long.parseLong(r[2]);
                i++;
                List<Loc> locs = new ArrayList<>();
                List<String> locNames = new ArrayList<>();
                List<String[]> pending = new ArrayList<>();
                while (lines.get(i).startsWith("loc ")) {
                    String[] l = lines.get(i).trim().split(" ");
                    locNames.add(l[1]);
                    pending.add(l);
                    i++;
                }
                for (String[] l : pending) {
                    switch (l[2]) {
                        case "int": locs.add(new Loc(l[1], Kind.INT, Long.parseLong(l[3]))); break;
                        case "ptr": {
                            long target = l[3].equals("0") ? -1 : locNames.indexOf(l[3]);
                            if (target == -1 && !l[3].equals("0")) {
                                throw new IllegalArgumentException("unknown pointer target " + l[3]);
                            }
                            locs.add(new Loc(l[1], Kind.PTR, target));
                            break;
                        }
                        case "lock": locs.add(new Loc(l[1], Kind.LOCK, 0)); break;
                        default: throw new IllegalArgumentException("bad location kind " + l[2]);
                    }
                }
                List<Proc> procs = new ArrayList<>();
                while (lines.get(i).startsWith("proc ")) {
                    String[] p = lines.get(i).trim().split(" ");
                    int id = Integer.parseInt(p[1]);
                    int nregs = Integer.parseInt(p[2]);
                    List<String> names = new ArrayList<>();
                    List<Integer> slots = new ArrayList<>();
                    for (int k = 3; k < p.length; k++) {
                        int eq = p[k].indexOf('=');
                        names.add(p[k].substring(0, eq));
                        slots.add(Integer.parseInt(p[k].substring(eq + 1)));
                    }
                    i++;
                    List<Op> ops = new ArrayList<>();
                    while (!lines.get(i).trim().equals("endproc")) {
                        ops.add(op(lines.get(i).trim().split(" "), locNames));
                        i++;
                    }
                    i++;
                    procs.add(new Proc(id, nregs, List.copyOf(names), List.copyOf(slots), List.copyOf(ops)));
                }
                if (!lines.get(i).trim().equals("endtest")) {
                    throw new IllegalArgumentException("expected endtest");
                }
                i++;
                tests.add(new Test(index, name, runs, seed, List.copyOf(locs), List.copyOf(procs)));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("program line " + (i + 1) + ": " + e.getMessage(), e);
        }
        return tests;
    }

    private static void expect(String[] t, String word) {
        if (!t[0].equals(word)) {
            throw new IllegalArgumentException("expected '" + word + "', found '" + t[0] + "'");
        }
    }

    private static Op op(String[] t, List<String> locNames) {
        Integer code = CODES.get(t[0]);
        if (code == null) {
            throw new IllegalArgumentException("unknown instruction " + t[0]);
        }
        switch (code) {
            case CONST: return new Op(code, 0, null, reg(t[1]), 0, 0, 0, Long.parseLong(t[2]));
            case ADDR: {
                int l = locNames.indexOf(t[2]);
                if (l < 0) {
                    throw new IllegalArgumentException("unknown location " + t[2]);
                }
                return new Op(code, 0, null, reg(t[1]), 0, 0, 0, POINTER_BASE + l);
            }
            case MOV: return new Op(code, 0, null, reg(t[1]), reg(t[2]), 0, 0, 0);
            case UN: return new Op(code, 0, t[1], reg(t[2]), reg(t[3]), 0, 0, 0);
            case BIN: return new Op(code, 0, t[1], reg(t[2]), reg(t[3]), reg(t[4]), 0, 0);
            case LD: return new Op(code, order(t[1]), null, reg(t[2]), reg(t[3]), 0, 0, 0);
            case ST: return new Op(code, order(t[1]), null, reg(t[2]), reg(t[3]), 0, 0, 0);
            case XCHG: return new Op(code, order(t[1]), null, reg(t[2]), reg(t[3]), reg(t[4]), 0, 0);
            case CMPXCHG: return new Op(code, order(t[1]), null, reg(t[2]), reg(t[3]), reg(t[4]), reg(t[5]), 0);
            case ADD: return new Op(code, 0, null, reg(t[1]), reg(t[2]), 0, 0, 0);
            case FETCH_ADD: return new Op(code, 0, null, reg(t[1]), reg(t[2]), reg(t[3]), 0, 0);
            case INC_RETURN: case DEC_RETURN: case DEC_AND_TEST: case TRYLOCK: case ISLOCKED:
                return new Op(code, 0, null, reg(t[1]), reg(t[2]), 0, 0, 0);
            case LOCK: case UNLOCK: return new Op(code, 0, null, reg(t[1]), 0, 0, 0, 0);
            case FENCE: {
                Integer f = FENCES.get(t[1]);
                if (f == null) {
                    throw new IllegalArgumentException("no engine primitive for fence " + t[1]);
                }
                return new Op(code, f, t[1], 0, 0, 0, 0, 0);
            }
            case JZ: return new Op(code, 0, null, reg(t[1]), 0, 0, 0, Integer.parseInt(t[2]));
            case JMP: return new Op(code, 0, null, 0, 0, 0, 0, Integer.parseInt(t[1]));
            default: throw new AssertionError(code);
        }
    }

    private static int reg(String s) {
        return Integer.parseInt(s);
    }

    private static int order(String s) {
        Integer o = ORDERS.get(s.toLowerCase(Locale.ROOT));
        if (o == null) {
            throw new IllegalArgumentException("bad ordering " + s);
        }
        return o;
    }
}

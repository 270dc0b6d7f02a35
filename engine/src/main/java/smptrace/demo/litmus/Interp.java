package smptrace.demo.litmus;

import smptrace.kernel.AtomicT;
import smptrace.kernel.KernelObject;
import smptrace.kernel.SpinLock;

/**
 * Executes one litmus process in one run: the control flow, register arithmetic and address
 * computation happen here (not instrumented), every memory access, fence and lock operation is a
 * call into {@link Prim}, i.e. a real kernel primitive on the run's objects. The value semantics
 * mirror the analyzer's interpreter (longs, addresses as {@link Ops#POINTER_BASE} + location).
 */
final class Interp {
    /** A run cannot continue (a value the engine cannot represent, a bad address, ...). */
    static final class EngineError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EngineError(String message) {
            super(message);
        }
    }

    private Interp() {
    }

    /** Runs {@code proc} on {@code objs} (indexed like the test's locations); returns the registers. */
    static long[] run(Ops.Test test, Ops.Proc proc, KernelObject[] objs, boolean[] assigned) {
        long[] r = new long[Math.max(1, proc.registers())];
        int pc = 0;
        int steps = 0;
        while (pc < proc.ops().size()) {
            if (++steps > 100_000) {
                throw new EngineError("more than 100000 instructions in P" + proc.id());
            }
            Ops.Op op = proc.ops().get(pc++);
            switch (op.code) {
                case Ops.CONST:
                case Ops.ADDR:
                    set(r, assigned, op.a, op.k);
                    break;
                case Ops.MOV:
                    set(r, assigned, op.a, r[op.b]);
                    break;
                case Ops.UN: {
                    long x = r[op.b];
                    set(r, assigned, op.a, op.op.equals("!") ? (x == 0 ? 1 : 0) : op.op.equals("~") ? ~x : -x);
                    break;
                }
                case Ops.BIN:
                    set(r, assigned, op.a, binary(op.op, r[op.b], r[op.c]));
                    break;
                case Ops.LD:
                    set(r, assigned, op.a, load(test, objs, r[op.b], op.order));
                    break;
                case Ops.ST:
                    store(test, objs, r[op.a], r[op.b], op.order);
                    break;
                case Ops.XCHG: {
                    Object o = target(test, objs, r[op.b], null);
                    long v = r[op.c];
                    long old;
                    if (o instanceof AtomicT a) {
                        int iv = asInt(test, a, v);
                        old = switch (op.order) {
                            case Ops.MB -> Prim.xchg(a, iv);
                            case Ops.ACQUIRE -> Prim.xchgAcquire(a, iv);
                            case Ops.RELEASE -> Prim.xchgRelease(a, iv);
                            default -> Prim.xchgRelaxed(a, iv);
                        };
                    } else if (o instanceof PtrLoc p && op.order == Ops.MB) {
                        old = value(objs, Prim.xchg(p, asObject(test, objs, v)));
                    } else {
                        throw new EngineError("no kernel primitive for this xchg on " + name(test, objs, o));
                    }
                    set(r, assigned, op.a, old);
                    break;
                }
                case Ops.CMPXCHG: {
                    Object o = target(test, objs, r[op.b], null);
                    long e = r[op.c];
                    long v = r[op.d];
                    long old;
                    if (o instanceof AtomicT a) {
                        int ie = asInt(test, a, e);
                        int iv = asInt(test, a, v);
                        old = switch (op.order) {
                            case Ops.MB -> Prim.cmpxchg(a, ie, iv);
                            case Ops.ACQUIRE -> Prim.cmpxchgAcquire(a, ie, iv);
                            case Ops.RELEASE -> Prim.cmpxchgRelease(a, ie, iv);
                            default -> Prim.cmpxchgRelaxed(a, ie, iv);
                        };
                    } else if (o instanceof PtrLoc p && op.order == Ops.MB) {
                        old = value(objs, Prim.cmpxchg(p, asObject(test, objs, e), asObject(test, objs, v)));
                    } else {
                        throw new EngineError("no kernel primitive for this cmpxchg on " + name(test, objs, o));
                    }
                    set(r, assigned, op.a, old);
                    break;
                }
                case Ops.ADD: {
                    AtomicT a = atomic(test, objs, r[op.a]);
                    Prim.atomicAdd(a, asInt(test, a, r[op.b]));
                    break;
                }
                case Ops.INC_RETURN:
                    set(r, assigned, op.a, Prim.atomicIncReturn(atomic(test, objs, r[op.b])));
                    break;
                case Ops.DEC_RETURN:
                    set(r, assigned, op.a, Prim.atomicDecReturn(atomic(test, objs, r[op.b])));
                    break;
                case Ops.FETCH_ADD: {
                    AtomicT a = atomic(test, objs, r[op.b]);
                    set(r, assigned, op.a, Prim.atomicFetchAdd(a, asInt(test, a, r[op.c])));
                    break;
                }
                case Ops.DEC_AND_TEST:
                    set(r, assigned, op.a, Prim.atomicDecAndTest(atomic(test, objs, r[op.b])) ? 1 : 0);
                    break;
                case Ops.LOCK:
                    Prim.lock(lock(test, objs, r[op.a]));
                    break;
                case Ops.UNLOCK:
                    Prim.unlock(lock(test, objs, r[op.a]));
                    break;
                case Ops.TRYLOCK:
                    set(r, assigned, op.a, Prim.trylock(lock(test, objs, r[op.b])) ? 1 : 0);
                    break;
                case Ops.ISLOCKED:
                    set(r, assigned, op.a, Prim.isLocked(lock(test, objs, r[op.b])) ? 1 : 0);
                    break;
                case Ops.FENCE:
                    if (!Prim.fence(op.order)) {
                        throw new EngineError("no kernel primitive for " + op.op);
                    }
                    break;
                case Ops.JZ:
                    if (r[op.a] == 0) {
                        pc = (int) op.k;
                    }
                    break;
                case Ops.JMP:
                    pc = (int) op.k;
                    break;
                default:
                    throw new EngineError("bad instruction " + op.code);
            }
        }
        return r;
    }

    private static void set(long[] r, boolean[] assigned, int reg, long v) {
        r[reg] = v;
        assigned[reg] = true;
    }

    private static long load(Ops.Test test, KernelObject[] objs, long address, int order) {
        Object o = target(test, objs, address, null);
        if (o instanceof AtomicT a) {
            return switch (order) {
                case Ops.ACQUIRE -> Prim.loadAcquire(a);
                case Ops.PLAIN -> Prim.readPlain(a);
                default -> Prim.readOnce(a);
            };
        } else if (o instanceof PtrLoc p) {
            return value(objs, switch (order) {
                case Ops.ACQUIRE -> Prim.loadAcquire(p);
                case Ops.PLAIN -> Prim.readPlain(p);
                default -> Prim.readOnce(p);
            });
        }
        throw new EngineError("ordinary load of spinlock " + name(test, objs, o));
    }

    private static void store(Ops.Test test, KernelObject[] objs, long address, long v, int order) {
        Object o = target(test, objs, address, null);
        if (o instanceof AtomicT a) {
            int iv = asInt(test, a, v);
            switch (order) {
                case Ops.RELEASE -> Prim.storeRelease(a, iv);
                case Ops.PLAIN -> Prim.writePlain(a, iv);
                default -> Prim.writeOnce(a, iv);
            }
            return;
        } else if (o instanceof PtrLoc p) {
            KernelObject ov = asObject(test, objs, v);
            switch (order) {
                case Ops.RELEASE -> Prim.storeRelease(p, ov);
                case Ops.PLAIN -> Prim.writePlain(p, ov);
                default -> Prim.writeOnce(p, ov);
            }
            return;
        }
        throw new EngineError("ordinary store to spinlock " + name(test, objs, o));
    }

    /** The object an address designates. */
    private static Object target(Ops.Test test, KernelObject[] objs, long address, Class<?> want) {
        long i = address - Ops.POINTER_BASE;
        if (i < 0 || i >= objs.length) {
            throw new EngineError("dereference of " + address + ", which is not the address of a location");
        }
        Object o = objs[(int) i];
        if (want != null && !want.isInstance(o)) {
            throw new EngineError(test.locs().get((int) i).name() + " is not a " + want.getSimpleName());
        }
        return o;
    }

    private static AtomicT atomic(Ops.Test test, KernelObject[] objs, long address) {
        return (AtomicT) target(test, objs, address, AtomicT.class);
    }

    private static SpinLock lock(Ops.Test test, KernelObject[] objs, long address) {
        return (SpinLock) target(test, objs, address, SpinLock.class);
    }

    private static int asInt(Ops.Test test, AtomicT a, long v) {
        if (v != (int) v) {
            throw new EngineError("value " + (v >= Ops.POINTER_BASE ? "(an address)" : v)
                + " does not fit the int location");
        }
        return (int) v;
    }

    private static KernelObject asObject(Ops.Test test, KernelObject[] objs, long v) {
        if (v == 0) {
            return null;
        }
        long i = v - Ops.POINTER_BASE;
        if (i < 0 || i >= objs.length) {
            throw new EngineError("integer " + v + " stored to a pointer location");
        }
        return objs[(int) i];
    }

    /** The register value of a pointer read from memory. */
    static long value(KernelObject[] objs, KernelObject o) {
        if (o == null) {
            return 0;
        }
        for (int i = 0; i < objs.length; i++) {
            if (objs[i] == o) {
                return Ops.POINTER_BASE + i;
            }
        }
        throw new EngineError("a pointer to an object outside the test");
    }

    private static String name(Ops.Test test, KernelObject[] objs, Object o) {
        for (int i = 0; i < objs.length; i++) {
            if (objs[i] == o) {
                return test.locs().get(i).name();
            }
        }
        return String.valueOf(o);
    }

    /** The binary operators of the dialect (CArith: the same code the memory model evaluates with). */
    static long binary(String op, long a, long b) {
        try {
            return smptrace.litmus.CArith.binary(op, a, b);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new EngineError(e.getMessage());
        }
    }
}

package smptrace.lkmm;

import java.util.Arrays;

/**
 * One candidate execution in herd7's sense: the events of every thread along one control-flow
 * path, with concrete values, plus a choice of {@code rf} and {@code co}. The dependency relations
 * are the primitive ones ({@code addr}, {@code data}, {@code ctrl} before linux-kernel.bell extends
 * them through plain accesses); {@code rmw} links each RMW's read to its write and each LKR to its
 * LKW. {@code po} is strict and transitive within each thread; {@code co} is strict, transitive
 * and total on the writes of each location, with the initial write first; {@code rf} maps each
 * write to the reads that read from it.
 *
 * <p>The arrays are owned by the execution and not copied: a decision procedure builds them once
 * per candidate. {@link Builder} builds small executions by hand.
 */
public final class Execution {
    public final int n;
    final EventClass[] cls;
    final Tag[] tag;
    final int[] thread;
    final int[] loc;
    final long[] value;
    /** The .def's RMW set: every event of an atomic RMW instruction, failed cmpxchg reads included. */
    final long rmwInstr;
    final long[] po;
    final long[] rf;
    final long[] co;
    final long[] rmw;
    final long[] addr;
    final long[] data;
    final long[] ctrl;

    public Execution(EventClass[] cls, Tag[] tag, int[] thread, int[] loc, long[] value, long rmwInstr,
                     long[] po, long[] rf, long[] co, long[] rmw, long[] addr, long[] data, long[] ctrl) {
        this.n = cls.length;
        if (n > Rel.MAX_EVENTS) {
            throw new IllegalArgumentException("at most " + Rel.MAX_EVENTS + " events per execution, got " + n);
        }
        this.cls = cls;
        this.tag = tag;
        this.thread = thread;
        this.loc = loc;
        this.value = value;
        this.rmwInstr = rmwInstr;
        this.po = po;
        this.rf = rf;
        this.co = co;
        this.rmw = rmw;
        this.addr = addr;
        this.data = data;
        this.ctrl = ctrl;
    }

    public EventClass eventClass(int e) {
        return cls[e];
    }

    public Tag tag(int e) {
        return tag[e];
    }

    public int thread(int e) {
        return thread[e];
    }

    public int location(int e) {
        return loc[e];
    }

    public long value(int e) {
        return value[e];
    }

    /** The co-last write of a location (its final value), or -1 if the location has no write. */
    public int finalWrite(int location) {
        int last = -1;
        for (int e = 0; e < n; e++) {
            if (cls[e].isWrite() && loc[e] == location && (co[e] == 0 || noSameLocSuccessor(e))) {
                last = e;
            }
        }
        return last;
    }

    private boolean noSameLocSuccessor(int e) {
        long row = co[e];
        while (row != 0) {
            int j = Long.numberOfTrailingZeros(row);
            row &= row - 1;
            if (loc[j] == loc[e]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < n; e++) {
            sb.append(e).append(": ").append(cls[e]).append(' ').append(tag[e] == null ? "" : tag[e])
                .append(" T").append(thread[e]).append(" loc").append(loc[e]).append('=').append(value[e])
                .append(" rf->").append(bits(rf[e])).append(" co->").append(bits(co[e])).append('\n');
        }
        return sb.toString();
    }

    private static String bits(long s) {
        StringBuilder sb = new StringBuilder("{");
        while (s != 0) {
            int j = Long.numberOfTrailingZeros(s);
            s &= s - 1;
            sb.append(j).append(s != 0 ? "," : "");
        }
        return sb.append('}').toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an execution event by event, in program order per thread. {@code co} edges given with
     * {@link #co} are closed transitively, and initial writes are put first in co.
     */
    public static final class Builder {
        private int n;
        private final EventClass[] cls = new EventClass[Rel.MAX_EVENTS];
        private final Tag[] tag = new Tag[Rel.MAX_EVENTS];
        private final int[] thread = new int[Rel.MAX_EVENTS];
        private final int[] loc = new int[Rel.MAX_EVENTS];
        private final long[] value = new long[Rel.MAX_EVENTS];
        private long rmwInstr;
        private final long[] rf = new long[Rel.MAX_EVENTS];
        private final long[] co = new long[Rel.MAX_EVENTS];
        private final long[] rmw = new long[Rel.MAX_EVENTS];
        private final long[] addr = new long[Rel.MAX_EVENTS];
        private final long[] data = new long[Rel.MAX_EVENTS];
        private final long[] ctrl = new long[Rel.MAX_EVENTS];

        private int add(EventClass c, Tag t, int th, int l, long v) {
            if (n == Rel.MAX_EVENTS) {
                throw new IllegalStateException("more than " + Rel.MAX_EVENTS + " events");
            }
            cls[n] = c;
            tag[n] = t;
            thread[n] = th;
            loc[n] = l;
            value[n] = v;
            return n++;
        }

        public int init(int location, long v) {
            return add(EventClass.INIT, null, -1, location, v);
        }

        public int read(int th, int location, long v, Tag t) {
            return add(EventClass.READ, t, th, location, v);
        }

        public int write(int th, int location, long v, Tag t) {
            return add(EventClass.WRITE, t, th, location, v);
        }

        public int fence(int th, Tag t) {
            return add(EventClass.FENCE, t, th, -1, 0);
        }

        /** A successful atomic RMW: returns {read, write}, linked by rmw. */
        public int[] rmw(int th, int location, long readValue, long writtenValue, Tag t) {
            int r = add(EventClass.READ, t, th, location, readValue);
            int w = add(EventClass.WRITE, t, th, location, writtenValue);
            rmwInstr |= 1L << r | 1L << w;
            rmw[r] |= 1L << w;
            ctrl[r] |= 1L << w;
            return new int[] {r, w};
        }

        /** A failed cmpxchg: only its read, still in the RMW set. */
        public int failedRmw(int th, int location, long readValue, Tag t) {
            int r = add(EventClass.READ, t, th, location, readValue);
            rmwInstr |= 1L << r;
            return r;
        }

        /** An event of lock.cat's classes on a lock location; LKR and LKW of one spin_lock are linked with {@link #lockPair}. */
        public int lockEvent(EventClass c, int th, int location) {
            return add(c, null, th, location, 0);
        }

        public Builder lockPair(int lkr, int lkw) {
            rmw[lkr] |= 1L << lkw;
            return this;
        }

        public Builder rf(int w, int r) {
            rf[w] |= 1L << r;
            return this;
        }

        public Builder co(int w1, int w2) {
            co[w1] |= 1L << w2;
            return this;
        }

        public Builder addr(int r, int e) {
            addr[r] |= 1L << e;
            return this;
        }

        public Builder data(int r, int w) {
            data[r] |= 1L << w;
            return this;
        }

        public Builder ctrl(int r, int e) {
            ctrl[r] |= 1L << e;
            return this;
        }

        public Execution build() {
            long[] po = new long[n];
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (thread[i] >= 0 && thread[i] == thread[j]) {
                        po[i] |= 1L << j;
                    }
                }
            }
            long[] c = Arrays.copyOf(co, n);
            for (int i = 0; i < n; i++) {
                if (cls[i] != EventClass.INIT) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (j != i && cls[j].isWrite() && cls[j] != EventClass.INIT && loc[j] == loc[i]) {
                        c[i] |= 1L << j;
                    }
                }
            }
            return new Execution(Arrays.copyOf(cls, n), Arrays.copyOf(tag, n), Arrays.copyOf(thread, n),
                Arrays.copyOf(loc, n), Arrays.copyOf(value, n), rmwInstr, po, Arrays.copyOf(rf, n),
                Rel.plus(c), Arrays.copyOf(rmw, n), Arrays.copyOf(addr, n), Arrays.copyOf(data, n),
                Arrays.copyOf(ctrl, n));
        }
    }
}

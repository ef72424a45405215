package io.tracestream.ctf.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A {@link Program} turned into JVM bytecode: one straight-line method per program (a hidden class), in which every
 * instruction of the plan is specialised by its operands. Reads of a {@code FIX} run get one bounds check and then
 * load each field at its constant offset; opcodes, offsets, lengths, slots and side effects are constants, so no
 * instruction is dispatched at run time. Variants become a {@code tableswitch} over the option, jumps become
 * {@code goto}s; strings, dynamic lengths, bit fields and arrays call the {@link Machine} helpers that the small
 * interpreter uses too, so values, log, slots, clock and errors are exactly those of {@link Machine}'s interpreter.
 *
 * <p>Only {@link Program#simple} programs over packet bytes in an array are generated, and only once a program has
 * run {@link #THRESHOLD} times ({@link Program#jit()}): event classes that occur a few times stay interpreted and
 * cost no class definition; a trace that declares a thousand event classes and uses ten generates ten classes.
 * The generated method is small enough for the JIT compilers (at most {@link #MAX_CODE} bytes of bytecode), else
 * the program stays interpreted.
 *
 * <p>Event header programs of LTTng's shape ({@link Program#headShape}: an id selecting a one-timestamp option) get,
 * after as many runs, a smaller method of their own ({@link #header}): the fast option decoded with every length,
 * slot, clock width and id bound a constant, anything else left to the interpreter.
 */
abstract class Jit {
    /**
     * Runs of a program before its code is generated (system property {@code tracestream.decode.jit}: a number of
     * runs, 0 to generate at the first run, or {@code off} to interpret always).
     */
    static final int THRESHOLD = threshold();
    /** Bytecode size limit of a generated method (HotSpot does not compile methods above 8000 bytes). */
    static final int MAX_CODE = 7900;

    private static final String MACHINE = "io/tracestream/ctf/decode/Machine";
    private static final String PROGRAM = "io/tracestream/ctf/decode/Program";
    private static final String JIT = "io/tracestream/ctf/decode/Jit";
    private static final String EX = "Lio/tracestream/ctf/CtfException;";

    // locals of the generated run(Machine, Program)
    private static final int M = 1, P = 2, A = 3, AB = 4, POS = 5, END = 7, LOG = 9, N = 10, SLOTS = 11, V = 12,
            T = 14, REL = 15, BASE = 16, LOCALS = 17;

    private static int threshold() {
        String s = System.getProperty("tracestream.decode.jit", "");
        if (s.equals("off")) {
            return -1;
        }
        try {
            return s.isEmpty() ? 64 : Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 64;
        }
    }

    /** Runs the program over the machine's packet bytes from its position, as {@link Machine#run} does. */
    abstract void run(Machine m, Program p);

    /**
     * Generated code by what it is generated from, shared by all decoders: a trace opened again (another pass, another
     * partition, grown live metadata) reuses the classes, already compiled by the JVM, of the programs it has in
     * common with one opened before. Bounded: past {@link #CACHE_LIMIT} programs, code is generated per program.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Key, Jit> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 4096;

    /** What the generated code of a program depends on (its tables are read from the program at run time). */
    private static final class Key {
        private final int[] exec;
        private final int[][] runs;
        private final int[][] optionPcs;
        private final int maxOps;
        private final int hash;

        Key(Program p) {
            this.exec = p.exec;
            this.runs = p.runs;
            this.optionPcs = p.optionPcs;
            this.maxOps = p.maxOps;
            this.hash = (java.util.Arrays.hashCode(exec) * 31 + java.util.Arrays.deepHashCode(runs)) * 31
                    + java.util.Arrays.deepHashCode(optionPcs) + maxOps;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.maxOps == maxOps && java.util.Arrays.equals(k.exec, exec)
                    && java.util.Arrays.deepEquals(k.runs, runs) && java.util.Arrays.deepEquals(k.optionPcs, optionPcs);
        }
    }

    /** The code generated before for a program like {@code p} (by any decoder), or null. */
    static Jit cached(Program p) {
        return CACHE.isEmpty() ? null : CACHE.get(new Key(p));
    }

    /** The generated code of {@code p} (from the cache when generated before), or null when it cannot be generated. */
    static Jit compile(Program p) {
        Key key = new Key(p);
        Jit j = CACHE.get(key);
        if (j != null) {
            return j;
        }
        j = define(p);
        if (j != null && CACHE.size() < CACHE_LIMIT) {
            Jit before = CACHE.putIfAbsent(key, j);
            if (before != null) {
                j = before;
            }
        }
        return j;
    }

    private static Jit define(Program p) {
        try {
            return defineBytes(generate(p));
        } catch (RuntimeException e) {
            return null; // interpreted, as before
        }
    }

    /** An instance of the class in {@code bytes}, or null (bytes null, or the class could not be defined). */
    private static Jit defineBytes(byte[] bytes) {
        try {
            if (bytes == null) {
                return null;
            }
            MethodHandles.Lookup h = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (Jit) h.findConstructor(h.lookupClass(), MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Jit.class)).invokeExact();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v && !(e instanceof StackOverflowError)) {
                throw v;
            }
            return null; // interpreted, as before
        }
    }

    /** The class file of {@code p}'s generated code, or null when it has what is not generated or is too large. */
    static byte[] generate(Program p) {
        if (!p.simple) {
            return null;
        }
        ClassFile cf = new ClassFile(JIT + "$Code", JIT);
        ClassFile.Code init = new ClassFile.Code(1);
        init.op(0x2a); // aload_0
        init.op2(0xb7, cf.methodRef(JIT, "<init>", "()V"));
        init.op(0xb1);
        cf.method(0x0001, "<init>", "()V", init);
        ClassFile.Code c = new ClassFile.Code(LOCALS);
        if (!new Emitter(cf, c, p).emit()) {
            return null;
        }
        if (c.size() > MAX_CODE) {
            return null;
        }
        cf.method(0x0001, "run", "(L" + MACHINE + ";L" + PROGRAM + ";)V", c);
        return cf.toBytes();
    }

    /**
     * Generated event header decoders by what their code depends on (the {@link Program#headShape} fields), shared
     * like {@link #CACHE}.
     */
    private static final java.util.concurrent.ConcurrentHashMap<java.util.List<Long>, Jit> HEAD_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The generated fast path of an event header program of the {@link Program#headShape} with byte-aligned reads
     * (LTTng's compact and large headers): every length, offset, slot, clock width and the id range of the fast
     * option are constants; an id of another option, a misaligned position, a header that does not fit or a log to
     * grow runs the program ({@link Machine#run}) instead, as {@link Machine#runHeader} does. Null when the program
     * has not that shape.
     */
    static Jit header(Program p) {
        if (!p.headShape || p.headBitField || !byteRead(p.headLen1) || !byteRead(p.headLen2)) {
            return null;
        }
        java.util.List<Long> key = java.util.List.of((long) p.headAlign, (long) p.headLen1, (long) p.headLen2,
                (long) p.headFx1, (long) p.headFx2, (long) p.headOption, p.headRange ? 1L : 0L,
                p.headRange ? p.headLo : p.headTable, p.headRange ? p.headHi : 0L);
        Jit j = HEAD_CACHE.get(key);
        if (j != null) {
            return j;
        }
        j = defineBytes(generateHeader(p));
        if (j != null && HEAD_CACHE.size() < CACHE_LIMIT) {
            Jit before = HEAD_CACHE.putIfAbsent(key, j);
            if (before != null) {
                j = before;
            }
        }
        return j;
    }

    private static boolean byteRead(int bits) {
        return bits == 8 || bits == 16 || bits == 32 || bits == 64;
    }

    private static String readerName(int bits) {
        return switch (bits) {
            case 8 -> "rU8";
            case 16 -> "rU16L";
            case 32 -> "rU32L";
            default -> "rU64L";
        };
    }

    /** The class file of {@link #header}'s code for {@code p}. */
    static byte[] generateHeader(Program p) {
        ClassFile cf = new ClassFile(JIT + "$Head", JIT);
        ClassFile.Code init = new ClassFile.Code(1);
        init.op(0x2a); // aload_0
        init.op2(0xb7, cf.methodRef(JIT, "<init>", "()V"));
        init.op(0xb1);
        cf.method(0x0001, "<init>", "()V", init);
        // locals: 1 m, 2 p, 3-4 pos, 5 n, 6 log, 7 a, 8 i, 9-10 id, 11-12 ts, 13-14 clock, 15 slots
        final int hm = 1, hp = 2, hpos = 3, hn = 5, hlog = 6, ha = 7, hi = 8, hid = 9, hts = 11, hc = 13, hslots = 15;
        ClassFile.Code c = new ClassFile.Code(16);
        int slow = c.newLabel();
        int len1 = p.headLen1;
        int len2 = p.headLen2;
        // pos = m.pos; if ((pos & (align - 1)) != 0) goto slow   (byte-aligned reads: align at least 8 bits)
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "pos", "J"));
        c.local(0x37, hpos);
        c.local(0x16, hpos);
        pushLong(cf, c, Math.max(8, p.headAlign) - 1L);
        c.op(0x7f); // land
        c.op(0x09); // lconst_0
        c.op(0x94); // lcmp
        c.jump(0x9a, slow); // ifne
        // n = m.n; log = m.log; if (n + 3 >= log.length) goto slow
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "n", "I"));
        c.local(0x36, hn);
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "log", "[J"));
        c.local(0x3a, hlog);
        c.local(0x15, hn);
        pushInt(cf, c, 3);
        c.op(0x60); // iadd
        c.local(0x19, hlog);
        c.op(0xbe); // arraylength
        c.jump(0xa2, slow); // if_icmpge
        // if (pos + len1 + len2 > m.end) goto slow
        c.local(0x16, hpos);
        pushLong(cf, c, len1 + len2);
        c.op(0x61); // ladd
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "end", "J"));
        c.op(0x94);
        c.jump(0x9d, slow); // ifgt
        // a = m.arr; if (a == null) goto slow
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "arr", "[B"));
        c.local(0x3a, ha);
        c.local(0x19, ha);
        c.jump(0xc6, slow); // ifnull
        // i = m.arrBase + (int) (pos >>> 3); id = rLEN1(a, i)
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "arrBase", "I"));
        c.local(0x16, hpos);
        pushInt(cf, c, 3);
        c.op(0x7d); // lushr
        c.op(0x88); // l2i
        c.op(0x60);
        c.local(0x36, hi);
        c.local(0x19, ha);
        c.local(0x15, hi);
        c.op2(0xb8, cf.methodRef(MACHINE, readerName(len1), "([BI)J"));
        c.local(0x37, hid);
        if (p.headRange) {
            // if (Long.compareUnsigned(id - lo, hi - lo) > 0) goto slow
            c.local(0x16, hid);
            pushLong(cf, c, p.headLo);
            c.op(0x65); // lsub
            pushLong(cf, c, Long.MIN_VALUE);
            c.op(0x83); // lxor
            pushLong(cf, c, (p.headHi - p.headLo) ^ Long.MIN_VALUE);
            c.op(0x94);
            c.jump(0x9d, slow); // ifgt
        } else {
            // if (m.headOption(p, id) != option) goto slow
            c.local(0x19, hm);
            c.local(0x19, hp);
            c.local(0x16, hid);
            c.op2(0xb6, cf.methodRef(MACHINE, "headOption", "(L" + PROGRAM + ";J)I"));
            pushInt(cf, c, p.headOption);
            c.jump(0xa0, slow); // if_icmpne
        }
        // ts = rLEN2(a, i + len1 / 8)
        c.local(0x19, ha);
        c.local(0x15, hi);
        pushInt(cf, c, len1 >>> 3);
        c.op(0x60);
        c.op2(0xb8, cf.methodRef(MACHINE, readerName(len2), "([BI)J"));
        c.local(0x37, hts);
        // log[n] = id; log[n + 1] = option; log[n + 2] = ts; m.n = n + 3
        c.local(0x19, hlog);
        c.local(0x15, hn);
        c.local(0x16, hid);
        c.op(0x50); // lastore
        c.local(0x19, hlog);
        c.local(0x15, hn);
        pushInt(cf, c, 1);
        c.op(0x60);
        pushLong(cf, c, p.headOption);
        c.op(0x50);
        c.local(0x19, hlog);
        c.local(0x15, hn);
        pushInt(cf, c, 2);
        c.op(0x60);
        c.local(0x16, hts);
        c.op(0x50);
        c.local(0x19, hm);
        c.local(0x15, hn);
        pushInt(cf, c, 3);
        c.op(0x60);
        c.op2(0xb5, cf.fieldRef(MACHINE, "n", "I"));
        // the side effects of both reads (Machine.effects): slot stores, then the clock update of the timestamp
        c.local(0x19, hm);
        c.op2(0xb4, cf.fieldRef(MACHINE, "slots", "[J"));
        c.local(0x3a, hslots);
        storeSlots(cf, c, p.headFx1, hslots, hid);
        storeSlots(cf, c, p.headFx2, hslots, hts);
        int clk = p.headFx2 >>> 20;
        if (clk >= 64) {
            c.local(0x19, hm);
            c.local(0x16, hts);
            c.op2(0xb5, cf.fieldRef(MACHINE, "clock", "J"));
        } else if (clk != 0) {
            // v = ts & mask; c = m.clock; c += ((v - (c & mask)) >>> 63) << clk (mask + 1 when v < c & mask: the
            // wrap, without a branch: a branch that is rarely taken would be compiled by C2 as a trap, and its first
            // wrap would send the method back to the interpreter and C2 again); m.clock = (c & ~mask) | v
            long mask = (1L << clk) - 1;
            c.local(0x16, hts);
            pushLong(cf, c, mask);
            c.op(0x7f);
            c.local(0x37, hts);
            c.local(0x19, hm);
            c.op2(0xb4, cf.fieldRef(MACHINE, "clock", "J"));
            c.local(0x37, hc);
            c.local(0x16, hts);
            c.local(0x16, hc);
            pushLong(cf, c, mask);
            c.op(0x7f); // land
            c.op(0x65); // lsub
            pushInt(cf, c, 63);
            c.op(0x7d); // lushr
            pushInt(cf, c, clk);
            c.op(0x79); // lshl
            c.local(0x16, hc);
            c.op(0x61); // ladd
            c.local(0x37, hc);
            c.local(0x19, hm);
            c.local(0x16, hc);
            pushLong(cf, c, ~mask);
            c.op(0x7f);
            c.local(0x16, hts);
            c.op(0x81); // lor
            c.op2(0xb5, cf.fieldRef(MACHINE, "clock", "J"));
        }
        // m.pos = pos + len1 + len2
        c.local(0x19, hm);
        c.local(0x16, hpos);
        pushLong(cf, c, len1 + len2);
        c.op(0x61);
        c.op2(0xb5, cf.fieldRef(MACHINE, "pos", "J"));
        c.op(0xb1); // return
        // slow: m.run(p)
        c.mark(slow);
        c.local(0x19, hm);
        c.local(0x19, hp);
        c.op2(0xb6, cf.methodRef(MACHINE, "run", "(L" + PROGRAM + ";)V"));
        c.op(0xb1);
        cf.method(0x0001, "run", "(L" + MACHINE + ";L" + PROGRAM + ";)V", c);
        return cf.toBytes();
    }

    /**
     * The slot stores of a read's side effects ({@link Machine#effects}): slots[save - 1] = v and
     * slots[meaning - 1] = v for those of {@code fx} that are set, v in the long local {@code value}.
     */
    private static void storeSlots(ClassFile cf, ClassFile.Code c, int fx, int slots, int value) {
        for (int slot : new int[] {fx & 0xfff, (fx >>> 12) & 0xff}) {
            if (slot != 0) {
                c.local(0x19, slots);
                pushInt(cf, c, slot - 1);
                c.local(0x16, value);
                c.op(0x50); // lastore
            }
        }
    }

    private static void pushInt(ClassFile cf, ClassFile.Code c, int v) {
        if (v >= -1 && v <= 5) {
            c.op(0x03 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            c.op1(0x10, v & 0xff);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            c.op2(0x11, v & 0xffff);
        } else {
            int i = cf.intConst(v);
            if (i < 256) {
                c.op1(0x12, i);
            } else {
                c.op2(0x13, i);
            }
        }
    }

    private static void pushLong(ClassFile cf, ClassFile.Code c, long v) {
        if (v == 0) {
            c.op(0x09);
        } else if (v == 1) {
            c.op(0x0a);
        } else {
            c.op2(0x14, cf.longConst(v));
        }
    }

    /** Emits the bytecode of one program. */
    private static final class Emitter {
        private final ClassFile cf;
        private final ClassFile.Code c;
        private final Program p;
        private final int[] code;
        private final int[] labels;

        Emitter(ClassFile cf, ClassFile.Code c, Program p) {
            this.cf = cf;
            this.c = c;
            this.p = p;
            this.code = p.exec;
            this.labels = new int[code.length / Program.STRIDE + 1];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = c.newLabel();
            }
        }

        private int label(int pc) {
            return labels[pc / Program.STRIDE];
        }

        boolean emit() {
            // prologue: machine state into locals
            field(M, "arr", "[B");
            c.local(0x3a, A);
            field(M, "arrBase", "I");
            c.local(0x36, AB);
            field(M, "pos", "J");
            c.local(0x37, POS);
            field(M, "end", "J");
            c.local(0x37, END);
            field(M, "log", "[J");
            field(M, "n", "I");
            pushInt(p.maxOps);
            c.op2(0xb8, cf.methodRef(MACHINE, "room", "([JII)[J"));
            c.local(0x3a, LOG);
            field(M, "n", "I");
            c.local(0x36, N);
            field(M, "slots", "[J");
            c.local(0x3a, SLOTS);
            int bad = c.newLabel();
            for (int pc = 0; pc < code.length; pc += Program.STRIDE) {
                c.mark(label(pc));
                int op = code[pc];
                int a = code[pc + 1];
                int b = code[pc + 2];
                int x = code[pc + 3];
                if (op >= Program.U8 && op <= Program.U64B) {
                    fixedRead(op, x);
                    continue;
                }
                switch (op) {
                    case Program.END -> {
                        storeState();
                        c.op(0xb1);
                    }
                    case Program.FIX -> {
                        fixRun(a, x);
                        int after = b;
                        markSkipped(pc, after);
                        pc = after - Program.STRIDE;
                    }
                    case Program.ARRPS, Program.ARRPD -> {
                        primitiveArray(op == Program.ARRPS, a, code[pc + Program.STRIDE]);
                        int after = b;
                        c.jump(0xa7, label(after));
                        markSkipped(pc, after);
                        pc = after - Program.STRIDE;
                    }
                    case Program.ALIGN -> {
                        long al = a;
                        c.local(0x16, POS);
                        pushLong(al - 1);
                        c.op(0x61);
                        pushLong(-al);
                        c.op(0x7f);
                        c.local(0x37, V);
                        c.local(0x16, V);
                        c.local(0x16, END);
                        c.op(0x94);
                        int ok = c.newLabel();
                        c.jump(0x9e, ok); // ifle
                        c.local(0x19, M);
                        c.local(0x16, POS);
                        pushLong(al);
                        c.op2(0xb6, cf.methodRef(MACHINE, "alignError", "(JJ)" + EX));
                        c.op(0xbf);
                        c.mark(ok);
                        c.local(0x16, V);
                        c.local(0x37, POS);
                    }
                    case Program.BITSLE -> {
                        c.local(0x19, M);
                        c.local(0x16, POS);
                        pushInt(a);
                        c.op2(0xb6, cf.methodRef(MACHINE, "leBits", "(JI)J"));
                        c.local(0x37, V);
                        logV();
                        addPos(a);
                        effects(x);
                    }
                    case Program.STRNT -> {
                        if (a != 1) {
                            return false;
                        }
                        c.local(0x19, M);
                        c.local(0x16, POS);
                        c.op2(0xb6, cf.methodRef(MACHINE, "strnt", "(J)J"));
                        c.local(0x37, V);
                        logV();
                        // pos = (offset + length + 1) * 8
                        c.local(0x16, V);
                        pushInt(32);
                        c.op(0x7d);
                        c.local(0x16, V);
                        pushLong(0xffffffffL);
                        c.op(0x7f);
                        c.op(0x61);
                        c.op(0x0a); // lconst_1
                        c.op(0x61);
                        pushInt(3);
                        c.op(0x79);
                        c.local(0x37, POS);
                    }
                    case Program.BYTES -> {
                        long bits = a * 8L;
                        boundsCheck(bits);
                        c.local(0x19, LOG);
                        c.local(0x15, N);
                        c.local(0x16, POS);
                        pushInt(3);
                        c.op(0x7d);
                        pushInt(32);
                        c.op(0x79);
                        pushLong(a);
                        c.op(0x81);
                        c.op(0x50);
                        c.op2(0x84, N << 8 | 1); // iinc n 1
                        addPos(bits);
                    }
                    case Program.DBYTES -> {
                        c.local(0x19, M);
                        c.local(0x16, POS);
                        pushInt(a);
                        pushInt(b);
                        c.op2(0xb6, cf.methodRef(MACHINE, "dbytes", "(JII)J"));
                        c.local(0x37, V);
                        logV();
                        c.local(0x16, POS);
                        c.local(0x16, V);
                        pushLong(0xffffffffL);
                        c.op(0x7f);
                        pushInt(3);
                        c.op(0x79);
                        c.op(0x61);
                        c.local(0x37, POS);
                    }
                    case Program.VAR -> {
                        c.local(0x19, M);
                        c.local(0x19, P);
                        pushInt(b);
                        pushInt(a);
                        c.local(0x16, POS);
                        c.op2(0xb6, cf.methodRef(MACHINE, "var", "(L" + PROGRAM + ";IIJ)I"));
                        c.local(0x36, T);
                        c.local(0x19, LOG);
                        c.local(0x15, N);
                        c.local(0x15, T);
                        c.op(0x85); // i2l
                        c.op(0x50);
                        c.op2(0x84, N << 8 | 1);
                        int[] opts = p.optionPcs[b];
                        if (opts.length == 0) {
                            c.jump(0xa7, bad);
                        } else {
                            int[] targets = new int[opts.length];
                            for (int i = 0; i < opts.length; i++) {
                                targets[i] = label(opts[i]);
                            }
                            c.local(0x15, T);
                            c.tableSwitch(bad, targets);
                        }
                    }
                    case Program.JMP -> c.jump(0xa7, label(a));
                    case Program.MARKLOG -> {
                        field(M, "marks", "[I");
                        pushInt(a);
                        if (b != 0) {
                            pushInt(-1);
                        } else {
                            c.local(0x15, N);
                        }
                        c.op(0x4f);
                    }
                    case Program.SAVE -> {
                        c.local(0x19, SLOTS);
                        pushInt(a);
                        lastLogged();
                        c.op(0x50);
                    }
                    case Program.CLOCK -> {
                        c.local(0x19, M);
                        lastLogged();
                        pushInt(a);
                        c.op2(0xb6, cf.methodRef(MACHINE, "updateClock", "(JI)V"));
                    }
                    default -> {
                        return false;
                    }
                }
            }
            c.mark(labels[labels.length - 1]);
            c.mark(bad);
            c.op(0x01); // aconst_null: an option index out of range cannot happen (var() checks it)
            c.op(0xbf);
            return true;
        }

        /** Labels of the instructions a superinstruction stands for (never jumped to) at the current position. */
        private void markSkipped(int pc, int after) {
            for (int q = pc + Program.STRIDE; q < after; q += Program.STRIDE) {
                c.mark(label(q));
            }
        }

        private void field(int local, String name, String desc) {
            c.local(0x19, local);
            c.op2(0xb4, cf.fieldRef(MACHINE, name, desc));
        }

        private void storeState() {
            c.local(0x19, M);
            c.local(0x16, POS);
            c.op2(0xb5, cf.fieldRef(MACHINE, "pos", "J"));
            c.local(0x19, M);
            c.local(0x19, LOG);
            c.op2(0xb5, cf.fieldRef(MACHINE, "log", "[J"));
            c.local(0x19, M);
            c.local(0x15, N);
            c.op2(0xb5, cf.fieldRef(MACHINE, "n", "I"));
        }

        /** log[n - 1] on the stack. */
        private void lastLogged() {
            c.local(0x19, LOG);
            c.local(0x15, N);
            pushInt(1);
            c.op(0x64);
            c.op(0x2f);
        }

        /** log[n++] = v. */
        private void logV() {
            c.local(0x19, LOG);
            c.local(0x15, N);
            c.local(0x16, V);
            c.op(0x50);
            c.op2(0x84, N << 8 | 1);
        }

        private void addPos(long bits) {
            c.local(0x16, POS);
            pushLong(bits);
            c.op(0x61);
            c.local(0x37, POS);
        }

        /** The side effects of a read ({@link Machine#effects}), specialised: slot stores and the clock update. */
        private void effects(int fx) {
            storeSlots(cf, c, fx, SLOTS, V);
            int clk = fx >>> 20;
            if (clk != 0) {
                c.local(0x19, M);
                c.local(0x16, V);
                pushInt(clk);
                c.op2(0xb6, cf.methodRef(MACHINE, "updateClock", "(JI)V"));
            }
        }

        /** if (pos + bits <= end) goto (the returned label, to be marked after the error path). */
        private int jumpIfFits(long bits) {
            c.local(0x16, POS);
            pushLong(bits);
            c.op(0x61);
            c.local(0x16, END);
            c.op(0x94);
            int ok = c.newLabel();
            c.jump(0x9e, ok);
            return ok;
        }

        /** if (pos + bits > end) throw m.beyond(pos, bits). */
        private void boundsCheck(long bits) {
            int ok = jumpIfFits(bits);
            c.local(0x19, M);
            c.local(0x16, POS);
            pushLong(bits);
            c.op2(0xb6, cf.methodRef(MACHINE, "beyond", "(JJ)" + EX));
            c.op(0xbf);
            c.mark(ok);
        }

        /** The name of a byte-aligned read opcode (U8..U64B), as in the names of the Machine helpers. */
        private static String opName(int op) {
            return switch (op) {
                case Program.U8 -> "U8";
                case Program.S8 -> "S8";
                case Program.U16L -> "U16L";
                case Program.S16L -> "S16L";
                case Program.U16B -> "U16B";
                case Program.S16B -> "S16B";
                case Program.U32L -> "U32L";
                case Program.S32L -> "S32L";
                case Program.U32B -> "U32B";
                case Program.S32B -> "S32B";
                case Program.U64L -> "U64L";
                default -> "U64B";
            };
        }

        private void reader(int op) {
            c.op2(0xb8, cf.methodRef(MACHINE, "r" + opName(op), "([BI)J"));
        }

        /** One byte-aligned read with its own bounds check (as the small interpreter). */
        private void fixedRead(int op, int fx) {
            int bits = Program.fixedOpBits(op);
            boundsCheck(bits);
            c.local(0x19, A);
            c.local(0x15, AB);
            c.local(0x16, POS);
            pushInt(3);
            c.op(0x7d);
            c.op(0x88); // l2i
            c.op(0x60);
            reader(op);
            c.local(0x37, V);
            logV();
            addPos(bits);
            effects(fx);
        }

        /**
         * An array of byte-aligned integers (ARRPS / ARRPD, as {@link Machine#primitiveArray}): its length checked
         * against the bits left, logged, then the elements read by the loop helper of their opcode.
         */
        private void primitiveArray(boolean fixedCount, int count, int elementOp) {
            int shift = Integer.numberOfTrailingZeros(Program.fixedOpBits(elementOp));
            if (fixedCount) {
                pushLong(count);
            } else {
                c.local(0x19, SLOTS);
                pushInt(count);
                c.op(0x2f); // laload
            }
            c.local(0x37, V);
            // if (v < 0 || v > (end - pos) >> shift) throw m.arrayError(pos, v)
            int bad = c.newLabel();
            int ok = c.newLabel();
            c.local(0x16, V);
            c.op(0x09); // lconst_0
            c.op(0x94); // lcmp
            c.jump(0x9b, bad); // iflt
            c.local(0x16, V);
            c.local(0x16, END);
            c.local(0x16, POS);
            c.op(0x65); // lsub
            pushInt(shift);
            c.op(0x7b); // lshr
            c.op(0x94);
            c.jump(0x9e, ok); // ifle
            c.mark(bad);
            c.local(0x19, M);
            c.local(0x16, POS);
            c.local(0x16, V);
            c.op2(0xb6, cf.methodRef(MACHINE, "arrayError", "(JJ)" + EX));
            c.op(0xbf);
            c.mark(ok);
            // log = Machine.room(log, n, (int) v + 1 + maxOps): the length, the elements, the rest of the program
            c.local(0x19, LOG);
            c.local(0x15, N);
            c.local(0x16, V);
            c.op(0x88); // l2i
            pushInt(p.maxOps + 1);
            c.op(0x60);
            c.op2(0xb8, cf.methodRef(MACHINE, "room", "([JII)[J"));
            c.local(0x3a, LOG);
            // log[n++] = v
            logV();
            // Machine.aOP(a, ab + (int) (pos >>> 3), log, n, (int) v)
            c.local(0x19, A);
            c.local(0x15, AB);
            c.local(0x16, POS);
            pushInt(3);
            c.op(0x7d);
            c.op(0x88);
            c.op(0x60);
            c.local(0x19, LOG);
            c.local(0x15, N);
            c.local(0x16, V);
            c.op(0x88);
            c.op2(0xb8, cf.methodRef(MACHINE, "a" + opName(elementOp), "([BI[JII)V"));
            // n += (int) v; pos += v << shift
            c.local(0x15, N);
            c.local(0x16, V);
            c.op(0x88);
            c.op(0x60);
            c.local(0x36, N);
            c.local(0x16, POS);
            c.local(0x16, V);
            pushInt(shift);
            c.op(0x79); // lshl
            c.op(0x61);
            c.local(0x37, POS);
        }

        /** A FIX run: one bounds check, then each read at its constant offset. */
        private void fixRun(int run, int bytes) {
            int[] f = p.runs[run];
            long bits = (long) bytes << 3;
            int ok = jumpIfFits(bits);
            c.local(0x19, M);
            c.local(0x19, P);
            pushInt(run);
            c.local(0x16, POS);
            c.op2(0xb6, cf.methodRef(MACHINE, "fixError", "(L" + PROGRAM + ";IJ)" + EX));
            c.op(0xbf);
            c.mark(ok);
            c.local(0x16, POS);
            pushInt(3);
            c.op(0x7d);
            c.op(0x88);
            c.local(0x36, REL);
            c.local(0x15, AB);
            c.local(0x15, REL);
            c.op(0x60);
            c.local(0x36, BASE);
            int k = 0;
            for (int e = 0; e < f.length; e += Program.FIXED_STRIDE, k++) {
                int op = f[e];
                int off = f[e + 1];
                int operand = f[e + 2];
                if (op == Program.BYTES) {
                    logIndex(k);
                    c.local(0x15, REL);
                    pushInt(off);
                    c.op(0x60);
                    c.op(0x85);
                    pushInt(32);
                    c.op(0x79);
                    pushLong(operand);
                    c.op(0x81);
                    c.op(0x50);
                } else if (op == Program.ARRS) {
                    logIndex(k);
                    pushLong(operand);
                    c.op(0x50);
                } else if (operand != 0) {
                    c.local(0x19, A);
                    c.local(0x15, BASE);
                    pushInt(off);
                    c.op(0x60);
                    reader(op);
                    c.local(0x37, V);
                    logIndex(k);
                    c.local(0x16, V);
                    c.op(0x50);
                    effects(operand);
                } else {
                    logIndex(k);
                    c.local(0x19, A);
                    c.local(0x15, BASE);
                    pushInt(off);
                    c.op(0x60);
                    reader(op);
                    c.op(0x50);
                }
            }
            c.local(0x15, N);
            pushInt(k);
            c.op(0x60);
            c.local(0x36, N);
            addPos(bits);
        }

        /** log, n + k on the stack. */
        private void logIndex(int k) {
            c.local(0x19, LOG);
            c.local(0x15, N);
            if (k != 0) {
                pushInt(k);
                c.op(0x60);
            }
        }

        private void pushInt(int v) {
            Jit.pushInt(cf, c, v);
        }

        private void pushLong(long v) {
            Jit.pushLong(cf, c, v);
        }
    }
}

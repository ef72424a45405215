package io.tracestream.ctf.decode;

import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StructClass;

/**
 * The compiled decoding plan of one scope root structure: a flat program of fixed-width instructions
 * ({@link #STRIDE} ints: opcode and three operands) run by {@link Machine}.
 *
 * <p>Every decoded leaf appends one {@code long} to the value log (integers and floats: their bits; strings,
 * text arrays and BLOBs: {@code byteOffset << 32 | byteLength}); arrays append their length before their
 * elements, variants their option index before the option, optionals 0 or 1. {@link LogWalker} reads a log back
 * with the field classes.
 */
final class Program {
    static final int STRIDE = 4;

    // Opcodes. Operands are a, b, c = code[pc + 1..3].
    static final int END = 0;
    /** Align to a bits. */
    static final int ALIGN = 1;
    /** Byte-aligned unsigned/signed integers of 8/16/32/64 bits, little (L) and big (B) endian. */
    static final int U8 = 2, S8 = 3, U16L = 4, S16L = 5, U16B = 6, S16B = 7, U32L = 8, S32L = 9, U32B = 10,
            S32B = 11, U64L = 12, U64B = 13;
    /** Any integer: a = length, b = flags ({@link #F_BE}, {@link #F_SIGNED}, {@link #F_REVERSE}). */
    static final int BITS = 14;
    /** LEB128 unsigned / signed (CTF 2 variable-length integers). */
    static final int VLU = 15, VLS = 16;
    /** slots[a] = last logged value. */
    static final int SAVE = 17;
    /** Update the default clock from the last logged value of a bits. */
    static final int CLOCK = 18;
    /** slots[a] = current bit position. */
    static final int MARKPOS = 19;
    /** Null-terminated string; a = code unit bytes (1, 2 or 4). */
    static final int STRNT = 20;
    /** a bytes (static length) of text or BLOB. */
    static final int BYTES = 21;
    /** slots[a] * b bytes of text or BLOB. */
    static final int DBYTES = 22;
    /** Array of a elements (static); b = pc after the loop; c = minimum element bits. */
    static final int ARRS = 23;
    /** Array of slots[a] elements; b = pc after the loop; c = minimum element bits. */
    static final int ARRD = 24;
    /** End of an array body: a = body pc. */
    static final int ARREND = 25;
    /** Array of elements that take no bits and log nothing: a = static length or -1, b = slot, c = alignment. */
    static final int ARR0 = 26;
    /** Variant: a = selector slot, b = table index. */
    static final int VAR = 27;
    /** Optional: a = selector slot, b = table index or -1 for a boolean selector, c = pc after the field. */
    static final int OPT = 28;
    /** Jump to a. */
    static final int JMP = 29;
    /** marks[a] = current log size (start of a scope in a fused program). */
    static final int MARKLOG = 30;
    /** Unsigned little-endian integer, any length and position: a = length. */
    static final int BITSLE = 31;
    /**
     * Superinstructions, only in {@link #exec}. FIX: a run of consecutive byte-aligned fixed-size reads
     * ({@link #runs}[a], b = pc after the run, c = bytes read); ARRPS / ARRPD: an array (static / dynamic, operands
     * as ARRS / ARRD) whose element is the single byte-aligned integer read at pc + {@link #STRIDE}.
     */
    static final int FIX = 32, ARRPS = 33, ARRPD = 34;

    static final int F_BE = 1, F_SIGNED = 2, F_REVERSE = 4;

    /**
     * Integer opcodes carry their side effects in operand c ("fx"): bits 0-11 the slot (+1) that keeps the value
     * for a later length or selector, bits 12-19 the meaning slot (+1), bits 20-27 the length of a clock update.
     */
    static final int FX_SLOT_LIMIT = 4095;

    final Scope scope;
    final StructClass root;
    final int[] code;
    /** Per variant/optional table: flat (lower, upper, option) triples. */
    final long[][] ranges;
    /** Per table: true when the selector compares signed. */
    final boolean[] signedSel;
    /** Per variant table: pc of each option's code. */
    final int[][] optionPcs;
    /** Per variant table: printable name, for errors. */
    final String[] tableNames;
    /** Per top-level member: log index relative to the scope start when static, else -1. */
    final int[] memberLogOffset;
    /** Meaning slots ({@code Compiler.S_*}) always written by this program (outside arrays and variants). */
    final boolean[] meanings;
    /** Meaning slots this program may write. */
    final boolean[] meaningsAnywhere;

    /** Number of instructions that append to the log: an upper bound of what one pass over the code appends. */
    final int maxOps;
    /**
     * Per table: when the selector is small and unsigned, the option for each selector value (-1 none,
     * -2 several), else null.
     */
    final int[][] dense;
    /** Per table: true when no selector value is in ranges of two different options (the first match decides). */
    final boolean[] disjoint;
    /**
     * When the program reads only byte-aligned fixed-size fields without side effects (integers, floats, static
     * text and BLOBs, static arrays of those): its values unrolled, {@link #FIXED_STRIDE} ints each (opcode,
     * byte offset from the start, operand), for {@link Machine#runFixed}; else null. Valid when the program
     * starts at a multiple of {@link #fixedAlign} bits.
     */
    final int[] fixed;
    /** Alignment (bits) of the start that {@link #fixed} assumes. */
    final int fixedAlign;
    /** Bits read by the {@link #fixed} layout. */
    final long fixedBits;
    /** Log entries the {@link #fixed} layout appends. */
    final int fixedValues;

    /**
     * The code {@link Machine} runs on packet bytes in an array: {@link #code} with superinstructions (FIX,
     * ARRPS, ARRPD) written over the first instruction of what they replace. Every pc is the same as in
     * {@link #code}, which stays the plain form (fusing, layouts, reading through a buffer without an array).
     */
    final int[] exec;
    /**
     * Per FIX superinstruction: its reads, {@link #FIXED_STRIDE} ints each (opcode, byte offset, fx or length; ARRS:
     * an unrolled static array's length, logged as is).
     */
    final int[][] runs;
    /**
     * True when {@link #exec} uses only the opcodes of {@link Machine}'s small interpreter (no bit fields but
     * little-endian ones, no LEB128, general arrays or optionals).
     */
    final boolean simple;

    /**
     * Event header shape with a fast path in {@link Machine#runHeader}: an optional leading ALIGN, a little-endian
     * unsigned id read that keeps itself for the VAR right after it, and one option ({@link #headOption}, e.g.
     * LTTng's "compact") holding a single little-endian unsigned read (the timestamp) before the end. Then
     * {@link #headShape} is true and the fields below describe it; the other options take the general path.
     */
    final boolean headShape;
    int headAlign = 1;
    int headLen1;
    int headFx1;
    int headLen2;
    int headFx2;
    int headTable;
    int headOption;
    /** Whether either read is a bit field (it sets the machine's last byte order). */
    boolean headBitField;
    /** When the option is one range of a disjoint table: its bounds (unsigned), so no table lookup is needed. */
    boolean headRange;
    long headLo;
    long headHi;

    /** The generated header fast path ({@link Jit#header}) once made; null before (or when it cannot be made). */
    Jit headJit;
    /** Header runs counted towards {@link Jit#THRESHOLD}; -1 when no header code is to be generated. */
    int headUses;

    /**
     * Counts a run of this event header program without generated code, generating it ({@link Jit#header}) at the
     * {@link Jit#THRESHOLD}th run.
     */
    void countHeaderRun() {
        int u = headUses;
        if (!headShape || Jit.THRESHOLD < 0) {
            headUses = -1;
        } else if (u < Jit.THRESHOLD) {
            headUses = u + 1;
        } else {
            Jit j = Jit.header(this);
            if (j == null) {
                headUses = -1;
            } else {
                headJit = j;
            }
        }
    }

    /** The generated code ({@link Jit}) once made; null before (or when it cannot be made). */
    private Jit jit;
    /** Runs counted towards {@link Jit#THRESHOLD}; -1 when no code is to be generated. */
    private int uses;

    /**
     * The generated code of this (simple) program, generating it at its {@link Jit#THRESHOLD}th run; null until
     * then, or when it cannot be generated. Called from any thread: the fields are benign races (a program may be
     * generated twice; the code holds no state).
     */
    Jit jit() {
        Jit j = jit;
        if (j != null) {
            return j;
        }
        int u = uses;
        if (u < 0 || Jit.THRESHOLD < 0) {
            return null;
        }
        if (u < Jit.THRESHOLD) {
            if (u == 0 && (j = Jit.cached(this)) != null) {
                jit = j;
                return j;
            }
            uses = u + 1;
            return null;
        }
        j = Jit.compile(this);
        if (j == null) {
            uses = -1;
        } else {
            jit = j;
        }
        return j;
    }

    /** Ints per entry of {@link #fixed}. */
    static final int FIXED_STRIDE = 3;
    /** At most this many entries are unrolled into {@link #fixed}. */
    private static final int FIXED_LIMIT = 4096;

    Program(Scope scope, StructClass root, int[] code, long[][] ranges, boolean[] signedSel, int[][] optionPcs,
            String[] tableNames, int[] memberLogOffset, boolean[] meanings, boolean[] meaningsAnywhere) {
        this.meanings = meanings;
        this.meaningsAnywhere = meaningsAnywhere;
        // Peephole: a jump to END is an END.
        for (int pc = 0; pc < code.length; pc += STRIDE) {
            if (code[pc] == JMP && code[pc + 1] < code.length && code[code[pc + 1]] == END) {
                code[pc] = END;
            }
        }
        int ops = 0;
        for (int pc = 0; pc < code.length; pc += STRIDE) {
            int op = code[pc];
            if ((op >= U8 && op <= VLS) || op == BITSLE || op == STRNT || op == BYTES || op == DBYTES || op == ARRS || op == ARRD
                    || op == ARR0 || op == VAR || op == OPT) {
                ops++;
            }
        }
        this.dense = new int[ranges.length][];
        this.disjoint = new boolean[ranges.length];
        for (int t = 0; t < ranges.length; t++) {
            dense[t] = denseTable(ranges[t], signedSel[t]);
            disjoint[t] = disjoint(ranges[t], signedSel[t]);
        }
        this.scope = scope;
        this.root = root;
        this.code = code;
        this.ranges = ranges;
        this.signedSel = signedSel;
        this.optionPcs = optionPcs;
        this.tableNames = tableNames;
        this.memberLogOffset = memberLogOffset;
        long[] fx = new long[3];
        this.fixed = fixedLayout(code, fx);
        this.fixedAlign = (int) fx[0];
        this.fixedBits = fx[1];
        this.fixedValues = (int) fx[2];
        java.util.List<int[]> rl = new java.util.ArrayList<>();
        this.exec = superinstructions(code, rl);
        this.runs = rl.toArray(new int[0][]);
        // an unrolled static array logs its length and all its elements (counted above as two instructions)
        for (int[] r : runs) {
            for (int k = 0; k < r.length; k += FIXED_STRIDE) {
                if (r[k] == ARRS) {
                    ops += r[k + 2];
                }
            }
        }
        this.maxOps = ops + 2;
        this.simple = isSimple(exec, dense);
        this.headShape = scope == Scope.EVENT_HEADER && headShape(code);
    }

    /** Little-endian unsigned read length of {@code op} (its bits or BITSLE's length), else 0. */
    private static int leReadBits(int[] code, int pc) {
        return switch (code[pc]) {
            case U8 -> 8;
            case U16L -> 16;
            case U32L -> 32;
            case U64L -> 64;
            case BITSLE -> code[pc + 1];
            default -> 0;
        };
    }

    /** Detects the {@link #headShape} and fills its fields. */
    private boolean headShape(int[] code) {
        int pc = 0;
        if (code.length > STRIDE && code[0] == ALIGN) {
            headAlign = code[1];
            pc = STRIDE;
        }
        if (pc + 2 * STRIDE > code.length) {
            return false;
        }
        headLen1 = leReadBits(code, pc);
        headFx1 = code[pc + 3];
        int var = pc + STRIDE;
        if (headLen1 == 0 || code[var] != VAR || (headFx1 & 0xfff) != code[var + 1] + 1 || (headFx1 >>> 20) != 0) {
            return false;
        }
        headTable = code[var + 2];
        int[] options = optionPcs[headTable];
        for (int o = 0; o < options.length; o++) {
            int opc = options[o];
            if (opc + 2 * STRIDE > code.length) {
                continue;
            }
            int len = leReadBits(code, opc);
            int next = opc + STRIDE;
            if (code[next] == JMP) {
                next = code[next + 1];
            }
            if (len > 0 && code[next] == END) {
                headLen2 = len;
                headFx2 = code[opc + 3];
                headOption = o;
                headBitField = code[pc] == BITSLE || code[opc] == BITSLE;
                long[] r = ranges[headTable];
                int matches = 0;
                for (int i = 0; i < r.length; i += 3) {
                    if (r[i + 2] == o) {
                        matches++;
                        headLo = r[i];
                        headHi = r[i + 1];
                    }
                }
                headRange = matches == 1 && disjoint[headTable] && !signedSel[headTable];
                return true;
            }
        }
        return false;
    }

    /** Bits read by a byte-aligned fixed-size opcode (U8..U64B), else 0. */
    static int fixedOpBits(int op) {
        return switch (op) {
            case U8, S8 -> 8;
            case U16L, S16L, U16B, S16B -> 16;
            case U32L, S32L, U32B, S32B -> 32;
            case U64L, U64B -> 64;
            default -> 0;
        };
    }

    /** Per instruction, how many instructions jump to it (and variant options start at it). */
    private int[] jumpTargets(int[] code) {
        int[] t = new int[code.length / STRIDE + 1];
        for (int pc = 0; pc < code.length; pc += STRIDE) {
            int target = switch (code[pc]) {
                case ARRS, ARRD -> code[pc + 2];
                case ARREND, JMP -> code[pc + 1];
                case OPT -> code[pc + 3];
                default -> -1;
            };
            if (target >= 0 && target / STRIDE < t.length) {
                t[target / STRIDE]++;
            }
        }
        for (int[] o : optionPcs) {
            for (int target : o) {
                if (target >= 0 && target / STRIDE < t.length) {
                    t[target / STRIDE]++;
                }
            }
        }
        return t;
    }

    /** Elements of a static array of byte-aligned integers that a FIX run unrolls (larger ones stay ARRPS). */
    static final int UNROLL_ELEMENTS = 32;

    /**
     * Whether the instruction at {@code pc} starts an array (ARRS / ARRD) whose element is one byte-aligned
     * integer read without side effects: ARRx, the read, ARREND (what ARRPS / ARRPD stand for).
     */
    private static boolean primitiveArrayAt(int[] code, int pc) {
        int op = code[pc];
        if ((op != ARRS && op != ARRD) || pc + 2 * STRIDE >= code.length) {
            return false;
        }
        int e = pc + STRIDE;
        return fixedOpBits(code[e]) > 0 && code[e + 3] == 0 && code[e + STRIDE] == ARREND
                && code[e + STRIDE + 1] == e && code[pc + 2] == e + 2 * STRIDE
                && code[pc + 3] == fixedOpBits(code[e]);
    }

    /** {@code code} with FIX / ARRPS / ARRPD written over what they replace (see {@link #exec}). */
    private int[] superinstructions(int[] code, java.util.List<int[]> runList) {
        int[] x = code.clone();
        int[] target = jumpTargets(code);
        for (int pc = 0; pc < code.length; pc += STRIDE) {
            // A run: consecutive fixed reads and small static arrays of them (unrolled: the length is a constant
            // log entry), none jumped into but the first (an unrolled array's own jumps aside).
            IntStack entries = new IntStack();
            int end = pc;
            int offset = 0;
            int ownTarget = -1;
            while (end < code.length && (end == pc || target[end / STRIDE] == 0 || end == ownTarget)) {
                int o = code[end];
                int bits = fixedOpBits(o);
                if (bits > 0) {
                    entries.add(o, offset, code[end + 3]);
                    offset += bits / 8;
                } else if (o == BYTES) {
                    entries.add(o, offset, code[end + 1]);
                    offset += code[end + 1];
                } else if (o == ARRS && primitiveArrayAt(code, end) && code[end + 1] <= UNROLL_ELEMENTS
                        && target[end / STRIDE + 1] == 1 && target[code[end + 2] / STRIDE] == 1) {
                    int count = code[end + 1];
                    int el = code[end + STRIDE];
                    int size = fixedOpBits(el) / 8;
                    entries.add(ARRS, offset, count);
                    for (int k = 0; k < count; k++) {
                        entries.add(el, offset, 0);
                        offset += size;
                    }
                    ownTarget = code[end + 2];
                    end = ownTarget;
                    continue;
                } else {
                    break;
                }
                if (offset > (1 << 20)) {
                    break;
                }
                end += STRIDE;
            }
            if (entries.size() >= 2 * FIXED_STRIDE) {
                x[pc] = FIX;
                x[pc + 1] = runList.size();
                x[pc + 2] = end;
                x[pc + 3] = offset;
                runList.add(entries.toArray());
                pc = end - STRIDE;
                continue;
            }
            if (primitiveArrayAt(code, pc)) {
                x[pc] = code[pc] == ARRS ? ARRPS : ARRPD;
            }
        }
        return x;
    }

    private static boolean isSimple(int[] exec, int[][] dense) {
        for (int pc = 0; pc < exec.length; pc += STRIDE) {
            int op = exec[pc];
            boolean ok = switch (op) {
                case END, ALIGN, U8, S8, U16L, S16L, U16B, S16B, U32L, S32L, U32B, S32B, U64L, U64B, BITSLE, BYTES,
                        DBYTES, JMP, MARKLOG, SAVE, CLOCK -> true;
                case FIX -> {
                    pc = exec[pc + 2] - STRIDE; // what the run stands for (reads, unrolled arrays) is not run
                    yield true;
                }
                case STRNT -> exec[pc + 1] == 1;
                case VAR -> true;
                case ARRPS, ARRPD -> {
                    pc = exec[pc + 2] - STRIDE; // the element and ARREND are run by the superinstruction
                    yield true;
                }
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unrolls a program of byte-aligned fixed-size fields (see {@link #fixed}), simulating it from bit 0; null when
     * it has anything else (bit fields, dynamic lengths, strings, variants, side effects) or is too long.
     * {@code out} receives the start alignment it assumes, the bits read and the number of log entries.
     */
    private static int[] fixedLayout(int[] code, long[] out) {
        IntStack entries = new IntStack();
        IntStack loops = new IntStack();
        long pos = 0;
        long align = 8;
        int values = 0;
        int pc = 0;
        int steps = 0;
        while (true) {
            if (++steps > FIXED_LIMIT * 4) {
                return null; // e.g. long arrays of elements that log nothing
            }
            int op = code[pc];
            switch (op) {
                case END -> {
                    out[0] = align;
                    out[1] = pos;
                    out[2] = values;
                    return entries.toArray();
                }
                case ALIGN -> {
                    long a = code[pc + 1];
                    align = Math.max(align, a);
                    pos = (pos + a - 1) & -a;
                }
                case U8, S8, U16L, S16L, U16B, S16B, U32L, S32L, U32B, S32B, U64L, U64B -> {
                    if (code[pc + 3] != 0 || (pos & 7) != 0) {
                        return null;
                    }
                    entries.add(op, (int) (pos >>> 3), 0);
                    values++;
                    pos += switch (op) {
                        case U8, S8 -> 8;
                        case U16L, S16L, U16B, S16B -> 16;
                        case U32L, S32L, U32B, S32B -> 32;
                        default -> 64;
                    };
                }
                case BYTES -> {
                    if ((pos & 7) != 0) {
                        return null;
                    }
                    entries.add(op, (int) (pos >>> 3), code[pc + 1]);
                    values++;
                    pos += code[pc + 1] * 8L;
                }
                case ARRS -> {
                    int count = code[pc + 1];
                    entries.add(op, 0, count);
                    values++;
                    if (count == 0) {
                        pc = code[pc + 2];
                        continue;
                    }
                    loops.add(count);
                }
                case ARREND -> {
                    int top = loops.size() - 1;
                    if (loops.decrementAt(top) > 0) {
                        pc = code[pc + 1];
                        continue;
                    }
                    loops.pop();
                }
                case MARKLOG -> entries.add(op, code[pc + 1], code[pc + 2]);
                case JMP -> {
                    pc = code[pc + 1];
                    continue;
                }
                default -> {
                    return null;
                }
            }
            if (entries.size() > FIXED_LIMIT * FIXED_STRIDE || pos > Integer.MAX_VALUE) {
                return null;
            }
            pc += STRIDE;
        }
    }

    /** A small growable int stack. */
    private static final class IntStack {
        private int[] a = new int[48];
        private int n;

        void add(int x) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        void add(int x, int y, int z) {
            add(x);
            add(y);
            add(z);
        }

        int decrementAt(int i) {
            return --a[i];
        }

        void pop() {
            n--;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private static boolean disjoint(long[] r, boolean signed) {
        if (r.length > 3 * 64) {
            return false; // quadratic check: large tables keep the full scan
        }
        for (int i = 0; i < r.length; i += 3) {
            for (int j = i + 3; j < r.length; j += 3) {
                if (r[i + 2] == r[j + 2]) {
                    continue;
                }
                boolean apart = signed ? r[i + 1] < r[j] || r[j + 1] < r[i]
                        : Long.compareUnsigned(r[i + 1], r[j]) < 0 || Long.compareUnsigned(r[j + 1], r[i]) < 0;
                if (!apart) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int[] denseTable(long[] r, boolean signed) {
        if (signed) {
            return null;
        }
        long max = 0;
        for (int i = 0; i < r.length; i += 3) {
            if (r[i + 1] < 0 || r[i + 1] > 1023) {
                return null;
            }
            max = Math.max(max, r[i + 1]);
        }
        int[] d = new int[(int) max + 1];
        java.util.Arrays.fill(d, -1);
        for (int i = 0; i < r.length; i += 3) {
            for (long v = Math.max(0, r[i]); v <= r[i + 1]; v++) {
                int o = (int) r[i + 2];
                int cur = d[(int) v];
                d[(int) v] = cur == -1 ? o : cur == o ? o : -2;
            }
        }
        return d;
    }

    /**
     * One program running {@code parts} in order (null parts are skipped). {@code staticStarts[k]} is the log
     * index of part k relative to the start when it is known (else -1): only parts with an unknown start record
     * the log size in {@code marks[k]}; on return, absent parts have {@link Integer#MIN_VALUE}.
     */
    static Program fuse(int[] staticStarts, Program... parts) {
        Compiler.IntList code = new Compiler.IntList();
        java.util.List<long[]> rs = new java.util.ArrayList<>();
        java.util.List<Boolean> sg = new java.util.ArrayList<>();
        java.util.List<int[]> pcs = new java.util.ArrayList<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < parts.length; k++) {
            Program p = parts[k];
            if (p == null) {
                staticStarts[k] = Integer.MIN_VALUE;
                continue;
            }
            if (staticStarts[k] < 0) {
                code.add(MARKLOG);
                code.add(k);
                code.add(0);
                code.add(0);
            }
            int base = code.size();
            int tbase = rs.size();
            for (int pc = 0; pc < p.code.length; pc += STRIDE) {
                int op = p.code[pc];
                int a = p.code[pc + 1];
                int b = p.code[pc + 2];
                int c = p.code[pc + 3];
                if (op == END) {
                    if (pc == p.code.length - STRIDE) {
                        continue; // the part's last instruction: fall into the next part
                    }
                    op = JMP; // an early END (from a jump to END): go to the next part
                    a = p.code.length - STRIDE;
                }
                switch (op) {
                    case ARRS, ARRD -> b += base;
                    case ARREND, JMP -> a += base;
                    case OPT -> {
                        c += base;
                        if (b >= 0) {
                            b += tbase;
                        }
                    }
                    case VAR -> b += tbase;
                    default -> { }
                }
                code.add(op);
                code.add(a);
                code.add(b);
                code.add(c);
            }
            for (int t = 0; t < p.ranges.length; t++) {
                rs.add(p.ranges[t]);
                sg.add(p.signedSel[t]);
                int[] o = p.optionPcs[t].clone();
                for (int i = 0; i < o.length; i++) {
                    o[i] += base;
                }
                pcs.add(o);
                names.add(p.tableNames[t]);
            }
        }
        code.add(END);
        code.add(0);
        code.add(0);
        code.add(0);
        boolean[] s = new boolean[sg.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = sg.get(i);
        }
        return new Program(null, null, code.toArray(), rs.toArray(new long[0][]), s, pcs.toArray(new int[0][]),
                names.toArray(new String[0]), new int[0], new boolean[Compiler.MEANING_SLOTS],
                new boolean[Compiler.MEANING_SLOTS]);
    }

    /** A readable listing, for debugging and tests. */
    String disassemble() {
        StringBuilder sb = new StringBuilder();
        String[] names = {"END", "ALIGN", "U8", "S8", "U16L", "S16L", "U16B", "S16B", "U32L", "S32L", "U32B",
            "S32B", "U64L", "U64B", "BITS", "VLU", "VLS", "SAVE", "CLOCK", "MARKPOS", "STRNT", "BYTES", "DBYTES",
            "ARRS", "ARRD", "ARREND", "ARR0", "VAR", "OPT", "JMP", "MARKLOG", "BITSLE", "FIX", "ARRPS", "ARRPD"};
        for (int pc = 0; pc < code.length; pc += STRIDE) {
            sb.append(pc).append(": ").append(names[code[pc]]).append(' ').append(code[pc + 1]).append(' ')
                    .append(code[pc + 2]).append(' ').append(code[pc + 3]).append('\n');
        }
        return sb.toString();
    }
}

package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs {@link Program}s over the bytes of one packet. All state lives in reused arrays: running a program
 * allocates nothing unless the value log must grow.
 *
 * <p>Positions are bit offsets from the packet's first byte (CTF alignment is relative to the packet start).
 * {@link #end} is the packet's content end: reading past it is an error.
 */
final class Machine {
    /** Array element counts above this are refused when elements may take no bits (no progress guarantee). */
    private static final long MAX_EMPTY_ELEMENTS = 1L << 24;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    ByteBuffer buf;
    /** The array behind {@link #buf} when it has one (else null), and the array index of buffer index 0. */
    byte[] arr;
    int arrBase;
    /** Byte capacity of {@link #buf} (fast multi-byte reads only below it). */
    int cap;
    long end;
    long pos;
    long[] log = new long[256];
    int n;
    final long[] slots;
    /** The stream's default clock value (raw cycles). */
    long clock;
    /** Byte order of the last bit-packed field: 0 little, 1 big, -1 none. */
    int lastBo = -1;
    /** Log sizes recorded by {@link Program#MARKLOG}. */
    final int[] marks = new int[8];
    private long[] stack = new long[16];
    private int sp;
    Path file;
    /** Byte offset of the packet in {@link #file}, for messages. */
    long packetOffset;

    Machine(int slotCount) {
        this.slots = new long[slotCount];
    }

    /** Points the machine at a packet: {@code buf} index 0 is its first byte; {@code contentBits} its end. */
    void setPacket(ByteBuffer packet, Path file, long packetOffset, long contentBits) {
        this.buf = packet.order(ByteOrder.LITTLE_ENDIAN);
        if (packet.hasArray()) {
            this.arr = packet.array();
            this.arrBase = packet.arrayOffset();
        } else {
            this.arr = null;
        }
        this.cap = packet.limit();
        this.file = file;
        this.packetOffset = packetOffset;
        this.end = contentBits;
        this.pos = 0;
        this.lastBo = -1;
    }

    CtfException error(long bitPos, String what) {
        return CtfException.atBit(file, packetOffset * 8 + bitPos, what);
    }

    CtfException beyond(long p, long bits) {
        long remaining = Math.max(0, end - p);
        return error(p, "cannot read " + bits + " bits: beyond the packet content (" + remaining
                + " bits remaining)");
    }

    private static long[] grow(long[] a, int need) {
        return Arrays.copyOf(a, Math.max(a.length * 2, need + 16));
    }

    /**
     * Runs {@code p}, appending values to the log from index {@link #n}: its generated code ({@link Jit}) once it
     * has run often enough to have one, else the small interpreter (simple programs) or the general one.
     */
    void run(Program p) {
        if (arr == null) {
            runGeneral(p, p.code);
        } else if (p.simple) {
            Jit j = p.jit();
            if (j != null) {
                j.run(this, p);
            } else {
                runSimple(p);
            }
        } else {
            runGeneral(p, p.exec);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers of the generated code (Jit): each does what the small interpreter does for one instruction, with the
    // same errors.

    /** {@code log} with room for {@code need} more entries after {@code n}. */
    static long[] room(long[] log, int n, int need) {
        return n + need >= log.length ? grow(log, n + need) : log;
    }

    CtfException alignError(long pos, long al) {
        return error(pos, "cannot align to " + al + " bits: beyond the packet content (" + (end - pos)
                + " bits remaining)");
    }

    CtfException fixError(Program p, int run, long pos) {
        return beyondRun(p.runs[run], pos);
    }

    /**
     * Whole units of {@code unit} bytes in {@code bits} (not negative): {@code bits / 8 / unit}, with a shift for the
     * usual units (1, 2, 4 or 8 bytes) instead of a 64-bit division.
     */
    static long unitsLeft(long bits, long unit) {
        return (unit & (unit - 1)) == 0 ? bits >> (3 + Long.numberOfTrailingZeros(unit)) : bits / 8 / unit;
    }

    /** A little-endian unsigned bit field of {@code len} bits at {@code pos} (BITSLE). */
    long leBits(long pos, int len) {
        if (pos + len > end) {
            throw beyond(pos, len);
        }
        if ((pos & 7) != 0 && lastBo == 1) {
            throw error(pos, "byte order changes within a byte");
        }
        int i = (int) (pos >>> 3);
        int sh = (int) (pos & 7);
        long v;
        if (sh + len <= 64 && i + 8 <= cap) {
            v = (long) LONG_LE.get(arr, arrBase + i) >>> sh;
            if (len < 64) {
                v &= (1L << len) - 1;
            }
        } else {
            v = readBits(buf, pos, len, false);
        }
        lastBo = 0;
        return v;
    }

    /** The log entry of a null-terminated string of 8-bit units at {@code pos} (STRNT). */
    long strnt(long pos) {
        int start = (int) (pos >>> 3);
        int z = findNul(arr, arrBase, start, (int) (end >>> 3));
        if (z < 0) {
            throw error(pos, "null-terminated string goes beyond the packet content");
        }
        return (long) start << 32 | (z - start);
    }

    /** The log entry of a text or BLOB of slots[slot] * unit bytes at {@code pos} (DBYTES). */
    long dbytes(long pos, int slot, int unit) {
        long len = slots[slot];
        if (len < 0 || len > unitsLeft(end - pos, unit)) {
            throw error(pos, "length " + Long.toUnsignedString(len) + " goes beyond the packet content ("
                    + (end - pos) + " bits remaining)");
        }
        return (pos >>> 3) << 32 | len * unit;
    }

    /** The option a variant selects (VAR). */
    int var(Program p, int t, int slot, long pos) {
        long sel = slots[slot];
        int[] d = p.dense[t];
        int opt = d != null ? (sel >= 0 && sel < d.length ? d[(int) sel] : -1) : select(p, t, sel);
        if (opt < 0) {
            throw badSelector(p, t, sel, opt, pos);
        }
        return opt;
    }

    static long rU8(byte[] a, int o) {
        return a[o] & 0xffL;
    }

    static long rS8(byte[] a, int o) {
        return a[o];
    }

    /*
     * The little-endian reads below (those of the generated code, per field) through sun.misc.Unsafe where it is
     * there without warnings (Java 17 to 22; Java 24 warns when its memory access methods are called) on a
     * little-endian machine that loads unaligned words: after the same bounds check as the byte array views
     * (Objects.checkIndex, an intrinsic), one load. Same machine code as the views once C2 has compiled them, but the
     * views are a chain of eight methods that C1 does not inline to the end (a call per field in the code that runs
     * until C2 is done) and that C2 compiles again in every generated method: `print -o dummy` of 2 M and 10 M UST
     * events took 4-8% less CPU (A/B, pinned to one core). Elsewhere the views.
     */
    private static final sun.misc.Unsafe U = unsafe();
    private static final long BYTES_BASE = U != null ? U.arrayBaseOffset(byte[].class) : 0;

    private static sun.misc.Unsafe unsafe() {
        String arch = System.getProperty("os.arch", "");
        if (Runtime.version().feature() > 22 || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN
                || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return null;
        }
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            return u.arrayIndexScale(byte[].class) == 1 ? u : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    static long rU16L(byte[] a, int o) {
        if (U != null) {
            java.util.Objects.checkIndex(o, a.length - 1);
            return U.getShort(a, BYTES_BASE + o) & 0xffffL;
        }
        return (short) SHORT_LE.get(a, o) & 0xffffL;
    }

    static long rS16L(byte[] a, int o) {
        if (U != null) {
            java.util.Objects.checkIndex(o, a.length - 1);
            return U.getShort(a, BYTES_BASE + o);
        }
        return (short) SHORT_LE.get(a, o);
    }

    static long rU16B(byte[] a, int o) {
        return (short) SHORT_BE.get(a, o) & 0xffffL;
    }

    static long rS16B(byte[] a, int o) {
        return (short) SHORT_BE.get(a, o);
    }

    static long rU32L(byte[] a, int o) {
        if (U != null) {
            java.util.Objects.checkIndex(o, a.length - 3);
            return U.getInt(a, BYTES_BASE + o) & 0xffffffffL;
        }
        return (int) INT_LE.get(a, o) & 0xffffffffL;
    }

    static long rS32L(byte[] a, int o) {
        if (U != null) {
            java.util.Objects.checkIndex(o, a.length - 3);
            return U.getInt(a, BYTES_BASE + o);
        }
        return (int) INT_LE.get(a, o);
    }

    static long rU32B(byte[] a, int o) {
        return (int) INT_BE.get(a, o) & 0xffffffffL;
    }

    static long rS32B(byte[] a, int o) {
        return (int) INT_BE.get(a, o);
    }

    static long rU64L(byte[] a, int o) {
        if (U != null) {
            java.util.Objects.checkIndex(o, a.length - 7);
            return U.getLong(a, BYTES_BASE + o);
        }
        return (long) LONG_LE.get(a, o);
    }

    static long rU64B(byte[] a, int o) {
        return (long) LONG_BE.get(a, o);
    }

    /**
     * Runs an event header program: its {@link Program#headShape} fast path when the id selects the fast option
     * and everything fits (same log, slots, clock and byte-order state as {@link #run}), else {@link #run}. The fast
     * path is the header's generated code ({@link Jit#header}) once made (after {@link Jit#THRESHOLD} runs).
     */
    void runHeader(Program p) {
        // kept small, to be inlined into the cursor's event decoding
        Jit h = p.headJit;
        if (h != null) {
            h.run(this, p);
        } else {
            runHeaderShape(p);
        }
    }

    /** The option of the header's variant for id {@code id} (-1 when none), for {@link Jit#header}'s code. */
    int headOption(Program p, long id) {
        int t = p.headTable;
        int[] d = p.dense[t];
        return d != null ? (id >= 0 && id < d.length ? d[(int) id] : -1) : select(p, t, id);
    }

    /** {@link #runHeader} before (or without) generated code: the shape's fast path here, else {@link #run}. */
    private void runHeaderShape(Program p) {
        if (p.headUses >= 0) {
            p.countHeaderRun();
        }
        final byte[] a = arr;
        final long pos = this.pos;
        int n = this.n;
        if (p.headShape && a != null && (pos & (p.headAlign - 1)) == 0 && n + 3 < log.length) {
            int len1 = p.headLen1;
            int len2 = p.headLen2;
            long pos2 = pos + len1;
            int i1 = (int) (pos >>> 3);
            int i2 = (int) (pos2 >>> 3);
            int sh1 = (int) (pos & 7);
            int sh2 = (int) (pos2 & 7);
            if (pos2 + len2 <= end && i2 + 8 <= cap && sh1 + len1 <= 64 && sh2 + len2 <= 64
                    && (sh1 == 0 || lastBo != 1)) {
                long id = (long) LONG_LE.get(a, arrBase + i1) >>> sh1;
                if (len1 < 64) {
                    id &= (1L << len1) - 1;
                }
                int t = p.headTable;
                boolean fast;
                if (p.headRange) {
                    fast = Long.compareUnsigned(id - p.headLo, p.headHi - p.headLo) <= 0;
                } else {
                    int[] d = p.dense[t];
                    fast = (d != null ? (id >= 0 && id < d.length ? d[(int) id] : -1) : select(p, t, id))
                            == p.headOption;
                }
                if (fast) {
                    long ts = (long) LONG_LE.get(a, arrBase + i2) >>> sh2;
                    if (len2 < 64) {
                        ts &= (1L << len2) - 1;
                    }
                    long[] log = this.log;
                    log[n] = id;
                    log[n + 1] = p.headOption;
                    log[n + 2] = ts;
                    this.n = n + 3;
                    effects(id, p.headFx1);
                    if (p.headFx2 != 0) {
                        effects(ts, p.headFx2);
                    }
                    if (p.headBitField) {
                        lastBo = 0;
                    }
                    this.pos = pos2 + len2;
                    return;
                }
            }
        }
        run(p);
    }

    /**
     * The small interpreter: runs {@link Program#simple} programs over {@link #arr} (the common instructions and
     * the superinstructions; what it lacks makes a program not simple). Same log, slots and errors as
     * {@link #runGeneral}.
     */
    private void runSimple(Program p) {
        final int[] code = p.exec;
        final byte[] a = arr;
        final int ab = arrBase;
        final long end = this.end;
        long pos = this.pos;
        long[] log = this.log;
        int n = this.n;
        int pc = 0;
        if (n + p.maxOps >= log.length) {
            log = grow(log, n + p.maxOps);
        }
        try {
            while (true) {
                int op = code[pc];
                if (op >= Program.U8 && op <= Program.U64B) {
                    int bits = Program.fixedOpBits(op);
                    if (pos + bits > end) {
                        throw beyond(pos, bits);
                    }
                    long v = readFixed(a, ab + (int) (pos >>> 3), op);
                    log[n++] = v;
                    pos += bits;
                    if (code[pc + 3] != 0) {
                        effects(v, code[pc + 3]);
                    }
                    pc += Program.STRIDE;
                    continue;
                }
                switch (op) {
                    case Program.END:
                        return;
                    case Program.FIX: {
                        long bits = (long) code[pc + 3] << 3;
                        if (pos + bits > end) {
                            throw beyondRun(p.runs[code[pc + 1]], pos);
                        }
                        this.log = log;
                        this.n = n;
                        fixedRun(p.runs[code[pc + 1]], (int) (pos >>> 3));
                        log = this.log;
                        n = this.n;
                        pos += bits;
                        pc = code[pc + 2];
                        continue;
                    }
                    case Program.ARRPS:
                    case Program.ARRPD: {
                        this.log = log;
                        this.n = n;
                        this.pos = pos;
                        pc = primitiveArray(code, pc);
                        log = this.log;
                        n = this.n;
                        pos = this.pos;
                        if (n + p.maxOps >= log.length) {
                            log = grow(log, n + p.maxOps);
                        }
                        continue;
                    }
                    case Program.ALIGN: {
                        long al = code[pc + 1];
                        long np = (pos + al - 1) & -al;
                        if (np > end) {
                            throw error(pos, "cannot align to " + al + " bits: beyond the packet content ("
                                    + (end - pos) + " bits remaining)");
                        }
                        pos = np;
                        break;
                    }
                    case Program.BITSLE: {
                        int len = code[pc + 1];
                        if (pos + len > end) {
                            throw beyond(pos, len);
                        }
                        if ((pos & 7) != 0 && lastBo == 1) {
                            throw error(pos, "byte order changes within a byte");
                        }
                        int i = (int) (pos >>> 3);
                        int sh = (int) (pos & 7);
                        long v;
                        if (sh + len <= 64 && i + 8 <= cap) {
                            v = (long) LONG_LE.get(a, ab + i) >>> sh;
                            if (len < 64) {
                                v &= (1L << len) - 1;
                            }
                        } else {
                            v = readBits(buf, pos, len, false);
                        }
                        log[n++] = v;
                        pos += len;
                        lastBo = 0;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        break;
                    }
                    case Program.STRNT: {
                        int start = (int) (pos >>> 3);
                        int z = findNul(a, ab, start, (int) (end >>> 3));
                        if (z < 0) {
                            throw error(pos, "null-terminated string goes beyond the packet content");
                        }
                        log[n++] = (long) start << 32 | (z - start);
                        pos = (long) (z + 1) << 3;
                        break;
                    }
                    case Program.BYTES: {
                        long len = code[pc + 1];
                        if (pos + len * 8 > end) {
                            throw beyond(pos, len * 8);
                        }
                        log[n++] = (pos >>> 3) << 32 | len;
                        pos += len * 8;
                        break;
                    }
                    case Program.DBYTES: {
                        long len = slots[code[pc + 1]];
                        long unit = code[pc + 2];
                        if (len < 0 || len > unitsLeft(end - pos, unit)) {
                            throw error(pos, "length " + Long.toUnsignedString(len)
                                    + " goes beyond the packet content (" + (end - pos) + " bits remaining)");
                        }
                        len *= unit;
                        log[n++] = (pos >>> 3) << 32 | len;
                        pos += len * 8;
                        break;
                    }
                    case Program.VAR: {
                        int t = code[pc + 2];
                        long sel = slots[code[pc + 1]];
                        int[] d = p.dense[t];
                        int opt = d != null ? (sel >= 0 && sel < d.length ? d[(int) sel] : -1) : select(p, t, sel);
                        if (opt < 0) {
                            throw badSelector(p, t, sel, opt, pos);
                        }
                        log[n++] = opt;
                        pc = p.optionPcs[t][opt];
                        continue;
                    }
                    case Program.JMP:
                        pc = code[pc + 1];
                        continue;
                    case Program.MARKLOG:
                        marks[code[pc + 1]] = code[pc + 2] != 0 ? -1 : n;
                        break;
                    case Program.SAVE:
                        slots[code[pc + 1]] = log[n - 1];
                        break;
                    case Program.CLOCK:
                        updateClock(log[n - 1], code[pc + 1]);
                        break;
                    default:
                        throw new IllegalStateException("bad opcode " + op);
                }
                pc += Program.STRIDE;
            }
        } finally {
            this.pos = pos;
            this.log = log;
            this.n = n;
        }
    }

    private CtfException badSelector(Program p, int t, long sel, int opt, long pos) {
        return error(pos, "variant selector '" + p.tableNames[t] + "' value "
                + (p.signedSel[t] ? Long.toString(sel) : Long.toUnsignedString(sel))
                + (opt == -2 ? " selects several options" : " selects no option"));
    }

    /** The value of a byte-aligned fixed-size read (U8..U64B) at array index {@code o}. */
    private static long readFixed(byte[] a, int o, int op) {
        return switch (op) {
            case Program.U8 -> a[o] & 0xffL;
            case Program.S8 -> a[o];
            case Program.U16L -> (short) SHORT_LE.get(a, o) & 0xffffL;
            case Program.S16L -> (short) SHORT_LE.get(a, o);
            case Program.U16B -> (short) SHORT_BE.get(a, o) & 0xffffL;
            case Program.S16B -> (short) SHORT_BE.get(a, o);
            case Program.U32L -> (int) INT_LE.get(a, o) & 0xffffffffL;
            case Program.S32L -> (int) INT_LE.get(a, o);
            case Program.U32B -> (int) INT_BE.get(a, o) & 0xffffffffL;
            case Program.S32B -> (int) INT_BE.get(a, o);
            case Program.U64L -> (long) LONG_LE.get(a, o);
            default -> (long) LONG_BE.get(a, o);
        };
    }

    /**
     * Runs a FIX superinstruction's reads from byte {@code start} of the packet (bounds checked by the caller),
     * appending to {@link #log} from {@link #n}.
     */
    private void fixedRun(int[] f, int start) {
        final byte[] a = arr;
        final int base = arrBase + start;
        long[] log = this.log;
        int n = this.n;
        if (n + f.length / Program.FIXED_STRIDE >= log.length) {
            log = grow(log, n + f.length / Program.FIXED_STRIDE);
        }
        for (int k = 0; k < f.length; k += Program.FIXED_STRIDE) {
            int op = f[k];
            long v;
            if (op == Program.BYTES) {
                v = (long) (start + f[k + 1]) << 32 | f[k + 2];
            } else if (op == Program.ARRS) {
                v = f[k + 2];
            } else {
                v = readFixed(a, base + f[k + 1], op);
                if (f[k + 2] != 0) {
                    effects(v, f[k + 2]);
                }
            }
            log[n++] = v;
        }
        this.log = log;
        this.n = n;
    }

    /** Reads {@code c} consecutive elements of opcode {@code op} from array index {@code o} into log[n...]. */
    private static void readElements(byte[] a, int o, int op, long[] log, int n, int c) {
        switch (op) {
            case Program.U8 -> aU8(a, o, log, n, c);
            case Program.S8 -> aS8(a, o, log, n, c);
            case Program.U16L -> aU16L(a, o, log, n, c);
            case Program.S16L -> aS16L(a, o, log, n, c);
            case Program.U16B -> aU16B(a, o, log, n, c);
            case Program.S16B -> aS16B(a, o, log, n, c);
            case Program.U32L -> aU32L(a, o, log, n, c);
            case Program.S32L -> aS32L(a, o, log, n, c);
            case Program.U32B -> aU32B(a, o, log, n, c);
            case Program.S32B -> aS32B(a, o, log, n, c);
            case Program.U64L -> aU64L(a, o, log, n, c);
            default -> aU64B(a, o, log, n, c);
        }
    }

    // Array element loops, one per element opcode (small: the generated code and readElements inline them).

    /** {@code c} elements ({@link Program#U8}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU8(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = a[o + k] & 0xffL;
        }
    }

    /** {@code c} elements ({@link Program#S8}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aS8(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = a[o + k];
        }
    }

    /** {@code c} elements ({@link Program#U16L}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU16L(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (short) SHORT_LE.get(a, o + 2 * k) & 0xffffL;
        }
    }

    /** {@code c} elements ({@link Program#S16L}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aS16L(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (short) SHORT_LE.get(a, o + 2 * k);
        }
    }

    /** {@code c} elements ({@link Program#U16B}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU16B(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (short) SHORT_BE.get(a, o + 2 * k) & 0xffffL;
        }
    }

    /** {@code c} elements ({@link Program#S16B}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aS16B(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (short) SHORT_BE.get(a, o + 2 * k);
        }
    }

    /** {@code c} elements ({@link Program#U32L}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU32L(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (int) INT_LE.get(a, o + 4 * k) & 0xffffffffL;
        }
    }

    /** {@code c} elements ({@link Program#S32L}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aS32L(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (int) INT_LE.get(a, o + 4 * k);
        }
    }

    /** {@code c} elements ({@link Program#U32B}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU32B(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (int) INT_BE.get(a, o + 4 * k) & 0xffffffffL;
        }
    }

    /** {@code c} elements ({@link Program#S32B}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aS32B(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (int) INT_BE.get(a, o + 4 * k);
        }
    }

    /** {@code c} elements ({@link Program#U64L}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU64L(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (long) LONG_LE.get(a, o + 8 * k);
        }
    }

    /** {@code c} elements ({@link Program#U64B}) from array index {@code o} into {@code log[n, n + c)}. */
    static void aU64B(byte[] a, int o, long[] log, int n, int c) {
        for (int k = 0; k < c; k++) {
            log[n + k] = (long) LONG_BE.get(a, o + 8 * k);
        }
    }

    /** The error of an array (ARRPS / ARRPD) whose {@code count} elements do not fit after {@code pos}. */
    CtfException arrayError(long pos, long count) {
        return error(pos, "array length " + Long.toUnsignedString(count)
                + " goes beyond the packet content (" + (end - pos) + " bits remaining)");
    }

    /** The error of the first read of a run that does not fit before the content end (run starting at bit pos). */
    CtfException beyondRun(int[] f, long pos) {
        for (int k = 0; k < f.length; k += Program.FIXED_STRIDE) {
            long at = pos + f[k + 1] * 8L;
            if (f[k] == Program.ARRS) {
                // an unrolled static array: its length is checked first, as the plain array instruction does
                int count = f[k + 2];
                if (count > 0 && at + (long) count * Program.fixedOpBits(f[k + Program.FIXED_STRIDE]) > end) {
                    return arrayError(at, count);
                }
                continue;
            }
            long bits = f[k] == Program.BYTES ? f[k + 2] * 8L : Program.fixedOpBits(f[k]);
            if (at + bits > end) {
                return beyond(at, bits);
            }
        }
        throw new IllegalStateException("run fits");
    }

    /**
     * Runs an ARRPS / ARRPD superinstruction at {@code pc} from {@link #pos} (as the ARRS / ARRD loop it stands for
     * would), returns the pc after the array.
     */
    int primitiveArray(int[] code, int pc) {
        long count = code[pc] == Program.ARRPS ? code[pc + 1] : slots[code[pc + 1]];
        int op = code[pc + Program.STRIDE];
        int bits = Program.fixedOpBits(op);
        long pos = this.pos;
        if (count < 0 || count > (end - pos) >> Integer.numberOfTrailingZeros(bits)) { // bits: 8, 16, 32 or 64
            throw arrayError(pos, count);
        }
        int c = (int) count;
        long[] log = this.log;
        int n = this.n;
        if (n + c + 1 + Program.STRIDE >= log.length) {
            log = grow(log, n + c + 1 + Program.STRIDE);
        }
        log[n++] = count;
        readElements(arr, arrBase + (int) (pos >>> 3), op, log, n, c);
        n += c;
        this.log = log;
        this.n = n;
        this.pos = pos + (long) c * bits;
        return code[pc + 2];
    }

    /** Runs {@code code} ({@link Program#code} or {@link Program#exec}) of {@code p}. */
    private void runGeneral(Program p, int[] code) {
        final ByteBuffer b = buf;
        final long end = this.end;
        long pos = this.pos;
        long[] log = this.log;
        int n = this.n;
        int pc = 0;
        final int room = p.maxOps;
        final int cap = this.cap;
        int lastBo = this.lastBo;
        // Array iterations allowed: linear in the bits left, so that elements taking no bits (possible with
        // optionals, variants or empty dynamic arrays) cannot make hostile data loop for ages.
        long work = ((end - pos) << 2) + (1 << 20);
        sp = 0;
        if (n + room >= log.length) {
            log = grow(log, n + room);
        }
        try {
            while (true) {
                switch (code[pc]) {
                    case Program.END:
                        return;
                    case Program.ALIGN: {
                        long a = code[pc + 1];
                        long np = (pos + a - 1) & -a;
                        if (np > end) {
                            throw error(pos, "cannot align to " + a + " bits: beyond the packet content ("
                                    + (end - pos) + " bits remaining)");
                        }
                        pos = np;
                        break;
                    }
                    case Program.U8: {
                        if (pos + 8 > end) {
                            throw beyond(pos, 8);
                        }
                        long v = b.get((int) (pos >>> 3)) & 0xffL;
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 8;
                        break;
                    }
                    case Program.S8: {
                        if (pos + 8 > end) {
                            throw beyond(pos, 8);
                        }
                        long v = b.get((int) (pos >>> 3));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 8;
                        break;
                    }
                    case Program.U16L: {
                        if (pos + 16 > end) {
                            throw beyond(pos, 16);
                        }
                        long v = b.getShort((int) (pos >>> 3)) & 0xffffL;
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 16;
                        break;
                    }
                    case Program.S16L: {
                        if (pos + 16 > end) {
                            throw beyond(pos, 16);
                        }
                        long v = b.getShort((int) (pos >>> 3));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 16;
                        break;
                    }
                    case Program.U16B: {
                        if (pos + 16 > end) {
                            throw beyond(pos, 16);
                        }
                        long v = Short.reverseBytes(b.getShort((int) (pos >>> 3))) & 0xffffL;
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 16;
                        break;
                    }
                    case Program.S16B: {
                        if (pos + 16 > end) {
                            throw beyond(pos, 16);
                        }
                        long v = Short.reverseBytes(b.getShort((int) (pos >>> 3)));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 16;
                        break;
                    }
                    case Program.U32L: {
                        if (pos + 32 > end) {
                            throw beyond(pos, 32);
                        }
                        long v = b.getInt((int) (pos >>> 3)) & 0xffffffffL;
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 32;
                        break;
                    }
                    case Program.S32L: {
                        if (pos + 32 > end) {
                            throw beyond(pos, 32);
                        }
                        long v = b.getInt((int) (pos >>> 3));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 32;
                        break;
                    }
                    case Program.U32B: {
                        if (pos + 32 > end) {
                            throw beyond(pos, 32);
                        }
                        long v = Integer.reverseBytes(b.getInt((int) (pos >>> 3))) & 0xffffffffL;
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 32;
                        break;
                    }
                    case Program.S32B: {
                        if (pos + 32 > end) {
                            throw beyond(pos, 32);
                        }
                        long v = Integer.reverseBytes(b.getInt((int) (pos >>> 3)));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 32;
                        break;
                    }
                    case Program.U64L: {
                        if (pos + 64 > end) {
                            throw beyond(pos, 64);
                        }
                        long v = b.getLong((int) (pos >>> 3));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 64;
                        break;
                    }
                    case Program.U64B: {
                        if (pos + 64 > end) {
                            throw beyond(pos, 64);
                        }
                        long v = Long.reverseBytes(b.getLong((int) (pos >>> 3)));
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        pos += 64;
                        break;
                    }
                    case Program.BITSLE: {
                        int len = code[pc + 1];
                        if (pos + len > end) {
                            throw beyond(pos, len);
                        }
                        if ((pos & 7) != 0 && lastBo == 1) {
                            throw error(pos, "byte order changes within a byte");
                        }
                        int i = (int) (pos >>> 3);
                        int sh = (int) (pos & 7);
                        long v;
                        if (sh + len <= 64 && i + 8 <= cap) {
                            v = b.getLong(i) >>> sh;
                            if (len < 64) {
                                v &= (1L << len) - 1;
                            }
                        } else {
                            v = readBits(b, pos, len, false);
                        }
                        log[n++] = v;
                        pos += len;
                        lastBo = 0;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        break;
                    }
                    case Program.BITS: {
                        int len = code[pc + 1];
                        int flags = code[pc + 2];
                        if (pos + len > end) {
                            throw beyond(pos, len);
                        }
                        int bo = flags & Program.F_BE;
                        if ((pos & 7) != 0 && lastBo >= 0 && lastBo != bo) {
                            throw error(pos, "byte order changes within a byte");
                        }
                        long v = readBits(b, pos, len, bo != 0);
                        if ((flags & Program.F_REVERSE) != 0) {
                            v = Long.reverse(v) >>> (64 - len);
                        }
                        if ((flags & Program.F_SIGNED) != 0 && len < 64) {
                            v = v << (64 - len) >> (64 - len);
                        }
                        log[n++] = v;
                        pos += len;
                        lastBo = bo;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        break;
                    }
                    case Program.VLU:
                    case Program.VLS: {
                        long v = 0;
                        int shift = 0;
                        boolean signed = code[pc] == Program.VLS;
                        int x;
                        do {
                            if (pos + 8 > end) {
                                throw beyond(pos, 8);
                            }
                            x = b.get((int) (pos >>> 3)) & 0xff;
                            if (shift == 63) {
                                // The 10th byte holds bit 63 only (for a signed value, the sign copies too).
                                int extra = x & 0x7e;
                                boolean ok = signed ? extra == 0 && (x & 0x80) == 0 || extra == 0x7e && (x & 0x80) == 0
                                        : extra == 0 && (x & 0x80) == 0;
                                if (!ok) {
                                    throw error(pos, "variable-length integer does not fit 64 bits");
                                }
                            }
                            pos += 8;
                            v |= (long) (x & 0x7f) << shift;
                            shift += 7;
                        } while ((x & 0x80) != 0);
                        if (signed && shift < 64) {
                            v = v << (64 - shift) >> (64 - shift);
                        }
                        log[n++] = v;
                        if (code[pc + 3] != 0) {
                            effects(v, code[pc + 3]);
                        }
                        break;
                    }
                    case Program.SAVE:
                        slots[code[pc + 1]] = log[n - 1];
                        break;
                    case Program.CLOCK:
                        updateClock(log[n - 1], code[pc + 1]);
                        break;
                    case Program.MARKPOS:
                        slots[code[pc + 1]] = pos;
                        break;
                    case Program.STRNT: {
                        int unit = code[pc + 1];
                        int start = (int) (pos >>> 3);
                        int lim = (int) (end >>> 3);
                        int z = unit == 1 ? findNul(b, start, lim) : findNulUnit(b, start, lim, unit);
                        if (z < 0) {
                            throw error(pos, "null-terminated string goes beyond the packet content");
                        }
                        log[n++] = (long) start << 32 | (z - start);
                        pos = (long) (z + unit) << 3;
                        break;
                    }
                    case Program.BYTES: {
                        long len = code[pc + 1];
                        if (pos + len * 8 > end) {
                            throw beyond(pos, len * 8);
                        }
                        log[n++] = (pos >>> 3) << 32 | len;
                        pos += len * 8;
                        break;
                    }
                    case Program.DBYTES: {
                        long len = slots[code[pc + 1]];
                        long unit = code[pc + 2];
                        if (len < 0 || len > (end - pos) / 8 / unit) {
                            throw error(pos, "length " + Long.toUnsignedString(len)
                                    + " goes beyond the packet content (" + (end - pos) + " bits remaining)");
                        }
                        len *= unit;
                        log[n++] = (pos >>> 3) << 32 | len;
                        pos += len * 8;
                        break;
                    }
                    case Program.ARRS:
                    case Program.ARRD: {
                        long count = code[pc] == Program.ARRS ? code[pc + 1] : slots[code[pc + 1]];
                        long min = code[pc + 3];
                        if (count < 0 || (min > 0 ? count > (end - pos) / min : count > MAX_EMPTY_ELEMENTS)) {
                            throw error(pos, "array length " + Long.toUnsignedString(count)
                                    + " goes beyond the packet content (" + (end - pos) + " bits remaining)");
                        }
                        log[n++] = count;
                        if (count == 0) {
                            pc = code[pc + 2];
                            continue;
                        }
                        if (n + room >= log.length) {
                            log = grow(log, n + room);
                        }
                        if (sp == stack.length) {
                            stack = Arrays.copyOf(stack, sp * 2);
                        }
                        stack[sp++] = count;
                        break;
                    }
                    case Program.ARREND:
                        if (--work < 0) {
                            throw error(pos, "too many array elements for the size of the packet");
                        }
                        if (--stack[sp - 1] > 0) {
                            if (n + room >= log.length) {
                                log = grow(log, n + room);
                            }
                            pc = code[pc + 1];
                            continue;
                        }
                        sp--;
                        break;
                    case Program.ARR0: {
                        long count = code[pc + 1] >= 0 ? code[pc + 1] : slots[code[pc + 2]];
                        log[n++] = count;
                        long a = code[pc + 3];
                        if (count != 0 && a > 1) {
                            long np = (pos + a - 1) & -a;
                            if (np > end) {
                                throw error(pos, "cannot align to " + a + " bits: beyond the packet content");
                            }
                            pos = np;
                        }
                        break;
                    }
                    case Program.VAR: {
                        int t = code[pc + 2];
                        long sel = slots[code[pc + 1]];
                        int opt = select(p, t, sel);
                        if (opt < 0) {
                            throw badSelector(p, t, sel, opt, pos);
                        }
                        log[n++] = opt;
                        pc = p.optionPcs[t][opt];
                        continue;
                    }
                    case Program.OPT: {
                        int t = code[pc + 2];
                        long sel = slots[code[pc + 1]];
                        boolean present = t < 0 ? sel != 0 : select(p, t, sel) >= 0;
                        log[n++] = present ? 1 : 0;
                        if (!present) {
                            pc = code[pc + 3];
                            continue;
                        }
                        break;
                    }
                    case Program.JMP:
                        pc = code[pc + 1];
                        continue;
                    case Program.MARKLOG:
                        marks[code[pc + 1]] = code[pc + 2] != 0 ? -1 : n;
                        break;
                    case Program.FIX: {
                        long bits = (long) code[pc + 3] << 3;
                        if (pos + bits > end) {
                            throw beyondRun(p.runs[code[pc + 1]], pos);
                        }
                        this.log = log;
                        this.n = n;
                        fixedRun(p.runs[code[pc + 1]], (int) (pos >>> 3));
                        log = this.log;
                        n = this.n;
                        pos += bits;
                        pc = code[pc + 2];
                        continue;
                    }
                    case Program.ARRPS:
                    case Program.ARRPD: {
                        this.log = log;
                        this.n = n;
                        this.pos = pos;
                        pc = primitiveArray(code, pc);
                        log = this.log;
                        n = this.n;
                        pos = this.pos;
                        if (n + room >= log.length) {
                            log = grow(log, n + room);
                        }
                        continue;
                    }
                    default:
                        throw new IllegalStateException("bad opcode " + code[pc]);
                }
                pc += Program.STRIDE;
            }
        } finally {
            this.lastBo = lastBo;
            this.pos = pos;
            this.log = log;
            this.n = n;
        }
    }

    /**
     * Whether {@link #runFixed} can run {@code p} from bit {@code start}: the program has a fixed layout, the
     * start has its alignment and the packet bytes are in an array.
     */
    boolean canRunFixed(Program p, long start) {
        return p.fixed != null && arr != null && (start & (p.fixedAlign - 1)) == 0;
    }

    /**
     * Runs a program of byte-aligned fixed-size fields ({@link Program#fixed}) from bit {@code start}, which the
     * caller has checked with {@link #canRunFixed} and against the packet content end ({@code start +
     * p.fixedBits <= end}): one straight pass reading each value at its precomputed offset, no per-field checks.
     * Appends the same log entries as {@link #run}, leaves {@link #pos} after the fields.
     */
    void runFixed(Program p, long start) {
        final int[] f = p.fixed;
        final byte[] a = arr;
        final int base = arrBase + (int) (start >>> 3);
        final int rel = (int) (start >>> 3);
        long[] log = this.log;
        int n = this.n;
        if (n + p.fixedValues >= log.length) {
            log = grow(log, n + p.fixedValues);
        }
        for (int k = 0; k < f.length; k += Program.FIXED_STRIDE) {
            int o = base + f[k + 1];
            long v;
            switch (f[k]) {
                case Program.U8 -> v = a[o] & 0xffL;
                case Program.S8 -> v = a[o];
                case Program.U16L -> v = (short) SHORT_LE.get(a, o) & 0xffffL;
                case Program.S16L -> v = (short) SHORT_LE.get(a, o);
                case Program.U16B -> v = (short) SHORT_BE.get(a, o) & 0xffffL;
                case Program.S16B -> v = (short) SHORT_BE.get(a, o);
                case Program.U32L -> v = (int) INT_LE.get(a, o) & 0xffffffffL;
                case Program.S32L -> v = (int) INT_LE.get(a, o);
                case Program.U32B -> v = (int) INT_BE.get(a, o) & 0xffffffffL;
                case Program.S32B -> v = (int) INT_BE.get(a, o);
                case Program.U64L -> v = (long) LONG_LE.get(a, o);
                case Program.U64B -> v = (long) LONG_BE.get(a, o);
                case Program.BYTES -> v = (long) (rel + f[k + 1]) << 32 | f[k + 2];
                case Program.ARRS -> v = f[k + 2];
                case Program.MARKLOG -> {
                    marks[f[k + 1]] = f[k + 2] != 0 ? -1 : n;
                    continue;
                }
                default -> throw new IllegalStateException("bad fixed entry " + f[k]);
            }
            log[n++] = v;
        }
        this.log = log;
        this.n = n;
        this.pos = start + p.fixedBits;
    }

    /** Option index for a selector value: -1 none, -2 ambiguous (several different options). */
    private static int select(Program p, int t, long v) {
        int[] d = p.dense[t];
        if (d != null) {
            return v >= 0 && v < d.length ? d[(int) v] : -1;
        }
        long[] r = p.ranges[t];
        boolean signed = p.signedSel[t];
        int found = -1;
        for (int i = 0; i < r.length; i += 3) {
            boolean in = signed ? v >= r[i] && v <= r[i + 1]
                    : Long.compareUnsigned(v, r[i]) >= 0 && Long.compareUnsigned(v, r[i + 1]) <= 0;
            if (in) {
                int o = (int) r[i + 2];
                if (p.disjoint[t]) {
                    return o;
                }
                if (found == -1) {
                    found = o;
                } else if (found != o) {
                    return -2;
                }
            }
        }
        return found;
    }

    void effects(long v, int fx) {
        int save = fx & 0xfff;
        if (save != 0) {
            slots[save - 1] = v;
        }
        int meaning = (fx >>> 12) & 0xff;
        if (meaning != 0) {
            slots[meaning - 1] = v;
        }
        int clk = fx >>> 20;
        if (clk != 0) {
            updateClock(v, clk);
        }
    }

    /** babeltrace2's rule: a value of fewer than 64 bits replaces the low bits, assuming at most one wrap. */
    void updateClock(long v, int len) {
        if (len >= 64) {
            clock = v;
            return;
        }
        long mask = (1L << len) - 1;
        v &= mask;
        if (Long.compareUnsigned(v, clock & mask) < 0) {
            clock += mask + 1;
        }
        clock = (clock & ~mask) | v;
    }

    /** Reads {@code len} (1..64) bits at bit {@code pos}, CTF bit packing for the byte order. */
    static long readBits(ByteBuffer b, long pos, int len, boolean be) {
        int i = (int) (pos >>> 3);
        int s = (int) (pos & 7);
        if (s + len <= 64 && i + 8 <= b.limit()) {
            long w = b.getLong(i);
            if (!be) {
                long v = w >>> s;
                return len == 64 ? v : v & ((1L << len) - 1);
            }
            return (Long.reverseBytes(w) << s) >>> (64 - len);
        }
        long v = 0;
        int got = 0;
        long p = pos;
        while (got < len) {
            int x = b.get((int) (p >>> 3)) & 0xff;
            int sh = (int) (p & 7);
            int k = Math.min(8 - sh, len - got);
            if (!be) {
                long bits = (x >>> sh) & ((1 << k) - 1);
                v |= bits << got;
            } else {
                long bits = (x >>> (8 - sh - k)) & ((1 << k) - 1);
                v = (v << k) | bits;
            }
            got += k;
            p += k;
        }
        return v;
    }

    /** Index of the first zero byte in [from, lim), or -1. */
    static int findNul(ByteBuffer b, int from, int lim) {
        int i = from;
        // The zero-byte test below finds the lowest zero byte of a little-endian word exactly; the buffer's order
        // may have been set big-endian by an earlier field, so read the word as little-endian either way.
        boolean little = b.order() == java.nio.ByteOrder.LITTLE_ENDIAN;
        while (i + 8 <= lim) {
            long w = little ? b.getLong(i) : Long.reverseBytes(b.getLong(i));
            long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        while (i < lim) {
            if (b.get(i) == 0) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Index (relative to {@code base}) of the first zero byte in [from, lim) of {@code a} from {@code base}, or -1. */
    static int findNul(byte[] a, int base, int from, int lim) {
        int i = from;
        while (i + 8 <= lim) {
            long w = (long) LONG_LE.get(a, base + i);
            long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        while (i < lim) {
            if (a[base + i] == 0) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int findNulUnit(ByteBuffer b, int from, int lim, int unit) {
        for (int i = from; i + unit <= lim; i += unit) {
            boolean zero = true;
            for (int k = 0; k < unit; k++) {
                if (b.get(i + k) != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                return i;
            }
        }
        return -1;
    }
}

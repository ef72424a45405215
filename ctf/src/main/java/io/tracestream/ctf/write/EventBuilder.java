package io.tracestream.ctf.write;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;

import java.util.Arrays;

/**
 * Writes the fields of one event record, in declared order: first the stream's common context, then the event
 * class's specific context, then its payload. Obtained from {@link StreamWriter#beginEvent(EventClass, long)},
 * which has already written the event header; finish with {@link #end()}.
 *
 * <pre>{@code
 * stream.beginEvent(schedSwitch, ts).string("swapper/0").i32(0).i32(20).i64(0).string("bash").i32(42).i32(20).end();
 * }</pre>
 *
 * <p>Only leaves take a value: structures are entered and left implicitly, a static or dynamic array takes its
 * elements one after the other (a dynamic array's length is the value already written to its length field), a
 * variant writes the option its selector's value chose, and an optional field is written only when its selector
 * says present. Text arrays/sequences and CTF 2 strings and BLOBs are leaves written with {@link #string(String)}
 * or {@link #bytes(byte[], int, int)}; a fixed-length text field is zero-padded or cut to its length.
 *
 * <p>Every integer method accepts any integer field (fixed or variable length, any bit size, alignment and byte
 * order): the value is truncated to the field's length; the method names are there for readability. The event is
 * encoded straight into the packet buffer by a program compiled once per event class, so writing allocates
 * nothing. A value of the wrong kind for the next field, too many or too few values, fail with an
 * {@link IllegalStateException} that names the field, and the event is dropped (as with {@link #abort()}).
 *
 * <p>Not thread safe: one builder per {@link StreamWriter}, reused for every event.
 */
public final class EventBuilder {
    private static final Object ARENA = new Object();

    private final StreamWriter stream;
    private final BitBuffer b;
    private final long[] slots;
    private Op[] ops;
    private int pc;
    private int[] loopPc = new int[4];
    private long[] loopLeft = new long[4];
    private int sp;
    private EventClass eventClass;
    boolean active;

    // Log of the values of the current event, replayed when the event must move to a new packet.
    private long[] logValue = new long[32];
    private Object[] logRef = new Object[32];
    private int logLength;
    private byte[] arena = new byte[256];
    private int arenaLength;
    private boolean replaying;
    private boolean logging;

    private final FieldVisitor visitor = new FieldVisitor() {
        @Override
        public void integer(String name, IntegerClass type, long value) {
            EventBuilder.this.integer(value);
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            EventBuilder.this.f64(value);
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            EventBuilder.this.string(value);
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            EventBuilder.this.bytes(bytes, offset, length);
        }
    };

    EventBuilder(StreamWriter stream, BitBuffer b, long[] slots) {
        this.stream = stream;
        this.b = b;
        this.slots = slots;
    }

    /** @param logging whether the event may overflow the packet, so its values must be kept for a replay */
    void start(EventClass ec, Op[] program, boolean logging) {
        this.logging = logging;
        this.eventClass = ec;
        this.ops = program;
        this.pc = 0;
        this.sp = 0;
        this.logLength = 0;
        this.arenaLength = 0;
        this.active = true;
    }

    /** The event class being written. */
    public EventClass eventClass() {
        return eventClass;
    }

    /**
     * A visitor that writes the values it receives into this event: feed it the common context, specific context
     * and payload scopes of a decoded event (in that order; not the event header, which
     * {@link StreamWriter#beginEvent} already wrote) and then call {@link #end()}. Structure, array, variant and
     * optional callbacks are ignored: the event class's layout drives the encoding, as with the typed methods.
     */
    public FieldVisitor visitor() {
        return visitor;
    }

    public EventBuilder u8(int v) {
        return integer(v & 0xFFL);
    }

    public EventBuilder u16(int v) {
        return integer(v & 0xFFFFL);
    }

    public EventBuilder u32(long v) {
        return integer(v);
    }

    public EventBuilder u64(long v) {
        return integer(v);
    }

    public EventBuilder i8(int v) {
        return integer(v);
    }

    public EventBuilder i16(int v) {
        return integer(v);
    }

    public EventBuilder i32(int v) {
        return integer(v);
    }

    public EventBuilder i64(long v) {
        return integer(v);
    }

    public EventBuilder bool(boolean v) {
        return integer(v ? 1 : 0);
    }

    /** Writes the next field, which must be an integer (fixed or variable length), boolean or bit array. */
    public EventBuilder integer(long v) {
        Op op = next();
        if (op.kind == Op.INT) {
            writeInt(op, v);
        } else if (op.kind == Op.VARINT) {
            writeVarint(op, v);
        } else {
            throw mismatch(op, "an integer");
        }
        log(v, null);
        return this;
    }

    /** Writes the next field, which must be a floating point number (a 32-bit field gets the rounded value). */
    public EventBuilder f64(double v) {
        Op op = next();
        if (op.kind != Op.FLOAT) {
            throw mismatch(op, "a floating point number");
        }
        writeFloat(op, v);
        log(Double.doubleToRawLongBits(v), null);
        return this;
    }

    public EventBuilder f32(float v) {
        return f64(v);
    }

    /**
     * Writes the next field, which must be a string or a text array/sequence, encoded as UTF-8. A null-terminated
     * string stops at the first U+0000; a fixed-length one is cut (between characters) or zero-padded to its length.
     */
    public EventBuilder string(String s) {
        Op op = next();
        if (op.kind != Op.STRING && op.kind != Op.TEXT) {
            throw mismatch(op, "a string");
        }
        writeString(op, s);
        log(0, s);
        return this;
    }

    /**
     * Writes the next field, which must be a BLOB, a string or a text array/sequence, from raw bytes (cut or
     * zero-padded to a fixed length; a null-terminated string stops at the first zero byte). The bytes are copied.
     */
    public EventBuilder bytes(byte[] src, int offset, int length) {
        Op op = next();
        if (op.kind != Op.STRING && op.kind != Op.TEXT && op.kind != Op.BLOB) {
            throw mismatch(op, "bytes");
        }
        writeBytes(op, src, offset, length);
        if (logging && !replaying) {
            if (arenaLength + length > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaLength + length));
            }
            System.arraycopy(src, offset, arena, arenaLength, length);
            log(((long) arenaLength << 32) | length, ARENA);
            arenaLength += length;
        }
        return this;
    }

    public EventBuilder bytes(byte[] src) {
        return bytes(src, 0, src.length);
    }

    /** Completes the event; all its fields must have been written. */
    public void end() {
        while (true) {
            Op op = ops[pc];
            if (op.kind == Op.END) {
                break;
            }
            if (op.kind < Op.FIRST_CONTROL) {
                throw fail("event '" + eventClass.name() + "': field " + op.path + " was not written");
            }
            control(op);
        }
        try {
            stream.endEvent();
        } finally {
            active = false;
        }
    }

    /** Abandons the event being written: nothing of it is kept. */
    public void abort() {
        active = false;
        stream.abortEvent();
    }

    /** Number of bytes {@code s} takes in UTF-8 (the value a text sequence's length field needs). */
    public static int utf8Length(String s) {
        return BitBuffer.utf8Length(s);
    }

    // ------------------------------------------------------------------ internals

    boolean logged() {
        return logging;
    }

    /** Rewrites the values logged so far (the event moved to a new packet and its header was written again). */
    void replay() {
        int n = logLength;
        pc = 0;
        sp = 0;
        replaying = true;
        try {
            for (int i = 0; i < n; i++) {
                Op op = next();
                long v = logValue[i];
                Object r = logRef[i];
                switch (op.kind) {
                    case Op.INT -> writeInt(op, v);
                    case Op.VARINT -> writeVarint(op, v);
                    case Op.FLOAT -> writeFloat(op, Double.longBitsToDouble(v));
                    default -> {
                        if (r == ARENA) {
                            writeBytes(op, arena, (int) (v >>> 32), (int) v);
                        } else {
                            writeString(op, (String) r);
                        }
                    }
                }
            }
        } finally {
            replaying = false;
        }
    }

    private void log(long v, Object ref) {
        if (!logging || replaying) {
            return;
        }
        int n = logLength;
        if (n == logValue.length) {
            logValue = Arrays.copyOf(logValue, n * 2);
            logRef = Arrays.copyOf(logRef, n * 2);
        }
        logValue[n] = v;
        logRef[n] = ref;
        logLength = n + 1;
    }

    private Op next() {
        if (!active) {
            throw new IllegalStateException("no event is being written: call StreamWriter.beginEvent first");
        }
        Op[] o = ops;
        while (true) {
            Op op = o[pc];
            if (op.kind < Op.FIRST_CONTROL) {
                pc++;
                return op;
            }
            control(op);
        }
    }

    private void control(Op op) {
        switch (op.kind) {
            case Op.ALIGN -> {
                b.align(op.align);
                pc++;
            }
            case Op.ARRAY -> {
                b.align(op.align);
                long n = op.length >= 0 ? op.length : slots[op.lengthSlot];
                if (n == 0) {
                    pc = op.target;
                } else {
                    if (sp == loopPc.length) {
                        loopPc = Arrays.copyOf(loopPc, sp * 2);
                        loopLeft = Arrays.copyOf(loopLeft, sp * 2);
                    }
                    loopPc[sp] = pc + 1;
                    loopLeft[sp++] = n;
                    pc++;
                }
            }
            case Op.ARRAY_END -> {
                if (--loopLeft[sp - 1] != 0) {
                    pc = loopPc[sp - 1];
                } else {
                    sp--;
                    pc++;
                }
            }
            case Op.VARIANT -> pc = select(op);
            case Op.JUMP -> pc = op.target;
            case Op.OPTIONAL -> pc = present(op) ? pc + 1 : op.target;
            case Op.END -> throw fail("event '" + eventClass.name() + "': all fields are already written");
            default -> throw new IllegalStateException("bad op " + op.kind);
        }
    }

    private int select(Op op) {
        long v = slots[op.selectorSlot];
        for (int i = 0; i < op.rangeLower.length; i++) {
            if (inRange(v, op.rangeLower[i], op.rangeUpper[i], op.selectorSigned)) {
                return op.rangeTarget[i];
            }
        }
        throw fail("event '" + eventClass.name() + "': variant " + op.path + ": selector value " + (op.selectorSigned ? Long.toString(v) : Long.toUnsignedString(v))
                + " selects no option");
    }

    private boolean present(Op op) {
        long v = slots[op.selectorSlot];
        if (op.rangeLower.length == 0) {
            return v != 0;
        }
        for (int i = 0; i < op.rangeLower.length; i++) {
            if (inRange(v, op.rangeLower[i], op.rangeUpper[i], op.selectorSigned)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(long v, long lo, long hi, boolean signed) {
        return signed ? v >= lo && v <= hi : Long.compareUnsigned(v, lo) >= 0 && Long.compareUnsigned(v, hi) <= 0;
    }

    private IllegalStateException mismatch(Op op, String given) {
        return fail("event '" + eventClass.name() + "': field " + op.path + " is a " + op.kindName() + ", not "
                + given);
    }

    /** Drops the event being written (a failed event is not kept) and returns the exception to throw. */
    private IllegalStateException fail(String message) {
        if (active && !replaying) {
            abort();
        }
        return new IllegalStateException(message);
    }

    private void writeInt(Op op, long v) {
        b.putInt(v, op.align, op.size, op.bigEndian);
        if (op.slot >= 0) {
            int shift = 64 - op.size;
            slots[op.slot] = op.signed ? (v << shift) >> shift : (v << shift) >>> shift;
        }
    }

    private void writeVarint(Op op, long value) {
        long v = value;
        b.align(op.align);
        b.ensure(80);
        if (op.signed) {
            while (true) {
                int bits = (int) (v & 0x7F);
                v >>= 7;
                boolean done = (v == 0 && (bits & 0x40) == 0) || (v == -1 && (bits & 0x40) != 0);
                b.writeByte(done ? bits : bits | 0x80);
                if (done) {
                    break;
                }
            }
        } else {
            do {
                int bits = (int) (v & 0x7F);
                v >>>= 7;
                b.writeByte(v != 0 ? bits | 0x80 : bits);
            } while (v != 0);
        }
        if (op.slot >= 0) {
            slots[op.slot] = value;
        }
    }

    private void writeFloat(Op op, double v) {
        b.align(op.align);
        b.ensure(op.size);
        if (op.size == 32) {
            b.writeInt(Float.floatToRawIntBits((float) v), 32, op.bigEndian);
        } else {
            b.writeInt(Double.doubleToRawLongBits(v), 64, op.bigEndian);
        }
    }

    private long textLength(Op op) {
        long n = op.length >= 0 ? op.length : slots[op.lengthSlot];
        if (n < 0 || n > BitBuffer.MAX_BYTES) {
            throw fail("event '" + eventClass.name() + "': field " + op.path + ": bad length "
                    + Long.toUnsignedString(n));
        }
        return n;
    }

    private void writeString(Op op, String s) {
        b.align(op.align);
        if (op.kind == Op.STRING) {
            b.ensure((3L * s.length() + 1) * 8);
            b.writeUtf8(s, Long.MAX_VALUE, true);
            b.writeByte(0);
        } else {
            long n = textLength(op);
            b.ensure(n * 8);
            int w = b.writeUtf8(s, n, false);
            b.pos += (n - w) * 8;
        }
    }

    private void writeBytes(Op op, byte[] src, int off, int len) {
        b.align(op.align);
        if (op.kind == Op.STRING) {
            int n = 0;
            while (n < len && src[off + n] != 0) {
                n++;
            }
            b.ensure((n + 1L) * 8);
            b.writeBytes(src, off, n);
            b.writeByte(0);
        } else {
            long n = textLength(op);
            b.ensure(n * 8);
            int w = (int) Math.min(n, len);
            b.writeBytes(src, off, w);
            b.pos += (n - w) * 8;
        }
    }
}

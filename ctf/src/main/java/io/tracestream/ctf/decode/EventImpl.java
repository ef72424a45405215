package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An event record over a value log: the cursor's flyweight (log and buffer owned by the cursor) or a detached
 * copy (own log and bytes). Getters find a top-level field through the event plan's name lookup and its log index
 * through the program's static member offsets, walking only past variable-size members.
 */
final class EventImpl implements EventRecord {
    final DataStream stream;
    Packet packet;
    TraceDecoder.EventPlan plan;
    long[] log;
    int n;
    /** Log index of each scope (0 header, 1 common context, 2 specific context, 3 payload), or -1. */
    final int[] starts = new int[4];
    ByteBuffer buf;
    long cycles;
    ClockClass clock;
    /** Gives a detached copy of the current packet, for {@link #copy()}; null in copies. */
    java.util.function.Supplier<Packet> detachPacket;
    /** The cursor's machine, to decode a pending body; null in copies. */
    Machine machine;
    /** True when the body (contexts and payload) is not decoded yet; it starts at bit {@link #pendingPos}. */
    boolean pending;
    private long pendingPos;
    private int pendingN;

    void pending(long pos, int n0) {
        pending = true;
        pendingPos = pos;
        pendingN = n0;
    }

    /** Sets the scope starts after the body program ran from log index {@code n0}. */
    void bodyDone(int n0) {
        int[] marks = machine.marks;
        int[] st = plan.staticStarts;
        for (int k = 0; k < 3; k++) {
            int s = st[k];
            starts[k + 1] = s >= 0 ? n0 + s : s == Integer.MIN_VALUE ? -1 : marks[k];
        }
        log = machine.log;
        n = machine.n;
    }

    /** Decodes a pending body now (the cursor is still on this event). */
    void materialize() {
        if (pending) {
            decodePending();
        }
    }

    private void decodePending() {
        pending = false;
        Machine m = machine;
        long save = m.pos;
        m.pos = pendingPos;
        m.n = pendingN;
        Program body = plan.body;
        Jit j = m.arr != null && body.simple ? body.jit() : null;
        try {
            if (j != null) {
                j.run(m, body);
            } else {
                interpretPending(m, body);
            }
        } catch (RuntimeException e) {
            m.pos = save;
            throw e;
        }
        m.pos = save;
        bodyDone(pendingN);
    }

    private void interpretPending(Machine m, Program body) {
        if (m.canRunFixed(body, pendingPos)) {
            m.runFixed(body, pendingPos);
        } else {
            m.run(body);
        }
    }

    EventImpl(DataStream stream, Packet packet) {
        this.stream = stream;
        this.packet = packet;
    }

    @Override
    public EventClass eventClass() {
        return plan.ec;
    }

    @Override
    public DataStream stream() {
        return stream;
    }

    @Override
    public Packet packet() {
        return packet;
    }

    @Override
    public long cycles() {
        return cycles;
    }

    @Override
    public long timestamp() {
        return cycles == io.tracestream.ctf.ClockValue.NONE || clock == null ? io.tracestream.ctf.ClockValue.NONE
                : clock.cyclesToNanosFromOrigin(cycles);
    }

    private static int scopeIndex(Scope s) {
        return switch (s) {
            case EVENT_HEADER -> 0;
            case EVENT_COMMON_CONTEXT -> 1;
            case EVENT_SPECIFIC_CONTEXT -> 2;
            case EVENT_PAYLOAD -> 3;
            default -> throw new IllegalArgumentException("not an event scope: " + s);
        };
    }

    @Override
    public void accept(Scope scope, FieldVisitor visitor) {
        int si = scopeIndex(scope);
        if (si > 0) {
            materialize();
        }
        if (starts[si] < 0) {
            return;
        }
        Program p = plan.program(si);
        LogWalker.walk(p.root, null, log, starts[si], buf, visitor);
    }

    @Override
    public boolean has(String field) {
        return plan.lookup.containsKey(field);
    }

    @Override
    public int fieldHandle(String name) {
        Integer k = plan.lookup.get(name);
        return k == null ? -1 : k;
    }

    /** Log index of a top-level field; sets {@link #foundType}. */
    private int find(String field) {
        Integer k = plan.lookup.get(field);
        if (k == null) {
            foundType = null;
            return -1;
        }
        return find((int) k);
    }

    /** Log index of the top-level field of handle {@code k} (see {@link TraceDecoder.EventPlan#lookup}). */
    private int find(int k) {
        int si = k >>> 24;
        if (si > 0) {
            materialize();
        }
        int mi = k & 0xffffff;
        Program p = plan.program(si);
        StructClass root = p.root;
        int off = p.memberLogOffset[mi];
        int i;
        if (off >= 0) {
            i = starts[si] + off;
        } else {
            // Walk from the last member with a static offset, or from the member found last when it is nearer.
            int j = mi;
            while (p.memberLogOffset[j] < 0) {
                j--;
            }
            i = starts[si] + p.memberLogOffset[j];
            boolean cache = machine != null; // the cursor's flyweight only: copies may be read from several threads
            if (cache && walkScope == si && walkMember > j && walkMember <= mi) {
                j = walkMember;
                i = walkIndex;
            }
            for (; j < mi; j++) {
                i = LogWalker.skip(root.member(j).type(), log, i);
            }
            if (cache) {
                walkScope = si;
                walkMember = mi;
                walkIndex = i;
            }
        }
        foundType = root.member(mi).type();
        return i;
    }

    /**
     * The last top-level member after a variable-size one that {@link #find(int)} walked to: scope, member and log
     * index (scope -1: none for the current event; the cursor resets it per event). Fields read in order then cost
     * one walk step each, not a walk from the last static offset.
     */
    int walkScope = -1;
    private int walkMember;
    private int walkIndex;

    private FieldClass foundType;

    private CtfException missing(String field) {
        return new CtfException("event '" + plan.ec.name() + "' has no field '" + field + "'");
    }

    /** Log index of the field of a {@link #fieldHandle}; sets {@link #foundType}. */
    private int findHandle(int handle) {
        int si = handle >>> 24;
        Program p = handle < 0 || si > 3 ? null : plan.program(si);
        if (p == null || (handle & 0xffffff) >= p.root.memberCount()) {
            throw new IllegalArgumentException("not a field handle of event class '" + plan.ec.name() + "': "
                    + handle);
        }
        return find(handle);
    }

    @Override
    public long getLong(int fieldHandle) {
        int i = findHandle(fieldHandle);
        if (foundType instanceof IntegerClass) {
            return log[i];
        }
        if (foundType instanceof FloatClass f) {
            return (long) LogWalker.toDouble(f, log[i]);
        }
        throw new CtfException("field '" + plan.ec.fieldName(fieldHandle) + "' of event '" + plan.ec.name()
                + "' is not an integer");
    }

    @Override
    public String getString(int fieldHandle) {
        return stringAt(findHandle(fieldHandle));
    }

    @Override
    public long getLong(String field) {
        int i = find(field);
        if (i < 0) {
            throw missing(field);
        }
        if (foundType instanceof IntegerClass) {
            return log[i];
        }
        if (foundType instanceof FloatClass f) {
            return (long) LogWalker.toDouble(f, log[i]);
        }
        throw new CtfException("field '" + field + "' of event '" + plan.ec.name() + "' is not an integer");
    }

    @Override
    public double getDouble(String field) {
        int i = find(field);
        if (i < 0) {
            throw missing(field);
        }
        if (foundType instanceof FloatClass f) {
            return LogWalker.toDouble(f, log[i]);
        }
        if (foundType instanceof IntegerClass ic) {
            return ic.signed() ? (double) log[i] : unsignedToDouble(log[i]);
        }
        throw new CtfException("field '" + field + "' of event '" + plan.ec.name() + "' is not a number");
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }

    @Override
    public String getString(String field) {
        int i = find(field);
        if (i < 0) {
            throw missing(field);
        }
        return stringAt(i);
    }

    /** The text of the field at log index {@code i}, of class {@link #foundType}. */
    private String stringAt(int i) {
        if (foundType instanceof StringClass s) {
            return text(log[i], s.encoding());
        }
        if (foundType instanceof ArrayClass a && Compiler.byteText(a)) {
            return text(log[i], StringClass.Encoding.UTF8);
        }
        Object o = LogWalker.toObject(foundType, log, i, buf);
        return String.valueOf(o);
    }

    /**
     * Recent short texts of 8-bit encodings, by their bytes (see {@link #text}); the cursor's flyweight only (copies
     * may be read from several threads), created at its first text.
     */
    private String[] textCache;
    private byte[][] textCacheKeys;
    private static final int TEXT_CACHE_SIZE = 256;
    private static final int TEXT_CACHE_MAX_LENGTH = 32;

    /**
     * {@link LogWalker#text}, without a new string for the short texts that repeat most (command, device and
     * interface names): the last text seen with the same hash of its bytes is reused when its bytes are equal.
     */
    private String text(long entry, StringClass.Encoding enc) {
        int len = (int) entry;
        if (len > TEXT_CACHE_MAX_LENGTH || enc == StringClass.Encoding.UTF16BE || enc == StringClass.Encoding.UTF16LE
                || enc == StringClass.Encoding.UTF32BE || enc == StringClass.Encoding.UTF32LE || !buf.hasArray()
                || machine == null) {
            return LogWalker.text(buf, entry, enc);
        }
        byte[] a = buf.array();
        int off = buf.arrayOffset() + (int) (entry >>> 32);
        int n = 0;
        int h = 0;
        while (n < len && a[off + n] != 0) {
            h = 31 * h + a[off + n];
            n++;
        }
        if (textCache == null) {
            textCache = new String[TEXT_CACHE_SIZE];
            textCacheKeys = new byte[TEXT_CACHE_SIZE][];
        }
        int slot = (h ^ h >>> 8 ^ h >>> 16) & (TEXT_CACHE_SIZE - 1);
        byte[] key = textCacheKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, a, off, off + n)) {
            return textCache[slot];
        }
        String t = LogWalker.text(buf, entry, enc);
        textCacheKeys[slot] = Arrays.copyOfRange(a, off, off + n);
        textCache[slot] = t;
        return t;
    }

    @Override
    public Object get(String field) {
        int i = find(field);
        if (i < 0) {
            return null;
        }
        return LogWalker.toObject(foundType, log, i, buf);
    }

    @Override
    public EventRecord copy() {
        materialize();
        EventImpl c = new EventImpl(stream, detachPacket != null ? detachPacket.get() : packet);
        c.plan = plan;
        c.n = n;
        c.cycles = cycles;
        c.clock = clock;
        System.arraycopy(starts, 0, c.starts, 0, 4);
        long[] l = Arrays.copyOf(log, n);
        // Gather the bytes of strings and BLOBs into a private buffer.
        Gather g = new Gather(buf);
        for (int si = 0; si < 4; si++) {
            if (starts[si] >= 0) {
                g.rebase(plan.program(si).root, l, starts[si]);
            }
        }
        c.log = l;
        c.buf = ByteBuffer.wrap(g.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        return c;
    }

    /** Copies string/BLOB bytes to a new array and rewrites the log entries to point into it. */
    private static final class Gather {
        private final ByteBuffer src;
        private byte[] out = new byte[64];
        private int size;

        Gather(ByteBuffer src) {
            this.src = src;
        }

        byte[] bytes() {
            return Arrays.copyOf(out, size);
        }

        private long move(long entry) {
            int off = (int) (entry >>> 32);
            int len = (int) entry;
            if (size + len > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + len));
            }
            src.get(off, out, size, len);
            long e = (long) size << 32 | len;
            size += len;
            return e;
        }

        int rebase(FieldClass fc, long[] log, int i) {
            if (fc instanceof StringClass || fc instanceof io.tracestream.ctf.meta.BlobClass) {
                log[i] = move(log[i]);
                return i + 1;
            }
            if (fc instanceof IntegerClass || fc instanceof FloatClass) {
                return i + 1;
            }
            if (fc instanceof StructClass st) {
                for (int mi = 0, mn = st.memberCount(); mi < mn; mi++) {
                    StructClass.Member m = st.member(mi);
                    i = rebase(m.type(), log, i);
                }
                return i;
            }
            if (fc instanceof ArrayClass ac) {
                if (Compiler.byteText(ac)) {
                    log[i] = move(log[i]);
                    return i + 1;
                }
                long count = log[i++];
                for (long k = 0; k < count; k++) {
                    i = rebase(ac.elementType(), log, i);
                }
                return i;
            }
            if (fc instanceof io.tracestream.ctf.meta.VariantClass vc) {
                int opt = (int) log[i++];
                return rebase(vc.options().get(opt).type(), log, i);
            }
            if (fc instanceof io.tracestream.ctf.meta.OptionalClass oc) {
                return log[i++] != 0 ? rebase(oc.type(), log, i) : i;
            }
            throw new IllegalStateException();
        }
    }
}

package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the scope root structures of a trace class into {@link Program}s.
 *
 * <p>Two passes: the first walks every scope in decoding order, records the class of every field by path and
 * the paths that lengths and selectors refer to, and gives each referenced field a value slot; the second emits
 * instructions, tracking the bit position modulo a power of two so that alignment instructions are only emitted
 * where the position is not known to be aligned, and byte-aligned integers of 8/16/32/64 bits get dedicated
 * opcodes.
 */
final class Compiler {
    // Slots with a fixed meaning (CTF 1.8 well-known names / CTF 2 roles).
    static final int S_MAGIC = 0, S_SC_ID = 1, S_INSTANCE_ID = 2, S_TOTAL = 3, S_CONTENT = 4, S_TS_BEGIN = 5,
            S_TS_END = 6, S_DISC = 7, S_SEQ = 8, S_EVENT_ID = 9, S_CPU = 10, S_UUID_POS = 11;
    static final int MEANING_SLOTS = 12;

    /**
     * A field's identity: root scope, owner (stream or event class, by identity) and member names from the root.
     * Hand-written equality (not a record's): pass 1 hashes thousands of keys, mostly while still interpreted.
     */
    private static final class Key {
        final Scope scope;
        final Object owner;
        final List<String> names;
        private final int hash;

        Key(Scope scope, Object owner, List<String> names) {
            this.scope = scope;
            this.owner = owner;
            this.names = names;
            this.hash = (scope.hashCode() * 31 + System.identityHashCode(owner)) * 31 + names.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.scope == scope && k.owner == owner
                    && k.names.equals(names);
        }
    }

    private final TraceClass tc;
    private final boolean ctf2;
    private final Map<Key, FieldClass> fields = new HashMap<>();
    private final Map<Key, Integer> slots = new HashMap<>();
    private int slotCount = MEANING_SLOTS;

    // Pass 2 state.
    private IntList code;
    private List<long[]> ranges;
    private List<Boolean> signedSel;
    private List<int[]> optionPcs;
    private List<String> tableNames;
    private long mod;
    private long rem;
    private Scope scope;
    private Object owner;
    private StreamClass curSc;
    private EventClass curEc;
    private int condDepth;
    private boolean[] meanings;
    private boolean[] meaningsAnywhere;

    Compiler(TraceClass tc) {
        this.tc = tc;
        this.ctf2 = tc.ctfMajor() >= 2;
    }

    int slotCount() {
        return slotCount;
    }

    // ------------------------------------------------------------------------------------------- pass 1

    void collect() {
        collectScope(tc.packetHeader(), Scope.PACKET_HEADER, null, null, null);
        for (StreamClass sc : tc.streamClasses()) {
            collectScope(sc.packetContext(), Scope.PACKET_CONTEXT, sc, sc, null);
            collectScope(sc.eventHeader(), Scope.EVENT_HEADER, sc, sc, null);
            collectScope(sc.eventCommonContext(), Scope.EVENT_COMMON_CONTEXT, sc, sc, null);
            for (EventClass ec : sc.eventClasses()) {
                collectScope(ec.specificContext(), Scope.EVENT_SPECIFIC_CONTEXT, ec, sc, ec);
                collectScope(ec.payload(), Scope.EVENT_PAYLOAD, ec, sc, ec);
            }
        }
    }

    private void collectScope(StructClass root, Scope s, Object own, StreamClass sc, EventClass ec) {
        if (root == null) {
            return;
        }
        scope = s;
        owner = own;
        curSc = sc;
        curEc = ec;
        collect(root, new ArrayList<>(), new ArrayList<>());
    }

    private void collect(FieldClass fc, List<String> plain, List<String> full) {
        fields.putIfAbsent(new Key(scope, owner, List.copyOf(plain)), fc);
        if (full.size() != plain.size()) { // else the same names: no variant option on the way
            fields.putIfAbsent(new Key(scope, owner, List.copyOf(full)), fc);
        }
        if (fc instanceof StructClass st) {
            for (StructClass.Member m : st.members()) {
                plain.add(m.name());
                full.add(m.name());
                collect(m.type(), plain, full);
                plain.remove(plain.size() - 1);
                full.remove(full.size() - 1);
            }
        } else if (fc instanceof ArrayClass ac) {
            if (ac.lengthPath() != null) {
                reference(ac.lengthPath());
            }
            collect(ac.elementType(), plain, full);
        } else if (fc instanceof StringClass sc && sc.lengthPath() != null) {
            reference(sc.lengthPath());
        } else if (fc instanceof BlobClass bc && bc.lengthPath() != null) {
            reference(bc.lengthPath());
        } else if (fc instanceof VariantClass vc) {
            reference(vc.selectorPath());
            for (VariantClass.Option o : vc.options()) {
                full.add(o.name());
                collect(o.type(), plain, full);
                full.remove(full.size() - 1);
            }
        } else if (fc instanceof OptionalClass oc) {
            reference(oc.selectorPath());
            collect(oc.type(), plain, full);
        }
    }

    private Key keyOf(FieldPath fp) {
        Object own = switch (fp.scope()) {
            case PACKET_HEADER -> null;
            case PACKET_CONTEXT, EVENT_HEADER, EVENT_COMMON_CONTEXT -> curSc;
            case EVENT_SPECIFIC_CONTEXT, EVENT_PAYLOAD -> curEc;
        };
        return new Key(fp.scope(), own, fp.names());
    }

    private void reference(FieldPath fp) {
        if (fp == null) {
            throw new CtfException("field path missing in metadata");
        }
        Key k = keyOf(fp);
        if (!slots.containsKey(k)) {
            slots.put(k, slotCount++);
        }
    }

    private int slotOf(FieldPath fp) {
        Integer s = slots.get(keyOf(fp));
        if (s == null || !fields.containsKey(keyOf(fp))) {
            throw new CtfException("cannot resolve field path '" + fp + "' in " + scope.tsdlPrefix());
        }
        return s;
    }

    private FieldClass classOf(FieldPath fp) {
        return fields.get(keyOf(fp));
    }

    // ------------------------------------------------------------------------------------------- pass 2

    Program compile(StructClass root, Scope s, StreamClass sc, EventClass ec) {
        if (root == null) {
            return null;
        }
        scope = s;
        curSc = sc;
        curEc = ec;
        owner = switch (s) {
            case PACKET_HEADER -> null;
            case PACKET_CONTEXT, EVENT_HEADER, EVENT_COMMON_CONTEXT -> sc;
            default -> ec;
        };
        code = new IntList();
        ranges = new ArrayList<>();
        signedSel = new ArrayList<>();
        optionPcs = new ArrayList<>();
        tableNames = new ArrayList<>();
        condDepth = 0;
        meanings = new boolean[MEANING_SLOTS];
        meaningsAnywhere = new boolean[MEANING_SLOTS];
        // Packet header and context start at bit 0 of the packet; other scopes at an unknown position.
        if (s == Scope.PACKET_HEADER) {
            mod = 1L << 30;
            rem = 0;
        } else {
            mod = 1;
            rem = 0;
        }
        int[] memberLog = new int[root.memberCount()];
        align(root.alignment());
        List<String> plain = new ArrayList<>();
        List<String> full = new ArrayList<>();
        int logOff = 0;
        for (int i = 0; i < root.memberCount(); i++) {
            StructClass.Member m = root.member(i);
            memberLog[i] = logOff;
            int c = LogWalker.staticLogCount(m.type());
            logOff = logOff < 0 || c < 0 ? -1 : logOff + c;
            plain.add(m.name());
            full.add(m.name());
            field(m.type(), plain, full, m.name(), true);
            plain.remove(0);
            full.remove(0);
        }
        emit(Program.END, 0, 0, 0);
        boolean[] sg = new boolean[signedSel.size()];
        for (int i = 0; i < sg.length; i++) {
            sg[i] = signedSel.get(i);
        }
        return new Program(s, root, code.toArray(), ranges.toArray(new long[0][]), sg,
                optionPcs.toArray(new int[0][]), tableNames.toArray(new String[0]), memberLog, meanings, meaningsAnywhere);
    }

    private int emit(int op, int a, int b, int c) {
        if (op == Program.MARKPOS && a < MEANING_SLOTS) {
            meaningsAnywhere[a] = true;
            if (condDepth == 0) {
                meanings[a] = true;
            }
        }
        int pc = code.size();
        code.add(op);
        code.add(a);
        code.add(b);
        code.add(c);
        return pc;
    }

    private void align(long a) {
        if (a <= 1) {
            return;
        }
        if (a <= mod && (rem & (a - 1)) == 0) {
            return;
        }
        emit(Program.ALIGN, (int) a, 0, 0);
        if (a <= mod) {
            rem = (rem + a - 1) & -a & (mod - 1);
        } else {
            mod = a;
            rem = 0;
        }
    }

    private void advance(long bits) {
        rem = (rem + bits) & (mod - 1);
    }

    private void unknownPosition() {
        mod = 1;
        rem = 0;
    }

    private void byteAlignedAfter() {
        // After a byte-granular field of unknown length: aligned to 8 only.
        if (mod >= 8 && (rem & 7) == 0) {
            mod = 8;
            rem = 0;
        } else {
            unknownPosition();
        }
    }

    private boolean byteAligned() {
        return mod >= 8 && (rem & 7) == 0;
    }

    private int meaningSlot(IntegerClass ic, String name, boolean top) {
        if (ctf2) {
            for (IntegerClass.Role r : ic.roles()) {
                switch (r) {
                    case PACKET_MAGIC_NUMBER: return S_MAGIC;
                    case DATA_STREAM_CLASS_ID: return S_SC_ID;
                    case DATA_STREAM_ID: return S_INSTANCE_ID;
                    case PACKET_TOTAL_LENGTH: return S_TOTAL;
                    case PACKET_CONTENT_LENGTH: return S_CONTENT;
                    case DEFAULT_CLOCK_TIMESTAMP:
                        if (scope == Scope.PACKET_CONTEXT) {
                            return S_TS_BEGIN;
                        }
                        break;
                    case PACKET_END_DEFAULT_CLOCK_TIMESTAMP: return S_TS_END;
                    case DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT: return S_DISC;
                    case PACKET_SEQUENCE_NUMBER: return S_SEQ;
                    case EVENT_RECORD_CLASS_ID: return S_EVENT_ID;
                    default: break;
                }
            }
            if (top && scope == Scope.PACKET_CONTEXT && "cpu_id".equals(name)) {
                return S_CPU;
            }
            return -1;
        }
        if (scope == Scope.EVENT_HEADER) {
            return "id".equals(name) ? S_EVENT_ID : -1;
        }
        if (!top || name == null) {
            return -1;
        }
        if (scope == Scope.PACKET_HEADER) {
            return switch (name) {
                case "magic" -> S_MAGIC;
                case "stream_id" -> S_SC_ID;
                case "stream_instance_id" -> S_INSTANCE_ID;
                default -> -1;
            };
        }
        if (scope == Scope.PACKET_CONTEXT) {
            return switch (name) {
                case "timestamp_begin" -> S_TS_BEGIN;
                case "timestamp_end" -> S_TS_END;
                case "events_discarded" -> S_DISC;
                case "packet_seq_num" -> S_SEQ;
                case "packet_size" -> S_TOTAL;
                case "content_size" -> S_CONTENT;
                case "cpu_id" -> S_CPU;
                default -> -1;
            };
        }
        return -1;
    }

    private boolean updatesClock(IntegerClass ic, String name, int meaning) {
        if (ctf2) {
            return ic.hasRole(IntegerClass.Role.DEFAULT_CLOCK_TIMESTAMP);
        }
        if (meaning == S_TS_END) {
            return false;
        }
        if (ic.mappedClock() != null) {
            return true;
        }
        // Fallback for metadata parsed without automatic clock mapping (babeltrace2 maps these implicitly).
        return curSc != null && curSc.defaultClock() != null
                && ((scope == Scope.EVENT_HEADER && "timestamp".equals(name)) || meaning == S_TS_BEGIN);
    }

    private void field(FieldClass fc, List<String> plain, List<String> full, String name, boolean top) {
        if (fc instanceof IntegerClass ic) {
            integer(ic, name, top, referencedSlot(plain, full));
        } else if (fc instanceof FloatClass f) {
            align(f.alignment());
            fixed(f.length(), f.byteOrder(), false, false, 0);
        } else if (fc instanceof StringClass s) {
            align(8);
            int unit = unitBytes(s.encoding());
            switch (s.kind()) {
                case NULL_TERMINATED -> {
                    emit(Program.STRNT, unit, 0, 0);
                    byteAlignedAfter();
                }
                case STATIC_LENGTH -> {
                    emit(Program.BYTES, clampInt(s.staticLength()), 0, 0);
                    advance(s.staticLength() * 8);
                }
                case DYNAMIC_LENGTH -> {
                    emit(Program.DBYTES, slotOf(s.lengthPath()), 1, 0);
                    byteAlignedAfter();
                }
            }
        } else if (fc instanceof BlobClass b) {
            align(8);
            if (b.isMetadataStreamUuid() && scope == Scope.PACKET_HEADER) {
                emit(Program.MARKPOS, S_UUID_POS, 0, 0);
            }
            if (b.isStaticLength()) {
                emit(Program.BYTES, clampInt(b.staticLength()), 0, 0);
                advance(b.staticLength() * 8);
            } else {
                emit(Program.DBYTES, slotOf(b.lengthPath()), 1, 0);
                byteAlignedAfter();
            }
        } else if (fc instanceof StructClass st) {
            align(st.alignment());
            for (StructClass.Member m : st.members()) {
                plain.add(m.name());
                full.add(m.name());
                field(m.type(), plain, full, m.name(), false);
                plain.remove(plain.size() - 1);
                full.remove(full.size() - 1);
            }
        } else if (fc instanceof ArrayClass ac) {
            array(ac, plain, full, name, top);
        } else if (fc instanceof VariantClass vc) {
            variant(vc, plain, full);
        } else if (fc instanceof OptionalClass oc) {
            optional(oc, plain, full);
        } else {
            throw new IllegalStateException("unknown field class " + fc);
        }
    }

    private static int clampInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    private static int unitBytes(StringClass.Encoding e) {
        return switch (e) {
            case UTF16BE, UTF16LE -> 2;
            case UTF32BE, UTF32LE -> 4;
            default -> 1;
        };
    }

    private int referencedSlot(List<String> plain, List<String> full) {
        Integer s = slots.get(new Key(scope, owner, plain));
        if (s == null) {
            s = slots.get(new Key(scope, owner, full));
        }
        return s == null ? -1 : s;
    }

    /**
     * An integer read, with its side effects folded into one operand word ({@link Program#fx}): the value slot
     * of a referenced field, the meaning slot, and the clock update.
     */
    private void integer(IntegerClass ic, String name, boolean top, int refSlot) {
        align(ic.alignment());
        int meaning = meaningSlot(ic, name, top);
        int clockLen = updatesClock(ic, name, meaning) ? (ic.variableLength() ? 64 : ic.length()) : 0;
        if (meaning >= 0) {
            meaningsAnywhere[meaning] = true;
            if (condDepth == 0) {
                meanings[meaning] = true;
            }
        }
        int fx = 0;
        boolean extraSave = false;
        if (refSlot >= 0 && refSlot < Program.FX_SLOT_LIMIT) {
            fx |= refSlot + 1;
        } else if (refSlot >= 0) {
            extraSave = true;
        }
        if (meaning >= 0) {
            fx |= (meaning + 1) << 12;
        }
        fx |= clockLen << 20;
        if (ic.variableLength()) {
            emit(ic.signed() ? Program.VLS : Program.VLU, 0, 0, fx);
            byteAlignedAfter();
        } else {
            boolean reverse = ic.lsbFirst() != (ic.byteOrder() == ByteOrder.LITTLE_ENDIAN);
            fixed(ic.length(), ic.byteOrder(), ic.signed(), reverse, fx);
        }
        if (extraSave) {
            emit(Program.SAVE, refSlot, 0, 0);
        }
    }

    private void fixed(int len, ByteOrder bo, boolean signed, boolean reverse, int fx) {
        boolean be = bo == ByteOrder.BIG_ENDIAN;
        int op = -1;
        if (byteAligned() && !reverse) {
            op = switch (len) {
                case 8 -> signed ? Program.S8 : Program.U8;
                case 16 -> be ? (signed ? Program.S16B : Program.U16B) : (signed ? Program.S16L : Program.U16L);
                case 32 -> be ? (signed ? Program.S32B : Program.U32B) : (signed ? Program.S32L : Program.U32L);
                case 64 -> be ? Program.U64B : Program.U64L;
                default -> -1;
            };
        }
        if (op >= 0) {
            emit(op, 0, 0, fx);
        } else {
            int flags = (be ? Program.F_BE : 0) | (signed ? Program.F_SIGNED : 0) | (reverse ? Program.F_REVERSE : 0);
            emit(flags == 0 ? Program.BITSLE : Program.BITS, len, flags, fx);
        }
        advance(len);
    }

    /** True when a text array is decoded as a byte range (8-bit byte-aligned characters). */
    static boolean byteText(ArrayClass ac) {
        return ac.isText() && ac.elementType() instanceof IntegerClass e && !e.variableLength() && e.length() == 8
                && e.alignment() % 8 == 0;
    }

    private void array(ArrayClass ac, List<String> plain, List<String> full, String name, boolean top) {
        align(ac.alignment());
        if (top && scope == Scope.PACKET_HEADER && !ctf2 && "uuid".equals(name)) {
            emit(Program.MARKPOS, S_UUID_POS, 0, 0);
        }
        if (byteText(ac)) {
            if (ac.isStaticLength()) {
                emit(Program.BYTES, clampInt(ac.staticLength()), 0, 0);
                advance(ac.staticLength() * 8);
            } else {
                emit(Program.DBYTES, slotOf(ac.lengthPath()), 1, 0);
                byteAlignedAfter();
            }
            return;
        }
        FieldClass elem = ac.elementType();
        long minBits = minBits(elem);
        int lenSlot = ac.isStaticLength() ? -1 : slotOf(ac.lengthPath());
        if (minBits == 0 && LogWalker.staticLogCount(elem) == 0) {
            emit(Program.ARR0, ac.isStaticLength() ? clampInt(ac.staticLength()) : -1, lenSlot, elem.alignment());
            unknownPosition();
            align(elem.alignment());
            return;
        }
        int start = emit(ac.isStaticLength() ? Program.ARRS : Program.ARRD,
                ac.isStaticLength() ? clampInt(ac.staticLength()) : lenSlot, 0, clampInt(minBits));
        long a = elem.alignment();
        boolean regular = elem.isFixedSize() && elem.fixedSizeBits() % a == 0;
        if (regular) {
            mod = a;
            rem = 0;
        } else {
            unknownPosition();
        }
        int body = code.size();
        condDepth++;
        field(elem, plain, full, null, false);
        condDepth--;
        emit(Program.ARREND, body, 0, 0);
        code.set(start + 2, code.size());
        if (regular) {
            mod = a;
            rem = 0;
        } else {
            unknownPosition();
        }
    }

    static long minBits(FieldClass fc) {
        if (fc instanceof IntegerClass ic) {
            return ic.variableLength() ? 8 : ic.length();
        } else if (fc instanceof FloatClass f) {
            return f.length();
        } else if (fc instanceof StringClass s) {
            return switch (s.kind()) {
                case NULL_TERMINATED -> 8L * unitBytes(s.encoding());
                case STATIC_LENGTH -> s.staticLength() * 8;
                case DYNAMIC_LENGTH -> 0;
            };
        } else if (fc instanceof BlobClass b) {
            return b.isStaticLength() ? b.staticLength() * 8 : 0;
        } else if (fc instanceof StructClass st) {
            long sum = 0;
            for (StructClass.Member m : st.members()) {
                sum = satAdd(sum, minBits(m.type()));
            }
            return sum;
        } else if (fc instanceof ArrayClass ac) {
            if (!ac.isStaticLength()) {
                return 0;
            }
            long e = minBits(ac.elementType());
            return e != 0 && ac.staticLength() > Long.MAX_VALUE / e ? Long.MAX_VALUE : e * ac.staticLength();
        } else if (fc instanceof VariantClass vc) {
            long min = Long.MAX_VALUE;
            for (VariantClass.Option o : vc.options()) {
                min = Math.min(min, minBits(o.type()));
            }
            return vc.options().isEmpty() ? 0 : min;
        }
        return 0;
    }

    private static long satAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private void variant(VariantClass vc, List<String> plain, List<String> full) {
        int sel = slotOf(vc.selectorPath());
        FieldClass selClass = classOf(vc.selectorPath());
        if (!(selClass instanceof IntegerClass sic)) {
            throw new CtfException("variant selector '" + vc.selectorPath() + "' is not an integer field");
        }
        long[] table = selectorTable(vc, sic);
        int t = ranges.size();
        ranges.add(table);
        signedSel.add(sic.signed());
        int[] pcs = new int[vc.options().size()];
        optionPcs.add(pcs);
        tableNames.add(vc.selectorPath().toString());
        emit(Program.VAR, sel, t, 0);
        long m0 = mod;
        long r0 = rem;
        List<Integer> jumps = new ArrayList<>();
        long jm = -1;
        long jr = 0;
        for (int i = 0; i < pcs.length; i++) {
            VariantClass.Option o = vc.options().get(i);
            mod = m0;
            rem = r0;
            pcs[i] = code.size();
            full.add(o.name());
            condDepth++;
            field(o.type(), plain, full, null, false);
            condDepth--;
            full.remove(full.size() - 1);
            if (i < pcs.length - 1) {
                jumps.add(emit(Program.JMP, 0, 0, 0));
            }
            if (jm < 0) {
                jm = mod;
                jr = rem;
            } else {
                long[] j = join(jm, jr, mod, rem);
                jm = j[0];
                jr = j[1];
            }
        }
        for (int pc : jumps) {
            code.set(pc + 1, code.size());
        }
        mod = jm < 0 ? m0 : jm;
        rem = jm < 0 ? r0 : jr;
    }

    private static long[] join(long m1, long r1, long m2, long r2) {
        long m = Math.min(m1, m2);
        while (m > 1 && (r1 & (m - 1)) != (r2 & (m - 1))) {
            m >>>= 1;
        }
        return new long[] {m, r1 & (m - 1)};
    }

    /** (lower, upper, option) triples: CTF 2 option ranges, or the CTF 1.8 tag mappings named like options. */
    private long[] selectorTable(VariantClass vc, IntegerClass sel) {
        List<long[]> rows = new ArrayList<>();
        boolean ranged = false;
        for (VariantClass.Option o : vc.options()) {
            if (!o.selectorRanges().isEmpty()) {
                ranged = true;
                break;
            }
        }
        for (int i = 0; i < vc.options().size(); i++) {
            VariantClass.Option o = vc.options().get(i);
            if (ranged) {
                for (IntegerClass.Range r : o.selectorRanges()) {
                    rows.add(new long[] {r.lower(), r.upper(), i});
                }
            } else {
                for (IntegerClass.Mapping m : sel.mappings()) {
                    if (m.label().equals(o.name())) {
                        for (IntegerClass.Range r : m.ranges()) {
                            rows.add(new long[] {r.lower(), r.upper(), i});
                        }
                    }
                }
            }
        }
        long[] flat = new long[rows.size() * 3];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * 3, 3);
        }
        if (!ranged) {
            // CTF 1.8: a tag value whose labels name no option, or several, is an error: add the mappings with
            // labels that are not options as "no option" rows so that ambiguity can be detected.
            List<long[]> extra = new ArrayList<>();
            for (IntegerClass.Mapping m : sel.mappings()) {
                if (vc.indexOf(m.label()) < 0) {
                    for (IntegerClass.Range r : m.ranges()) {
                        extra.add(new long[] {r.lower(), r.upper(), -1});
                    }
                }
            }
            if (!extra.isEmpty()) {
                long[] all = new long[flat.length + extra.size() * 3];
                System.arraycopy(flat, 0, all, 0, flat.length);
                for (int i = 0; i < extra.size(); i++) {
                    System.arraycopy(extra.get(i), 0, all, flat.length + i * 3, 3);
                }
                flat = all;
            }
        }
        return flat;
    }

    private void optional(OptionalClass oc, List<String> plain, List<String> full) {
        int sel = slotOf(oc.selectorPath());
        FieldClass selClass = classOf(oc.selectorPath());
        int t = -1;
        if (!oc.selectorRanges().isEmpty()) {
            long[] table = new long[oc.selectorRanges().size() * 3];
            for (int i = 0; i < oc.selectorRanges().size(); i++) {
                table[i * 3] = oc.selectorRanges().get(i).lower();
                table[i * 3 + 1] = oc.selectorRanges().get(i).upper();
                table[i * 3 + 2] = 0;
            }
            t = ranges.size();
            ranges.add(table);
            signedSel.add(selClass instanceof IntegerClass ic && ic.signed());
            optionPcs.add(new int[0]);
            tableNames.add(oc.selectorPath().toString());
        }
        int pc = emit(Program.OPT, sel, t, 0);
        long m0 = mod;
        long r0 = rem;
        condDepth++;
        field(oc.type(), plain, full, null, false);
        condDepth--;
        code.set(pc + 3, code.size());
        long[] j = join(m0, r0, mod, rem);
        mod = j[0];
        rem = j[1];
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void set(int i, int v) {
            a[i] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}

package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.IntegerClass.Role;
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
 * Everything the writer precomputes for one stream class: the packet header and context layouts, the event header
 * encodings per event class, and one encoding program per event class (common context, specific context and
 * payload, in order).
 *
 * <p>Integer fields that a later length or selector refers to get a <em>slot</em>: their value is saved there when
 * written, and the length/selector instruction reads it. Slots are numbered per stream class, across all scopes.
 */
final class StreamPlan {
    final TraceClass trace;
    final StreamClass stream;
    final Map<String, Integer> slotIndex = new HashMap<>();
    final FixedField[] packetHeader;
    final FixedField[] packetContext;
    final boolean hasPacketSize;
    final boolean hasContentSize;
    final boolean hasTsBegin;
    final boolean hasTsEnd;
    final boolean hasDiscarded;
    final boolean hasSeqNum;
    final List<String> userContextNames = new ArrayList<>();
    /** Event header expansions (variant option combinations), before specialising them per event class. */
    private final List<Expansion> headerExpansions;
    private final Map<Long, EventPlan> events = new HashMap<>();

    /** The event header choices and the payload program of one event class. */
    static final class EventPlan {
        final EventClass eventClass;
        /** Valid header encodings, most compact first. */
        final HeaderCandidate[] headers;
        final Op[] program;
        /**
         * Upper bound of the bits an event of this class takes (header, fields and alignment padding), or -1 when
         * its size depends on its values. When the packet has that much room left, the event cannot overflow
         * and the builder does not need to log its values.
         */
        final long maxBits;

        EventPlan(EventClass ec, HeaderCandidate[] headers, Op[] program) {
            this.eventClass = ec;
            this.headers = headers;
            this.program = program;
            this.maxBits = maxBits(headers, program);
        }

        private static long maxBits(HeaderCandidate[] headers, Op[] program) {
            long header = 0;
            for (HeaderCandidate c : headers) {
                long h = 0;
                for (FixedField f : c.fields) {
                    h += f.size + f.align - 1;
                }
                header = Math.max(header, h);
            }
            long bits = header;
            for (Op op : program) {
                switch (op.kind) {
                    case Op.INT, Op.FLOAT -> bits += op.size + op.align - 1;
                    case Op.TEXT, Op.BLOB -> {
                        if (op.length < 0) {
                            return -1;
                        }
                        bits += op.length * 8 + op.align - 1;
                    }
                    case Op.ALIGN -> bits += op.align - 1;
                    case Op.END -> { }
                    default -> {
                        return -1;
                    }
                }
            }
            return bits;
        }
    }

    /** One way to encode the event header; usable when every timestamp field holds the timestamp. */
    static final class HeaderCandidate {
        final FixedField[] fields;
        /** Smallest timestamp field length; 64 (always usable) when it has none or only 64-bit ones. */
        final int tsBits;

        HeaderCandidate(FixedField[] fields, int tsBits) {
            this.fields = fields;
            this.tsBits = tsBits;
        }
    }

    private record Choice(int selectorIndex, List<IntegerClass.Range> ranges) {
    }

    private static final class Expansion {
        final List<FixedField> fields = new ArrayList<>();
        final List<List<String>> paths = new ArrayList<>();
        final List<Choice> choices = new ArrayList<>();

        Expansion copy() {
            Expansion e = new Expansion();
            for (FixedField f : fields) {
                e.fields.add(f.copy());
            }
            e.paths.addAll(paths);
            e.choices.addAll(choices);
            return e;
        }
    }

    StreamPlan(TraceClass trace, StreamClass stream) {
        this.trace = trace;
        this.stream = stream;
        collectSlots(trace.packetHeader(), null);
        collectSlots(stream.packetContext(), null);
        collectSlots(stream.eventHeader(), null);
        collectSlots(stream.eventCommonContext(), null);
        for (EventClass ec : stream.eventClasses()) {
            collectSlots(ec.specificContext(), ec);
            collectSlots(ec.payload(), ec);
        }
        packetHeader = fixedLayout(trace.packetHeader(), Scope.PACKET_HEADER);
        packetContext = fixedLayout(stream.packetContext(), Scope.PACKET_CONTEXT);
        hasPacketSize = has(packetContext, FixedField.PACKET_SIZE);
        hasContentSize = has(packetContext, FixedField.CONTENT_SIZE);
        hasTsBegin = has(packetContext, FixedField.TS_BEGIN);
        hasTsEnd = has(packetContext, FixedField.TS_END);
        hasDiscarded = has(packetContext, FixedField.DISCARDED);
        hasSeqNum = has(packetContext, FixedField.SEQ_NUM);
        List<Expansion> start = new ArrayList<>();
        start.add(new Expansion());
        headerExpansions = stream.eventHeader() == null ? start
                : expandHeader(stream.eventHeader(), new ArrayList<>(), start);
    }

    private static boolean has(FixedField[] fields, int source) {
        for (FixedField f : fields) {
            if (f.source == source) {
                return true;
            }
        }
        return false;
    }

    /** The plan of an event class of this stream class, compiled on first use. */
    EventPlan event(EventClass ec) {
        EventPlan p = events.get(ec.id());
        if (p == null || p.eventClass != ec) {
            if (stream.eventClass(ec.id()) != ec) {
                throw new IllegalArgumentException("event class '" + ec.name() + "' (id " + ec.id()
                        + ") does not belong to stream class " + stream.id());
            }
            p = new EventPlan(ec, headerCandidates(ec), program(ec));
            events.put(ec.id(), p);
        }
        return p;
    }

    /** The largest alignment (bits) of any field class of this stream class, its events and the packet header. */
    int maxAlignment() {
        int a = Math.max(align(trace.packetHeader()), Math.max(align(stream.packetContext()),
                Math.max(align(stream.eventHeader()), align(stream.eventCommonContext()))));
        for (EventClass ec : stream.eventClasses()) {
            a = Math.max(a, Math.max(align(ec.specificContext()), align(ec.payload())));
        }
        return a;
    }

    private static int align(FieldClass fc) {
        if (fc == null) {
            return 1;
        }
        int a = fc.alignment();
        if (fc instanceof StructClass s) {
            for (StructClass.Member m : s.members()) {
                a = Math.max(a, align(m.type()));
            }
        } else if (fc instanceof ArrayClass arr) {
            a = Math.max(a, align(arr.elementType()));
        } else if (fc instanceof VariantClass v) {
            for (VariantClass.Option o : v.options()) {
                a = Math.max(a, align(o.type()));
            }
        } else if (fc instanceof OptionalClass o) {
            a = Math.max(a, align(o.type()));
        }
        return a;
    }

    int slotCount() {
        return slotIndex.size();
    }

    // ---------------------------------------------------------------- slots

    private void collectSlots(FieldClass fc, EventClass ec) {
        if (fc == null) {
            return;
        }
        FieldPath ref = null;
        if (fc instanceof ArrayClass a) {
            ref = a.lengthPath();
            collectSlots(a.elementType(), ec);
        } else if (fc instanceof StringClass s) {
            ref = s.lengthPath();
        } else if (fc instanceof BlobClass b) {
            ref = b.lengthPath();
        } else if (fc instanceof VariantClass v) {
            ref = v.selectorPath();
            for (VariantClass.Option o : v.options()) {
                collectSlots(o.type(), ec);
            }
        } else if (fc instanceof OptionalClass o) {
            ref = o.selectorPath();
            collectSlots(o.type(), ec);
        } else if (fc instanceof StructClass s) {
            for (StructClass.Member m : s.members()) {
                collectSlots(m.type(), ec);
            }
        }
        if (ref != null) {
            FieldClass target = Paths.resolve(trace, stream, ec, ref);
            if (!(target instanceof IntegerClass)) {
                throw new IllegalArgumentException("field path " + ref + " does not name an integer field");
            }
            slotIndex.putIfAbsent(Paths.key(ref.scope(), ref.names()), slotIndex.size());
        }
    }

    private int slotOf(Scope scope, List<String> names) {
        Integer i = slotIndex.get(Paths.key(scope, names));
        return i == null ? -1 : i;
    }

    private int slotOf(FieldPath p) {
        int s = slotOf(p.scope(), p.names());
        if (s < 0) {
            throw new IllegalStateException("no slot for " + p);
        }
        return s;
    }

    // ---------------------------------------------------------------- packet header / context

    private FixedField[] fixedLayout(StructClass root, Scope scope) {
        List<FixedField> out = new ArrayList<>();
        if (root != null) {
            flatten(root, scope, new ArrayList<>(), out);
        }
        return out.toArray(new FixedField[0]);
    }

    private void flatten(FieldClass fc, Scope scope, List<String> path, List<FixedField> out) {
        String name = path.isEmpty() ? "" : path.get(path.size() - 1);
        String dotted = String.join(".", path);
        if (fc instanceof StructClass s) {
            if (s.alignment() > 1) {
                out.add(new FixedField(dotted, s.alignment(), 0, false, false, FixedField.ZERO));
            }
            for (StructClass.Member m : s.members()) {
                List<String> p = new ArrayList<>(path);
                p.add(m.name());
                flatten(m.type(), scope, p, out);
            }
        } else if (fc instanceof IntegerClass ic) {
            if (ic.variableLength()) {
                throw unsupported(scope, dotted, "variable-length integer");
            }
            FixedField f = new FixedField(dotted, ic.alignment(), ic.length(), big(ic.byteOrder()), false,
                    source(scope, ic, name, path.size() == 1));
            f.slot = slotOf(scope, path);
            if (f.source == FixedField.USER && !userContextNames.contains(dotted)) {
                userContextNames.add(dotted);
            }
            out.add(f);
        } else if (fc instanceof FloatClass f) {
            out.add(new FixedField(dotted, f.alignment(), f.length(), big(f.byteOrder()), true, FixedField.ZERO));
        } else if (fc instanceof ArrayClass a && a.isStaticLength()
                && (a.elementType() instanceof IntegerClass || a.elementType() instanceof FloatClass
                || a.elementType() instanceof StructClass)) {
            boolean uuid = scope == Scope.PACKET_HEADER && name.equals("uuid")
                    && a.elementType() instanceof IntegerClass e && e.length() == 8 && a.staticLength() == 16;
            if (a.alignment() > 1) {
                out.add(new FixedField(dotted, a.alignment(), 0, false, false, FixedField.ZERO));
            }
            for (long i = 0; i < a.staticLength(); i++) {
                if (uuid) {
                    IntegerClass e = (IntegerClass) a.elementType();
                    FixedField f = new FixedField(dotted, e.alignment(), 8, false, false, FixedField.UUID_BYTE);
                    f.constant = i;
                    out.add(f);
                } else {
                    List<FixedField> elem = new ArrayList<>();
                    flatten(a.elementType(), scope, List.of(), elem);
                    for (FixedField f : elem) {
                        f.source = FixedField.ZERO;
                    }
                    out.addAll(elem);
                }
            }
        } else if (fc instanceof BlobClass b && b.isStaticLength()) {
            boolean uuid = b.isMetadataStreamUuid() || (scope == Scope.PACKET_HEADER && name.equals("uuid"));
            for (long i = 0; i < b.staticLength(); i++) {
                FixedField f = new FixedField(dotted, 8, 8, false, false, uuid && i < 16 ? FixedField.UUID_BYTE
                        : FixedField.ZERO);
                f.constant = i;
                out.add(f);
            }
        } else if (fc instanceof StringClass s && s.kind() == StringClass.Kind.NULL_TERMINATED) {
            out.add(new FixedField(dotted, 8, 8, false, false, FixedField.ZERO));
        } else if (fc instanceof StringClass s && s.kind() == StringClass.Kind.STATIC_LENGTH) {
            for (long i = 0; i < s.staticLength(); i++) {
                out.add(new FixedField(dotted, 8, 8, false, false, FixedField.ZERO));
            }
        } else {
            throw unsupported(scope, dotted, fc.getClass().getSimpleName());
        }
    }

    private static IllegalArgumentException unsupported(Scope scope, String path, String what) {
        return new IllegalArgumentException("cannot write " + scope.tsdlPrefix() + "." + path + ": a " + what
                + " in this scope is not supported by the writer (only fixed-size fields)");
    }

    private static boolean big(ByteOrder o) {
        return o == ByteOrder.BIG_ENDIAN;
    }

    private static int source(Scope scope, IntegerClass ic, String name, boolean top) {
        if (scope == Scope.PACKET_HEADER) {
            if (ic.hasRole(Role.PACKET_MAGIC_NUMBER) || top && name.equals("magic")) {
                return FixedField.MAGIC;
            }
            if (ic.hasRole(Role.DATA_STREAM_CLASS_ID) || top && name.equals("stream_id")) {
                return FixedField.STREAM_CLASS_ID;
            }
            if (ic.hasRole(Role.DATA_STREAM_ID) || top && name.equals("stream_instance_id")) {
                return FixedField.STREAM_INSTANCE_ID;
            }
            return FixedField.ZERO;
        }
        if (scope == Scope.PACKET_CONTEXT) {
            if (ic.hasRole(Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP) || top && name.equals("timestamp_end")) {
                return FixedField.TS_END;
            }
            if (ic.hasRole(Role.DEFAULT_CLOCK_TIMESTAMP) || top && name.equals("timestamp_begin")) {
                return FixedField.TS_BEGIN;
            }
            if (ic.hasRole(Role.PACKET_CONTENT_LENGTH) || top && name.equals("content_size")) {
                return FixedField.CONTENT_SIZE;
            }
            if (ic.hasRole(Role.PACKET_TOTAL_LENGTH) || top && name.equals("packet_size")) {
                return FixedField.PACKET_SIZE;
            }
            if (ic.hasRole(Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT) || top && name.equals("events_discarded")) {
                return FixedField.DISCARDED;
            }
            if (ic.hasRole(Role.PACKET_SEQUENCE_NUMBER) || top && name.equals("packet_seq_num")) {
                return FixedField.SEQ_NUM;
            }
            return FixedField.USER;
        }
        if (ic.hasRole(Role.EVENT_RECORD_CLASS_ID) || name.equals("id")) {
            return FixedField.EVENT_ID;
        }
        if (ic.hasRole(Role.DEFAULT_CLOCK_TIMESTAMP) || ic.mappedClock() != null || name.equals("timestamp")) {
            return FixedField.TIMESTAMP;
        }
        return FixedField.ZERO;
    }

    // ---------------------------------------------------------------- event header

    private List<Expansion> expandHeader(FieldClass fc, List<String> path, List<Expansion> in) {
        if (fc instanceof StructClass s) {
            List<Expansion> cur = in;
            if (s.alignment() > 1) {
                for (Expansion e : cur) {
                    e.fields.add(new FixedField(String.join(".", path), s.alignment(), 0, false, false,
                            FixedField.ZERO));
                    e.paths.add(path);
                }
            }
            for (StructClass.Member m : s.members()) {
                List<String> p = new ArrayList<>(path);
                p.add(m.name());
                cur = expandHeader(m.type(), p, cur);
            }
            return cur;
        }
        if (fc instanceof VariantClass v) {
            FieldPath sp = v.selectorPath();
            FieldClass selector = Paths.resolve(trace, stream, null, sp);
            List<Expansion> out = new ArrayList<>();
            for (Expansion e : in) {
                int selIndex = sp.scope() == Scope.EVENT_HEADER ? e.paths.indexOf(sp.names()) : -1;
                if (selIndex < 0) {
                    throw new IllegalArgumentException("event header variant " + String.join(".", path)
                            + ": its selector " + sp + " must be an earlier event header field");
                }
                for (int i = 0; i < v.options().size(); i++) {
                    Expansion c = e.copy();
                    c.choices.add(new Choice(selIndex, Paths.optionRanges(v, i, selector)));
                    // Field paths name structure members only: variant options are transparent.
                    out.addAll(expandHeader(v.options().get(i).type(), path, new ArrayList<>(List.of(c))));
                }
            }
            return out;
        }
        List<FixedField> flat = new ArrayList<>();
        flatten(fc, Scope.EVENT_HEADER, path, flat);
        for (Expansion e : in) {
            for (FixedField f : flat) {
                e.fields.add(f.copy());
                e.paths.add(path);
            }
        }
        return in;
    }

    private HeaderCandidate[] headerCandidates(EventClass ec) {
        long id = ec.id();
        List<HeaderCandidate> out = new ArrayList<>();
        expansion:
        for (Expansion e : headerExpansions) {
            FixedField[] fields = new FixedField[e.fields.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = e.fields.get(i).copy();
            }
            for (Choice c : e.choices) {
                if (c.ranges().isEmpty()) {
                    continue expansion;
                }
                FixedField sel = fields[c.selectorIndex()];
                boolean laterId = false;
                for (int i = c.selectorIndex() + 1; i < fields.length; i++) {
                    laterId |= fields[i].source == FixedField.EVENT_ID;
                }
                if (sel.source == FixedField.EVENT_ID && !laterId) {
                    boolean in = false;
                    for (IntegerClass.Range r : c.ranges()) {
                        in |= r.contains(id, false);
                    }
                    if (!in) {
                        continue expansion;
                    }
                } else {
                    sel.source = FixedField.CONST;
                    sel.constant = c.ranges().get(0).lower();
                }
            }
            int tsBits = 64;
            for (FixedField f : fields) {
                if (f.source == FixedField.EVENT_ID && f.size < 64 && Long.compareUnsigned(id, 1L << f.size) >= 0) {
                    continue expansion;
                }
                if (f.source == FixedField.TIMESTAMP) {
                    tsBits = Math.min(tsBits, f.size);
                }
            }
            out.add(new HeaderCandidate(fields, tsBits));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("event class '" + ec.name() + "': its id " + id
                    + " cannot be encoded in the event header of stream class " + stream.id());
        }
        return out.toArray(new HeaderCandidate[0]);
    }

    // ---------------------------------------------------------------- event programs

    private Op[] program(EventClass ec) {
        List<Op> ops = new ArrayList<>();
        compile(stream.eventCommonContext(), Scope.EVENT_COMMON_CONTEXT, new ArrayList<>(), ec, ops);
        compile(ec.specificContext(), Scope.EVENT_SPECIFIC_CONTEXT, new ArrayList<>(), ec, ops);
        compile(ec.payload(), Scope.EVENT_PAYLOAD, new ArrayList<>(), ec, ops);
        ops.add(new Op(Op.END, null, "(end)"));
        return ops.toArray(new Op[0]);
    }

    private void compile(FieldClass fc, Scope scope, List<String> path, EventClass ec, List<Op> ops) {
        if (fc == null) {
            return;
        }
        String dotted = path.isEmpty() ? scope.tsdlPrefix() : String.join(".", path);
        if (fc instanceof IntegerClass ic) {
            Op op = new Op(ic.variableLength() ? Op.VARINT : Op.INT, ic, dotted);
            op.align = ic.alignment();
            op.size = ic.length();
            op.bigEndian = big(ic.byteOrder());
            op.signed = ic.signed();
            op.slot = slotOf(scope, path);
            ops.add(op);
        } else if (fc instanceof FloatClass f) {
            Op op = new Op(Op.FLOAT, f, dotted);
            op.align = f.alignment();
            op.size = f.length();
            op.bigEndian = big(f.byteOrder());
            ops.add(op);
        } else if (fc instanceof StringClass s) {
            if (s.encoding() != StringClass.Encoding.UTF8 && s.encoding() != StringClass.Encoding.ASCII) {
                throw new IllegalArgumentException(dotted + ": writing " + s.encoding()
                        + " strings is not supported");
            }
            Op op = new Op(s.kind() == StringClass.Kind.NULL_TERMINATED ? Op.STRING : Op.TEXT, s, dotted);
            op.align = s.alignment();
            if (s.kind() == StringClass.Kind.STATIC_LENGTH) {
                op.length = s.staticLength();
            } else if (s.kind() == StringClass.Kind.DYNAMIC_LENGTH) {
                op.lengthSlot = slotOf(s.lengthPath());
            }
            ops.add(op);
        } else if (fc instanceof BlobClass b) {
            Op op = new Op(Op.BLOB, b, dotted);
            op.align = 8;
            if (b.isStaticLength()) {
                op.length = b.staticLength();
            } else {
                op.lengthSlot = slotOf(b.lengthPath());
            }
            ops.add(op);
        } else if (fc instanceof ArrayClass a && a.isText()
                && a.elementType() instanceof IntegerClass e && e.length() == 8) {
            Op op = new Op(Op.TEXT, a, dotted);
            op.align = a.alignment();
            if (a.isStaticLength()) {
                op.length = a.staticLength();
            } else {
                op.lengthSlot = slotOf(a.lengthPath());
            }
            ops.add(op);
        } else if (fc instanceof ArrayClass a) {
            Op begin = new Op(Op.ARRAY, a, dotted);
            begin.align = a.alignment();
            if (a.isStaticLength()) {
                begin.length = a.staticLength();
            } else {
                begin.lengthSlot = slotOf(a.lengthPath());
            }
            ops.add(begin);
            int body = ops.size();
            compile(a.elementType(), scope, path, ec, ops);
            Op end = new Op(Op.ARRAY_END, a, dotted);
            end.target = body;
            ops.add(end);
            begin.target = ops.size();
        } else if (fc instanceof StructClass s) {
            int firstAlign = s.memberCount() == 0 ? 1 : s.member(0).type().alignment();
            if (s.alignment() > firstAlign || s.memberCount() == 0 && s.alignment() > 1) {
                Op op = new Op(Op.ALIGN, s, dotted);
                op.align = s.alignment();
                ops.add(op);
            }
            for (StructClass.Member m : s.members()) {
                List<String> p = new ArrayList<>(path);
                p.add(m.name());
                compile(m.type(), scope, p, ec, ops);
            }
        } else if (fc instanceof VariantClass v) {
            FieldClass selector = Paths.resolve(trace, stream, ec, v.selectorPath());
            Op op = new Op(Op.VARIANT, v, dotted);
            op.selectorSlot = slotOf(v.selectorPath());
            op.selectorSigned = selector instanceof IntegerClass ic && ic.signed();
            ops.add(op);
            List<Long> lo = new ArrayList<>();
            List<Long> hi = new ArrayList<>();
            List<Integer> tg = new ArrayList<>();
            List<Op> jumps = new ArrayList<>();
            for (int i = 0; i < v.options().size(); i++) {
                VariantClass.Option o = v.options().get(i);
                int start = ops.size();
                for (IntegerClass.Range r : Paths.optionRanges(v, i, selector)) {
                    lo.add(r.lower());
                    hi.add(r.upper());
                    tg.add(start);
                }
                // Field paths name structure members only: variant options are transparent.
                compile(o.type(), scope, path, ec, ops);
                Op j = new Op(Op.JUMP, v, dotted);
                jumps.add(j);
                ops.add(j);
            }
            for (Op j : jumps) {
                j.target = ops.size();
            }
            op.target = ops.size();
            op.rangeLower = lo.stream().mapToLong(Long::longValue).toArray();
            op.rangeUpper = hi.stream().mapToLong(Long::longValue).toArray();
            op.rangeTarget = tg.stream().mapToInt(Integer::intValue).toArray();
        } else if (fc instanceof OptionalClass o) {
            FieldClass selector = Paths.resolve(trace, stream, ec, o.selectorPath());
            Op op = new Op(Op.OPTIONAL, o, dotted);
            op.selectorSlot = slotOf(o.selectorPath());
            op.selectorSigned = selector instanceof IntegerClass ic && ic.signed();
            op.rangeLower = o.selectorRanges().stream().mapToLong(IntegerClass.Range::lower).toArray();
            op.rangeUpper = o.selectorRanges().stream().mapToLong(IntegerClass.Range::upper).toArray();
            ops.add(op);
            compile(o.type(), scope, path, ec, ops);
            op.target = ops.size();
        } else {
            throw new IllegalArgumentException(dotted + ": unsupported field class " + fc.getClass().getSimpleName());
        }
    }
}

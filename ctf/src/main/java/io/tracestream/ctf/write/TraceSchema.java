package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.IntegerClass.Role;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A small fluent builder of new trace classes with an LTTng-like layout:
 * <ul>
 *   <li>packet header {@code { u32 magic; u8 uuid[16]; u32 stream_id; u64 stream_instance_id; }};</li>
 *   <li>packet context {@code { u64 timestamp_begin; u64 timestamp_end; u64 content_size; u64 packet_size;
 *       u64 packet_seq_num; u64 events_discarded; u32 cpu_id; }} plus members you add;</li>
 *   <li>event header: {@link Header#SIMPLE} {@code { u32 id; u64 timestamp; }} (default), LTTng's
 *       {@link Header#COMPACT} (5-bit id, 27-bit timestamp, extended to 32/64 bits when needed) or
 *       {@link Header#LARGE} (16-bit id, 32-bit timestamp, extended likewise).</li>
 * </ul>
 * Timestamps are mapped to the stream's clock (the first clock declared unless chosen; a 1 GHz
 * {@code monotonic} clock when none is declared). Integers are byte-aligned in the trace byte order unless asked
 * otherwise; {@link Fields#bits(String, int)} makes bit-packed ones.
 *
 * <pre>{@code
 * TraceClass tc = TraceSchema.builder()
 *         .env("hostname", "box").clock("monotonic", 1_000_000_000L)
 *         .stream("channel0", s -> s.header(TraceSchema.Header.COMPACT)
 *                 .event("sched_switch", e -> e.textArray("prev_comm", 16).i32("prev_tid").i64("prev_state")
 *                         .textArray("next_comm", 16).i32("next_tid"))
 *                 .event("syscall_entry_openat", e -> e.i32("dfd").string("filename").u32("n")
 *                         .sequence("args", e.uintType(64), "n")))
 *         .build();
 * }</pre>
 * Event ids are given in order from 0 within each stream class, stream class ids from 0.
 */
public final class TraceSchema {
    private TraceSchema() {
    }

    /** Event header layouts. */
    public enum Header { SIMPLE, COMPACT, LARGE }

    public static Builder builder() {
        return new Builder();
    }

    /** A mapping of an enumeration: {@code label} covers {@code [lower, upper]}. */
    public static IntegerClass.Mapping mapping(String label, long lower, long upper) {
        return new IntegerClass.Mapping(label, List.of(new IntegerClass.Range(lower, upper)));
    }

    /** Builds a {@link TraceClass}. */
    public static final class Builder {
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        private UUID uuid = UUID.randomUUID();
        private final Map<String, Object> env = new LinkedHashMap<>();
        private final Map<String, ClockClass> clocks = new LinkedHashMap<>();
        private final List<Consumer<TraceClass>> streams = new ArrayList<>();
        private int streamCount;

        private Builder() {
        }

        public Builder byteOrder(ByteOrder o) {
            this.byteOrder = o;
            return this;
        }

        /** The trace UUID (default: random); null for none (then the packet header has no uuid). */
        public Builder uuid(UUID u) {
            this.uuid = u;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(String name, long value) {
            env.put(name, value);
            return this;
        }

        /** A clock of {@code frequency} Hz with no offset and an unknown origin. */
        public Builder clock(String name, long frequency) {
            return clock(name, frequency, 0, 0, false);
        }

        /** A clock whose origin is {@code offsetSeconds} s + {@code offsetCycles} cycles before its zero. */
        public Builder clock(String name, long frequency, long offsetSeconds, long offsetCycles,
                             boolean originIsUnixEpoch) {
            return clock(new ClockClass(name, null, frequency, offsetSeconds, offsetCycles, 0, originIsUnixEpoch,
                    null, null));
        }

        public Builder clock(ClockClass c) {
            clocks.put(c.name(), c);
            return this;
        }

        /** Adds a stream class named {@code name} (the stream files' prefix), configured by {@code spec}. */
        public Builder stream(String name, Consumer<StreamBuilder> spec) {
            long id = streamCount++;
            streams.add(tc -> {
                StreamBuilder sb = new StreamBuilder(this, tc, id, name);
                spec.accept(sb);
                sb.build();
            });
            return this;
        }

        public TraceClass build() {
            if (clocks.isEmpty()) {
                clock("monotonic", 1_000_000_000L);
            }
            List<StructClass.Member> header = new ArrayList<>();
            header.add(new StructClass.Member("magic", uint(32, 8, 16, Role.PACKET_MAGIC_NUMBER)));
            if (uuid != null) {
                header.add(new StructClass.Member("uuid", new ArrayClass(uint(8, 8, 10, null), 16, null, 8, false,
                        null)));
            }
            header.add(new StructClass.Member("stream_id", uint(32, 8, 10, Role.DATA_STREAM_CLASS_ID)));
            header.add(new StructClass.Member("stream_instance_id", uint(64, 8, 10, Role.DATA_STREAM_ID)));
            TraceClass tc = new TraceClass(1, 8, byteOrder, uuid, new StructClass(header, 8, null), env, clocks,
                    null, null, null, null);
            for (Consumer<TraceClass> s : streams) {
                s.accept(tc);
            }
            return tc;
        }

        IntegerClass uint(int bits, int align, int base, Role role) {
            IntegerClass.Builder b = IntegerClass.builder().length(bits).alignment(align).byteOrder(byteOrder)
                    .base(base);
            if (role != null) {
                b.roles(List.of(role));
            }
            return b.build();
        }

        IntegerClass clocked(int bits, int align, String clock, Role role) {
            IntegerClass.Builder b = IntegerClass.builder().length(bits).alignment(align).byteOrder(byteOrder)
                    .mappedClock(clock);
            if (role != null) {
                b.roles(List.of(role));
            }
            return b.build();
        }
    }

    /** Configures one stream class. */
    public static final class StreamBuilder {
        private final Builder trace;
        private final TraceClass tc;
        private final long id;
        private final String name;
        private Header header = Header.SIMPLE;
        private String clock;
        private Consumer<Fields> extraPacketContext;
        private Consumer<Fields> commonContext;
        private final List<Object[]> events = new ArrayList<>();

        private StreamBuilder(Builder trace, TraceClass tc, long id, String name) {
            this.trace = trace;
            this.tc = tc;
            this.id = id;
            this.name = name;
        }

        public StreamBuilder header(Header h) {
            this.header = h;
            return this;
        }

        /** The clock of this stream's timestamps (a clock declared on the trace builder). */
        public StreamBuilder clock(String clockName) {
            this.clock = clockName;
            return this;
        }

        /** Members appended to the standard packet context (set them with {@link StreamWriter#packetContext}). */
        public StreamBuilder packetContext(Consumer<Fields> spec) {
            this.extraPacketContext = spec;
            return this;
        }

        /** The event common context (stream.event.context), written first in every event. */
        public StreamBuilder commonContext(Consumer<Fields> spec) {
            this.commonContext = spec;
            return this;
        }

        /** Adds an event class with the next id and this payload. */
        public StreamBuilder event(String eventName, Consumer<Fields> payload) {
            return event(eventName, null, payload);
        }

        /** Adds an event class with the next id, a specific context (may be null) and a payload. */
        public StreamBuilder event(String eventName, Consumer<Fields> specificContext, Consumer<Fields> payload) {
            events.add(new Object[]{eventName, specificContext, payload});
            return this;
        }

        private void build() {
            String clk = clock != null ? clock : tc.clocks().keySet().iterator().next();
            ClockClass cc = tc.clock(clk);
            if (cc == null) {
                throw new IllegalArgumentException("stream '" + name + "': no clock named '" + clk + "'");
            }
            List<StructClass.Member> pc = new ArrayList<>(List.of(
                    new StructClass.Member("timestamp_begin", trace.clocked(64, 8, clk, Role.DEFAULT_CLOCK_TIMESTAMP)),
                    new StructClass.Member("timestamp_end",
                            trace.clocked(64, 8, clk, Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP)),
                    new StructClass.Member("content_size", trace.uint(64, 8, 10, Role.PACKET_CONTENT_LENGTH)),
                    new StructClass.Member("packet_size", trace.uint(64, 8, 10, Role.PACKET_TOTAL_LENGTH)),
                    new StructClass.Member("packet_seq_num", trace.uint(64, 8, 10, Role.PACKET_SEQUENCE_NUMBER)),
                    new StructClass.Member("events_discarded",
                            trace.uint(64, 8, 10, Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT)),
                    new StructClass.Member("cpu_id", trace.uint(32, 8, 10, null))));
            if (extraPacketContext != null) {
                Fields f = new Fields(trace.byteOrder, Scope.PACKET_CONTEXT, List.of(), null);
                f.members.addAll(pc);
                extraPacketContext.accept(f);
                pc = f.members;
            }
            StructClass common = null;
            if (commonContext != null) {
                Fields f = new Fields(trace.byteOrder, Scope.EVENT_COMMON_CONTEXT, List.of(), null);
                commonContext.accept(f);
                common = f.build();
            }
            StreamClass sc = new StreamClass(id, name, new StructClass(pc, 8, null), eventHeader(clk), common, cc,
                    null);
            long eventId = 0;
            for (Object[] e : events) {
                @SuppressWarnings("unchecked")
                Consumer<Fields> ctx = (Consumer<Fields>) e[1];
                @SuppressWarnings("unchecked")
                Consumer<Fields> payload = (Consumer<Fields>) e[2];
                StructClass ctxClass = null;
                if (ctx != null) {
                    Fields f = new Fields(trace.byteOrder, Scope.EVENT_SPECIFIC_CONTEXT, List.of(), null);
                    ctx.accept(f);
                    ctxClass = f.build();
                }
                Fields f = new Fields(trace.byteOrder, Scope.EVENT_PAYLOAD, List.of(), null);
                if (payload != null) {
                    payload.accept(f);
                }
                sc.addEventClass(new EventClass(eventId++, (String) e[0], null, null, ctxClass, f.build(), null));
            }
            tc.addStreamClass(sc);
        }

        private StructClass eventHeader(String clk) {
            if (header == Header.SIMPLE) {
                return new StructClass(List.of(
                        new StructClass.Member("id", trace.uint(32, 8, 10, Role.EVENT_RECORD_CLASS_ID)),
                        new StructClass.Member("timestamp", trace.clocked(64, 8, clk, Role.DEFAULT_CLOCK_TIMESTAMP))),
                        8, null);
            }
            boolean compact = header == Header.COMPACT;
            int idBits = compact ? 5 : 16;
            int tsBits = compact ? 27 : 32;
            long ext = (1L << idBits) - 1;
            IntegerClass idEnum = IntegerClass.builder().length(idBits).alignment(compact ? 1 : 8)
                    .byteOrder(trace.byteOrder).enumeration(true).roles(List.of(Role.EVENT_RECORD_CLASS_ID))
                    .mappings(List.of(mapping("compact", 0, ext - 1), mapping("extended", ext, ext))).build();
            StructClass compactStruct = new StructClass(List.of(new StructClass.Member("timestamp",
                    trace.clocked(tsBits, compact ? 1 : 8, clk, Role.DEFAULT_CLOCK_TIMESTAMP))));
            StructClass extendedStruct = new StructClass(List.of(
                    new StructClass.Member("id", trace.uint(32, 8, 10, Role.EVENT_RECORD_CLASS_ID)),
                    new StructClass.Member("timestamp", trace.clocked(64, 8, clk, Role.DEFAULT_CLOCK_TIMESTAMP))));
            FieldPath sel = new FieldPath(Scope.EVENT_HEADER, List.of("id"), null);
            VariantClass v = new VariantClass(sel, List.of(
                    new VariantClass.Option("compact", compactStruct,
                            List.of(new IntegerClass.Range(0, ext - 1)), Map.of()),
                    new VariantClass.Option("extended", extendedStruct,
                            List.of(new IntegerClass.Range(ext, ext)), Map.of())), null);
            return new StructClass(List.of(new StructClass.Member("id", idEnum), new StructClass.Member("v", v)),
                    8, null);
        }
    }

    /**
     * The members of one structure (a scope root, a nested structure or a variant option), in order. Lengths and
     * selectors name an earlier member: {@code "len"} (searched in this structure, then the enclosing ones),
     * {@code "a.len"} (a member of an earlier structure member), or an absolute TSDL path such as
     * {@code "stream.packet.context.cpu_id"}.
     */
    public static final class Fields {
        private final ByteOrder order;
        private final Scope scope;
        private final List<String> prefix;
        private final Fields parent;
        final List<StructClass.Member> members = new ArrayList<>();
        private int minAlign = 1;

        Fields(ByteOrder order, Scope scope, List<String> prefix, Fields parent) {
            this.order = order;
            this.scope = scope;
            this.prefix = prefix;
            this.parent = parent;
        }

        StructClass build() {
            return new StructClass(members, minAlign, null);
        }

        /** Minimum alignment of this structure, in bits (TSDL {@code align(N)}). */
        public Fields align(int bits) {
            this.minAlign = bits;
            return this;
        }

        /** Adds a member of any class. */
        public Fields field(String name, FieldClass type) {
            for (StructClass.Member m : members) {
                if (m.name().equals(name)) {
                    throw new IllegalArgumentException("duplicate member name '" + name + "'");
                }
            }
            members.add(new StructClass.Member(name, type));
            return this;
        }

        public Fields u8(String name) { return field(name, uintType(8)); }
        public Fields u16(String name) { return field(name, uintType(16)); }
        public Fields u32(String name) { return field(name, uintType(32)); }
        public Fields u64(String name) { return field(name, uintType(64)); }
        public Fields i8(String name) { return field(name, sintType(8)); }
        public Fields i16(String name) { return field(name, sintType(16)); }
        public Fields i32(String name) { return field(name, sintType(32)); }
        public Fields i64(String name) { return field(name, sintType(64)); }

        /** An unsigned 64-bit integer shown in hexadecimal. */
        public Fields hex64(String name) {
            return field(name, IntegerClass.builder().length(64).alignment(8).byteOrder(order).base(16).build());
        }

        /** A bit-packed unsigned integer of {@code bits} bits (alignment 1). */
        public Fields bits(String name, int bits) {
            return field(name, IntegerClass.builder().length(bits).alignment(1).byteOrder(order).build());
        }

        /** A bit-packed signed integer of {@code bits} bits (alignment 1). */
        public Fields signedBits(String name, int bits) {
            return field(name, IntegerClass.builder().length(bits).alignment(1).signed(true).byteOrder(order)
                    .build());
        }

        /** An integer with every property chosen. */
        public Fields integer(String name, int bits, boolean signed, int alignment, ByteOrder byteOrder, int base) {
            return field(name, IntegerClass.builder().length(bits).signed(signed).alignment(alignment)
                    .byteOrder(byteOrder).base(base).build());
        }

        /** An enumeration over an integer of {@code bits} bits (byte-aligned when a multiple of 8, else packed). */
        public Fields enumeration(String name, int bits, boolean signed, IntegerClass.Mapping... mappings) {
            return field(name, IntegerClass.builder().length(bits).signed(signed).alignment(bits % 8 == 0 ? 8 : 1)
                    .byteOrder(order).enumeration(true).mappings(Arrays.asList(mappings)).build());
        }

        public Fields f32(String name) { return field(name, floatType(32)); }
        public Fields f64(String name) { return field(name, floatType(64)); }

        /** A null-terminated UTF-8 string. */
        public Fields string(String name) {
            return field(name, StringClass.nullTerminated());
        }

        /** A UTF-8 text array of {@code length} bytes (LTTng {@code ctf_array_text}). */
        public Fields textArray(String name, long length) {
            return field(name, new ArrayClass(charType(), length, null, 8, true, null));
        }

        /** A UTF-8 text sequence whose byte count is the earlier member {@code lengthField}. */
        public Fields textSequence(String name, String lengthField) {
            return field(name, new ArrayClass(charType(), -1, path(lengthField), 8, true, null));
        }

        public Fields array(String name, FieldClass element, long length) {
            return field(name, new ArrayClass(element, length, null, 1, false, null));
        }

        /** A sequence of {@code element}s whose count is the earlier member {@code lengthField}. */
        public Fields sequence(String name, FieldClass element, String lengthField) {
            return field(name, new ArrayClass(element, -1, path(lengthField), 1, false, null));
        }

        public Fields struct(String name, Consumer<Fields> spec) {
            return field(name, structType(name, spec));
        }

        /**
         * A variant selected by the earlier enumeration member {@code selectorField}: option {@code i} is
         * {@code names[i]} (the enumeration label choosing it) with class {@code types[i]}.
         */
        public Fields variant(String name, String selectorField, List<String> names, List<FieldClass> types) {
            if (names.size() != types.size()) {
                throw new IllegalArgumentException("variant '" + name + "': " + names.size() + " names for "
                        + types.size() + " types");
            }
            List<VariantClass.Option> opts = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                opts.add(new VariantClass.Option(names.get(i), types.get(i)));
            }
            return field(name, new VariantClass(path(selectorField), opts, null));
        }

        /** An unsigned integer class of {@code bits} bits, byte-aligned, in the trace byte order. */
        public IntegerClass uintType(int bits) {
            return IntegerClass.builder().length(bits).alignment(8).byteOrder(order).build();
        }

        public IntegerClass sintType(int bits) {
            return IntegerClass.builder().length(bits).alignment(8).signed(true).byteOrder(order).build();
        }

        public FloatClass floatType(int bits) {
            return bits == 32 ? new FloatClass(32, 32, order, 8, 24, null) : new FloatClass(64, 64, order, 11, 53, null);
        }

        /**
         * A structure class for an array element or a variant option. {@code where} is the name of the array or
         * variant member that will hold it (field paths name structure members only, never variant options);
         * lengths and selectors inside resolve from there.
         */
        public StructClass structType(String where, Consumer<Fields> spec) {
            List<String> p = new ArrayList<>(prefix);
            p.addAll(List.of(where.split("\\.")));
            Fields f = new Fields(order, scope, p, this);
            spec.accept(f);
            return f.build();
        }

        private IntegerClass charType() {
            return IntegerClass.builder().length(8).alignment(8).byteOrder(order)
                    .encoding(IntegerClass.Encoding.UTF8).build();
        }

        private FieldPath path(String ref) {
            for (Scope s : Scope.values()) {
                if (ref.startsWith(s.tsdlPrefix() + ".")) {
                    return new FieldPath(s, List.of(ref.substring(s.tsdlPrefix().length() + 1).split("\\.")), ref);
                }
            }
            List<String> names = List.of(ref.split("\\."));
            for (Fields f = this; f != null; f = f.parent) {
                for (StructClass.Member m : f.members) {
                    if (m.name().equals(names.get(0))) {
                        List<String> full = new ArrayList<>(f.prefix);
                        full.addAll(names);
                        return new FieldPath(scope, full, null);
                    }
                }
            }
            throw new IllegalArgumentException("no earlier member '" + ref + "' in " + scope.tsdlPrefix());
        }
    }
}

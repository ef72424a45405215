package io.tracestream.ctf.text;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made traces, streams, packets and events for printer unit tests. */
final class Fakes {
    private Fakes() {
    }

    /** A variant value: the selected option and its value. */
    record Var(int option, Object value) {
    }

    static IntegerClass.Builder uint(int bits) {
        return IntegerClass.builder().length(bits).alignment(8).signed(false);
    }

    static IntegerClass sint(int bits) {
        return IntegerClass.builder().length(bits).alignment(8).signed(true).build();
    }

    static StructClass struct(Object... nameTypePairs) {
        List<StructClass.Member> ms = new ArrayList<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            ms.add(new StructClass.Member((String) nameTypePairs[i], (FieldClass) nameTypePairs[i + 1]));
        }
        return new StructClass(ms);
    }

    static FloatClass dbl() {
        return new FloatClass(8, 64, ByteOrder.LITTLE_ENDIAN, 11, 53, null);
    }

    static StringClass str() {
        return StringClass.nullTerminated();
    }

    static ClockClass clock() {
        return new ClockClass("monotonic", null, 1_000_000_000L, 0, 0, 0, true, null, null);
    }

    /** Walks a value tree (Long, Double, String, List, Map, Var) along its class. */
    static void walk(String name, FieldClass type, Object v, FieldVisitor vis) {
        if (type instanceof IntegerClass ic) {
            vis.integer(name, ic, (Long) v);
        } else if (type instanceof FloatClass fc) {
            vis.floating(name, fc, (Double) v);
        } else if (type instanceof StringClass || (type instanceof ArrayClass a && a.isText())) {
            vis.string(name, type, (String) v);
        } else if (type instanceof StructClass sc) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            vis.beginStruct(name, sc);
            for (StructClass.Member mem : sc.members()) {
                walk(mem.name(), mem.type(), m.get(mem.name()), vis);
            }
            vis.endStruct(name, sc);
        } else if (type instanceof ArrayClass ac) {
            List<?> l = (List<?>) v;
            vis.beginArray(name, ac, l.size());
            for (Object o : l) {
                walk(null, ac.elementType(), o, vis);
            }
            vis.endArray(name, ac);
        } else if (type instanceof VariantClass vc) {
            Var var = (Var) v;
            vis.beginVariant(name, vc, var.option());
            VariantClass.Option o = vc.options().get(var.option());
            walk(o.name(), o.type(), var.value(), vis);
            vis.endVariant(name, vc);
        } else {
            throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    static final class FTrace implements Trace {
        final TraceClass tc;
        final String name;
        final List<DataStream> streams = new ArrayList<>();

        FTrace(TraceClass tc, String name) {
            this.tc = tc;
            this.name = name;
        }

        @Override public Path path() { return Path.of("/tmp/fake"); }
        @Override public String name() { return name; }
        @Override public TraceClass traceClass() { return tc; }
        @Override public List<DataStream> streams() { return streams; }
    }

    static final class FStream implements DataStream {
        final Trace trace;
        final StreamClass sc;
        final long id;
        final String name;

        FStream(Trace trace, StreamClass sc, long id, String name) {
            this.trace = trace;
            this.sc = sc;
            this.id = id;
            this.name = name;
        }

        @Override public Trace trace() { return trace; }
        @Override public StreamClass streamClass() { return sc; }
        @Override public long instanceId() { return id; }
        @Override public Path file() { return null; }
        @Override public String name() { return name; }
    }

    static final class FPacket implements Packet {
        final DataStream stream;
        final long offset;
        final Map<String, Object> context;

        FPacket(DataStream stream, long offset, Map<String, Object> context) {
            this.stream = stream;
            this.offset = offset;
            this.context = context;
        }

        @Override public DataStream stream() { return stream; }
        @Override public long offset() { return offset; }
        @Override public long totalSizeBits() { return 0; }
        @Override public long contentSizeBits() { return 0; }
        @Override public long beginCycles() { return ClockValue.NONE; }
        @Override public long beginNanos() { return ClockValue.NONE; }
        @Override public long endCycles() { return ClockValue.NONE; }
        @Override public long endNanos() { return ClockValue.NONE; }
        @Override public long sequenceNumber() { return -1; }
        @Override public long discardedEventCounter() { return -1; }
        @Override public long cpuId() { return -1; }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
            if (scope == Scope.PACKET_CONTEXT && stream.streamClass().packetContext() != null) {
                walk(null, stream.streamClass().packetContext(), context, visitor);
            }
        }
    }

    static final class FEvent implements EventRecord {
        final EventClass ec;
        final FPacket packet;
        final long ts;
        final Map<String, Object> common;
        final Map<String, Object> specific;
        final Map<String, Object> payload;

        FEvent(EventClass ec, FPacket packet, long ts, Map<String, Object> common, Map<String, Object> specific,
               Map<String, Object> payload) {
            this.ec = ec;
            this.packet = packet;
            this.ts = ts;
            this.common = common;
            this.specific = specific;
            this.payload = payload;
        }

        @Override public EventClass eventClass() { return ec; }
        @Override public DataStream stream() { return packet.stream; }
        @Override public Packet packet() { return packet; }
        @Override public long cycles() { return ts; }
        @Override public long timestamp() { return ts; }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
            switch (scope) {
                case EVENT_COMMON_CONTEXT -> {
                    if (ec.streamClass().eventCommonContext() != null) {
                        walk(null, ec.streamClass().eventCommonContext(), common, visitor);
                    }
                }
                case EVENT_SPECIFIC_CONTEXT -> {
                    if (ec.specificContext() != null) {
                        walk(null, ec.specificContext(), specific, visitor);
                    }
                }
                case EVENT_PAYLOAD -> {
                    if (ec.payload() != null) {
                        walk(null, ec.payload(), payload, visitor);
                    }
                }
                default -> {
                }
            }
        }

        @Override public boolean has(String field) { return false; }
        @Override public long getLong(String field) { throw new UnsupportedOperationException(); }
        @Override public double getDouble(String field) { throw new UnsupportedOperationException(); }
        @Override public String getString(String field) { throw new UnsupportedOperationException(); }
        @Override public Object get(String field) { return null; }
        @Override public EventRecord copy() { return this; }
    }

    static final class FDiscarded implements Discarded {
        final DataStream stream;
        final long count;
        final long begin;
        final long end;

        FDiscarded(DataStream stream, long count, long begin, long end) {
            this.stream = stream;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }

        @Override public DataStream stream() { return stream; }
        @Override public long count() { return count; }
        @Override public long beginCycles() { return begin; }
        @Override public long beginNanos() { return begin; }
        @Override public long endCycles() { return end; }
        @Override public long endNanos() { return end; }
    }
}

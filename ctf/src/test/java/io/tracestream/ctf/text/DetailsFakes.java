package io.tracestream.ctf.text;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.ArrayClass;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Hand-made traces, streams, packets, events and cursors for the details printer's unit tests. */
final class DetailsFakes {
    private DetailsFakes() {
    }

    /** A variant value: the selected option and its value. */
    record Var(int option, Object value) {
    }

    /** Walks a Java value (Long, Double, String, List, Var, Object[] for structs) as a decoder would. */
    static void walk(String name, FieldClass fc, Object v, FieldVisitor fv) {
        if (fc instanceof IntegerClass ic) {
            fv.integer(name, ic, ((Number) v).longValue());
        } else if (fc instanceof FloatClass f) {
            fv.floating(name, f, ((Number) v).doubleValue());
        } else if (fc instanceof StringClass || fc instanceof ArrayClass a0 && a0.isText()) {
            fv.string(name, fc, (String) v);
        } else if (fc instanceof StructClass st) {
            Object[] values = (Object[]) v;
            fv.beginStruct(name, st);
            for (int i = 0; i < st.memberCount(); i++) {
                walk(st.member(i).name(), st.member(i).type(), values[i], fv);
            }
            fv.endStruct(name, st);
        } else if (fc instanceof ArrayClass a) {
            List<?> l = (List<?>) v;
            fv.beginArray(name, a, l.size());
            for (Object e : l) {
                walk(null, a.elementType(), e, fv);
            }
            fv.endArray(name, a);
        } else if (fc instanceof VariantClass vc) {
            Var var = (Var) v;
            fv.beginVariant(name, vc, var.option());
            VariantClass.Option o = vc.options().get(var.option());
            walk(o.name(), o.type(), var.value(), fv);
            fv.endVariant(name, vc);
        } else {
            throw new IllegalArgumentException("unsupported " + fc);
        }
    }

    static final class FTrace implements Trace {
        final String name;
        final TraceClass tc;
        final List<DataStream> streams = new ArrayList<>();

        FTrace(String name, TraceClass tc) {
            this.name = name;
            this.tc = tc;
        }

        @Override public Path path() { return Path.of("/fake/" + name); }
        @Override public String name() { return name; }
        @Override public TraceClass traceClass() { return tc; }
        @Override public List<DataStream> streams() { return streams; }
    }

    static final class FStream implements DataStream {
        final FTrace trace;
        final StreamClass sc;
        final long id;

        FStream(FTrace trace, StreamClass sc, long id) {
            this.trace = trace;
            this.sc = sc;
            this.id = id;
            trace.streams.add(this);
        }

        @Override public Trace trace() { return trace; }
        @Override public StreamClass streamClass() { return sc; }
        @Override public long instanceId() { return id; }
        @Override public Path file() { return null; }
        @Override public String name() { return "stream" + id; }
    }

    static final class FPacket implements Packet {
        final FStream stream;
        long begin = ClockValue.NONE;
        long end = ClockValue.NONE;
        final Map<Scope, Object[]> scopes = new EnumMap<>(Scope.class);

        FPacket(FStream stream) {
            this.stream = stream;
        }

        @Override public DataStream stream() { return stream; }
        @Override public long offset() { return 0; }
        @Override public long totalSizeBits() { return 0; }
        @Override public long contentSizeBits() { return 0; }
        @Override public long beginCycles() { return begin; }
        @Override public long beginNanos() { return begin; }
        @Override public long endCycles() { return end; }
        @Override public long endNanos() { return end; }
        @Override public long sequenceNumber() { return -1; }
        @Override public long discardedEventCounter() { return -1; }
        @Override public long cpuId() { return -1; }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
            Object[] v = scopes.get(scope);
            StructClass st = scope == Scope.PACKET_CONTEXT ? stream.sc.packetContext()
                    : stream.trace.tc.packetHeader();
            if (v != null && st != null) {
                walk(null, st, v, visitor);
            }
        }
    }

    static final class FEvent implements EventRecord {
        final FPacket packet;
        final EventClass ec;
        final long cycles;
        final Map<Scope, Object[]> scopes = new EnumMap<>(Scope.class);

        FEvent(FPacket packet, EventClass ec, long cycles) {
            this.packet = packet;
            this.ec = ec;
            this.cycles = cycles;
        }

        FEvent with(Scope s, Object... values) {
            scopes.put(s, values);
            return this;
        }

        @Override public EventClass eventClass() { return ec; }
        @Override public DataStream stream() { return packet.stream; }
        @Override public Packet packet() { return packet; }
        @Override public long cycles() { return cycles; }
        @Override public long timestamp() { return cycles; }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
            StructClass st = switch (scope) {
                case EVENT_COMMON_CONTEXT -> packet.stream.sc.eventCommonContext();
                case EVENT_SPECIFIC_CONTEXT -> ec.specificContext();
                case EVENT_PAYLOAD -> ec.payload();
                case EVENT_HEADER -> packet.stream.sc.eventHeader();
                default -> null;
            };
            Object[] v = scopes.get(scope);
            if (st != null && v != null) {
                walk(null, st, v, visitor);
            }
        }

        @Override public boolean has(String field) { return false; }
        @Override public long getLong(String field) { throw new UnsupportedOperationException(); }
        @Override public double getDouble(String field) { throw new UnsupportedOperationException(); }
        @Override public String getString(String field) { throw new UnsupportedOperationException(); }
        @Override public Object get(String field) { return null; }
        @Override public EventRecord copy() { return this; }
    }

    record FDiscarded(FStream stream, long count, long beginCycles, long endCycles) implements Discarded {
        @Override public long beginNanos() { return beginCycles; }
        @Override public long endNanos() { return endCycles; }
    }

    /** One message. */
    record Msg(MessageType type, FStream stream, FPacket packet, FEvent event, FDiscarded discarded, long cycles) {
    }

    /** A cursor over a list of messages. */
    static final class FCursor implements MessageCursor {
        final List<Msg> msgs = new ArrayList<>();
        private int i = -1;

        FCursor streamBeginning(FStream s) {
            msgs.add(new Msg(MessageType.STREAM_BEGINNING, s, null, null, null, ClockValue.NONE));
            return this;
        }

        FCursor streamEnd(FStream s) {
            msgs.add(new Msg(MessageType.STREAM_END, s, null, null, null, ClockValue.NONE));
            return this;
        }

        FCursor packetBeginning(FPacket p) {
            msgs.add(new Msg(MessageType.PACKET_BEGINNING, p.stream, p, null, null, p.begin));
            return this;
        }

        FCursor packetEnd(FPacket p) {
            msgs.add(new Msg(MessageType.PACKET_END, p.stream, p, null, null, p.end));
            return this;
        }

        FCursor event(FEvent e) {
            msgs.add(new Msg(MessageType.EVENT, e.packet.stream, e.packet, e, null, e.cycles));
            return this;
        }

        FCursor discardedEvents(FDiscarded d) {
            msgs.add(new Msg(MessageType.DISCARDED_EVENTS, d.stream(), null, null, d, d.beginCycles()));
            return this;
        }

        private Msg m() { return msgs.get(i); }

        @Override public boolean next() { return ++i < msgs.size(); }
        @Override public MessageType type() { return m().type(); }
        @Override public DataStream stream() { return m().stream(); }
        @Override public Packet packet() { return m().packet(); }
        @Override public EventRecord event() { return m().event(); }
        @Override public Discarded discarded() { return m().discarded(); }
        @Override public long timeNanos() { return m().cycles(); }
        @Override public long timeCycles() { return m().cycles(); }
        @Override public void close() { }
    }

    static ClockClass clock(String name, String description, long freq, long offsetS, long offsetCycles,
                            long precision, boolean unix, String uuid) {
        return new ClockClass(name, description, freq, offsetS, offsetCycles, precision, unix,
                uuid == null ? null : java.util.UUID.fromString(uuid), null);
    }
}

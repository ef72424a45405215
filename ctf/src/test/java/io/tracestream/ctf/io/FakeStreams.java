package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Hand-made traces, streams and message cursors for muxer and trimmer tests. */
final class FakeStreams {
    private FakeStreams() {
    }

    static ClockClass clock(String name, boolean absolute, UUID uuid) {
        return new ClockClass(name, null, 1_000_000_000L, 0, 0, 0, absolute, uuid, null);
    }

    static TraceClass traceClass(UUID uuid, ClockClass clock, long... streamClassIds) {
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, uuid, null, Map.of(),
                clock == null ? Map.of() : Map.of(clock.name(), clock), null, null, null, null);
        for (long id : streamClassIds) {
            IntegerClass u64 = IntegerClass.builder().length(64).alignment(8).build();
            StructClass pc = new StructClass(List.of(new StructClass.Member("timestamp_begin", u64),
                    new StructClass.Member("timestamp_end", u64)));
            StreamClass sc = new StreamClass(id, null, pc, null, null, clock, null);
            sc.addEventClass(new EventClass(1, "a", null, null, null, null, null));
            sc.addEventClass(new EventClass(2, "b", 3L, null, null, null, null));
            tc.addStreamClass(sc);
        }
        return tc;
    }

    static final class FakeTrace implements Trace {
        final String name;
        final TraceClass tc;
        final List<DataStream> streams = new ArrayList<>();

        FakeTrace(String name, TraceClass tc) {
            this.name = name;
            this.tc = tc;
        }

        @Override
        public Path path() {
            return Path.of("/fake/" + name);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TraceClass traceClass() {
            return tc;
        }

        @Override
        public List<DataStream> streams() {
            return streams;
        }

        FakeStream stream(long classId, long id) {
            FakeStream s = new FakeStream(this, tc.streamClass(classId), id);
            streams.add(s);
            return s;
        }
    }

    static final class FakeStream implements DataStream {
        final FakeTrace trace;
        final StreamClass sc;
        final long id;

        FakeStream(FakeTrace trace, StreamClass sc, long id) {
            this.trace = trace;
            this.sc = sc;
            this.id = id;
        }

        @Override
        public Trace trace() {
            return trace;
        }

        @Override
        public StreamClass streamClass() {
            return sc;
        }

        @Override
        public long instanceId() {
            return id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public Path file() {
            return Path.of("/fake/" + trace.name + "/s" + sc.id() + "_" + id);
        }

        @Override
        public String name() {
            return file().toString();
        }

        /** A cursor over messages written as "SB", "PB@10", "E1@10" (event class 1), "PE@20", "DE3@15-18", "SE". */
        FakeCursor cursor(String... messages) {
            return new FakeCursor(this, messages);
        }
    }

    /** Replays a scripted message list; a label identifies each message in assertions. */
    static final class FakeCursor implements MessageCursor {
        final FakeStream stream;
        final String[] script;
        int pos = -1;
        MessageType type;
        long time;
        EventRecord event;
        Discarded discarded;
        boolean closed;

        FakeCursor(FakeStream stream, String[] script) {
            this.stream = stream;
            this.script = script;
        }

        String label() {
            return stream.trace.name + "/" + stream.sc.id() + "/" + stream.id + ":" + script[pos];
        }

        @Override
        public boolean next() {
            if (pos + 1 >= script.length) {
                pos = script.length;
                return false;
            }
            pos++;
            String m = script[pos];
            String head = m;
            time = ClockValue.NONE;
            int at = m.indexOf('@');
            String range = null;
            if (at >= 0) {
                head = m.substring(0, at);
                range = m.substring(at + 1);
                String first = range.contains("-") ? range.substring(0, range.indexOf('-')) : range;
                time = Long.parseLong(first);
            }
            event = null;
            discarded = null;
            if (head.equals("SB")) {
                type = MessageType.STREAM_BEGINNING;
            } else if (head.equals("SE")) {
                type = MessageType.STREAM_END;
            } else if (head.equals("PB")) {
                type = MessageType.PACKET_BEGINNING;
            } else if (head.equals("PE")) {
                type = MessageType.PACKET_END;
            } else if (head.startsWith("E")) {
                type = MessageType.EVENT;
                EventClass ec = stream.sc.eventClass(Long.parseLong(head.substring(1)));
                event = new FakeEvent(ec, stream, time);
            } else if (head.startsWith("DE") || head.startsWith("DP")) {
                type = head.startsWith("DE") ? MessageType.DISCARDED_EVENTS : MessageType.DISCARDED_PACKETS;
                long count = head.length() > 2 ? Long.parseLong(head.substring(2)) : -1;
                long b = time;
                long e = range != null && range.contains("-")
                        ? Long.parseLong(range.substring(range.indexOf('-') + 1)) : time;
                discarded = new SimpleDiscarded();
                ((SimpleDiscarded) discarded).set(stream, count, b, b, e, e);
            } else {
                throw new IllegalArgumentException(m);
            }
            return true;
        }

        @Override
        public MessageType type() {
            return type;
        }

        @Override
        public DataStream stream() {
            return stream;
        }

        @Override
        public Packet packet() {
            return null;
        }

        @Override
        public EventRecord event() {
            return event;
        }

        @Override
        public Discarded discarded() {
            return discarded;
        }

        @Override
        public long timeNanos() {
            return time;
        }

        @Override
        public long timeCycles() {
            return time;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    record FakeEvent(EventClass eventClass, DataStream stream, long timestamp) implements EventRecord {
        @Override
        public Packet packet() {
            return null;
        }

        @Override
        public long cycles() {
            return timestamp;
        }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
        }

        @Override
        public boolean has(String field) {
            return false;
        }

        @Override
        public long getLong(String field) {
            throw new IllegalArgumentException(field);
        }

        @Override
        public double getDouble(String field) {
            throw new IllegalArgumentException(field);
        }

        @Override
        public String getString(String field) {
            throw new IllegalArgumentException(field);
        }

        @Override
        public Object get(String field) {
            return null;
        }

        @Override
        public EventRecord copy() {
            return this;
        }
    }
}

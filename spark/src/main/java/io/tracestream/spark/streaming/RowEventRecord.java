package io.tracestream.spark.streaming;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.Scope;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link RowEvent} seen as the core's {@link EventRecord}, what the analyses read: name, scalar fields by name and
 * the packet's CPU. Reused (a flyweight, like the decoder's records); one {@link EventClass} per event name.
 */
final class RowEventRecord implements EventRecord {
    private final Map<String, EventClass> classes = new HashMap<>();
    private RowEvent e;
    private EventClass eventClass;
    private final Packet packet = new CpuPacket();

    RowEventRecord set(RowEvent event) {
        this.e = event;
        this.eventClass = classes.computeIfAbsent(event.name,
                n -> new EventClass(event.eventId, n, null, null, null, null, Map.of()));
        return this;
    }

    @Override
    public EventClass eventClass() {
        return eventClass;
    }

    @Override
    public DataStream stream() {
        return null;
    }

    @Override
    public Packet packet() {
        return packet;
    }

    @Override
    public long cycles() {
        return e.ts;
    }

    @Override
    public long timestamp() {
        return e.ts;
    }

    @Override
    public void accept(Scope scope, FieldVisitor visitor) {
        throw new UnsupportedOperationException("a row event has no field tree");
    }

    @Override
    public boolean has(String field) {
        return e.fields.containsKey(field);
    }

    @Override
    public long getLong(String field) {
        Object o = e.fields.get(field);
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("event " + e.name + " has no integer field " + field);
    }

    @Override
    public double getDouble(String field) {
        Object o = e.fields.get(field);
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("event " + e.name + " has no number field " + field);
    }

    @Override
    public String getString(String field) {
        Object o = e.fields.get(field);
        return o == null ? null : o.toString();
    }

    @Override
    public Object get(String field) {
        return e.fields.get(field);
    }

    @Override
    public EventRecord copy() {
        return new RowEventRecord().set(e);
    }

    /** The packet an event came from, as far as the analyses look: its CPU. */
    private final class CpuPacket implements Packet {
        @Override
        public DataStream stream() {
            return null;
        }

        @Override
        public long offset() {
            return -1;
        }

        @Override
        public long totalSizeBits() {
            return -1;
        }

        @Override
        public long contentSizeBits() {
            return -1;
        }

        @Override
        public long beginCycles() {
            return -1;
        }

        @Override
        public long beginNanos() {
            return -1;
        }

        @Override
        public long endCycles() {
            return -1;
        }

        @Override
        public long endNanos() {
            return -1;
        }

        @Override
        public long sequenceNumber() {
            return -1;
        }

        @Override
        public long discardedEventCounter() {
            return -1;
        }

        @Override
        public long cpuId() {
            return e.cpu;
        }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
        }
    }
}

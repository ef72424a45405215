package io.tracestream.spark.read;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Decodes one {@link PacketRange} into Spark rows of a {@link ReadPlan}: the executor side of the {@code ctf} data
 * source, reusable by any Spark reader of CTF packets (the streaming source, the Spark engines of the analyses).
 *
 * <p>The trace metadata is parsed and compiled once per executor JVM ({@link TraceCache}); the packets are decoded
 * with the core's {@link TraceDecoder#openStream} flyweight cursor. Events of classes the plan does not want are
 * skipped without decoding their payload; events outside the plan's time bounds are dropped; only the plan's columns
 * are materialised. Discarded events and lost packets that the packet contexts show are counted in the metrics; in
 * lenient mode corrupt packets are skipped and counted, otherwise the first error fails the task with the core's
 * one-line message (file and offset).
 *
 * <pre>{@code
 * try (PacketRangeReader r = new PacketRangeReader(range, plan)) {
 *     while (r.next()) { InternalRow row = r.get(); ... }   // row reused: copy() to keep it
 * }
 * }</pre>
 */
public final class PacketRangeReader implements PartitionReader<InternalRow> {
    private final PacketRange range;
    private final ReadPlan plan;
    private final MessageCursor cursor;
    private final Object[] values;
    private final GenericInternalRow row;
    private final Map<EventClass, EventWriter> writers = new IdentityHashMap<>();
    private final RowFiller filler = new RowFiller();
    private final long[] metrics = new long[ReadMetrics.NAMES.length];
    private final UTF8String traceName;
    private final UTF8String host;
    private final UTF8String streamFile;
    private int packetsBegun;
    private Packet packet;
    private Object cpu;
    private Object seq;

    /** Opens the range (parses the trace metadata when this JVM has not yet). */
    public PacketRangeReader(PacketRange range, ReadPlan plan) {
        this.range = range;
        this.plan = plan;
        TraceDecoder dec = TraceCache.decoder(range.metadataFile);
        TraceClass tc = dec.traceClass();
        StreamClass sc = tc.streamClass(range.streamClassId);
        if (sc == null && tc.streamClasses().size() <= 1 && range.streamClassId == 0) {
            sc = tc.streamClasses().isEmpty() ? null : tc.streamClasses().iterator().next();
        }
        TraceCache.SplitTrace trace = new TraceCache.SplitTrace(Path.of(range.tracePath), range.traceName, tc);
        TraceCache.SplitStream stream = new TraceCache.SplitStream(trace, sc, range.instanceId, range.streamId,
                range.files.length == 0 ? null : Path.of(range.files[0]), range.streamName);
        DecodeOptions opt = DecodeOptions.DEFAULT;
        if (plan.lenient()) {
            opt = opt.lenient((file, offset, reason) -> metrics[5]++);
        }
        this.cursor = dec.openStream(stream, range.entries(), opt.withQuirksFor(tc));
        this.values = new Object[plan.schema().size()];
        this.row = new GenericInternalRow(values);
        this.traceName = UTF8String.fromString(range.traceName);
        this.host = range.host == null ? null : UTF8String.fromString(range.host);
        this.streamFile = range.streamName == null ? null : UTF8String.fromString(range.streamName);
    }

    @Override
    public boolean next() {
        EventRecord e = nextEvent();
        if (e == null) {
            return false;
        }
        writer.write(e);
        return true;
    }

    /**
     * Moves to the next event the plan wants (its class asked for, its time within the bounds), without
     * materialising a row: null at the end of the range. {@link #writer()} is then that event's class state and
     * {@link #cpu()} its packet's CPU. For the columnar and aggregating readers.
     */
    EventRecord nextEvent() {
        try {
            return advance();
        } catch (CtfException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CtfException(range.streamName + ": cannot read packets: " + e, e);
        }
    }

    /** The class state of the event {@link #nextEvent()} returned last. */
    EventWriter writer() {
        return writer;
    }

    /** The CPU of the current packet ({@code Integer}), or null. */
    Object cpu() {
        return cpu;
    }

    /** The sequence number of the current packet ({@code Long}), or null. */
    Object packetSeq() {
        return seq;
    }

    /** Number of packets begun so far (lead-in included): changes when a new packet starts. */
    int packetsBegun() {
        return packetsBegun;
    }

    PacketRange range() {
        return range;
    }

    private EventWriter writer;

    private EventRecord advance() {
        MessageCursor c = cursor;
        while (c.next()) {
            MessageType t = c.type();
            if (t == MessageType.EVENT) {
                if (packetsBegun <= range.firstEmitted) {
                    continue; // lead-in packet
                }
                metrics[2]++;
                EventRecord e = c.event();
                EventClass ec = e.eventClass();
                EventWriter w = writer;
                if (w == null || w.eventClass != ec) {
                    w = writers.get(ec);
                    if (w == null) {
                        w = new EventWriter(ec);
                        writers.put(ec, w);
                    }
                }
                if (w.skip) {
                    continue;
                }
                if (plan.timeFiltered()) {
                    long ts = e.timestamp();
                    if (ts == ClockValue.NONE || ts < plan.tsLow() || ts > plan.tsHigh()) {
                        continue;
                    }
                }
                writer = w;
                metrics[6]++;
                return e;
            }
            switch (t) {
                case PACKET_BEGINNING -> {
                    packetsBegun++;
                    packet = c.packet();
                    if (packetsBegun > range.firstEmitted) {
                        metrics[0]++;
                        metrics[1] += packet.totalSizeBits() / 8;
                    }
                    long cpuId = packet.cpuId();
                    cpu = cpuId < 0 ? null : (Object) (int) cpuId;
                    long s = packet.sequenceNumber();
                    seq = s < 0 ? null : (Object) s;
                }
                case DISCARDED_EVENTS -> {
                    if (packetsBegun >= range.firstEmitted) {
                        Discarded d = c.discarded();
                        metrics[3] += Math.max(0, d.count());
                    }
                }
                case DISCARDED_PACKETS -> {
                    if (packetsBegun >= range.firstEmitted) {
                        Discarded d = c.discarded();
                        metrics[4] += Math.max(0, d.count());
                    }
                }
                default -> { }
            }
        }
        return null;
    }

    @Override
    public InternalRow get() {
        return row;
    }

    /** The counters so far, by {@link ReadMetrics} name order. */
    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return ReadMetrics.values(metrics);
    }

    /** Events discarded by the tracer in the range so far. */
    public long discardedEvents() {
        return metrics[3];
    }

    /** Packets lost (sequence number gaps) in the range so far. */
    public long lostPackets() {
        return metrics[4];
    }

    /** Corrupt packets skipped so far (lenient plans). */
    public long corruptPackets() {
        return metrics[5];
    }

    @Override
    public void close() {
        cursor.close();
    }

    /** The state of one event class: whether the plan wants it, its compiled fields; fills rows. */
    final class EventWriter {
        final EventClass eventClass;
        final boolean skip;
        final UTF8String name;
        final long id;
        final int[] meta = new int[EventColumns.META.size()];
        final FieldNode common;
        final FieldNode specific;
        final FieldNode payload;
        final int contextSlot;
        final int contextWidth;
        final int payloadSlot;
        final VariantEncoder variant;

        EventWriter(EventClass ec) {
            this.eventClass = ec;
            this.skip = plan.events() != null && !plan.events().contains(ec.name());
            this.name = UTF8String.fromString(ec.name());
            this.id = ec.id();
            StructType schema = plan.schema();
            for (int i = 0; i < meta.length; i++) {
                meta[i] = FieldNode.index(schema, EventColumns.META.get(i).name());
            }
            StreamClass sc = ec.streamClass();
            StructClass cc = sc == null ? null : sc.eventCommonContext();
            if (plan.typed()) {
                contextSlot = -1;
                contextWidth = 0;
                payloadSlot = -1;
                variant = null;
                common = skip ? null : root('c', cc, schema);
                specific = skip ? null : root('s', ec.specificContext(), schema);
                payload = skip ? null : root('p', ec.payload(), schema);
            } else {
                contextSlot = FieldNode.index(schema, EventColumns.CONTEXT);
                payloadSlot = FieldNode.index(schema, EventColumns.PAYLOAD);
                StructType ctx = contextSlot >= 0 ? (StructType) schema.fields()[contextSlot].dataType() : null;
                contextWidth = ctx == null ? 0 : ctx.size();
                common = ctx == null || skip ? null : root('c', cc, ctx);
                specific = ctx == null || skip ? null : root('s', ec.specificContext(), ctx);
                payload = null;
                variant = payloadSlot >= 0 && ec.payload() != null && !skip ? new VariantEncoder(ec.payload()) : null;
            }
        }

        /** The root node of a scope whose members go to the named fields of {@code target}; null when none. */
        private FieldNode root(char scope, StructClass st, StructType target) {
            if (st == null || st.memberCount() == 0) {
                return null;
            }
            String[] names = TypeMapping.memberNames(st);
            int[] slots = new int[names.length];
            DataType[] types = new DataType[names.length];
            boolean any = false;
            for (int i = 0; i < names.length; i++) {
                DataType full = TypeMapping.sparkType(st.member(i).type(), false);
                String col = plan.columnNames().get(ReadPlan.key(scope, names[i], full));
                int s = col == null ? -1 : FieldNode.index(target, col);
                slots[i] = s;
                if (s >= 0) {
                    types[i] = target.fields()[s].dataType();
                    any = true;
                }
            }
            return any ? FieldNode.root(st, slots, types) : null;
        }

        void write(EventRecord e) {
            Object[] v = values;
            Arrays.fill(v, null);
            int[] m = meta;
            if (m[0] >= 0) {
                v[m[0]] = name;
            }
            long ts = e.timestamp();
            if (ts != ClockValue.NONE) {
                if (m[1] >= 0) {
                    v[m[1]] = ts;
                }
                if (m[2] >= 0) {
                    v[m[2]] = Math.floorDiv(ts, 1000L);
                }
            }
            long cy = e.cycles();
            if (m[3] >= 0 && cy != ClockValue.NONE) {
                v[m[3]] = cy;
            }
            if (m[4] >= 0) {
                v[m[4]] = cpu;
            }
            if (m[5] >= 0) {
                v[m[5]] = traceName;
            }
            if (m[6] >= 0) {
                v[m[6]] = host;
            }
            if (m[7] >= 0) {
                v[m[7]] = range.streamId;
            }
            if (m[8] >= 0) {
                v[m[8]] = range.streamClassId;
            }
            if (m[9] >= 0) {
                v[m[9]] = streamFile;
            }
            if (m[10] >= 0) {
                v[m[10]] = seq;
            }
            if (m[11] >= 0) {
                v[m[11]] = id;
            }
            if (plan.typed()) {
                walk(e, Scope.EVENT_COMMON_CONTEXT, common, v);
                walk(e, Scope.EVENT_SPECIFIC_CONTEXT, specific, v);
                walk(e, Scope.EVENT_PAYLOAD, payload, v);
            } else {
                if (contextSlot >= 0 && (common != null || specific != null)) {
                    Object[] ctx = new Object[contextWidth];
                    walk(e, Scope.EVENT_COMMON_CONTEXT, common, ctx);
                    walk(e, Scope.EVENT_SPECIFIC_CONTEXT, specific, ctx);
                    v[contextSlot] = new GenericInternalRow(ctx);
                }
                if (variant != null) {
                    variant.reset();
                    e.accept(Scope.EVENT_PAYLOAD, variant);
                    v[payloadSlot] = variant.result();
                }
            }
        }

        private void walk(EventRecord e, Scope scope, FieldNode root, Object[] target) {
            if (root != null) {
                filler.start(root, target);
                e.accept(scope, filler);
            }
        }
    }

    static StructField field(StructType st, String name) {
        int i = FieldNode.index(st, name);
        return i < 0 ? null : st.fields()[i];
    }
}

package io.tracestream.spark.read;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.EventRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Computes an {@link AggregatePlan} over one split: walks the split's events with a {@link PacketRangeReader} (same
 * class, time and lead-in handling as the row reader) but materialises no row; the group of an event is found
 * through a per-class cache, renewed at each packet when a grouping column is per packet. Returns one row per
 * group.
 */
final class AggregateReader implements PartitionReader<InternalRow> {
    private final PacketRangeReader in;
    private final AggregatePlan plan;
    private final UTF8String trace;
    private final UTF8String host;
    private final UTF8String streamFile;
    private Iterator<Map.Entry<List<Object>, long[]>> out;
    private InternalRow row;

    AggregateReader(PacketRange range, ReadPlan readPlan, AggregatePlan plan) {
        this.in = new PacketRangeReader(range, readPlan);
        this.plan = plan;
        this.trace = UTF8String.fromString(range.traceName);
        this.host = range.host == null ? null : UTF8String.fromString(range.host);
        this.streamFile = range.streamName == null ? null : UTF8String.fromString(range.streamName);
    }

    @Override
    public boolean next() {
        if (out == null) {
            out = aggregate().entrySet().iterator();
        }
        if (!out.hasNext()) {
            return false;
        }
        Map.Entry<List<Object>, long[]> g = out.next();
        row = toRow(g.getKey(), g.getValue());
        return true;
    }

    @Override
    public InternalRow get() {
        return row;
    }

    /** Accumulators per group: per aggregate, a count or a value and a "has value" flag. */
    private Map<List<Object>, long[]> aggregate() {
        int[] groupBy = plan.groupBy();
        int[] fn = plan.functions();
        int[] col = plan.columns();
        boolean perPacket = false;
        for (int c : groupBy) {
            String n = EventColumns.META.get(c).name();
            perPacket |= n.equals(EventColumns.CPU) || n.equals(EventColumns.PACKET_SEQ);
        }
        Map<List<Object>, long[]> groups = new HashMap<>();
        if (plan.global()) {
            groups.put(List.of(), accumulators(fn.length));
        }
        Map<PacketRangeReader.EventWriter, long[]> byClass = new IdentityHashMap<>();
        PacketRangeReader.EventWriter lastWriter = null;
        long[] last = null;
        int packet = -1;
        EventRecord e;
        while ((e = in.nextEvent()) != null) {
            PacketRangeReader.EventWriter w = in.writer();
            if (perPacket && in.packetsBegun() != packet) {
                packet = in.packetsBegun();
                byClass.clear();
                lastWriter = null;
            }
            long[] acc;
            if (w == lastWriter) {
                acc = last;
            } else {
                acc = byClass.get(w);
                if (acc == null) {
                    Object[] key = new Object[groupBy.length];
                    for (int i = 0; i < key.length; i++) {
                        key[i] = value(groupBy[i], w, null);
                    }
                    acc = groups.computeIfAbsent(Arrays.asList(key), k -> accumulators(fn.length));
                    byClass.put(w, acc);
                }
                lastWriter = w;
                last = acc;
            }
            for (int i = 0; i < fn.length; i++) {
                switch (fn[i]) {
                    case AggregatePlan.COUNT_STAR -> acc[2 * i]++;
                    case AggregatePlan.COUNT -> {
                        if (value(col[i], w, e) != null) {
                            acc[2 * i]++;
                        }
                    }
                    default -> {
                        Object v = value(col[i], w, e);
                        if (v != null) {
                            long x = ((Number) v).longValue();
                            boolean min = fn[i] == AggregatePlan.MIN;
                            if (acc[2 * i + 1] == 0 || (min ? x < acc[2 * i] : x > acc[2 * i])) {
                                acc[2 * i] = x;
                                acc[2 * i + 1] = 1;
                            }
                        }
                    }
                }
            }
        }
        return groups;
    }

    private static long[] accumulators(int n) {
        return new long[2 * n];
    }

    /** The Spark value of a leading column for the current event ({@code e} null: per-class/packet columns only). */
    private Object value(int column, PacketRangeReader.EventWriter w, EventRecord e) {
        PacketRange r = in.range();
        return switch (EventColumns.META.get(column).name()) {
            case EventColumns.NAME -> w.name;
            case EventColumns.EVENT_ID -> w.id;
            case EventColumns.CPU -> in.cpu();
            case EventColumns.PACKET_SEQ -> in.packetSeq();
            case EventColumns.TRACE -> trace;
            case EventColumns.HOST -> host;
            case EventColumns.STREAM_ID -> r.streamId;
            case EventColumns.STREAM_CLASS_ID -> r.streamClassId;
            case EventColumns.STREAM_FILE -> streamFile;
            case EventColumns.TS -> {
                long ts = e.timestamp();
                yield ts == ClockValue.NONE ? null : (Object) ts;
            }
            case EventColumns.TIME -> {
                long ts = e.timestamp();
                yield ts == ClockValue.NONE ? null : (Object) Math.floorDiv(ts, 1000L);
            }
            case EventColumns.CYCLES -> {
                long cy = e.cycles();
                yield cy == ClockValue.NONE ? null : (Object) cy;
            }
            default -> throw new IllegalStateException(EventColumns.META.get(column).name());
        };
    }

    private InternalRow toRow(List<Object> key, long[] acc) {
        int[] fn = plan.functions();
        List<Object> v = new ArrayList<>(key);
        for (int i = 0; i < fn.length; i++) {
            if (fn[i] <= AggregatePlan.COUNT) {
                v.add(acc[2 * i]);
            } else if (acc[2 * i + 1] == 0) {
                v.add(null);
            } else {
                boolean isInt = EventColumns.META.get(plan.columns()[i]).name().equals(EventColumns.CPU);
                v.add(isInt ? (Object) (int) acc[2 * i] : (Object) acc[2 * i]);
            }
        }
        return new GenericInternalRow(v.toArray());
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return in.currentMetricsValues();
    }

    @Override
    public void close() {
        in.close();
    }
}

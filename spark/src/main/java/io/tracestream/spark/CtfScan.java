package io.tracestream.spark;

import io.tracestream.spark.read.AggregatePlan;
import io.tracestream.spark.read.CtfReaderFactory;
import io.tracestream.spark.read.PacketRange;
import io.tracestream.spark.read.ReadMetrics;
import io.tracestream.spark.read.ReadPlan;
import io.tracestream.spark.read.SplitPlanner;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * A batch scan of a {@link CtfTable}: the splits left after pushdown and the plan the executors decode with. Its
 * {@link #description()} (shown by {@code explain()}) says what pushdown kept: streams, packets and bytes out of
 * the total, the time range and event names.
 */
public final class CtfScan implements Scan, Batch {
    private final CtfTable table;
    private final StructType readSchema;
    private final SplitPlanner.Pruning pruning;
    private final Filter[] pushed;
    private final AggregatePlan aggregate;
    private final boolean completeAggregate;
    private SplitPlanner.Plan plan;

    CtfScan(CtfTable table, StructType readSchema, SplitPlanner.Pruning pruning, Filter[] pushed,
            AggregatePlan aggregate, boolean completeAggregate) {
        this.table = table;
        this.readSchema = readSchema;
        this.pruning = pruning;
        this.pushed = pushed;
        this.aggregate = aggregate;
        this.completeAggregate = completeAggregate;
    }

    @Override
    public StructType readSchema() {
        return readSchema;
    }

    /** The splits (computed once). */
    public synchronized SplitPlanner.Plan plan() {
        if (plan == null) {
            plan = SplitPlanner.plan(table.traces(), pruning, table.options().maxSplitBytes());
        }
        return plan;
    }

    /** The plan the readers decode with (no column at all for a pushed aggregation). */
    public ReadPlan readPlan() {
        return table.layout().plan(aggregate == null ? readSchema : new StructType(), pruning.events(),
                pruning.tsLow(), pruning.tsHigh(), table.options().lenient());
    }

    /** The reader factory: rows, column batches or pushed aggregates. */
    private CtfReaderFactory readerFactory() {
        return new CtfReaderFactory(readPlan(), aggregate, table.options().columnar());
    }

    @Override
    public String description() {
        SplitPlanner.Plan p = plan();
        StringBuilder sb = new StringBuilder("CtfScan ");
        sb.append(table.options().paths().stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]")));
        sb.append(table.layout().events() == null ? " table=events" : " table=" + table.layout().events());
        sb.append(" streams=").append(p.streamsRead()).append('/').append(p.streams());
        sb.append(" packets=").append(p.packetsRead()).append('/').append(p.packets());
        sb.append(" bytes=").append(p.bytesRead()).append('/').append(p.bytes());
        sb.append(" splits=").append(p.splits().size());
        if (pruning.timeBounded()) {
            sb.append(" ts=[").append(pruning.tsLow() == Long.MIN_VALUE ? "-inf" : pruning.tsLow()).append(", ")
                    .append(pruning.tsHigh() == Long.MAX_VALUE ? "+inf" : pruning.tsHigh()).append(']');
        }
        if (pruning.events() != null) {
            sb.append(" events=").append(pruning.events());
        }
        if (pruning.cpus() != null) {
            sb.append(" cpus=").append(pruning.cpus());
        }
        if (pruning.streamIds() != null) {
            sb.append(" stream_ids=").append(pruning.streamIds());
        }
        if (pruning.streamFiles() != null) {
            sb.append(" stream_files=").append(pruning.streamFiles());
        }
        if (pruning.traces() != null) {
            sb.append(" traces=").append(pruning.traces());
        }
        if (pruning.hosts() != null) {
            sb.append(" hosts=").append(pruning.hosts());
        }
        if (pushed.length > 0) {
            sb.append(" pushed=").append(Arrays.toString(pushed));
        }
        if (aggregate != null) {
            sb.append(" aggregate=").append(aggregate.text()).append(completeAggregate ? " (complete)"
                    : " (partial, merged by Spark)");
        } else {
            sb.append(" columns=").append(readSchema.simpleString());
            if (readerFactory().columnar()) {
                sb.append(" columnar");
            }
        }
        if (table.options().lenient()) {
            sb.append(" lenient");
        }
        return sb.toString();
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return plan().splits().toArray(new PacketRange[0]);
    }

    /** A streaming read ({@code spark.readStream.format("ctf")}), served by {@link CtfStreaming}. */
    @Override
    public org.apache.spark.sql.connector.read.streaming.MicroBatchStream toMicroBatchStream(String checkpointLocation) {
        return CtfStreaming.require().toMicroBatchStream(table, readPlan(), checkpointLocation);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return readerFactory();
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return ReadMetrics.supported();
    }
}

package io.tracestream.spark.read;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Creates the reader of each {@link PacketRange} split for one {@link ReadPlan}: rows ({@link PacketRangeReader}),
 * column batches when columnar reads are on and every column is flat, or one row per group when an aggregation was
 * pushed ({@link AggregatePlan}).
 */
public final class CtfReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 2L;
    /** Events per column batch. */
    public static final int BATCH_SIZE = 4096;
    private final ReadPlan plan;
    private final AggregatePlan aggregate;
    private final boolean columnar;

    /** A row reader factory. */
    public CtfReaderFactory(ReadPlan plan) {
        this(plan, null, false);
    }

    /**
     * @param aggregate the pushed aggregation, or null
     * @param columnar  read column batches when {@link #supportColumnarReads} allows
     */
    public CtfReaderFactory(ReadPlan plan, AggregatePlan aggregate, boolean columnar) {
        this.plan = plan;
        this.aggregate = aggregate;
        this.columnar = columnar && aggregate == null && ColumnarReader.supports(plan.schema());
    }

    /** True when the splits are read as column batches. */
    public boolean columnar() {
        return columnar;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        PacketRange r = (PacketRange) partition;
        return aggregate != null ? new AggregateReader(r, plan, aggregate) : new PacketRangeReader(r, plan);
    }

    @Override
    public boolean supportColumnarReads(InputPartition partition) {
        return columnar;
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
        return new ColumnarReader((PacketRange) partition, plan, BATCH_SIZE);
    }
}

package io.tracestream.spark.read;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Creates a {@link PacketRangeReader} for each {@link PacketRange} split, with one {@link ReadPlan}. */
public final class CtfReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;
    private final ReadPlan plan;

    public CtfReaderFactory(ReadPlan plan) {
        this.plan = plan;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new PacketRangeReader((PacketRange) partition, plan);
    }
}

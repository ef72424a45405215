package io.tracestream.spark.live;

import io.tracestream.spark.read.CtfReaderFactory;
import java.io.IOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * The readers of an {@code lttng-live} micro-batch: the {@code ctf} source's row reader over the partition's
 * packets, each row followed by the {@code watermark_ts} column (the batch's event-time progress, null when unknown).
 */
final class LiveReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;
    private final CtfReaderFactory rows;

    LiveReaderFactory(CtfReaderFactory rows) {
        this.rows = rows;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        LivePartition p = (LivePartition) partition;
        PartitionReader<InternalRow> in = rows.createReader(p.range());
        GenericInternalRow tail = new GenericInternalRow(1);
        if (p.watermark() == LiveOffset.UNKNOWN) {
            tail.setNullAt(0);
        } else {
            tail.setLong(0, p.watermark());
        }
        JoinedRow out = new JoinedRow();
        out.withRight(tail);
        return new PartitionReader<>() {
            @Override
            public boolean next() throws IOException {
                return in.next();
            }

            @Override
            public InternalRow get() {
                return out.withLeft(in.get());
            }

            @Override
            public CustomTaskMetric[] currentMetricsValues() {
                return in.currentMetricsValues();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}

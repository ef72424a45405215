package io.tracestream.spark.live;

import io.tracestream.spark.read.PacketRange;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One stream's packets of an {@code lttng-live} micro-batch, and the session's event-time progress at the batch's end
 * ({@link LiveOffset#watermark()}), which every row of the batch carries as {@code watermark_ts}.
 */
record LivePartition(PacketRange range, long watermark) implements InputPartition {
    @Override
    public String[] preferredLocations() {
        return range.preferredLocations();
    }
}

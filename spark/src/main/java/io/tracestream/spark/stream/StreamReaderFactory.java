package io.tracestream.spark.stream;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.follow.TraceFollower;
import io.tracestream.spark.read.PacketRange;
import io.tracestream.spark.read.PacketRangeReader;
import io.tracestream.spark.read.ReadPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * Reads {@link StreamPartition}s with the batch source's {@link PacketRangeReader}; a stream whose chunk was archived
 * after planning is looked up again under the followed root.
 */
final class StreamReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;
    private final ReadPlan plan;

    StreamReaderFactory(ReadPlan plan) {
        this.plan = plan;
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        StreamPartition p = (StreamPartition) partition;
        PacketRange range = p.range;
        List<PacketIndexEntry> entries = range.entries();
        Path file = entries.get(0).file();
        if (!Files.exists(file) || !Files.exists(Path.of(range.metadataFile()))) {
            Path now = TraceFollower.locateStream(Path.of(p.root), p.streamKey);
            if (now == null) {
                throw new CtfException("ctf stream: stream " + p.streamKey + " is no longer under " + p.root
                        + " (it was at " + file + ")");
            }
            range = p.relocated(now);
        }
        return new PacketRangeReader(range, plan);
    }
}

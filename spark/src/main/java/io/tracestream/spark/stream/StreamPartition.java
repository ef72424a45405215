package io.tracestream.spark.stream;

import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.spark.read.PacketRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One split of a micro-batch: a {@link PacketRange} of one followed stream, with what is needed to find the stream
 * again when LTTng moved its chunk into {@code archives/} between planning and reading (the followed root and the
 * stream key), and to rebuild the range at the new place.
 */
final class StreamPartition implements InputPartition {
    private static final long serialVersionUID = 1L;

    final PacketRange range;
    final String root;
    final String streamKey;
    final String traceName;
    final String host;
    final long streamId;
    final long streamClassId;
    final long instanceId;

    StreamPartition(PacketRange range, String root, String streamKey, String traceName, String host, long streamId,
                    long streamClassId, long instanceId) {
        this.range = range;
        this.root = root;
        this.streamKey = streamKey;
        this.traceName = traceName;
        this.host = host;
        this.streamId = streamId;
        this.streamClassId = streamClassId;
        this.instanceId = instanceId;
    }

    /** The same packets read from {@code file} (the stream's new place), with the metadata beside it. */
    PacketRange relocated(Path file) {
        List<PacketIndexEntry> moved = new ArrayList<>();
        for (PacketIndexEntry e : range.entries()) {
            moved.add(new PacketIndexEntry(file, e.offset(), e.totalSizeBits(), e.contentSizeBits(), e.beginCycles(),
                    e.endCycles(), e.discardedEventCounter(), e.sequenceNumber(), e.streamClassId(),
                    e.streamInstanceId()));
        }
        return PacketRange.of(file.resolveSibling("metadata"), traceName, host, streamId, streamClassId, instanceId,
                range.streamName(), moved, range.firstEmitted(), moved.size());
    }

    @Override
    public String toString() {
        return "StreamPartition[" + streamKey + ", " + range + "]";
    }
}

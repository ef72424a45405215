package io.tracestream.spark.read;

import io.tracestream.ctf.decode.PacketIndexEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One split: a contiguous range of packets of one data stream, described by plain serializable values so that any
 * executor can decode it from the shared file system (the trace's metadata file plus the packet positions, no
 * re-scan). Built on the driver with {@link #of}; decoded by {@link PacketRangeReader}.
 *
 * <p>When the range does not start at the stream's first packet, the packet before it is included as a
 * <em>lead-in</em> ({@link #firstEmitted()} is 1): it is decoded only so that the discarded events and lost packets
 * reported at the beginning of the first emitted packet are computed exactly as a whole-stream read computes them;
 * its events are not emitted.
 */
public final class PacketRange implements InputPartition {
    private static final long serialVersionUID = 1L;
    static final int STRIDE = 10;

    final String metadataFile;
    final String tracePath;
    final String traceName;
    final String host;
    final long streamId;
    final long streamClassId;
    final long instanceId;
    final String streamName;
    final String[] files;
    /** Per packet: file index, offset, total bits, content bits, begin cycles, end cycles, discarded counter, seq,
     *  stream class id, instance id. */
    final long[] packets;
    final int firstEmitted;
    final long cpuHint;

    PacketRange(String metadataFile, String tracePath, String traceName, String host, long streamId,
                long streamClassId, long instanceId, String streamName, String[] files, long[] packets,
                int firstEmitted, long cpuHint) {
        this.metadataFile = metadataFile;
        this.tracePath = tracePath;
        this.traceName = traceName;
        this.host = host;
        this.streamId = streamId;
        this.streamClassId = streamClassId;
        this.instanceId = instanceId;
        this.streamName = streamName;
        this.files = files;
        this.packets = packets;
        this.firstEmitted = firstEmitted;
        this.cpuHint = cpuHint;
    }

    /**
     * The split of packets {@code [from, to)} of a stream whose full packet list is {@code all}.
     *
     * @param metadataFile the trace's {@code metadata} file (what the executor parses)
     * @param traceName    the trace name babeltrace2 gives the trace (the {@code trace} column)
     * @param host         the environment's {@code hostname}, or null
     * @param streamId     the stream id babeltrace2 shows (the {@code stream_id} column)
     * @param streamName   the stream name (its first file's path; the {@code stream_file} column)
     */
    public static PacketRange of(Path metadataFile, String traceName, String host, long streamId, long streamClassId,
                                 long instanceId, String streamName, List<PacketIndexEntry> all, int from, int to) {
        int lead = from > 0 ? 1 : 0;
        List<PacketIndexEntry> sub = all.subList(from - lead, to);
        Map<Path, Integer> fileIds = new LinkedHashMap<>();
        long[] p = new long[sub.size() * STRIDE];
        int k = 0;
        for (PacketIndexEntry e : sub) {
            Integer f = fileIds.computeIfAbsent(e.file(), x -> fileIds.size());
            p[k++] = f;
            p[k++] = e.offset();
            p[k++] = e.totalSizeBits();
            p[k++] = e.contentSizeBits();
            p[k++] = e.beginCycles();
            p[k++] = e.endCycles();
            p[k++] = e.discardedEventCounter();
            p[k++] = e.sequenceNumber();
            p[k++] = e.streamClassId();
            p[k++] = e.streamInstanceId();
        }
        List<String> files = new ArrayList<>();
        for (Path f : fileIds.keySet()) {
            files.add(f.toString());
        }
        Path parent = metadataFile.getParent();
        return new PacketRange(metadataFile.toString(), parent == null ? "" : parent.toString(), traceName, host,
                streamId, streamClassId, instanceId, streamName, files.toArray(new String[0]), p, lead, -1);
    }

    /** The packet index entries of the range, lead-in packet included. */
    public List<PacketIndexEntry> entries() {
        List<PacketIndexEntry> out = new ArrayList<>(packets.length / STRIDE);
        Path[] paths = new Path[files.length];
        for (int i = 0; i < files.length; i++) {
            paths[i] = Path.of(files[i]);
        }
        for (int k = 0; k < packets.length; k += STRIDE) {
            out.add(new PacketIndexEntry(paths[(int) packets[k]], packets[k + 1], packets[k + 2], packets[k + 3],
                    packets[k + 4], packets[k + 5], packets[k + 6], packets[k + 7], packets[k + 8],
                    packets[k + 9]));
        }
        return out;
    }

    /** Index (in {@link #entries()}) of the first packet whose events are emitted: 0, or 1 after a lead-in. */
    public int firstEmitted() {
        return firstEmitted;
    }

    /** Number of packets whose events are emitted. */
    public int packetCount() {
        return packets.length / STRIDE - firstEmitted;
    }

    /** Bytes of the emitted packets (their {@code packet_size}). */
    public long bytes() {
        long b = 0;
        for (int k = firstEmitted * STRIDE; k < packets.length; k += STRIDE) {
            b += packets[k + 2] / 8;
        }
        return b;
    }

    public String metadataFile() {
        return metadataFile;
    }

    public String streamName() {
        return streamName;
    }

    public long streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "PacketRange[" + streamName + ", " + packetCount() + " packets, " + bytes() + " bytes]";
    }
}

package io.tracestream.ctf.follow;

import io.tracestream.ctf.decode.PacketIndexEntry;
import java.util.List;

/**
 * What one {@link TraceFollower#poll()} found since the previous one.
 *
 * @param newTraces     trace directories seen for the first time (new traces, new rotation chunks)
 * @param movedTraces   traces whose directory moved (LTTng archived their chunk); their streams' files moved too
 * @param grownMetadata traces whose metadata grew and was parsed again (not repeated in {@code newTraces})
 * @param newStreams    stream files seen for the first time
 * @param newPackets    per stream, the packets that became complete, numbered from {@link NewPackets#first()}
 */
public record FollowUpdate(List<FollowedTrace> newTraces, List<FollowedTrace> movedTraces,
                           List<FollowedTrace> grownMetadata, List<FollowedStream> newStreams,
                           List<NewPackets> newPackets) {

    /**
     * Packets of one stream that became complete.
     *
     * @param stream  the stream
     * @param first   the number of the first packet in {@code packets}
     * @param packets the packets, in file order
     */
    public record NewPackets(FollowedStream stream, long first, List<PacketIndexEntry> packets) {
    }

    /** True when nothing changed. */
    public boolean isEmpty() {
        return newTraces.isEmpty() && movedTraces.isEmpty() && grownMetadata.isEmpty() && newStreams.isEmpty()
                && newPackets.isEmpty();
    }

    /** Number of new packets over all streams. */
    public long packetCount() {
        return newPackets.stream().mapToLong(p -> p.packets().size()).sum();
    }
}

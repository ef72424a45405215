package io.tracestream.ctf.decode;

import java.nio.file.Path;

/**
 * Where one packet is and what its header and context say, from an LTTng index file or from scanning the stream
 * file. Sizes are in bits; clock values are raw cycles ({@link io.tracestream.ctf.ClockValue#NONE} when absent);
 * counters are -1 when absent.
 *
 * @param file                  the stream file holding the packet
 * @param offset                byte offset of the packet in {@code file}
 * @param totalSizeBits         packet_size (whole packet incl. padding)
 * @param contentSizeBits       content_size (header + context + events)
 * @param beginCycles           timestamp_begin
 * @param endCycles             timestamp_end
 * @param discardedEventCounter events_discarded snapshot
 * @param sequenceNumber        packet_seq_num
 * @param streamClassId         stream class id from the packet header (0 when the header has none)
 * @param streamInstanceId      stream_instance_id, or -1
 */
public record PacketIndexEntry(Path file, long offset, long totalSizeBits, long contentSizeBits, long beginCycles,
                               long endCycles, long discardedEventCounter, long sequenceNumber, long streamClassId,
                               long streamInstanceId) {
}

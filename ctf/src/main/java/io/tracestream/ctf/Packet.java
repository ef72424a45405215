package io.tracestream.ctf;

import io.tracestream.ctf.meta.Scope;

/**
 * A packet of a data stream. Times are clock snapshots of the stream's default clock: raw {@code cycles} and
 * nanoseconds from the clock's origin; both are {@link ClockValue#NONE} when the packet has no such field.
 */
public interface Packet {
    DataStream stream();

    /** Byte offset of the packet in its stream file. */
    long offset();

    /** The stream file holding this packet (a stream may span several files), or null when not a file. */
    default java.nio.file.Path file() {
        return stream().file();
    }

    /** Packet size in bits ({@code packet_size}), or the rest of the file. */
    long totalSizeBits();

    /** Content size in bits ({@code content_size}). */
    long contentSizeBits();

    long beginCycles();

    long beginNanos();

    long endCycles();

    long endNanos();

    /** {@code packet_seq_num}, or -1. */
    long sequenceNumber();

    /** The discarded event record counter snapshot ({@code events_discarded}), or -1. */
    long discardedEventCounter();

    /** {@code cpu_id} from the packet context, or -1. */
    long cpuId();

    /** Walks {@link Scope#PACKET_HEADER} or {@link Scope#PACKET_CONTEXT}; does nothing when the scope is absent. */
    void accept(Scope scope, FieldVisitor visitor);
}

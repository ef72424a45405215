package io.tracestream.ctf.decode;

/**
 * The packets of a stream that grows while it is read (an LTTng live stream): a cursor opened with
 * {@link TraceDecoder#openStream(io.tracestream.ctf.DataStream, PacketFeed, DecodeOptions)} asks for the next packet
 * only when it has delivered the end of the previous one, and copies its bytes with {@link #read}.
 *
 * <p>The cursor never waits: the feed's owner makes sure a packet is ready (or that the stream has ended) before it
 * moves the cursor past a packet end.
 */
public interface PacketFeed {
    /**
     * The next packet of the stream, or null when the stream has ended. Its {@code file} and {@code offset} name the
     * packet in error messages; its sizes must be positive multiples of 8 bits.
     */
    PacketIndexEntry next();

    /** Copies the first {@code length} bytes of {@code packet} (the last one {@link #next} returned) to {@code dst}. */
    void read(PacketIndexEntry packet, int length, byte[] dst);

    /**
     * The decoder for the packet {@link #next} returned last: the same object while the metadata is unchanged, a new
     * one (compiled from the grown metadata, which only adds classes) after an update.
     */
    TraceDecoder decoder();
}

package io.tracestream.live;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketFeed;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.StreamClass;
import java.nio.file.Path;

/**
 * One data stream of a live session: where the relay has it, the packet fetched ahead for its decoder, its state
 * (data, no data yet, quiet until a beacon's time, hung up), its current message, and how far it was delivered.
 */
final class LiveStream implements DataStream, PacketFeed {
    enum State { NO_DATA, QUIET, DATA, HUNG_UP }

    final String key;
    final LiveTrace trace;
    final Path file;
    final String name;
    long relayId;
    long streamClassId = -1;
    long instanceId = -1;
    State state = State.NO_DATA;
    /** When the relay may be asked again (System.nanoTime()). */
    long nextQueryAt;
    /** The last beacon's time in cycles and in ns from origin. */
    long quietCycles = -1;
    long quietNanos = Long.MIN_VALUE;

    MessageCursor cursor;
    /** The cursor is on a message not yet delivered. */
    boolean hasHead;
    boolean ended;
    /** The type of the last message the cursor moved to. */
    MessageType lastType;

    private PacketIndexEntry ready;
    private byte[] readyBytes;
    PacketIndexEntry current;
    private byte[] currentBytes;

    // Delivered position.
    long packets;
    long posBegin;
    long posEnd;
    long posOffset = -1;
    /** The last packet fetched from the relay (skipped when a new connection sends it again). */
    long fetchedBegin;
    long fetchedEnd;
    long fetchedOffset = -1;
    /** Where an earlier reader stopped (packets at or before it are skipped), or null. */
    LivePositions.Stream resume;

    LiveStream(String key, LiveTrace trace, long relayId, Path file, String name) {
        this.key = key;
        this.trace = trace;
        this.relayId = relayId;
        this.file = file;
        this.name = name;
    }

    boolean atPacketBoundary() {
        return cursor == null || lastType == null || lastType == MessageType.PACKET_END;
    }

    boolean hasReadyPacket() {
        return ready != null;
    }

    void setReady(PacketIndexEntry e, byte[] bytes) {
        ready = e;
        readyBytes = bytes;
    }

    /** The stream's next packet is its end (it hung up). */
    void hangUp() {
        state = State.HUNG_UP;
    }

    /** Marks the current packet delivered (its PACKET_END was returned). */
    void delivered() {
        if (current != null) {
            packets++;
            posBegin = current.beginCycles();
            posEnd = current.endCycles();
            posOffset = current.offset();
            currentBytes = null;
        }
    }

    LivePositions.Stream position() {
        if (posOffset < 0) {
            return resume;
        }
        long before = resume == null ? 0 : resume.packets();
        return new LivePositions.Stream(key, before + packets, posBegin, posEnd, posOffset);
    }

    // ---------------------------------------------------------------- PacketFeed

    @Override
    public PacketIndexEntry next() {
        if (ready == null) {
            return null;
        }
        current = ready;
        currentBytes = readyBytes;
        ready = null;
        readyBytes = null;
        return current;
    }

    /** The bytes of the packet the decoder is in (until its PACKET_END is delivered), or null. */
    byte[] currentBytes() {
        return currentBytes;
    }

    @Override
    public void read(PacketIndexEntry packet, int length, byte[] dst) {
        System.arraycopy(currentBytes, 0, dst, 0, Math.min(length, currentBytes.length));
    }

    @Override
    public TraceDecoder decoder() {
        return trace.decoder();
    }

    // ---------------------------------------------------------------- DataStream

    @Override
    public Trace trace() {
        return trace;
    }

    @Override
    public StreamClass streamClass() {
        return trace.traceClass() == null || streamClassId < 0 ? null : trace.traceClass().streamClass(streamClassId);
    }

    /** The packet header's {@code stream_instance_id}, or the relay's stream id (as babeltrace2's live reader). */
    @Override
    public long instanceId() {
        return instanceId >= 0 ? instanceId : relayId;
    }

    @Override
    public Path file() {
        return null;
    }

    /** babeltrace2's live stream name, {@code stream-ID} with the relay's stream id. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "live stream " + file;
    }
}

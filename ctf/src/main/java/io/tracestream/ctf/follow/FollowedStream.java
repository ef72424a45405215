package io.tracestream.ctf.follow;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.StreamClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream file of a {@link FollowedTrace}, with the complete packets found in it so far. Packets are numbered
 * from 0 in file order; that number is the stream's position. {@link #key()} names the stream across polls, chunk
 * moves and restarts.
 *
 * <p>Instances are updated by their {@link TraceFollower} (under its lock); read them from the thread that polls, or
 * copy what you need ({@link #packets(long, long)} returns a copy).
 */
public final class FollowedStream implements DataStream {
    private final FollowedTrace trace;
    private final String fileName;
    private final String key;
    private Path file;
    /** Packets from number {@link #base} on; earlier ones were released by {@link #releaseBefore}. */
    private final ArrayList<PacketIndexEntry> packets = new ArrayList<>();
    private long base;
    private long streamClassId = -1;
    private long instanceId = -1;
    /** True when packets come from the LTTng index, false when from scanning packet headers; null: undecided. */
    private Boolean indexed;
    /** Byte offset where the next packet starts. */
    private long nextOffset;
    private String lastError;

    FollowedStream(FollowedTrace trace, String fileName) {
        this.trace = trace;
        this.fileName = fileName;
        this.key = trace.key().isEmpty() ? fileName : trace.key() + "/" + fileName;
        this.file = trace.directory().resolve(fileName);
    }

    /** The stream's stable name: the trace's {@link FollowedTrace#key() key}, {@code /} and the file name. */
    public String key() {
        return key;
    }

    @Override
    public FollowedTrace trace() {
        return trace;
    }

    /** The stream class of the packets (from the trace's current metadata), or null before the first packet. */
    @Override
    public StreamClass streamClass() {
        if (streamClassId < 0) {
            return null;
        }
        StreamClass sc = trace.traceClass().streamClass(streamClassId);
        if (sc == null && trace.traceClass().streamClasses().size() == 1) {
            sc = trace.traceClass().streamClasses().iterator().next();
        }
        return sc;
    }

    /** The {@code stream_instance_id} of the packets, or -1. */
    @Override
    public long instanceId() {
        return instanceId;
    }

    /** The stream file where it is now (it moves when LTTng archives its chunk). */
    @Override
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    /** Number of complete packets found so far (including released ones). */
    public synchronized long packetCount() {
        return base + packets.size();
    }

    /** Packet number {@code n} (not released). */
    public synchronized PacketIndexEntry packet(long n) {
        check(n, n + 1);
        return packets.get((int) (n - base));
    }

    /** Packets {@code [from, to)} (not released), a copy, in file order. */
    public synchronized List<PacketIndexEntry> packets(long from, long to) {
        check(from, to);
        return List.copyOf(packets.subList((int) (from - base), (int) (to - base)));
    }

    /** Bytes of packets {@code [from, to)}. */
    public synchronized long bytes(long from, long to) {
        check(from, to);
        long sum = 0;
        for (int i = (int) (from - base); i < to - base; i++) {
            sum += packets.get(i).totalSizeBits() >>> 3;
        }
        return sum;
    }

    /**
     * Forgets the packets before number {@code n} (a consumer that committed them needs them no more), so that
     * following a long recording keeps memory bounded. Their numbers stay taken.
     */
    public synchronized void releaseBefore(long n) {
        long upTo = Math.min(n, packetCount());
        if (upTo > base) {
            packets.subList(0, (int) (upTo - base)).clear();
            packets.trimToSize();
            base = upTo;
        }
    }

    /** The last error met reading this stream's index or packets (retried on every poll), or null. */
    public synchronized String lastError() {
        return lastError;
    }

    private void check(long from, long to) {
        if (from < base || to > packetCount() || from > to) {
            throw new IndexOutOfBoundsException("packets [" + from + ", " + to + ") of stream " + key + ": "
                    + base + " released, " + packetCount() + " known");
        }
    }

    String fileName() {
        return fileName;
    }

    Boolean indexed() {
        return indexed;
    }

    void setIndexed(boolean indexed) {
        this.indexed = indexed;
    }

    long nextOffset() {
        return nextOffset;
    }

    long streamClassId() {
        return streamClassId;
    }

    synchronized void setError(String error) {
        this.lastError = error;
    }

    /** Appends newly complete packets. */
    synchronized void add(List<PacketIndexEntry> more) {
        for (PacketIndexEntry e : more) {
            if (streamClassId < 0) {
                streamClassId = e.streamClassId();
                instanceId = e.streamInstanceId();
            }
            packets.add(e);
            nextOffset = e.offset() + (e.totalSizeBits() >>> 3);
        }
        lastError = null;
    }

    /** The trace directory moved (chunk archived): the file and the packets' file are the new path. */
    synchronized void moveTo(Path dir) {
        Path moved = dir.resolve(fileName);
        if (moved.equals(file)) {
            return;
        }
        file = moved;
        for (int i = 0; i < packets.size(); i++) {
            PacketIndexEntry e = packets.get(i);
            packets.set(i, new PacketIndexEntry(moved, e.offset(), e.totalSizeBits(), e.contentSizeBits(),
                    e.beginCycles(), e.endCycles(), e.discardedEventCounter(), e.sequenceNumber(),
                    e.streamClassId(), e.streamInstanceId()));
        }
    }

    @Override
    public String toString() {
        return "followed stream " + key + " (" + packetCount() + " packets)";
    }
}

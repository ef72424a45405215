package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.StreamClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One data stream of an {@link FsTrace}: one stream file, or several files with the same stream class and stream
 * instance id (LTTng tracefile rotation, session rotation chunks), with the packet index of all of them.
 */
public final class FsDataStream implements DataStream {
    private final FsTrace trace;
    private final StreamClass streamClass;
    private final long instanceId;
    private long id;
    /** Files with the begin time of their first packet, in babeltrace2's order (by that time). */
    private final List<Path> files = new ArrayList<>();
    private final List<Long> fileBeginNs = new ArrayList<>();
    /** Packets ordered by beginning time, duplicates (overlapping snapshots) removed. */
    private final List<PacketIndexEntry> packets = new ArrayList<>();
    /** Packet bounds in ns from origin, fixed for known tracer bugs; {@link ClockValue#NONE} when absent. */
    long[] packetBeginNs;
    long[] packetEndNs;
    /**
     * A packet whose end is the time of its last event (tracer-bug fixes, {@link TracerQuirks}), found by decoding
     * the packet the first time the end is asked for (most reads never need it: only seeking, stream intersection
     * and time splits do); -1 when none is pending. Guarded by {@code this}.
     */
    private int lazyEndPacket = -1;
    private TraceBackend lazyEndBackend;
    /** The packet {@link #lazyEndPacket} named when one was set (never reset: a stale hint only costs a lock). */
    private volatile int lazyEndPacketHint = -1;

    FsDataStream(FsTrace trace, StreamClass streamClass, long instanceId) {
        this.trace = trace;
        this.streamClass = streamClass;
        this.instanceId = instanceId;
    }

    @Override
    public Trace trace() {
        return trace;
    }

    @Override
    public StreamClass streamClass() {
        return streamClass;
    }

    /** The {@code stream_instance_id} shared by the stream's files, or -1 (also when packets have no begin time). */
    @Override
    public long instanceId() {
        return instanceId;
    }

    /** The stream id babeltrace2 shows: the instance id, or a number assigned in stream order when there is none. */
    @Override
    public long id() {
        return id;
    }

    void setId(long id) {
        this.id = id;
    }

    /** The first (earliest) file of the stream. */
    @Override
    public Path file() {
        return files.isEmpty() ? null : files.get(0);
    }

    /** All files of the stream, earliest first. */
    public List<Path> files() {
        return Collections.unmodifiableList(files);
    }

    /** The absolute path of the stream's first file, as babeltrace2 names streams. */
    @Override
    public String name() {
        Path f = file();
        return f == null ? null : f.toString();
    }

    /** The packets of the stream in reading order. */
    public List<PacketIndexEntry> packets() {
        return Collections.unmodifiableList(packets);
    }

    /** Beginning of packet {@code i} in ns from origin (after tracer-bug fixes), or {@link ClockValue#NONE}. */
    public long packetBeginNs(int i) {
        return packetBeginNs[i];
    }

    /** End of packet {@code i} in ns from origin (after tracer-bug fixes), or {@link ClockValue#NONE}. */
    public long packetEndNs(int i) {
        if (i == lazyEndPacketHint) {
            return lazyEnd(i);
        }
        return packetEndNs[i];
    }

    /** Makes the end of packet {@code i} the time of its last event, computed when first asked for. */
    void endAtLastEvent(int i, TraceBackend backend) {
        synchronized (this) {
            lazyEndPacket = i;
            lazyEndBackend = backend;
        }
        lazyEndPacketHint = i;
    }

    private synchronized long lazyEnd(int i) {
        if (lazyEndPacket == i) {
            packetEndNs[i] = TracerQuirks.lastEventNs(lazyEndBackend, this, i);
            lazyEndPacket = -1;
            lazyEndBackend = null;
        }
        return packetEndNs[i];
    }

    String firstFileKey() {
        return files.get(0).toString();
    }

    /** Inserts a file keeping files sorted by begin time (after existing files with the same time). */
    void addFile(Path file, long beginNs) {
        int i = 0;
        while (i < files.size() && !(beginNs < fileBeginNs.get(i))) {
            i++;
        }
        files.add(i, file);
        fileBeginNs.add(i, beginNs);
    }

    /**
     * Merges packets into the index the way babeltrace2 does: each packet goes before the first one whose
     * beginning is not earlier, and is dropped when that one is the same packet (same size, times and sequence
     * number: a copy from an overlapping snapshot).
     */
    void mergePackets(List<PacketIndexEntry> more) {
        if (packets.isEmpty()) {
            packets.addAll(more); // a stream's first file keeps its own packet order
            return;
        }
        ClockClass clock = streamClass.defaultClock();
        for (PacketIndexEntry e : more) {
            long ns = beginNsOf(clock, e);
            int i = 0;
            while (i < packets.size() && !(ns <= beginNsOf(clock, packets.get(i)))) {
                i++;
            }
            if (i < packets.size() && sameIndexEntry(e, packets.get(i))) {
                continue;
            }
            packets.add(i, e);
        }
    }

    private static boolean sameIndexEntry(PacketIndexEntry a, PacketIndexEntry b) {
        return a.totalSizeBits() == b.totalSizeBits() && a.beginCycles() == b.beginCycles()
                && a.endCycles() == b.endCycles() && a.sequenceNumber() == b.sequenceNumber();
    }

    /** babeltrace2 keeps -1 as the begin time of packets that have none. */
    private static long beginNsOf(ClockClass clock, PacketIndexEntry e) {
        if (clock == null || e.beginCycles() == ClockValue.NONE) {
            return -1;
        }
        try {
            return clock.cyclesToNanosFromOrigin(e.beginCycles());
        } catch (ArithmeticException ex) {
            return -1;
        }
    }

    /** Computes the packet bound arrays from the index (before tracer-bug fixes). */
    void computePacketTimes() {
        ClockClass clock = streamClass.defaultClock();
        int n = packets.size();
        packetBeginNs = new long[n];
        packetEndNs = new long[n];
        for (int i = 0; i < n; i++) {
            PacketIndexEntry e = packets.get(i);
            packetBeginNs[i] = toNs(clock, e.beginCycles());
            packetEndNs[i] = toNs(clock, e.endCycles());
        }
    }

    private static long toNs(ClockClass clock, long cycles) {
        if (clock == null || cycles == ClockValue.NONE) {
            return ClockValue.NONE;
        }
        try {
            return clock.cyclesToNanosFromOrigin(cycles);
        } catch (ArithmeticException ex) {
            return ClockValue.NONE;
        }
    }

    @Override
    public String toString() {
        return "stream " + id + " (class " + streamClass.id() + ") " + name();
    }
}

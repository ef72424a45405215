package io.tracestream.spark.stream;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.follow.FollowedStream;
import io.tracestream.ctf.follow.FollowedTrace;
import io.tracestream.ctf.follow.TraceFollower;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.spark.read.PacketRange;
import io.tracestream.spark.read.ReadPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch stream of {@code spark.readStream.format("ctf")}: one {@link TraceFollower} per input path, polled
 * on the driver when Spark asks for the latest offset. A batch is, per stream, the packets between two offsets;
 * splits are {@link PacketRange}s (at most {@code maxSplitBytes} each) read on the executors by the batch source's
 * reader. Planning a batch again after a restart gives the same packets, hence the same rows: with a replayable
 * sink, a query restarted from its checkpoint delivers each event exactly once.
 */
final class CtfMicroBatchStream implements MicroBatchStream, SupportsAdmissionControl, SupportsTriggerAvailableNow,
        ReportsSourceMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CtfMicroBatchStream.class);
    private static final long PLAN_WAIT_NANOS = 10_000_000_000L;

    private final List<Path> roots;
    private final List<TraceFollower> followers = new ArrayList<>();
    private final ReadPlan plan;
    private final StreamOptions limits;
    private final long maxSplitBytes;
    /** With Trigger.AvailableNow: what was there when the query started; batches stop there. */
    private StreamOffset availableNowTarget;
    private StreamOffset lastOffered;

    CtfMicroBatchStream(List<Path> roots, ReadPlan plan, StreamOptions limits, long maxSplitBytes) {
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        for (Path r : this.roots) {
            followers.add(new TraceFollower(r, w -> LOG.warn("ctf stream: {}", w)));
        }
        this.plan = plan;
        this.limits = limits;
        this.maxSplitBytes = maxSplitBytes;
    }

    @Override
    public Offset initialOffset() {
        return StreamOffset.empty(roots.size());
    }

    @Override
    public Offset deserializeOffset(String json) {
        StreamOffset o = StreamOffset.parse(json);
        if (o.pathCount() != roots.size()) {
            throw new CtfException("ctf stream: the checkpoint's offset has " + o.pathCount() + " paths but the query "
                    + "reads " + roots.size() + " (" + roots + "): a checkpoint belongs to one set of paths");
        }
        return o;
    }

    @Override
    public ReadLimit getDefaultReadLimit() {
        return ReadLimit.allAvailable();
    }

    @Override
    public Offset latestOffset() {
        throw new UnsupportedOperationException("latestOffset(start, limit) is used");
    }

    @Override
    public synchronized Offset latestOffset(Offset startOffset, ReadLimit limit) {
        StreamOffset start = startOffset == null ? StreamOffset.empty(roots.size()) : (StreamOffset) startOffset;
        StreamOffset all = pollAll();
        if (availableNowTarget != null) {
            all = min(all, availableNowTarget);
        }
        StreamOffset end = limits.limited() ? limit(start, all) : max(start, all);
        lastOffered = all;
        return end;
    }

    @Override
    public synchronized void prepareForTriggerAvailableNow() {
        availableNowTarget = pollAll();
    }

    /** Polls every follower; the positions of all complete packets. */
    private StreamOffset pollAll() {
        List<Map<String, Long>> paths = new ArrayList<>();
        for (TraceFollower f : followers) {
            f.poll();
            Map<String, Long> m = new HashMap<>();
            for (FollowedStream s : f.streams()) {
                m.put(s.key(), s.packetCount());
            }
            paths.add(m);
        }
        return new StreamOffset(paths);
    }

    private static StreamOffset min(StreamOffset a, StreamOffset b) {
        List<Map<String, Long>> paths = new ArrayList<>();
        for (int i = 0; i < a.pathCount(); i++) {
            Map<String, Long> m = new HashMap<>();
            for (Map.Entry<String, Long> e : a.positions(i).entrySet()) {
                m.put(e.getKey(), Math.min(e.getValue(), b.position(i, e.getKey())));
            }
            paths.add(m);
        }
        return new StreamOffset(paths);
    }

    private static StreamOffset max(StreamOffset a, StreamOffset b) {
        List<Map<String, Long>> paths = new ArrayList<>();
        for (int i = 0; i < Math.max(a.pathCount(), b.pathCount()); i++) {
            Map<String, Long> m = new HashMap<>(a.positions(i));
            b.positions(i).forEach((k, v) -> m.merge(k, v, Math::max));
            paths.add(m);
        }
        return new StreamOffset(paths);
    }

    /** A stream's next packet, for taking packets oldest first. */
    private record Next(int path, FollowedStream stream, long position, long available, long beginNs) {
    }

    /** From {@code start}, the oldest packets of {@code all} within the packet and byte limits (at least one). */
    private StreamOffset limit(StreamOffset start, StreamOffset all) {
        PriorityQueue<Next> queue = new PriorityQueue<>((x, y) -> Long.compare(x.beginNs, y.beginNs));
        List<Map<String, Long>> end = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            end.add(new HashMap<>(start.positions(i)));
            for (FollowedStream s : followers.get(i).streams()) {
                long pos = start.position(i, s.key());
                long avail = all.position(i, s.key());
                if (avail > pos) {
                    queue.add(new Next(i, s, pos, avail, beginNs(s, pos)));
                }
            }
        }
        long packets = 0;
        long bytes = 0;
        while (!queue.isEmpty() && packets < limits.maxPackets()) {
            Next n = queue.poll();
            long size = n.stream.packet(n.position).totalSizeBits() >>> 3;
            if (packets > 0 && bytes + size > limits.maxBytes()) {
                break;
            }
            packets++;
            bytes += size;
            long next = n.position + 1;
            end.get(n.path).put(n.stream.key(), next);
            if (next < n.available) {
                queue.add(new Next(n.path, n.stream, next, n.available, beginNs(n.stream, next)));
            }
        }
        return new StreamOffset(end);
    }

    private static long beginNs(FollowedStream s, long position) {
        PacketIndexEntry e = s.packet(position);
        StreamClass sc = s.streamClass();
        ClockClass clock = sc == null ? null : sc.defaultClock();
        if (clock == null || e.beginCycles() == ClockValue.NONE) {
            return Long.MIN_VALUE;
        }
        try {
            return clock.cyclesToNanosFromOrigin(e.beginCycles());
        } catch (ArithmeticException ex) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public synchronized InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
        StreamOffset start = (StreamOffset) startOffset;
        StreamOffset end = (StreamOffset) endOffset;
        List<InputPartition> out = new ArrayList<>();
        for (int i = 0; i < roots.size(); i++) {
            TraceFollower f = followers.get(i);
            for (Map.Entry<String, Long> e : end.positions(i).entrySet()) {
                long from = start == null ? 0 : start.position(i, e.getKey());
                long to = e.getValue();
                if (to <= from) {
                    continue;
                }
                FollowedStream s = awaitPackets(f, e.getKey(), to);
                if (s == null || s.packetCount() < to) {
                    throw new CtfException("ctf stream: the checkpoint says packets [" + from + ", " + to
                            + ") of stream " + e.getKey() + " under " + roots.get(i) + " were there, but "
                            + (s == null ? "the stream is not (streams now: " + keys(f) + ")"
                                : "only " + s.packetCount() + " packets are")
                            + ": was the trace deleted or rewritten?");
                }
                split(roots.get(i), s, from, to, out);
            }
        }
        return out.toArray(new InputPartition[0]);
    }

    /**
     * The stream once it has {@code count} packets: a restarted query plans again the batch it had not committed, so
     * its follower must find those packets again; polls for a while, as LTTng may be moving a chunk right now.
     */
    private static FollowedStream awaitPackets(TraceFollower f, String key, long count) {
        long deadline = System.nanoTime() + PLAN_WAIT_NANOS;
        FollowedStream s = f.stream(key);
        while ((s == null || s.packetCount() < count) && System.nanoTime() < deadline) {
            f.poll();
            s = f.stream(key);
            if (s == null || s.packetCount() < count) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return s;
    }

    private static String keys(TraceFollower f) {
        List<String> l = new ArrayList<>();
        for (FollowedStream s : f.streams()) {
            l.add(s.key() + "=" + s.packetCount() + (s.lastError() == null ? "" : " (" + s.lastError() + ")"));
        }
        return l.toString() + " under traces " + f.traces();
    }

    /** Packets [from, to) of a stream as ranges of at most maxSplitBytes (at least one packet each). */
    private void split(Path root, FollowedStream s, long from, long to, List<InputPartition> out) {
        FollowedTrace t = s.trace();
        Object h = t.traceClass().environment().get("hostname");
        String host = h instanceof String hs ? hs : null;
        long a = from;
        while (a < to) {
            long b = a;
            long bytes = 0;
            while (b < to) {
                long size = s.packet(b).totalSizeBits() >>> 3;
                if (b > a && bytes + size > maxSplitBytes) {
                    break;
                }
                bytes += size;
                b++;
            }
            int lead = a > 0 ? 1 : 0;
            List<PacketIndexEntry> list = s.packets(a - lead, b);
            PacketIndexEntry first = list.get(0);
            long streamClassId = first.streamClassId();
            long instanceId = first.streamInstanceId();
            PacketRange range = PacketRange.of(t.directory().resolve("metadata"), t.name(), host, instanceId,
                    streamClassId, instanceId, s.file().toString(), list, lead, list.size());
            out.add(new StreamPartition(range, root.toString(), s.key(), t.name(), host, instanceId, streamClassId,
                    instanceId));
            a = b;
        }
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new StreamReaderFactory(plan);
    }

    /** The packets up to {@code end} are processed: keep only the last one of each stream (a lead-in). */
    @Override
    public synchronized void commit(Offset endOffset) {
        StreamOffset end = (StreamOffset) endOffset;
        for (int i = 0; i < roots.size(); i++) {
            for (Map.Entry<String, Long> e : end.positions(i).entrySet()) {
                FollowedStream s = followers.get(i).stream(e.getKey());
                if (s != null) {
                    s.releaseBefore(e.getValue() - 1);
                }
            }
        }
    }

    @Override
    public synchronized Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
        if (lastOffered == null || latestConsumedOffset.isEmpty()) {
            return Map.of();
        }
        StreamOffset done = (StreamOffset) latestConsumedOffset.get();
        long behind = lastOffered.totalPackets() - done.totalPackets();
        long streams = 0;
        for (TraceFollower f : followers) {
            streams += f.streams().size();
        }
        return Map.of("packetsBehindLatest", Long.toString(Math.max(0, behind)),
                "streams", Long.toString(streams));
    }

    @Override
    public void stop() {
        // Followers hold no open files.
    }

    @Override
    public String toString() {
        return "CtfMicroBatchStream" + roots;
    }
}

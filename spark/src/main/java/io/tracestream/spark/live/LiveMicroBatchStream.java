package io.tracestream.spark.live;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.live.LiveOptions;
import io.tracestream.live.LivePositions;
import io.tracestream.live.LiveSession;
import io.tracestream.spark.read.CtfReaderFactory;
import io.tracestream.spark.read.PacketRange;
import io.tracestream.spark.read.ReadPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;

/**
 * The micro-batch stream of {@code format("lttng-live")}. The relay serves a session's packets to one viewer, in
 * order, so the driver holds the {@link LiveSession}: when Spark asks for the latest offset it reads on (at most
 * {@code maxPacketsPerTrigger} packets beyond the batch start, at most {@code maxReadMsPerTrigger}; not reading
 * further is the back-pressure) and stores each packet, as received, in a {@link PacketSpill} folder; the offset is the
 * session's per-stream positions (packets whose end was reached). A batch is, per stream, the packets between two
 * offsets, decoded on the executors by the batch source's reader, so the rows are those of {@code format("ctf")}.
 *
 * <p>Event-time progress: each offset also carries the session's progress at its positions, a lower bound of the time
 * of every event that later batches can bring (the live client's {@link LiveSession#watermarkNanos()}: per stream its
 * next message, inactivity beacon or, merged in time order, the last message delivered; lowered to the beginning of
 * any packet begun but not complete, or read but beyond the offset), and the batch's rows carry it as
 * {@code watermark_ts}: a stateful operator can close an event-time window as soon as every stream passed it, within
 * the batch that brings its last events, instead of waiting for Spark's watermark (which moves at the end of a batch).
 *
 * <p>Latency: a call to {@link #latestOffset} waits at most one poll interval for a first packet, then reads what the
 * relay has ready and returns as soon as nothing more is ready (so a batch starts as soon as the relay's data is
 * read); the session polls the relay every {@code pollIntervalMs} for data not there yet.
 *
 * <p>Restart: the session is opened lazily, resuming from the first offset Spark plans from (the checkpoint), and a
 * batch whose packets are not in the spill folder (a batch planned again after a restart) is read from the relay
 * again up to its end offset; so a query restarted from its checkpoint loses and repeats nothing while the relay still
 * holds the data.
 */
final class LiveMicroBatchStream implements MicroBatchStream, SupportsAdmissionControl, ReportsSourceMetrics {
    /** How long planning a batch again after a restart may wait for the relay to deliver its packets. */
    private static final long REPLAN_WAIT_NANOS = 60_000_000_000L;

    private final LiveSourceOptions options;
    private final ReadPlan plan;
    private final PacketSpill spill;
    private LiveSession session;
    /** Where the next reader resumes when the previous one was interrupted (null: from the batch's start). */
    private LivePositions resumeAfter;
    private boolean ended;
    private final Map<DataStream, Pending> pending = new IdentityHashMap<>();
    private final Map<Trace, TraceClass> metadataWritten = new IdentityHashMap<>();
    private LiveOffset latest;

    /** Per stream key, the time (ns) of the PACKET_BEGINNING message of each spilled packet, by packet number. */
    private final Map<String, TreeMap<Long, Long>> packetBegins = new HashMap<>();

    /** A packet whose beginning was read, not yet its end; {@code beginNanos}: its beginning message's time. */
    private record Pending(byte[] bytes, PacketIndexEntry entry, long beginNanos) {
    }

    LiveMicroBatchStream(LiveSourceOptions options, ReadPlan plan) {
        this.options = options;
        this.plan = plan;
        Path dir;
        try {
            if (options.spillDir() != null) {
                Files.createDirectories(options.spillDir());
                dir = Files.createTempDirectory(options.spillDir(), "lttng-live-");
            } else {
                dir = Files.createTempDirectory("tracestream-lttng-live-");
            }
        } catch (IOException e) {
            throw new CtfException("lttng-live: cannot create the spill folder: " + e, e);
        }
        this.spill = new PacketSpill(dir, true);
    }

    @Override
    public Offset initialOffset() {
        return new LiveOffset(LivePositions.empty());
    }

    @Override
    public Offset deserializeOffset(String json) {
        try {
            return LiveOffset.parse(json);
        } catch (IllegalArgumentException e) {
            throw new CtfException("lttng-live: the checkpoint's offset is not a live position: " + e.getMessage(), e);
        }
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
        LiveOffset start = startOffset == null ? new LiveOffset(LivePositions.empty()) : (LiveOffset) startOffset;
        open(start);
        long buffered = bufferedBeyond(start);
        long want = options.maxPacketsPerTrigger() == Long.MAX_VALUE ? Long.MAX_VALUE
                : options.maxPacketsPerTrigger() - buffered;
        long bytes = options.maxBytesPerTrigger() - bufferedBytesBeyond(start);
        if (want > 0 && bytes > 0 && !ended) {
            long deadline = System.nanoTime() + options.maxReadPerTrigger().toNanos();
            read(want, bytes, deadline);
        }
        LiveOffset end = limited(start);
        if (end.samePositions(start)) {
            end = start; // nothing new: the same offset (a new watermark alone would make a batch without rows)
        }
        latest = end;
        return end;
    }

    /**
     * The session's event-time progress for an offset whose positions are {@code next} (per stream key, the number
     * of the first packet not in it; null: every packet read so far): the live client's watermark, lowered to the
     * beginning of every packet begun but not complete and of every spilled packet beyond the offset.
     */
    private long progress(Map<String, Long> next) {
        if (session == null) {
            return LiveOffset.UNKNOWN;
        }
        long w = session.watermarkNanos();
        for (Pending p : pending.values()) {
            w = Math.min(w, p.beginNanos);
        }
        if (next != null) {
            for (Map.Entry<String, Long> e : next.entrySet()) {
                TreeMap<Long, Long> begins = packetBegins.get(e.getKey());
                Map.Entry<Long, Long> first = begins == null ? null : begins.ceilingEntry(e.getValue());
                if (first != null) {
                    w = Math.min(w, first.getValue());
                }
            }
        }
        return w;
    }

    /** Packets in the spill after {@code start}. */
    private long bufferedBeyond(LiveOffset start) {
        long n = 0;
        for (PacketSpill.SpilledStream s : spill.streams().values()) {
            n += Math.max(0, s.end() - Math.max(s.base, start.packets(s.key)));
        }
        return n;
    }

    /** Bytes of the packets in the spill after {@code start}. */
    private long bufferedBytesBeyond(LiveOffset start) {
        long n = 0;
        for (PacketSpill.SpilledStream s : spill.streams().values()) {
            for (long p = Math.max(s.base, start.packets(s.key)); p < s.end(); p++) {
                n += s.packet(p).totalSizeBits() / 8;
            }
        }
        return n;
    }

    /**
     * The offset to offer: every spilled packet, or (when more than the limit was read, e.g. by planning a batch again)
     * the oldest packets beyond {@code start} up to the limit.
     */
    private LiveOffset limited(LiveOffset start) {
        LivePositions now = session != null ? session.positions() : resumeAfter;
        long max = options.maxPacketsPerTrigger();
        if (max == Long.MAX_VALUE || bufferedBeyond(start) <= max) {
            return new LiveOffset(now, progress(null));
        }
        // Take packets oldest first (by begin time) across streams.
        Map<String, Long> next = new HashMap<>();
        for (PacketSpill.SpilledStream s : spill.streams().values()) {
            next.put(s.key, Math.max(s.base, start.packets(s.key)));
        }
        long taken = 0;
        while (taken < max) {
            PacketSpill.SpilledStream best = null;
            long bestBegin = Long.MAX_VALUE;
            for (PacketSpill.SpilledStream s : spill.streams().values()) {
                long p = next.get(s.key);
                if (p < s.end() && s.packet(p).beginCycles() < bestBegin) {
                    best = s;
                    bestBegin = s.packet(p).beginCycles();
                }
            }
            if (best == null) {
                break;
            }
            next.merge(best.key, 1L, Long::sum);
            taken++;
        }
        List<LivePositions.Stream> l = new ArrayList<>();
        for (LivePositions.Stream s : now.streams()) {
            Long n = next.get(s.stream());
            if (n == null || n >= s.packets()) {
                l.add(s);
            } else if (n > 0) {
                PacketIndexEntry e = spill.stream(s.stream()).packet(n - 1);
                l.add(new LivePositions.Stream(s.stream(), n, e.beginCycles(), e.endCycles(),
                        relayOffset(s.stream(), n - 1)));
            } else {
                LivePositions.Stream was = start.positions().get(s.stream());
                if (was != null) {
                    l.add(was);
                }
            }
        }
        return new LiveOffset(LivePositions.of(l), progress(next));
    }

    /** The relay's offset of a spilled packet. */
    private long relayOffset(String key, long number) {
        PacketSpill.SpilledStream s = spill.stream(key);
        return s.relayOffsets.get((int) (number - s.base));
    }

    /** Opens the live session once, resuming after {@code from}. */
    private void open(LiveOffset from) {
        if (session != null) {
            return;
        }
        LiveOptions o = LiveOptions.defaults().fromBeginning(true)
                .sessionNotFound(LiveOptions.SessionNotFound.END).pollInterval(options.pollInterval());
        LivePositions at = resumeAfter != null ? resumeAfter : from.positions();
        resumeAfter = null;
        if (!at.streams().isEmpty()) {
            o = o.resumeFrom(at);
        }
        session = LiveSource.open(options.url(), o, options.schemaTimeout());
        if (!session.attached()) {
            String why = session.notFoundMessage();
            session.close();
            session = null;
            throw new CtfException("lttng-live: " + (why == null ? "session " + options.url() + " not found" : why));
        }
    }

    /**
     * A trigger's read (adaptive batching): waits for a first complete packet (at most one live timer period plus
     * the poll interval: the relay gets every stream's data that often), then takes what the relay has ready. Caught
     * up (the last packet read ended less than {@link #backlogLagNanos} ago), it stops as soon as nothing more is
     * ready, so a small batch answers quickly; behind (an older last packet: the relay holds a backlog, e.g. the
     * previous batch took long or the tracer writes faster than the query reads), it keeps reading, waiting for what
     * is still on its way, until it has caught up, nothing came for a live timer period, or the trigger's budget is
     * spent ({@code maxPackets} packets, {@code maxBytes} bytes, the deadline): large batches then amortize each
     * micro-batch's fixed cost.
     */
    private void read(long maxPackets, long maxBytes, long deadline) {
        long timer = session.liveTimerMicros() * 1000;
        long poll = options.pollInterval().toNanos();
        long silence = timer + 2 * poll;
        long lag = backlogLagNanos(timer, poll);
        long completed = 0;
        long bytes = 0;
        long lastEnd = Long.MIN_VALUE;
        long lastArrival = System.nanoTime();
        Duration wait = Duration.ofNanos(Math.max(0, Math.min(timer + poll, deadline - System.nanoTime())));
        while (completed < maxPackets && bytes < maxBytes && System.nanoTime() < deadline) {
            LiveSession.Status st = next(wait);
            if (st == LiveSession.Status.END) {
                return;
            }
            if (st == LiveSession.Status.WAITING) {
                long now = System.nanoTime();
                if (completed == 0 || now - lastArrival >= silence || epochNanos() - lastEnd < lag) {
                    return; // nothing yet, nothing more coming, or caught up: the batch goes now
                }
                wait = options.pollInterval(); // behind: what is on its way belongs to this batch too
                continue;
            }
            Pending p = message();
            if (p != null) {
                completed++;
                bytes += p.entry.totalSizeBits() / 8;
                lastEnd = session.timeNanos();
                lastArrival = System.nanoTime();
                wait = Duration.ZERO; // what the relay has ready now
            }
        }
    }

    /**
     * How old (by the tracer's clock against this host's, ns) the last packet read may be for the reader to count as
     * caught up: two live timer periods (a stream's packet end is delivered once every other stream has a later
     * message, which comes with their next flush) plus slack for the relay's and the reader's polling.
     */
    private static long backlogLagNanos(long timerNanos, long pollNanos) {
        return 2 * timerNanos + Math.max(250_000_000L, 5 * pollNanos);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Reads the session until every stream of {@code target} has its packets or the deadline passes (planning a batch
     * again after a restart).
     */
    private void pumpTo(LiveOffset target, long deadline) {
        while (System.nanoTime() < deadline && !reached(target)) {
            LiveSession.Status st = next(options.pollInterval());
            if (st == LiveSession.Status.END) {
                return;
            }
            if (st == LiveSession.Status.MESSAGE) {
                message();
            }
        }
    }

    /**
     * The session's next message, waiting at most {@code wait}; on END, notes the session's end, or (this thread was
     * interrupted: the query is stopping) closes the reader: should Spark call again, a new reader attaches after the
     * packets stored so far.
     */
    private LiveSession.Status next(Duration wait) {
        LiveSession.Status st = session.next(wait);
        if (st == LiveSession.Status.END) {
            if (session.sessionEnded()) {
                ended = true;
            } else {
                resumeAfter = session.positions();
                session.close();
                session = null;
                pending.clear();
            }
        }
        return st;
    }

    /** Handles the current message: a packet's beginning is kept, its end stores it (returned); else null. */
    private Pending message() {
        MessageType t = session.type();
        if (t == MessageType.PACKET_BEGINNING) {
            pending.put(session.stream(), new Pending(session.currentPacketBytes(), session.currentPacketEntry(),
                    session.timeNanos()));
        } else if (t == MessageType.PACKET_END) {
            Pending p = pending.remove(session.stream());
            if (p == null || p.bytes == null) {
                throw new CtfException("lttng-live: packet end without its beginning on stream "
                        + session.currentStreamKey());
            }
            store(session.stream(), session.currentStreamKey(), p);
            return p;
        }
        return null;
    }

    private boolean reached(LiveOffset target) {
        for (LivePositions.Stream s : target.positions().streams()) {
            PacketSpill.SpilledStream sp = spill.stream(s.stream());
            if (sp == null || sp.end() < s.packets()) {
                return false;
            }
        }
        return true;
    }

    private void store(DataStream stream, String key, Pending p) {
        Trace trace = stream.trace();
        Path dir = spill.traceDir(String.valueOf(trace.path()));
        TraceClass tc = trace.traceClass();
        if (metadataWritten.get(trace) != tc) {
            spill.writeMetadata(dir, session.metadataBytes(trace));
            metadataWritten.put(trace, tc);
        }
        Object h = tc == null ? null : tc.environment().get("hostname");
        LivePositions.Stream pos = session.positions().get(key);
        long number = pos.packets() - 1;
        // the `trace` column: as format("ctf") names the relay's on-disk copy (hostname/relay trace path)
        String relayPath = key.substring(0, Math.max(0, key.lastIndexOf('/')));
        String traceName = trace.name() != null ? trace.name()
                : h instanceof String hs ? hs + "/" + relayPath : relayPath;
        spill.add(key, dir, traceName, h instanceof String hs ? hs : null, number, p.entry, p.bytes);
        packetBegins.computeIfAbsent(key, k -> new TreeMap<>()).put(number, p.beginNanos);
        instanceIds.put(key, stream.instanceId());
    }

    private final Map<String, Long> instanceIds = new HashMap<>();

    @Override
    public synchronized InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
        LiveOffset start = startOffset == null ? new LiveOffset(LivePositions.empty()) : (LiveOffset) startOffset;
        LiveOffset end = (LiveOffset) endOffset;
        open(start);
        if (!reached(end) && !ended) {
            pumpTo(end, System.nanoTime() + REPLAN_WAIT_NANOS);
        }
        List<InputPartition> out = new ArrayList<>();
        for (LivePositions.Stream e : end.positions().streams()) {
            long from = start.packets(e.stream());
            long to = e.packets();
            if (to <= from) {
                continue;
            }
            PacketSpill.SpilledStream s = spill.stream(e.stream());
            if (s == null || s.end() < to || s.base > from) {
                throw new CtfException("lttng-live: the checkpoint says packets [" + from + ", " + to + ") of stream "
                        + e.stream() + " were delivered, but the relay "
                        + (s == null ? "does not serve that stream (any more)"
                            : "served packets [" + s.base + ", " + s.end() + ")")
                        + (ended ? " before the session ended" : "")
                        + ": did the relay discard them (session destroyed, relay restarted)?");
            }
            int lo = (int) (from - s.base);
            int hi = (int) (to - s.base);
            int lead = lo > 0 ? 1 : 0;
            List<PacketIndexEntry> list = s.entries.subList(lo - lead, hi);
            PacketIndexEntry first = list.get(0);
            long instance = instanceIds.getOrDefault(e.stream(), first.streamInstanceId());
            out.add(new LivePartition(PacketRange.of(s.traceDir.resolve("metadata"), s.traceName, s.host, instance,
                    first.streamClassId(), instance, e.stream(), new ArrayList<>(list), lead, list.size()),
                    end.watermark()));
        }
        return out.toArray(new InputPartition[0]);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new LiveReaderFactory(new CtfReaderFactory(plan));
    }

    /** The packets up to {@code end} are processed: the spill keeps only what later batches may need. */
    @Override
    public synchronized void commit(Offset endOffset) {
        LiveOffset end = (LiveOffset) endOffset;
        for (LivePositions.Stream s : end.positions().streams()) {
            spill.release(s.stream(), s.packets() - 1);
            TreeMap<Long, Long> begins = packetBegins.get(s.stream());
            if (begins != null) {
                begins.headMap(s.packets()).clear();
            }
        }
    }

    @Override
    public synchronized Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
        Map<String, String> m = new HashMap<>();
        m.put("streams", Integer.toString(spill.streams().size()));
        m.put("spilledBytes", Long.toString(spill.bytes()));
        m.put("sessionEnded", Boolean.toString(ended));
        if (session != null) {
            m.put("watermarkNanos", Long.toString(session.watermarkNanos()));
        }
        if (latest != null && latest.watermark() != LiveOffset.UNKNOWN) {
            m.put("offsetWatermarkNanos", Long.toString(latest.watermark()));
        }
        if (latest != null && latestConsumedOffset.isPresent()) {
            long behind = latest.totalPackets() - ((LiveOffset) latestConsumedOffset.get()).totalPackets();
            m.put("packetsBehindLatest", Long.toString(Math.max(0, behind)));
        }
        return m;
    }

    @Override
    public synchronized void stop() {
        if (session != null) {
            session.close();
        }
        spill.close();
    }

    @Override
    public String toString() {
        return "LiveMicroBatchStream[" + options.url() + "]";
    }
}

package io.tracestream.spark.read;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.meta.EventClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts the streams of some traces into {@link PacketRange} splits of at most {@code maxSplitBytes} (at least one
 * packet each), skipping what the pushed filters rule out: streams of other traces, hosts, stream ids or files,
 * streams of CPUs not asked for (LTTng traces, whose streams are per CPU), streams whose class has none of the asked
 * event classes, and packets whose timestamp bounds lie outside the asked time range.
 */
public final class SplitPlanner {

    /**
     * What the pushed filters allow; null sets mean anything.
     *
     * @param tsLow  smallest event time wanted (ns), {@link Long#MIN_VALUE} for none
     * @param tsHigh largest event time wanted (ns), {@link Long#MAX_VALUE} for none
     */
    public record Pruning(long tsLow, long tsHigh, Set<Long> cpus, Set<Long> streamIds, Set<String> streamFiles,
                          Set<String> traces, Set<String> hosts, Set<String> events) {
        public static final Pruning NONE = new Pruning(Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, null, null,
                null);

        public boolean timeBounded() {
            return tsLow != Long.MIN_VALUE || tsHigh != Long.MAX_VALUE;
        }
    }

    /** The splits and what they cover out of the whole input. */
    public record Plan(List<PacketRange> splits, int streams, int streamsRead, long packets, long packetsRead,
                       long bytes, long bytesRead) {
    }

    private SplitPlanner() {
    }

    /** Plans the splits of {@code traces} (found by {@link io.tracestream.ctf.TraceSet}: file streams). */
    public static Plan plan(List<? extends Trace> traces, Pruning p, long maxSplitBytes) {
        List<PacketRange> out = new ArrayList<>();
        int streams = 0;
        int streamsRead = 0;
        long packets = 0;
        long packetsRead = 0;
        long bytes = 0;
        long bytesRead = 0;
        for (Trace t : traces) {
            Object h = t.traceClass().environment().get("hostname");
            String host = h instanceof String s ? s : null;
            boolean traceOk = (p.traces() == null || p.traces().contains(t.name()))
                    && (p.hosts() == null || (host != null && p.hosts().contains(host)));
            boolean perCpu = isLttng(t);
            TraceDecoder decoder = null;
            for (DataStream ds : t.streams()) {
                FsDataStream s = (FsDataStream) ds;
                List<PacketIndexEntry> all = s.packets();
                streams++;
                packets += all.size();
                for (PacketIndexEntry e : all) {
                    bytes += e.totalSizeBits() / 8;
                }
                if (!traceOk || all.isEmpty()) {
                    continue;
                }
                if (p.streamIds() != null && !p.streamIds().contains(s.id())) {
                    continue;
                }
                if (p.streamFiles() != null && !p.streamFiles().contains(s.name())) {
                    continue;
                }
                if (p.events() != null && !hasEvent(s, p.events())) {
                    continue;
                }
                if (p.cpus() != null && perCpu) {
                    if (decoder == null) {
                        decoder = TraceDecoder.compile(t.traceClass());
                    }
                    long cpu = firstCpu(decoder, s);
                    if (cpu >= 0 && !p.cpus().contains(cpu)) {
                        continue;
                    }
                }
                int from = 0;
                int to = all.size();
                if (p.timeBounded()) {
                    int lo = -1;
                    int hi = -1;
                    for (int i = 0; i < all.size(); i++) {
                        long b = s.packetBeginNs(i);
                        long e = s.packetEndNs(i);
                        boolean out1 = (e != ClockValue.NONE && e < p.tsLow())
                                || (b != ClockValue.NONE && b > p.tsHigh());
                        if (!out1) {
                            if (lo < 0) {
                                lo = i;
                            }
                            hi = i;
                        }
                    }
                    if (lo < 0) {
                        continue;
                    }
                    from = lo;
                    to = hi + 1;
                }
                streamsRead++;
                int start = from;
                long acc = 0;
                for (int i = from; i < to; i++) {
                    long b = all.get(i).totalSizeBits() / 8;
                    if (i > start && acc + b > maxSplitBytes) {
                        out.add(range(t, host, s, all, start, i));
                        start = i;
                        acc = 0;
                    }
                    acc += b;
                    packetsRead++;
                    bytesRead += b;
                }
                out.add(range(t, host, s, all, start, to));
            }
        }
        return new Plan(out, streams, streamsRead, packets, packetsRead, bytes, bytesRead);
    }

    private static PacketRange range(Trace t, String host, FsDataStream s, List<PacketIndexEntry> all, int from,
                                     int to) {
        return PacketRange.of(t.path().resolve("metadata"), t.name(), host, s.id(), s.streamClass().id(),
                s.instanceId(), s.name(), all, from, to);
    }

    private static boolean hasEvent(FsDataStream s, Set<String> events) {
        for (EventClass ec : s.streamClass().eventClasses()) {
            if (events.contains(ec.name())) {
                return true;
            }
        }
        return false;
    }

    /** LTTng writes one stream per CPU per channel: a stream's packets all have its CPU's cpu_id. */
    static boolean isLttng(Trace t) {
        Object n = t.traceClass().environment().get("tracer_name");
        return n instanceof String s && (s.equals("lttng-ust") || s.equals("lttng-modules"));
    }

    /** The cpu_id of a stream's first packet, or -1. */
    private static long firstCpu(TraceDecoder d, FsDataStream s) {
        try (MessageCursor c = d.openStream(s, s.packets().subList(0, 1))) {
            while (c.next()) {
                if (c.type() == MessageType.PACKET_BEGINNING) {
                    return c.packet().cpuId();
                }
            }
        }
        return -1;
    }
}

package io.tracestream.cli;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.DefaultBackend;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tracestream tile TRACE-PATH... --times N --output DIR}: writes a trace N times as long as the input by
 * repeating it in time (benchmark input with the shape of a real trace).
 *
 * <p>Copy k (0 to N-1) of every data stream is the input stream with every timestamp shifted by k times the tile
 * period, the smallest multiple of 2^32 clock cycles longer than the input's time range (so truncated event header
 * timestamps keep their low bits); the discarded event counters continue across copies. The copies are written
 * with the project's CTF writer, keeping the input's trace class (metadata, clocks, environment), stream files and
 * packet boundaries.
 */
final class TileCommand implements Command {
    /** Tile periods are multiples of this many cycles. */
    static final long PERIOD_UNIT = 1L << 32;

    @Override
    public String name() {
        return "tile";
    }

    @Override
    public String summary() {
        return "Write a longer trace by repeating a trace in time (benchmark input)";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] TRACE-PATH... --times N --output DIR";
    }

    @Override
    public String description() {
        return "Writes each CTF trace found under TRACE-PATH N times one after the other into a new trace under\n"
                + "DIR (DIR itself when there is one trace): copy k of each stream holds the input's packets and\n"
                + "events with every timestamp shifted by k tile periods, the smallest multiple of 2^32 clock\n"
                + "cycles (about 4.3 s at 1 GHz) longer than the input (all traces share the period). The result\n"
                + "has N times the events; the metadata, clocks, environment and stream files are the input's.";
    }

    @Override
    public Options options() {
        return new Options()
                .value("times", 'n', "N", "Number of copies (at least 1)")
                .value("output", 'w', "DIR", "Directory to write the trace(s) to (created; must be empty)");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> positionals = args.positionals();
        if (positionals.isEmpty()) {
            throw new UsageException("no trace path given");
        }
        if (args.value("times") == null) {
            throw new UsageException("no number of copies given (--times N)");
        }
        long times = args.longValue("times", 1);
        if (times < 1 || times > 1_000_000) {
            throw new UsageException("--times must be from 1 to 1000000, got " + times);
        }
        Path out = ConvertCommand.emptyOutputDirectory(args);
        List<Path> paths = new ArrayList<>();
        for (String p : positionals) {
            paths.add(Path.of(p));
        }
        ReadOptions o = ReadOptions.defaults().listener(new WarningListener(terminal.err()));
        try (TraceSet ts = TraceSet.open(o, paths)) {
            long period = period(ts.traces());
            Map<Trace, Path> dirs = ConvertCommand.outputDirectories(ts.traces(), paths, out);
            DefaultBackend backend = new DefaultBackend();
            for (Trace t : ts.traces()) {
                long events = 0;
                CtfWriter.MetadataFormat format = t.traceClass().ctfMajor() >= 2 ? CtfWriter.MetadataFormat.CTF_2
                        : CtfWriter.MetadataFormat.CTF_1_8;
                try (CtfWriter w = CtfWriter.builder(dirs.get(t), t.traceClass()).metadataFormat(format)
                        .packetSize(packetBytes(t)).build()) {
                    Set<String> files = new HashSet<>();
                    for (DataStream ds : t.streams()) {
                        StreamWriter sw = open(w, ds, files);
                        for (long k = 0; k < times; k++) {
                            events += copy(backend, (FsDataStream) ds, sw, k * period, k);
                        }
                        sw.close();
                    }
                }
                terminal.println(dirs.get(t) + ": " + events + " events (" + times + " copies, period " + period
                        + " cycles)");
            }
        }
        return 0;
    }

    /** The tile period: the smallest multiple of 2^32 cycles longer than the traces' packets span. */
    static long period(List<Trace> traces) {
        long begin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Trace t : traces) {
            for (DataStream ds : t.streams()) {
                for (PacketIndexEntry p : ((FsDataStream) ds).packets()) {
                    if (p.beginCycles() != ClockValue.NONE) {
                        begin = Math.min(begin, p.beginCycles());
                    }
                    if (p.endCycles() != ClockValue.NONE) {
                        end = Math.max(end, p.endCycles());
                    }
                }
            }
        }
        if (begin > end) {
            throw new CtfException(traces.isEmpty() ? "no trace found"
                    : traces.get(0).path() + ": the packets have no timestamps, so the trace cannot be tiled in time");
        }
        long span = end - begin + 1;
        return Math.multiplyExact((span + PERIOD_UNIT - 1) / PERIOD_UNIT, PERIOD_UNIT);
    }

    /** The writer's packet size: the input's largest packet, so that every input packet is copied into one. */
    private static int packetBytes(Trace t) {
        long bits = 512 * 8;
        for (DataStream ds : t.streams()) {
            for (PacketIndexEntry p : ((FsDataStream) ds).packets()) {
                bits = Math.max(bits, p.totalSizeBits());
            }
        }
        return (int) Math.min(1 << 30, (bits + 63) / 64 * 8);
    }

    private static StreamWriter open(CtfWriter w, DataStream ds, Set<String> files) {
        long instance = ds.instanceId() >= 0 ? ds.instanceId() : ds.id();
        String file = ds.file() != null ? ds.file().getFileName().toString() : null;
        if (file == null || !files.add(file)) {
            return w.openStream(ds.streamClass(), instance);
        }
        return w.openStream(ds.streamClass(), instance, file);
    }

    /** Copies one stream shifted by {@code shift} cycles (copy number {@code k}); returns the events written. */
    private static long copy(DefaultBackend backend, FsDataStream ds, StreamWriter sw, long shift, long k) {
        List<PacketIndexEntry> packets = ds.packets();
        // the counter snapshots continue across copies: copy k starts where copy k-1 ended
        long discardedBase = packets.isEmpty() ? 0 : k * packets.get(packets.size() - 1).discardedEventCounter();
        long n = 0;
        boolean timed = ds.streamClass().defaultClock() != null;
        try (MessageCursor c = backend.openStream(ds, packets)) {
            while (c.next()) {
                MessageType type = c.type();
                if (type == MessageType.PACKET_BEGINNING) {
                    // the copy keeps the packet's time range and context, even when it has no event
                    if (timed && c.packet().beginCycles() != ClockValue.NONE) {
                        sw.beginPacket(c.packet().beginCycles() + shift);
                    }
                    c.packet().accept(Scope.PACKET_CONTEXT, sw.packetContextVisitor());
                    sw.setDiscardedEventCounter(c.packet().discardedEventCounter() + discardedBase);
                } else if (type == MessageType.PACKET_END) {
                    if (timed && c.packet().endCycles() != ClockValue.NONE) {
                        sw.packetEndTimestamp(c.packet().endCycles() + shift);
                    }
                    sw.flushPacket();
                } else if (type == MessageType.EVENT) {
                    EventRecord e = c.event();
                    long cycles = c.timeCycles() != ClockValue.NONE ? c.timeCycles() : e.cycles();
                    EventBuilder b = !timed || cycles == ClockValue.NONE ? sw.beginEvent(e.eventClass())
                            : sw.beginEvent(e.eventClass(), cycles + shift);
                    e.accept(Scope.EVENT_COMMON_CONTEXT, b.visitor());
                    e.accept(Scope.EVENT_SPECIFIC_CONTEXT, b.visitor());
                    e.accept(Scope.EVENT_PAYLOAD, b.visitor());
                    b.end();
                    n++;
                }
            }
        }
        return n;
    }
}

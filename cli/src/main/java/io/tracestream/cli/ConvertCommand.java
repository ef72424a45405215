package io.tracestream.cli;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.text.TimeBound;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tracestream convert TRACE-PATH... --output DIR [--begin T] [--end T] [--events NAMES]}: copies the traces,
 * trimmed to a time range and filtered by event name, into new CTF traces (one per input trace) that read back with
 * the same events, timestamps and field values.
 *
 * <p>Each output trace keeps its input's trace class (metadata layout, clocks, environment), stream classes and
 * stream files (one output file per input stream, named after its first file); packets follow the input packets
 * (a packet with no kept event is left out) and keep their context members such as {@code cpu_id} and the
 * discarded event counter.
 */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "Copy traces into new CTF traces, trimmed to a time range and filtered by event name";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] TRACE-PATH... --output DIR\n   or: tracestream convert [OPTIONS] TRACE-PATH... --to parquet DIR";
    }

    @Override
    public String description() {
        return "Reads the CTF traces found under each TRACE-PATH and writes each one as a new CTF trace under DIR\n"
                + "(DIR itself when there is one trace, else DIR/ followed by the trace's path below its input),\n"
                + "keeping only the events within --begin/--end and, with --events, of the given names. The\n"
                + "metadata layout, clocks, environment and stream files of each trace are kept, so\n"
                + "'babeltrace2 DIR' prints the kept events as 'babeltrace2 TRACE-PATH' printed them.\n\n"
                + "Times: [YYYY-MM-DD] hh:mm[:ss[.ns]] (local time unless --clock-gmt; without a date, on the date\n"
                + "of the first message) or [-]s[.ns] (seconds from the clock origin), as babeltrace2 reads them.";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'w', "DIR", "Directory to write the trace(s) to (created; must be empty)")
                .value("begin", 'b', "TIME", "Drop events before TIME")
                .value("end", 'e', "TIME", "Drop events after TIME")
                .value("events", "NAME[,NAME]...", "Keep only events with one of these names")
                .flag("clock-gmt", "Read --begin/--end dates and times of day in UTC")
                .flag("lenient", "Skip unreadable packets (each reported on standard error with its file and offset)"
                        + " instead of failing")
                .value("metadata-format", "FORMAT", "Metadata of the output: ctf1.8 or ctf2 (default: as the input)")
                .value("packet-size", "BYTES", "Maximum packet size of the output (default 262144)")
                .value("to", "FORMAT", "Output format: ctf (default) or parquet (Parquet files under DIR, partitioned"
                        + " by event class, written with Spark: 'convert TRACE-PATH... --to parquet DIR')");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        String to = args.value("to");
        if (to != null && !to.equalsIgnoreCase("ctf")) {
            if (!to.equalsIgnoreCase("parquet")) {
                throw new UsageException("unknown output format '" + to + "' (expected ctf or parquet)");
            }
            Command parquet = Plugins.find("convert.parquet");
            if (parquet == null) {
                throw new UsageException("--to parquet needs the Spark module: run it through ./tracestream (which"
                        + " builds it) or set " + Plugins.ENV);
            }
            return Plugins.run(parquet, args, terminal);
        }
        List<String> positionals = args.positionals();
        if (positionals.isEmpty()) {
            throw new UsageException("no trace path given");
        }
        Path out = emptyOutputDirectory(args);
        List<Path> paths = new ArrayList<>();
        for (String p : positionals) {
            paths.add(Path.of(p));
        }
        ZoneId zone = PrintCommand.zone(terminal);
        boolean gmt = args.has("clock-gmt");
        TimeBound begin = bound(args.value("begin"), gmt, zone);
        TimeBound end = bound(args.value("end"), gmt, zone);
        Set<String> names = null;
        if (args.value("events") != null) {
            names = new LinkedHashSet<>();
            for (String n : args.value("events").split(",")) {
                if (!n.isEmpty()) {
                    names.add(n);
                }
            }
        }
        CtfWriter.MetadataFormat format = null;
        String f = args.value("metadata-format");
        if (f != null) {
            format = switch (f.toLowerCase(Locale.ROOT)) {
                case "ctf1.8", "ctf1", "tsdl", "1.8" -> CtfWriter.MetadataFormat.CTF_1_8;
                case "ctf2", "2", "json" -> CtfWriter.MetadataFormat.CTF_2;
                default -> throw new UsageException("unknown metadata format '" + f + "' (expected ctf1.8 or ctf2)");
            };
        }
        long packetSize = args.longValue("packet-size", 256 * 1024);
        if (packetSize < 512 || packetSize % 8 != 0 || packetSize > (1 << 30)) {
            throw new UsageException("--packet-size must be a multiple of 8 from 512 to 1073741824, got "
                    + packetSize);
        }

        TraceListener listener = new WarningListener(terminal.err());
        ReadOptions o = ReadOptions.defaults().listener(listener).lenient(args.has("lenient"));
        if (names != null) {
            o = o.events(names);
        }
        if ((begin != null && begin.needsDate()) || (end != null && end.needsDate())) {
            long first = firstTime(o, paths);
            if (first != ClockValue.NONE) {
                if (begin != null) {
                    begin.resolve(first);
                }
                if (end != null) {
                    end.resolve(first);
                }
            }
        }
        if (begin != null && !begin.needsDate()) {
            o = o.begin(begin.nanos());
        }
        if (end != null && !end.needsDate()) {
            o = o.end(end.nanos());
        }
        boolean outExisted = Files.exists(out);
        try (TraceSet ts = TraceSet.open(o, paths)) {
            Copier copier = new Copier(ts.traces(), paths, out, format, (int) packetSize);
            try (MessageCursor c = ts.messages()) {
                copier.copy(c, names);
            } catch (RuntimeException e) {
                // no partial trace that would read as a shorter, valid one: remove what was written
                try {
                    copier.close();
                } catch (RuntimeException ignored) {
                    // the first error is the one to report
                }
                removeOutput(out, outExisted);
                throw e;
            }
            copier.close();
            terminal.err().flush();
            for (Map.Entry<Trace, Path> e : copier.outputs.entrySet()) {
                terminal.println(e.getValue() + ": " + copier.events.getOrDefault(e.getKey(), 0L) + " events");
            }
        }
        return 0;
    }

    /** Deletes everything written under {@code out}, and {@code out} itself when this command created it. */
    private static void removeOutput(Path out, boolean keepDirectory) {
        if (!Files.exists(out)) {
            return;
        }
        try (var files = Files.walk(out)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!(keepDirectory && p.equals(out))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new CtfException(out + ": cannot remove the partial output after an error: " + e.getMessage(), e);
        }
    }

    /** The {@code --output} directory, which must be absent or empty. */
    static Path emptyOutputDirectory(Arguments args) throws IOException {
        String output = args.value("output");
        if (output == null) {
            throw new UsageException("no output directory given (--output DIR)");
        }
        Path out = Path.of(output);
        if (Files.exists(out) && (!Files.isDirectory(out) || !isEmptyDirectory(out))) {
            throw new UsageException("output directory '" + out + "' exists and is not empty");
        }
        return out;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static TimeBound bound(String value, boolean gmt, ZoneId zone) {
        if (value == null) {
            return null;
        }
        try {
            return TimeBound.parse(value, gmt, zone);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The time of the first message that has one (for hh:mm:ss bounds), or NONE. */
    private static long firstTime(ReadOptions o, List<Path> paths) {
        try (TraceSet ts = TraceSet.open(o, paths); MessageCursor c = ts.messages()) {
            while (c.next()) {
                if (c.timeNanos() != ClockValue.NONE) {
                    return c.timeNanos();
                }
            }
        }
        return ClockValue.NONE;
    }

    /** The output directory of each trace: {@code out} for a single trace, else its path below its input. */
    static Map<Trace, Path> outputDirectories(List<Trace> traces, List<Path> inputs, Path out) {
        Map<Trace, Path> dirs = new IdentityHashMap<>();
        if (traces.size() == 1) {
            dirs.put(traces.get(0), out);
            return dirs;
        }
        Set<Path> used = new HashSet<>();
        for (Trace t : traces) {
            Path tp = t.path().toAbsolutePath().normalize();
            Path rel = null;
            for (Path in : inputs) {
                Path ip = in.toAbsolutePath().normalize();
                if (tp.startsWith(ip) && !tp.equals(ip)) {
                    rel = ip.relativize(tp);
                    break;
                }
            }
            if (rel == null) {
                rel = tp.getFileName() != null ? tp.getFileName() : Path.of("trace");
            }
            Path d = out.resolve(rel);
            for (int i = 2; !used.add(d); i++) {
                d = out.resolve(rel + "-" + i);
            }
            dirs.put(t, d);
        }
        return dirs;
    }

    /** Copies messages into one writer per trace and one stream writer per data stream. */
    static final class Copier {
        final Map<Trace, Path> outputs;
        final Map<Trace, Long> events = new HashMap<>();
        private final Map<Trace, CtfWriter> writers = new IdentityHashMap<>();
        private final Map<DataStream, StreamWriter> streams = new IdentityHashMap<>();
        private final Map<DataStream, Boolean> packetHasEvents = new IdentityHashMap<>();
        private final Map<Trace, Set<String>> usedFiles = new IdentityHashMap<>();
        private final CtfWriter.MetadataFormat format;
        private final int packetSize;

        Copier(List<Trace> traces, List<Path> inputs, Path out, CtfWriter.MetadataFormat format, int packetSize) {
            this.outputs = outputDirectories(traces, inputs, out);
            this.format = format;
            this.packetSize = packetSize;
            for (Trace t : traces) {
                writer(t);
            }
        }

        private CtfWriter writer(Trace t) {
            CtfWriter w = writers.get(t);
            if (w == null) {
                CtfWriter.MetadataFormat fmt = format != null ? format
                        : t.traceClass().ctfMajor() >= 2 ? CtfWriter.MetadataFormat.CTF_2
                        : CtfWriter.MetadataFormat.CTF_1_8;
                try {
                    w = CtfWriter.builder(outputs.get(t), t.traceClass()).metadataFormat(fmt).packetSize(packetSize)
                            .build();
                } catch (IllegalArgumentException e) {
                    throw new CtfException(outputs.get(t) + ": cannot write trace '" + t.name() + "' as "
                            + (fmt == CtfWriter.MetadataFormat.CTF_2 ? "CTF 2" : "CTF 1.8") + ": " + e.getMessage());
                }
                writers.put(t, w);
            }
            return w;
        }

        private StreamWriter stream(DataStream ds) {
            StreamWriter sw = streams.get(ds);
            if (sw == null) {
                CtfWriter w = writer(ds.trace());
                long instance = ds.instanceId() >= 0 ? ds.instanceId() : ds.id();
                String file = ds.file() != null ? ds.file().getFileName().toString() : null;
                if (file == null || !usedFiles.computeIfAbsent(ds.trace(), k -> new HashSet<>()).add(file)) {
                    sw = w.openStream(ds.streamClass(), instance); // no file, or a name taken by another stream
                } else {
                    sw = w.openStream(ds.streamClass(), instance, file);
                }
                streams.put(ds, sw);
            }
            return sw;
        }

        void copy(MessageCursor c, Set<String> names) {
            while (c.next()) {
                switch (c.type()) {
                    case PACKET_BEGINNING -> packetHasEvents.put(c.stream(), false);
                    case PACKET_END -> {
                        if (Boolean.TRUE.equals(packetHasEvents.get(c.stream()))) {
                            stream(c.stream()).flushPacket();
                        }
                        packetHasEvents.put(c.stream(), false);
                    }
                    case EVENT -> {
                        EventRecord e = c.event();
                        if (names != null && !names.contains(e.name())) {
                            continue;
                        }
                        StreamWriter sw = stream(c.stream());
                        if (!Boolean.TRUE.equals(packetHasEvents.get(c.stream())) && c.packet() != null) {
                            // first kept event of this packet: its context (cpu_id, discarded counter) applies
                            c.packet().accept(Scope.PACKET_CONTEXT, sw.packetContextVisitor());
                        }
                        StreamClass sc = c.stream().streamClass();
                        long cycles = c.timeCycles() != ClockValue.NONE ? c.timeCycles() : e.cycles();
                        EventBuilder b = sc.defaultClock() == null || cycles == ClockValue.NONE
                                ? sw.beginEvent(e.eventClass()) : sw.beginEvent(e.eventClass(), cycles);
                        e.accept(Scope.EVENT_COMMON_CONTEXT, b.visitor());
                        e.accept(Scope.EVENT_SPECIFIC_CONTEXT, b.visitor());
                        e.accept(Scope.EVENT_PAYLOAD, b.visitor());
                        b.end();
                        packetHasEvents.put(c.stream(), true);
                        events.merge(c.stream().trace(), 1L, Long::sum);
                    }
                    default -> {
                    }
                }
            }
        }

        void close() {
            RuntimeException first = null;
            for (CtfWriter w : writers.values()) {
                try {
                    w.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}

package io.tracestream.cli;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.FullDecode;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.text.DetailsPrinter;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import io.tracestream.ctf.text.TimeBound;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tracestream print [OPTIONS] TRACE-PATH...}: the events of one or more traces, merged in time order, as
 * babeltrace2 prints them ({@code babeltrace2 TRACE-PATH...}), byte for byte, with its discarded events and packets
 * warnings on standard error.
 */
final class PrintCommand implements Command {

    @Override
    public String name() {
        return "print";
    }

    @Override
    public String summary() {
        return "Print the events of traces as text, like babeltrace2";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] TRACE-PATH...";
    }

    @Override
    public String description() {
        return "Prints the events of the CTF traces found under each TRACE-PATH, merged in time order, exactly as\n"
                + "'babeltrace2 TRACE-PATH...' does; warnings about discarded events and packets go to standard\n"
                + "error. Times are printed in the local time zone (the TZ environment variable) unless\n"
                + "--clock-gmt is given.\n\n"
                + "Output formats: text (default), dummy (decode everything, print nothing), details (like\n"
                + "'babeltrace2 -c sink.text.details'), ctf-metadata (the metadata text of one trace).";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output-format", 'o', "FORMAT", "Output format: text (default), dummy, details, ctf-metadata")
                .value("begin", 'b', "TIME", "Drop events before TIME ([YYYY-MM-DD] hh:mm[:ss[.ns]] or [-]s[.ns])")
                .value("end", 'e', "TIME", "Drop events after TIME (same formats as --begin)")
                .flag("stream-intersection", "Only print the time range where all streams of a trace have data")
                .flag("lenient", "Skip unreadable packets (each reported on standard error with its file and offset)"
                        + " instead of failing")
                .value("event", "NAME[,NAME]...", "Only print events with one of these names")
                .flag("clock-cycles", "Print timestamps in clock cycles")
                .flag("clock-date", "Print the date before the time of day")
                .flag("clock-gmt", "Print and read times in UTC instead of the local time zone")
                .flag("clock-seconds", "Print timestamps as seconds.nanoseconds from the clock origin")
                .flag("no-delta", "Do not print the time since the previous event")
                .value("names", 'n', "NAME[,NAME]...",
                        "Field names to print: all, none, payload, context, scope, header")
                .value("fields", 'f', "NAME[,NAME]...", "Header fields to print: all, trace, trace:hostname, "
                        + "trace:domain, trace:procname, trace:vpid, loglevel, emf, callsite")
                .value("color", "WHEN", "Colors: never, auto (default), always");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> positionals = args.positionals();
        if (positionals.isEmpty()) {
            throw new UsageException("no trace path given");
        }
        List<Path> paths = new ArrayList<>();
        for (String p : positionals) {
            paths.add(Path.of(p));
        }
        String format = args.value("output-format", "text").toLowerCase(Locale.ROOT);
        ZoneId zone = zone(terminal);
        boolean gmt = args.has("clock-gmt");
        PrintSpec spec = new PrintSpec();
        spec.paths = paths;
        spec.begin = bound(args.value("begin"), gmt, zone);
        spec.end = bound(args.value("end"), gmt, zone);
        spec.streamIntersection = args.has("stream-intersection");
        spec.lenient = args.has("lenient");
        String events = args.value("event");
        if (events != null) {
            spec.eventNames = new HashSet<>();
            for (String e : events.split(",")) {
                if (!e.isEmpty()) {
                    spec.eventNames.add(e);
                }
            }
        }
        switch (format) {
            case "text", "dummy", "details" -> {
                int code = runGraph(format, spec, args, terminal, zone);
                if (colorsSupported(terminal)) {
                    // babeltrace2 ends a run of its processing graph with a colour reset on both streams
                    terminal.out().write(RESET);
                    terminal.err().print("\033[0m");
                    terminal.err().flush();
                }
                return code;
            }
            case "ctf-metadata" -> {
                if (paths.size() > 1) {
                    throw new UsageException("too many paths for --output-format=ctf-metadata (give one trace)");
                }
                Path dir = paths.get(0);
                Path metadata = Files.isDirectory(dir) ? dir.resolve("metadata") : dir;
                String text = MetadataReader.read(metadata).text();
                int nul = text.indexOf('\0');
                if (nul >= 0) {
                    text = text.substring(0, nul);
                }
                terminal.out().write(text.getBytes(StandardCharsets.UTF_8));
                terminal.out().write('\n');
                return 0;
            }
            default -> throw new UsageException("unknown output format '" + format
                    + "' (expected text, dummy, details or ctf-metadata)");
        }
    }

    private static final byte[] RESET = "\033[0m".getBytes(StandardCharsets.US_ASCII);

    /** The formats that read the messages: text, dummy, details. */
    private static int runGraph(String format, PrintSpec spec, Arguments args, Terminal terminal, ZoneId zone)
            throws IOException {
        switch (format) {
            case "text" -> {
                PrettyOptions o = prettyOptions(args, terminal, zone);
                PrettyPrinter printer = new PrettyPrinter(o, terminal.out(), terminal.err());
                try (MessageCursor c = open(spec, terminal)) {
                    while (c.next()) {
                        if (keep(spec, c)) {
                            printer.message(c);
                        }
                    }
                } finally {
                    printer.flush();
                }
                return 0;
            }
            case "dummy" -> {
                // Decode every field of every event into its record, deliver nothing: babeltrace2's -o dummy
                try (MessageCursor c = open(spec, terminal)) {
                    while (c.next()) {
                        if (c.type() == MessageType.EVENT && keep(spec, c)) {
                            FullDecode.decode(c.event());
                        }
                    }
                }
                return 0;
            }
            case "details" -> {
                Writer w = new OutputStreamWriter(terminal.out(), StandardCharsets.UTF_8);
                DetailsPrinter printer = DetailsPrinter.builder().build(w);
                try (MessageCursor c = open(spec, terminal)) {
                    while (c.next()) {
                        if (c.type() != MessageType.EVENT || keep(spec, c)) {
                            printer.print(c);
                        }
                    }
                } finally {
                    printer.flush();
                    w.flush();
                }
                return 0;
            }
            default -> throw new IllegalStateException(format);
        }
    }

    /** What to read: the paths, the time range and the event name filter. */
    static final class PrintSpec {
        List<Path> paths;
        TimeBound begin;
        TimeBound end;
        boolean streamIntersection;
        boolean lenient;
        Set<String> eventNames;
    }

    private static boolean keep(PrintSpec spec, MessageCursor c) {
        if (spec.eventNames != null && c.type() == MessageType.EVENT) {
            return spec.eventNames.contains(c.event().name());
        }
        return true;
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

    /** The local zone: TZ from the terminal's environment when set (so tests can pass it), else the JVM's. */
    static ZoneId zone(Terminal terminal) {
        String tz = terminal.env("TZ");
        if (tz != null && !tz.isEmpty()) {
            String id = tz.startsWith(":") ? tz.substring(1) : tz;
            try {
                return ZoneId.of(id);
            } catch (RuntimeException e) {
                // glibc treats an unknown TZ as UTC
                return java.time.ZoneOffset.UTC;
            }
        }
        return ZoneId.systemDefault();
    }

    static PrettyOptions prettyOptions(Arguments args, Terminal terminal, ZoneId zone) {
        PrettyOptions o = new PrettyOptions()
                .zone(zone)
                .clockCycles(args.has("clock-cycles"))
                .clockDate(args.has("clock-date"))
                .clockGmt(args.has("clock-gmt"))
                .clockSeconds(args.has("clock-seconds"))
                .noDelta(args.has("no-delta"));
        try {
            for (String n : args.values("names")) {
                o.names(n);
            }
            for (String f : args.values("fields")) {
                o.fields(f);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String color = args.value("color", "auto").toLowerCase(Locale.ROOT);
        boolean terminalColors = colorsSupported(terminal);
        // babeltrace2's colour codes are empty strings unless the terminal supports colours, so "always" only
        // differs from "auto" when BABELTRACE_TERM_COLOR=always.
        switch (color) {
            case "never" -> o.color(false);
            case "always", "auto" -> o.color(terminalColors);
            default -> throw new UsageException("unknown --color value '" + color
                    + "' (expected never, auto or always)");
        }
        o.warningColors(terminalColors);
        return o;
    }

    /** babeltrace2's colour support test: BABELTRACE_TERM_COLOR, a known TERM, and a terminal. */
    static boolean colorsSupported(Terminal terminal) {
        String force = terminal.env("BABELTRACE_TERM_COLOR");
        if (force != null && force.equalsIgnoreCase("always")) {
            return true;
        }
        if (force != null && force.equalsIgnoreCase("never")) {
            return false;
        }
        String term = terminal.env("TERM");
        if (term == null) {
            return false;
        }
        boolean known = term.startsWith("xterm") || term.startsWith("rxvt") || term.startsWith("konsole")
                || term.startsWith("gnome") || term.startsWith("screen") || term.startsWith("tmux")
                || term.startsWith("putty");
        return known && System.console() != null;
    }

    /** Opens the traces under the paths as one time-ordered message cursor (closing it closes the traces). */
    static MessageCursor open(PrintSpec spec, Terminal terminal) {
        TraceListener listener = new WarningListener(terminal.err());
        ReadOptions o = ReadOptions.defaults().listener(listener).streamIntersection(spec.streamIntersection)
                .lenient(spec.lenient);
        if (spec.eventNames != null) {
            o = o.events(spec.eventNames);
        }
        if ((spec.begin != null && spec.begin.needsDate()) || (spec.end != null && spec.end.needsDate())) {
            // hh:mm:ss bounds are on the date of the first message that has a time
            long first = ClockValue.NONE;
            try (TraceSet ts = TraceSet.open(o, spec.paths); MessageCursor c = ts.messages()) {
                while (c.next()) {
                    if (c.timeNanos() != ClockValue.NONE) {
                        first = c.timeNanos();
                        break;
                    }
                }
            }
            if (first != ClockValue.NONE) {
                if (spec.begin != null) {
                    spec.begin.resolve(first);
                }
                if (spec.end != null) {
                    spec.end.resolve(first);
                }
            }
        }
        if (spec.begin != null && !spec.begin.needsDate()) {
            o = o.begin(spec.begin.nanos());
        }
        if (spec.end != null && !spec.end.needsDate()) {
            o = o.end(spec.end.nanos());
        }
        TraceSet traces = TraceSet.open(o, spec.paths);
        MessageCursor cursor;
        try {
            cursor = traces.messages();
        } catch (RuntimeException e) {
            traces.close();
            throw e;
        }
        return new MessageCursor() {
            @Override public boolean next() { return cursor.next(); }
            @Override public MessageType type() { return cursor.type(); }
            @Override public DataStream stream() { return cursor.stream(); }
            @Override public Packet packet() { return cursor.packet(); }
            @Override public EventRecord event() { return cursor.event(); }
            @Override public Discarded discarded() { return cursor.discarded(); }
            @Override public long timeNanos() { return cursor.timeNanos(); }
            @Override public long timeCycles() { return cursor.timeCycles(); }

            @Override
            public void close() {
                try {
                    cursor.close();
                } finally {
                    traces.close();
                }
            }
        };
    }
}

package io.tracestream.cli;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tracestream stats [--json] TRACE-PATH...}: how many traces, streams, packets and events the traces hold,
 * the events per event class, the losses, and the time range of the events. Reads only packet and event headers:
 * no field is decoded.
 *
 * <p>The counts are the messages babeltrace2 delivers for the same paths (what {@code babeltrace2 PATH -c
 * sink.utils.counter} counts): events, packet beginnings, stream beginnings, and the sum of the counts of the
 * discarded events and discarded packets messages.
 */
final class StatsCommand implements Command {

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "Count the traces, streams, packets, events and losses of traces";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] TRACE-PATH...";
    }

    @Override
    public String description() {
        return "Reads the CTF traces found under each TRACE-PATH (like 'babeltrace2 TRACE-PATH...') and prints:\n"
                + "the number of traces, streams, packets and events, the discarded events and lost packets the\n"
                + "tracer reported, the first and last event times and the duration between them, and the number\n"
                + "of events of each event class (most frequent first, then by name). Event fields are not\n"
                + "decoded, so this is fast.";
    }

    @Override
    public Options options() {
        return new Options()
                .flag("json", "Print one JSON object instead of a table")
                .flag("lenient", "Skip unreadable packets (reported on standard error) instead of failing");
    }

    /** The figures of one run. */
    static final class Stats {
        long traces;
        long streams;
        long packets;
        long events;
        long discardedEvents;
        long discardedEventsMessages;
        long discardedEventsUnknown;
        long lostPackets;
        long lostPacketsMessages;
        long lostPacketsUnknown;
        long firstNs = ClockValue.NONE;
        long lastNs = ClockValue.NONE;
        /** True when every stream with events has a clock whose origin is the Unix epoch: times are dates. */
        boolean absolute = true;
        boolean anyClock;
        /** Event counts per name, merged over event classes of all streams classes and traces. */
        final Map<String, Long> perName = new HashMap<>();

        /** Names by count (descending) then name (ascending, by code point). */
        List<Map.Entry<String, Long>> sortedNames() {
            List<Map.Entry<String, Long>> l = new ArrayList<>(perName.entrySet());
            l.sort((a, b) -> {
                int r = Long.compare(b.getValue(), a.getValue());
                return r != 0 ? r : a.getKey().compareTo(b.getKey());
            });
            return l;
        }
    }

    /** Counts the messages of a cursor (fields are never decoded). */
    static Stats count(List<Trace> traces, MessageCursor c) {
        Stats s = new Stats();
        s.traces = traces.size();
        Map<EventClass, long[]> perClass = new IdentityHashMap<>();
        Map<StreamClass, Boolean> absolute = new IdentityHashMap<>();
        EventClass lastClass = null;
        long[] lastCounter = null;
        while (c.next()) {
            switch (c.type()) {
                case EVENT -> {
                    s.events++;
                    EventClass ec = c.event().eventClass();
                    if (ec != lastClass) {
                        lastCounter = perClass.computeIfAbsent(ec, k -> new long[1]);
                        lastClass = ec;
                    }
                    lastCounter[0]++;
                    long t = c.timeNanos();
                    if (t != ClockValue.NONE) {
                        if (s.firstNs == ClockValue.NONE || t < s.firstNs) {
                            s.firstNs = t;
                        }
                        if (s.lastNs == ClockValue.NONE || t > s.lastNs) {
                            s.lastNs = t;
                        }
                        StreamClass sc = c.stream().streamClass();
                        if (!absolute.containsKey(sc)) {
                            ClockClass cc = sc.defaultClock();
                            absolute.put(sc, cc != null && cc.originIsUnixEpoch());
                            s.anyClock |= cc != null;
                        }
                    }
                }
                case STREAM_BEGINNING -> s.streams++;
                case PACKET_BEGINNING -> s.packets++;
                case DISCARDED_EVENTS -> {
                    Discarded d = c.discarded();
                    s.discardedEventsMessages++;
                    if (d.count() >= 0) {
                        s.discardedEvents += d.count();
                    } else {
                        s.discardedEventsUnknown++;
                    }
                }
                case DISCARDED_PACKETS -> {
                    Discarded d = c.discarded();
                    s.lostPacketsMessages++;
                    if (d.count() >= 0) {
                        s.lostPackets += d.count();
                    } else {
                        s.lostPacketsUnknown++;
                    }
                }
                default -> {
                }
            }
        }
        for (Map.Entry<EventClass, long[]> e : perClass.entrySet()) {
            String name = e.getKey().name() != null ? e.getKey().name() : "<id " + e.getKey().id() + ">";
            s.perName.merge(name, e.getValue()[0], Long::sum);
        }
        for (boolean b : absolute.values()) {
            s.absolute &= b;
        }
        s.absolute &= s.anyClock;
        return s;
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
        PrintStream err = terminal.err();
        TraceListener listener = new WarningListener(err);
        ReadOptions o = ReadOptions.defaults().listener(listener).lenient(args.has("lenient"));
        Stats s;
        try (TraceSet ts = TraceSet.open(o, paths); MessageCursor c = ts.messages()) {
            s = count(ts.traces(), c);
        }
        String text = args.has("json") ? json(s) : table(s);
        terminal.out().write(text.getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    // ------------------------------------------------------------------------------------------------ output

    /** Made on first use: every command's start-up loads this class (Main's command list), few print a date. */
    private static final class Dates {
        static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneOffset.UTC);
    }

    /** A time: a UTC date with nanoseconds when the clock origin is the Unix epoch, else seconds from origin. */
    static String time(long ns, boolean absolute) {
        if (absolute) {
            long sec = Math.floorDiv(ns, 1_000_000_000L);
            long frac = Math.floorMod(ns, 1_000_000_000L);
            return Dates.DATE.format(Instant.ofEpochSecond(sec)) + String.format(".%09d UTC", frac);
        }
        return seconds(ns) + " s from origin";
    }

    /** Nanoseconds as seconds with nine decimals. */
    static String seconds(long ns) {
        String sign = ns < 0 ? "-" : "";
        long a = Math.abs(ns);
        return sign + (a / 1_000_000_000L) + String.format(".%09d", a % 1_000_000_000L);
    }

    static String table(Stats s) {
        StringBuilder sb = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Traces", Long.toString(s.traces)});
        rows.add(new String[] {"Streams", Long.toString(s.streams)});
        rows.add(new String[] {"Packets", Long.toString(s.packets)});
        rows.add(new String[] {"Events", Long.toString(s.events)});
        rows.add(new String[] {"Discarded events", Long.toString(s.discardedEvents)
                + unknown(s.discardedEventsUnknown)});
        rows.add(new String[] {"Lost packets", Long.toString(s.lostPackets) + unknown(s.lostPacketsUnknown)});
        int labelWidth = 0;
        int valueWidth = 0;
        for (String[] r : rows) {
            labelWidth = Math.max(labelWidth, r[0].length());
            valueWidth = Math.max(valueWidth, r[1].length());
        }
        for (String[] r : rows) {
            sb.append(pad(r[0], labelWidth)).append("  ").append(padLeft(r[1], valueWidth)).append('\n');
        }
        if (s.firstNs != ClockValue.NONE) {
            sb.append('\n');
            sb.append(pad("First event", labelWidth)).append("  ").append(time(s.firstNs, s.absolute)).append('\n');
            sb.append(pad("Last event", labelWidth)).append("  ").append(time(s.lastNs, s.absolute)).append('\n');
            sb.append(pad("Duration", labelWidth)).append("  ").append(seconds(s.lastNs - s.firstNs)).append(" s\n");
        }
        List<Map.Entry<String, Long>> names = s.sortedNames();
        if (!names.isEmpty()) {
            sb.append('\n');
            int countWidth = "Count".length();
            int nameWidth = "Event class".length();
            for (Map.Entry<String, Long> e : names) {
                countWidth = Math.max(countWidth, Long.toString(e.getValue()).length());
                nameWidth = Math.max(nameWidth, e.getKey().length());
            }
            sb.append(padLeft("Count", countWidth)).append("  ").append(padLeft("Share", 7)).append("  ")
                    .append("Event class").append('\n');
            for (Map.Entry<String, Long> e : names) {
                double share = s.events == 0 ? 0 : 100.0 * e.getValue() / s.events;
                sb.append(padLeft(Long.toString(e.getValue()), countWidth)).append("  ")
                        .append(padLeft(String.format(java.util.Locale.ROOT, "%.2f%%", share), 7)).append("  ")
                        .append(e.getKey()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String unknown(long n) {
        return n == 0 ? "" : " (+" + n + " report" + (n == 1 ? "" : "s") + " without a count)";
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }

    static String json(Stats s) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"traces\":").append(s.traces)
                .append(",\"streams\":").append(s.streams)
                .append(",\"packets\":").append(s.packets)
                .append(",\"events\":").append(s.events)
                .append(",\"discarded_events\":").append(s.discardedEvents)
                .append(",\"discarded_events_messages\":").append(s.discardedEventsMessages)
                .append(",\"lost_packets\":").append(s.lostPackets)
                .append(",\"lost_packets_messages\":").append(s.lostPacketsMessages);
        if (s.firstNs != ClockValue.NONE) {
            sb.append(",\"first_event_ns\":").append(s.firstNs)
                    .append(",\"last_event_ns\":").append(s.lastNs)
                    .append(",\"duration_ns\":").append(s.lastNs - s.firstNs)
                    .append(",\"clock_origin_is_unix_epoch\":").append(s.absolute);
        } else {
            sb.append(",\"first_event_ns\":null,\"last_event_ns\":null,\"duration_ns\":null");
        }
        sb.append(",\"event_classes\":[");
        boolean first = true;
        for (Map.Entry<String, Long> e : s.sortedNames()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"name\":");
            jsonString(sb, e.getKey());
            sb.append(",\"count\":").append(e.getValue()).append('}');
        }
        sb.append("]}\n");
        return sb.toString();
    }

    static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}

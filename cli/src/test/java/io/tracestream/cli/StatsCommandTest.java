package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code tracestream stats}: its counts against babeltrace2's counter sink and per-event-name counts. */
class StatsCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        int code = Main.run(args, t);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long jsonLong(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static Map<String, Long> jsonClasses(String json) {
        Map<String, Long> m = new HashMap<>();
        Matcher x = Pattern.compile("\\{\"name\":\"((?:[^\"\\\\]|\\\\.)*)\",\"count\":(\\d+)}").matcher(json);
        while (x.find()) {
            m.put(x.group(1), Long.parseLong(x.group(2)));
        }
        return m;
    }

    static Stream<String> babeltraceTraces() {
        return Stream.of("succeed/wk-heartbeat-u", "succeed/session-rotation", "succeed/lttng-tracefile-rotation",
                "succeed/multi-domains", "succeed/ev-disc-no-ts-begin-end", "succeed/debug-info",
                "packet_seq_num/2_streams_lost_in_1", "packet_seq_num/2_lost_before_last", "succeed/warnings");
    }

    /** The totals equal what {@code babeltrace2 TRACE -c sink.utils.counter} counts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("babeltraceTraces")
    void countsEqualBabeltraceCounter(String name) {
        Path trace = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/" + name);
        ProcessResult bt = Babeltrace.run(trace.toString(), "-c", "sink.utils.counter").requireSuccess();
        Map<String, Long> counter = new HashMap<>();
        for (String line : bt.stdout().split("\n")) {
            Matcher m = Pattern.compile("\\s*(\\d+) (.*)").matcher(line);
            if (m.matches()) {
                counter.put(m.group(2).replaceAll("s$", "").replace("messages (TOTAL)", "total"),
                        Long.parseLong(m.group(1)));
            }
        }
        Run r = run("stats", "--json", trace.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(counter.get("Event message"), jsonLong(r.out(), "events"));
        assertEquals(counter.get("Packet beginning message"), jsonLong(r.out(), "packets"));
        assertEquals(counter.get("Stream beginning message"), jsonLong(r.out(), "streams"));
        assertEquals(counter.get("Discarded event message"), jsonLong(r.out(), "discarded_events_messages"));
        assertEquals(counter.get("Discarded packet message"), jsonLong(r.out(), "lost_packets_messages"));
    }

    static Stream<String> traceCompassTraces() {
        return Stream.of("bug446190", "context-switches-ust", "ctf-sequence-empty", "debuginfo-test-app4",
                "dpdk_service_cores", "flipping-endianness", "glxgears-cyg-profile", "perf-taskset2", "ros2");
    }

    /** Per-event-name counts equal babeltrace2's ({@code tracecompass/_stats/NAME.txt}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("traceCompassTraces")
    void perNameCountsEqualBabeltrace(String name) throws IOException {
        Path trace = SharedTraces.path("tracecompass/" + name);
        Map<String, Long> expected = new HashMap<>();
        long total = -1;
        for (String line : Files.readAllLines(SharedTraces.path("tracecompass/_stats/" + name + ".txt"))) {
            int sp = line.indexOf(' ');
            String a = line.substring(0, sp);
            String b = line.substring(sp + 1);
            if (a.equals("TOTAL")) {
                total = Long.parseLong(b);
            } else if (!b.startsWith("<discarded")) {
                expected.put(b, Long.parseLong(a));
            }
        }
        Run r = run("stats", "--json", trace.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, jsonClasses(r.out()));
        assertEquals(total, jsonLong(r.out(), "events"));
    }

    @Test
    void table() {
        Path trace = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/packet_seq_num/2_streams_lost_in_1");
        Run r = run("stats", trace.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                Traces            1
                Streams           2
                Packets           8
                Events            8
                Discarded events  0
                Lost packets      2

                First event       1970-06-06 10:15:09.000000010 UTC
                Last event        1970-06-06 10:15:09.000000112 UTC
                Duration          0.000000102 s

                Count    Share  Event class
                    8  100.00%  dummy_event
                """, r.out());
    }

    @Test
    void tableOrdersByCountThenName() {
        StatsCommand.Stats s = new StatsCommand.Stats();
        s.events = 6;
        s.perName.put("b", 2L);
        s.perName.put("a", 2L);
        s.perName.put("c", 1L);
        s.perName.put("z", 1L);
        s.perName.put("0", 0L);
        assertEquals(List.of("a", "b", "c", "z", "0"), s.sortedNames().stream().map(Map.Entry::getKey).toList());
        String t = StatsCommand.table(s);
        assertTrue(t.contains("    2   33.33%  a\n    2   33.33%  b\n"), t);
        String j = StatsCommand.json(s);
        assertTrue(j.contains("\"first_event_ns\":null"), j);
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("stats").code());
        Run r = run("stats", "/nonexistent/trace");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("tracestream: error: "), r.err());
    }
}

package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Per data stream, the message sequence of {@link TraceDecoder#openStream} (types, default clock snapshots, event
 * names, discarded counts and time ranges) against babeltrace2's ({@code sink.text.details}, compact), on every
 * available trace that babeltrace2 reads.
 */
class BabeltraceMessagesTest {
    private static final long MAX_TRACE = 4L << 20;
    private static final Pattern LINE = Pattern.compile(
            "^(?:\\[(Unknown|[\\d,]+ [\\d,-]+)\\] )?(?:\\[([\\d,]+) [\\d,-]+\\] )?\\{(\\d+) (\\d+) (\\d+)\\} (.*)$");
    private static final Pattern EVENT = Pattern.compile("^Event `(.*)` \\(\\d+\\)$");
    private static final Pattern DISC = Pattern.compile("^Discarded (events|packets)(?: \\((\\d+) \\w+\\))?$");

    @TestFactory
    Stream<DynamicTest> allTraces() {
        assumeTrue(Babeltrace.isInstalled(), "babeltrace2 not installed");
        List<DynamicTest> tests = new ArrayList<>();
        for (AllTraces.TraceDir t : AllTraces.find()) {
            if (t.traceClass() != null && !t.streams().isEmpty()) {
                tests.add(DynamicTest.dynamicTest(t.dir().toString(), () -> compare(t)));
            }
        }
        return tests.stream();
    }

    static void compare(AllTraces.TraceDir t) throws IOException {
        long size = 0;
        for (Path f : t.streams()) {
            size += Files.size(f);
        }
        assumeTrue(size <= MAX_TRACE, "trace too large for this test");
        ProcessResult r = Babeltrace.command(t.dir().toString(), "-c", "sink.text.details", "-p",
                "compact=true,with-metadata=false").timeout(Duration.ofSeconds(60)).run();
        if (r.exitCode() != 0 && r.stderr().contains("PLUGIN/CTF/MSG-ITER")) {
            // babeltrace2 cannot decode the data: neither can we.
            org.junit.jupiter.api.Assertions.assertThrows(io.tracestream.ctf.CtfException.class, () -> ours(t),
                    "babeltrace2 fails: " + firstLine(r.stderr()));
            return;
        }
        if (r.exitCode() != 0 && r.stderr().contains("PLUGIN/FLT.UTILS.MUXER")) {
            // The muxer stopped on time going backwards between streams: what it printed of each stream must be a
            // prefix of our sequence of that stream.
            Map<String, List<String>> ours = ours(t);
            for (Map.Entry<String, List<String>> g : bt2Groups(r.stdout()).entrySet()) {
                List<String> prefix = g.getValue();
                boolean found = ours.values().stream().anyMatch(o -> o.size() >= prefix.size()
                        && o.subList(0, prefix.size()).equals(prefix));
                org.junit.jupiter.api.Assertions.assertTrue(found, "babeltrace2 stream " + g.getKey()
                        + " is no prefix of our streams: " + String.join("\n", prefix.subList(0,
                        Math.min(20, prefix.size()))));
            }
            return;
        }
        assumeTrue(r.exitCode() == 0, () -> "babeltrace2 fails on this trace: " + errorLine(r.stderr()));
        List<String> want = sequences(bt2Groups(r.stdout()));
        List<String> got = sequences(ours(t));
        assertEquals(String.join("\n====\n", want), String.join("\n====\n", got));
    }

    private static String errorLine(String s) {
        for (String l : s.split("\n")) {
            if (l.contains(" E ")) {
                return l;
            }
        }
        return firstLine(s);
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static List<String> sequences(Map<String, List<String>> groups) {
        List<String> out = new ArrayList<>();
        for (List<String> g : groups.values()) {
            out.add(String.join("\n", g));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String cycles(String bracket) {
        if (bracket == null || bracket.equals("Unknown")) {
            return "-";
        }
        return bracket.substring(0, bracket.indexOf(' ')).replace(",", "");
    }

    static Map<String, List<String>> bt2Groups(String out) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String l : out.split("\n")) {
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(3) + " " + m.group(4) + " " + m.group(5);
            String what = m.group(6);
            String line;
            Matcher e = EVENT.matcher(what);
            Matcher d = DISC.matcher(what);
            if (e.matches()) {
                line = "EVENT " + cycles(m.group(1)) + " " + e.group(1);
            } else if (d.matches()) {
                line = "DISCARDED_" + d.group(1).toUpperCase() + " " + (m.group(1) == null ? "-" : cycles(m.group(1)))
                        + " " + (m.group(2) == null ? "-" : m.group(2).replace(",", "")) + " count="
                        + (d.group(2) == null ? "-" : d.group(2));
            } else {
                String type = switch (what) {
                    case "Stream beginning" -> "STREAM_BEGINNING";
                    case "Stream end" -> "STREAM_END";
                    case "Packet beginning" -> "PACKET_BEGINNING";
                    case "Packet end" -> "PACKET_END";
                    default -> what;
                };
                line = type + " " + cycles(m.group(1));
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        return groups;
    }

    /** Our messages, one group per data stream (stream class and instance id), packets in time order. */
    static Map<String, List<String>> ours(AllTraces.TraceDir t) {
        TraceDecoder dec = TraceDecoder.compile(t.traceClass());
        Map<String, List<PacketIndexEntry>> streams = new LinkedHashMap<>();
        for (Path f : t.streams()) {
            List<PacketIndexEntry> ps = dec.scanPackets(f);
            String key = ps.isEmpty() ? f.toString()
                    : ps.get(0).streamClassId() + "/" + (ps.get(0).streamInstanceId() < 0 ? f.toString()
                    : ps.get(0).streamInstanceId());
            streams.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ps);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<PacketIndexEntry>> s : streams.entrySet()) {
            List<PacketIndexEntry> ps = new ArrayList<>(s.getValue());
            if (ps.isEmpty()) {
                continue;
            }
            ps.sort(Comparator.comparing((PacketIndexEntry p) -> p.beginCycles() == Long.MIN_VALUE ? 0 : p.beginCycles(),
                    Long::compareUnsigned));
            TestStream ts = new TestStream(t.traceClass().streamClass(ps.get(0).streamClassId()), ps.get(0).file());
            List<String> lines = new ArrayList<>();
            try (MessageCursor c = dec.openStream(ts, ps)) {
                while (c.next()) {
                    String cyc = c.timeCycles() == Long.MIN_VALUE ? "-" : Long.toUnsignedString(c.timeCycles());
                    if (c.type() == MessageType.EVENT) {
                        lines.add("EVENT " + cyc + " " + c.event().name());
                    } else if (c.type() == MessageType.DISCARDED_EVENTS || c.type() == MessageType.DISCARDED_PACKETS) {
                        long b = c.discarded().beginCycles();
                        long e = c.discarded().endCycles();
                        lines.add(c.type() + " " + (b == Long.MIN_VALUE ? "-" : Long.toUnsignedString(b)) + " "
                                + (e == Long.MIN_VALUE ? "-" : Long.toUnsignedString(e)) + " count="
                                + (c.discarded().count() < 0 ? "-" : c.discarded().count()));
                    } else {
                        lines.add(c.type() + " " + cyc);
                    }
                }
            }
            out.put(s.getKey(), lines);
        }
        return out;
    }
}

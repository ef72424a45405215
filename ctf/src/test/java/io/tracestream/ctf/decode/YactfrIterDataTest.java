package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.json.Ctf2MetadataParser;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every yactfr CTF 1.8 iter-data case ({@code traces/yactfr/iter-data/ctf-1/NAME/{metadata,stream,
 * expect.txt}}): pass cases must give the same field values, packet and event counts as yactfr's element dump;
 * fail cases must fail with a {@link CtfException}, at the same bit offset as yactfr where the two readers detect
 * the problem at the same place.
 */
class YactfrIterDataTest {
    private static final Pattern LEAF = Pattern.compile(
            "^\\s*(\\d+)\\s+(FLUI|FLSI|FLFPN|FLB|FLBA|FLBM|VLUI|VLSI):(.*)$");
    private static final Pattern STR = Pattern.compile("^\\s*\\d+\\s+(NTS|SLS|DLS|SLB|DLB)(?::(.*))? \\{$");
    private static final Pattern RD = Pattern.compile("^\\s*\\d+\\s+RD:\\d+:(.*)$");
    private static final Pattern ERR = Pattern.compile("^\\s*(\\d+) ([A-Z].*)$");
    private static final Pattern OFFSET = Pattern.compile("offset (\\d+)(?: \\(bit (\\d)\\))?");

    /** Cases where this decoder, following babeltrace2, rejects what yactfr accepts. */
    private static final List<String> BABELTRACE_STRICTER = List.of("pass-diff-magic", "pass-diff-uuid", "pass-dt-aliases");

    /**
     * yactfr takes the data stream class id from any {@code stream_id} in the packet header, babeltrace2 (and this
     * decoder) only from the top-level one.
     */
    private static final List<String> YACTFR_ONLY = List.of("pass-multiple-dst-id-fl-ints");

    static List<Path> cases(String major) throws IOException {
        Path dir = SharedTraces.path("yactfr/iter-data/" + major);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> ctf1() throws IOException {
        return cases("ctf-1").stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> run(d)));
    }

    @TestFactory
    Stream<DynamicTest> ctf2() throws IOException {
        List<Path> all = new ArrayList<>(cases("ctf-2"));
        all.remove(SharedTraces.path("yactfr/iter-data/ctf-2/auto-translated"));
        all.addAll(cases("ctf-2/auto-translated"));
        return all.stream().map(d -> DynamicTest.dynamicTest(
                d.getParent().getFileName() + "/" + d.getFileName(), () -> run(d)));
    }

    static void run(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        List<String> expect = Files.readAllLines(dir.resolve("expect.txt"));
        TraceClass tc = dir.toString().contains("ctf-2")
                ? Ctf2MetadataParser.parse(Files.readString(dir.resolve("metadata")), dir.resolve("metadata"))
                : MetadataReader.read(dir.resolve("metadata")).traceClass();
        TraceDecoder dec = TraceDecoder.compile(tc);
        Path stream = dir.resolve("stream");
        boolean check = !BABELTRACE_STRICTER.contains(name);
        DecodeOptions opt = DecodeOptions.DEFAULT.checks(check, check);
        if (YACTFR_ONLY.contains(name)) {
            return;
        }
        if (name.startsWith("pass-")) {
            List<String> got = new ArrayList<>();
            int[] counts = new int[2];
            decode(dec, stream, opt, got, counts);
            List<String> want = leaves(expect, charsetFor(name));
            compare(want, got);
            assertEquals(count(expect, "P {"), counts[0], "packets");
            assertEquals(count(expect, "ER {"), counts[1], "event records");
        } else {
            String last = expect.get(expect.size() - 1);
            Matcher em = ERR.matcher(last);
            assertTrue(em.matches(), "no error line in " + name);
            long wantBit = Long.parseLong(em.group(1));
            try {
                decode(dec, stream, opt, new ArrayList<>(), new int[2]);
                fail(name + ": expected a CtfException like yactfr's: " + em.group(2));
            } catch (CtfException e) {
                Matcher om = OFFSET.matcher(e.getMessage());
                assertTrue(om.find(), "no offset in: " + e.getMessage());
                long bit = Long.parseLong(om.group(1)) * 8 + (om.group(2) == null ? 0 : Long.parseLong(om.group(2)));
                String what = "bit offset of: " + e.getMessage() + " (yactfr: " + wantBit + ": " + em.group(2) + ")";
                if (EARLIER.contains(name)) {
                    assertTrue(bit < wantBit, what);
                } else if (!PACKET_LEVEL.contains(name)) {
                    assertEquals(wantBit, bit, what);
                }
            }
        }
    }

    /**
     * Failures that babeltrace2 (and this decoder) report about the packet as a whole, at its first byte, where
     * yactfr reports the position where it noticed.
     */
    private static final List<String> PACKET_LEVEL = List.of("fail-pkt-content-len-gt-pkt-total-len-1",
            "fail-pkt-content-len-gt-pkt-total-len-2", "fail-pkt-content-len-too-small",
            "fail-pkt-total-len-not-multiple-eight", "fail-pkt-total-len-too-small", "fail-unknown-dst-id",
            // content_size only, not a multiple of 8: it is also the packet size, which must be.
            "fail-dl-str-beyond-content", "fail-sl-str-beyond-content");

    /**
     * Failures detected before yactfr's position: lengths are checked against the rest of the packet before any
     * element is read, and an unknown event record class id is reported at the event record's start.
     */
    private static final List<String> EARLIER = List.of("fail-align-beyond-data", "fail-dl-array-beyond-data",
            "fail-dl-str-beyond-data", "fail-nt-str-beyond-data", "fail-sl-array-beyond-data",
            "fail-sl-str-beyond-data", "fail-var-beyond-data", "fail-unknown-ert-id", "fail-sl-array-beyond-content");

    /**
     * Scans then decodes; like a streaming reader, an error in a packet's events is reported before a scan error
     * in a later packet.
     */
    static void decode(TraceDecoder dec, Path stream, DecodeOptions opt, List<String> out, int[] counts) {
        List<PacketIndexEntry> packets;
        CtfException scanError = null;
        try {
            packets = dec.scanPackets(stream, opt);
        } catch (CtfException e) {
            scanError = e;
            packets = dec.scanPackets(stream, opt.lenient((f, o, r) -> { }));
        }
        decodePackets(dec, stream, opt, out, counts, packets);
        if (scanError != null) {
            throw scanError;
        }
    }

    private static void decodePackets(TraceDecoder dec, Path stream, DecodeOptions opt, List<String> out,
                                      int[] counts, List<PacketIndexEntry> packets) {
        TestStream ts = new TestStream(packets.isEmpty() ? null
                : dec.traceClass().streamClass(packets.get(0).streamClassId()), stream);
        Dump d = new Dump(out);
        try (MessageCursor c = dec.openStream(ts, packets, opt)) {
            while (c.next()) {
                if (c.type() == MessageType.PACKET_BEGINNING) {
                    counts[0]++;
                    c.packet().accept(io.tracestream.ctf.meta.Scope.PACKET_HEADER, d);
                    c.packet().accept(io.tracestream.ctf.meta.Scope.PACKET_CONTEXT, d);
                } else if (c.type() == MessageType.EVENT) {
                    counts[1]++;
                    for (io.tracestream.ctf.meta.Scope s : List.of(io.tracestream.ctf.meta.Scope.EVENT_HEADER,
                            io.tracestream.ctf.meta.Scope.EVENT_COMMON_CONTEXT,
                            io.tracestream.ctf.meta.Scope.EVENT_SPECIFIC_CONTEXT,
                            io.tracestream.ctf.meta.Scope.EVENT_PAYLOAD)) {
                        c.event().accept(s, d);
                    }
                }
            }
        }
        out.removeIf(l -> l.startsWith("ARR:") || l.startsWith("VAR:") || l.startsWith("OPT:"));
    }

    private static int count(List<String> lines, String what) {
        int n = 0;
        for (String l : lines) {
            if (l.trim().matches("\\d+\\s+" + Pattern.quote(what))) {
                n++;
            }
        }
        return n;
    }

    /** yactfr's leaves as Dump lines. */
    private static java.nio.charset.Charset charsetFor(String name) {
        for (String cs : List.of("utf-16be", "utf-16le", "utf-32be", "utf-32le")) {
            if (name.contains(cs)) {
                return java.nio.charset.Charset.forName(cs);
            }
        }
        return java.nio.charset.StandardCharsets.UTF_8;
    }

    static List<String> leaves(List<String> lines, java.nio.charset.Charset cs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m = LEAF.matcher(l);
            if (m.matches()) {
                String v = m.group(3);
                if (m.group(2).equals("FLBM")) {
                    v = v.substring(0, v.lastIndexOf(':'));
                }
                out.add(m.group(2) + ":" + v);
                continue;
            }
            m = STR.matcher(l);
            if (m.matches()) {
                StringBuilder raw = new StringBuilder();
                while (!lines.get(i + 1).trim().endsWith("}")) {
                    Matcher r = RD.matcher(lines.get(++i));
                    if (r.matches()) {
                        raw.append(r.group(1));
                    }
                }
                i++;
                if (m.group(1).endsWith("B")) {
                    String n = m.group(2);
                    n = n.substring(0, n.lastIndexOf(':'));
                    out.add("BLOB:" + (n.isEmpty() ? "" : n + ":") + raw);
                    continue;
                }
                String text = new String(unescape(raw.toString()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        cs);
                int z = text.indexOf('\0');
                if (z >= 0) {
                    text = text.substring(0, z);
                }
                out.add("STR:" + (m.group(2) == null ? "" : m.group(2) + ":") + text);
            }
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 2 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One spelling per kind of leaf: yactfr distinguishes integers, bit arrays, bit maps, LEB128 integers. */
    private static String canonical(String l) {
        int c = l.indexOf(':');
        String t = l.substring(0, c);
        String k = switch (t) {
            case "FLUI", "FLBA", "FLBM", "VLUI" -> "U";
            case "FLSI", "VLSI" -> "S";
            default -> t;
        };
        return k + l.substring(c);
    }

    static void compare(List<String> want, List<String> got) {
        want = want.stream().map(YactfrIterDataTest::canonical).toList();
        got = got.stream().map(YactfrIterDataTest::canonical).toList();
        int n = Math.min(want.size(), got.size());
        for (int i = 0; i < n; i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("FLFPN:") && g.startsWith("FLFPN:")) {
                int a = w.lastIndexOf(':');
                int b = g.lastIndexOf(':');
                assertEquals(w.substring(0, a), g.substring(0, b), "field #" + i);
                double x = Double.parseDouble(w.substring(a + 1));
                double y = Double.parseDouble(g.substring(b + 1));
                assertTrue(Math.abs(x - y) <= 1e-5 * Math.max(1, Math.abs(x)), "field #" + i + ": " + w + " vs " + g);
            } else {
                assertEquals(w, g, "field #" + i);
            }
        }
        assertEquals(want.size(), got.size(), "number of fields; got " + got + "\nwant " + want);
    }
}

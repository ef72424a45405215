package io.tracestream.ctf.text;

import static io.tracestream.ctf.text.DetailsFakes.FCursor;
import static io.tracestream.ctf.text.DetailsFakes.FEvent;
import static io.tracestream.ctf.text.DetailsFakes.FPacket;
import static io.tracestream.ctf.text.DetailsFakes.FStream;
import static io.tracestream.ctf.text.DetailsFakes.FTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The details printer over hand-made models of babeltrace2's test traces, compared with babeltrace2's expected
 * outputs (2.0 and master formats).
 */
class DetailsPrinterTest {

    private static final String BT20 = "babeltrace/stable-2.0/expect-plugins/";
    private static final String MASTER = "babeltrace/expect-master/";

    private static IntegerClass.Builder uint(int bits) {
        return IntegerClass.builder().length(bits).alignment(bits % 8 == 0 ? 8 : 1).signed(false);
    }

    private static IntegerClass sint(int bits) {
        return IntegerClass.builder().length(bits).alignment(8).signed(true).build();
    }

    private static StructClass struct(Object... pairs) {
        List<StructClass.Member> ms = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            ms.add(new StructClass.Member((String) pairs[i], (io.tracestream.ctf.meta.FieldClass) pairs[i + 1]));
        }
        return new StructClass(ms);
    }

    /** The model of babeltrace2's {@code wk-heartbeat-u} trace, as its TSDL describes it. */
    static final class Heartbeat {
        final TraceClass tc;
        final StreamClass sc;
        final EventClass ec;

        Heartbeat() {
            ClockClass mono = DetailsFakes.clock("monotonic", "Monotonic Clock", 1_000_000_000L, 0,
                    1351530929945824323L, 0, true, "c19b5ac9-b8e6-4f78-be95-a605d04e34c6");
            IntegerClass u64clk = uint(64).mappedClock("monotonic").build();
            IntegerClass u32 = uint(32).build();
            StructClass header = struct("magic", u32,
                    "uuid", new ArrayClass(uint(8).build(), 16, null, 8, false, null), "stream_id", u32);
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("vpid", 3208L);
            env.put("procname", "wk-heartbeat");
            env.put("domain", "ust");
            env.put("tracer_name", "lttng-ust");
            env.put("tracer_major", 2L);
            env.put("tracer_minor", 0L);
            env.put("tracer_patchlevel", 2L);
            tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, UUID.fromString("624b19d9-19cd-4eae-bab8-8342e1b96a5d"),
                    header, env, Map.of("monotonic", mono), null, null, null, null);
            StructClass pc = struct("timestamp_begin", u64clk, "timestamp_end", u64clk, "events_discarded", u32,
                    "content_size", u32, "packet_size", u32, "cpu_id", u32);
            IntegerClass id5 = uint(5).mappings(List.of(
                    new IntegerClass.Mapping("compact", List.of(new IntegerClass.Range(0, 30))),
                    new IntegerClass.Mapping("extended", List.of(new IntegerClass.Range(31, 31)))))
                    .enumeration(true).build();
            VariantClass v = new VariantClass(new FieldPath(Scope.EVENT_HEADER, List.of("id"), "id"), List.of(
                    new VariantClass.Option("compact", struct("timestamp", uint(27).mappedClock("monotonic").build())),
                    new VariantClass.Option("extended", struct("id", u32, "timestamp", u64clk))), null);
            StructClass eh = struct("id", id5, "v", v);
            StructClass cc = struct("vtid", sint(32), "vpid", sint(32));
            sc = new StreamClass(0, null, pc, eh, cc, mono, null);
            ec = new EventClass(0, "heartbeat:msg", 13L, null, null, struct("msg", StringClass.nullTerminated()), null);
            sc.addEventClass(ec);
            tc.addStreamClass(sc);
        }
    }

    private static String expected(String relative) throws IOException {
        Path p = SharedTraces.path(relative);
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static String print(DetailsPrinter.Builder b, FCursor c) {
        StringBuilder out = new StringBuilder();
        b.build(out).printAll(c);
        return out.toString();
    }

    private static final long[] HEARTBEAT_BEGIN = {
        1967630439868L, 1967630514179L, 1967630597709L, 1967630652186L, 1967630732363L, 1967630781252L,
        1967630859475L, 1967630908922L
    };

    /** The first 17 messages of wk-heartbeat-u: 8 stream beginnings, 8 packet beginnings, one event. */
    private static FCursor heartbeatStart(Heartbeat h) {
        FTrace t = new FTrace("the-trace", h.tc);
        List<FStream> streams = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            streams.add(new FStream(t, h.sc, i));
        }
        FCursor c = new FCursor();
        streams.forEach(c::streamBeginning);
        List<FPacket> packets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FPacket p = new FPacket(streams.get(i));
            p.begin = HEARTBEAT_BEGIN[i];
            p.scopes.put(Scope.PACKET_CONTEXT, new Object[] {p.begin, 0L, 0L, 0L, 0L, (long) i});
            packets.add(p);
            c.packetBeginning(p);
        }
        c.event(new FEvent(packets.get(2), h.ec, 1967640734196L)
                .with(Scope.EVENT_COMMON_CONTEXT, 3214L, 3208L)
                .with(Scope.EVENT_PAYLOAD, "heartbeat"));
        return c;
    }

    private static String prefixBlocks(String text, int blocks) {
        // messages are separated by blank lines; metadata is the first block
        int at = 0;
        for (int i = 0; i < blocks; i++) {
            at = text.indexOf("\n\n", at) + 2;
        }
        return text.substring(0, at - 1);
    }

    @Test
    void heartbeatMetadataOnly20() throws IOException {
        Heartbeat h = new Heartbeat();
        String got = print(DetailsPrinter.builder().withData(false).traceName("the-trace").withStreamName(false),
                heartbeatStart(h));
        assertEquals(expected(BT20 + "sink.text.details/succeed/default-without-data.expect"), got);
    }

    @Test
    void heartbeatMetadataOnlyMaster() throws IOException {
        Heartbeat h = new Heartbeat();
        for (DetailsPrinter.Style style : List.of(DetailsPrinter.Style.MASTER_MIP0, DetailsPrinter.Style.MASTER_MIP1)) {
            String got = print(DetailsPrinter.builder().style(style).withData(false), heartbeatStart(h));
            String suffix = style == DetailsPrinter.Style.MASTER_MIP0 ? "mip0" : "mip1";
            assertEquals(expected(MASTER + "sink.text.details/succeed/default-without-data-ctf1-" + suffix + ".expect"),
                    got, style.name());
        }
    }

    @Test
    void heartbeatFirstMessages() throws IOException {
        Heartbeat h = new Heartbeat();
        String got = print(DetailsPrinter.builder().withStreamName(false), heartbeatStart(h));
        String exp = expected(BT20 + "sink.text.details/succeed/default.expect");
        assertEquals(prefixBlocks(exp, 18), got);

        got = print(DetailsPrinter.builder().withStreamName(false).style(DetailsPrinter.Style.MASTER_MIP1),
                heartbeatStart(h));
        exp = expected(MASTER + "sink.text.details/succeed/default-ctf1-mip1.expect");
        assertEquals(prefixBlocks(exp, 18), got);
    }

    @Test
    void heartbeatCompact() throws IOException {
        Heartbeat h = new Heartbeat();
        String got = print(DetailsPrinter.builder().withStreamName(false).compact(true), heartbeatStart(h));
        String exp = expected(BT20 + "sink.text.details/succeed/default-compact.expect");
        int lines = got.split("\n", -1).length - 1;
        String expPrefix = String.join("\n", List.of(exp.split("\n", -1)).subList(0, lines)) + "\n";
        assertEquals(expPrefix, got);

        got = print(DetailsPrinter.builder().withStreamName(false).compact(true).withTime(false).withMetadata(false),
                heartbeatStart(h));
        exp = expected(BT20 + "sink.text.details/succeed/default-compact-without-time.expect");
        assertTrue(exp.contains(got.substring(0, 200)), got);
    }

    /** babeltrace2's generated {@code trace-simple}: 25 events with a signed 8-bit integer and a string. */
    @Test
    void simpleTrace() throws IOException {
        ClockClass def = DetailsFakes.clock("default", null, 1_000_000_000L, 0, 0, 1, false, null);
        StructClass pc = struct("timestamp_begin", uint(64).mappedClock("default").build(),
                "timestamp_end", uint(64).mappedClock("default").build(),
                "content_size", uint(64).build(), "packet_size", uint(64).build(),
                "events_discarded", uint(64).build());
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, Map.of(), Map.of("default", def),
                null, null, null, null);
        StreamClass sc = new StreamClass(0, null, pc, null, null, def, null);
        EventClass ev = new EventClass(0, "ev", null, null, null,
                struct("first", sint(8), "second", StringClass.nullTerminated()), null);
        sc.addEventClass(ev);
        tc.addStreamClass(sc);
        FTrace t = new FTrace("simple", tc);
        FStream s = new FStream(t, sc, 0);
        FPacket p = new FPacket(s);
        p.begin = 0;
        p.end = 123600;
        p.scopes.put(Scope.PACKET_CONTEXT, new Object[] {0L, 123600L, 0L, 0L, 0L});
        FCursor c = new FCursor().streamBeginning(s).packetBeginning(p);
        for (int i = 0; i < 25; i++) {
            c.event(new FEvent(p, ev, 3600 + 5000L * i).with(Scope.EVENT_PAYLOAD, (long) (i - 23), "saluuuut"));
        }
        c.packetEnd(p).streamEnd(s);
        FCursor again = new FCursor();
        again.msgs.addAll(c.msgs);
        DetailsPrinter.Builder b = DetailsPrinter.builder().withTraceName(false).withStreamName(false).withUuid(false);
        assertEquals(expected(BT20 + "src.ctf.fs/succeed/trace-simple.expect"), print(b, c));
        assertEquals(expected(MASTER + "src.ctf.fs/succeed/trace-simple.expect"),
                print(b.style(DetailsPrinter.Style.MASTER_MIP0), again));
    }

    /** Sequences, variants and removed fields: lengths and selectors as IR field paths (indexes or names). */
    @Test
    void fieldPathsAndRemovedFields() {
        ClockClass clk = DetailsFakes.clock("c", null, 1000, 0, 0, 0, false, null);
        IntegerClass tag = uint(8).mappings(List.of(
                new IntegerClass.Mapping("B", List.of(new IntegerClass.Range(1, 1), new IntegerClass.Range(5, 9))),
                new IntegerClass.Mapping("_A", List.of(new IntegerClass.Range(0, 0))))).enumeration(true).build();
        StructClass payload = struct(
                "ts", uint(64).mappedClock("c").build(),              // removed: mapped to a clock
                "_len", uint(16).build(),
                "seq", new ArrayClass(sint(32), -1, new FieldPath(Scope.EVENT_PAYLOAD, List.of("_len"), "_len"), 8,
                        false, null),
                "tag", tag,
                "v", new VariantClass(new FieldPath(Scope.EVENT_PAYLOAD, List.of("tag"), "tag"), List.of(
                        new VariantClass.Option("A", StringClass.nullTerminated()),
                        new VariantClass.Option("B", uint(32).base(16).build())), null),
                "text", new ArrayClass(uint(8).encoding(IntegerClass.Encoding.UTF8).build(), 4, null, 8, true, null));
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, Map.of(), Map.of("c", clk),
                null, null, null, null);
        StreamClass sc = new StreamClass(3, null, struct("packet_size", uint(32).build()), null, null, clk, null);
        EventClass ev = new EventClass(7, "e", null, "http://x", null, payload, null);
        sc.addEventClass(ev);
        tc.addStreamClass(sc);
        FTrace t = new FTrace("t", tc);
        FStream s = new FStream(t, sc, 0);
        FPacket p = new FPacket(s);
        p.scopes.put(Scope.PACKET_CONTEXT, new Object[] {0L});
        FCursor c = new FCursor().streamBeginning(s).packetBeginning(p)
                .event(new FEvent(p, ev, 1500).with(Scope.EVENT_PAYLOAD, 1500L, 2L, List.of(-1L, 70000L), 6L,
                        new DetailsFakes.Var(1, 0xABCDEL), "abc"));
        String got = print(DetailsPrinter.builder().withTraceName(false), c);
        String exp = """
                Trace class:
                  Stream class (ID 3):
                    Supports packets: Yes
                    Packets have beginning default clock snapshot: No
                    Packets have end default clock snapshot: No
                    Supports discarded events: No
                    Supports discarded packets: No
                    Default clock class:
                      Name: c
                      Frequency (Hz): 1000
                      Precision (cycles): 0
                      Offset (s): 0
                      Offset (cycles): 0
                      Origin is Unix epoch: No
                    Event class `e` (ID 7):
                      EMF URI: http://x
                      Payload field class: Structure (5 members):
                        _len: Unsigned integer (16-bit, Base 10)
                        seq: Dynamic array (with length field) (Length field path [Event payload: 0]):
                          Element: Signed integer (32-bit, Base 10)
                        tag: Unsigned enumeration (8-bit, Base 10, 2 mappings):
                          B: [1] [5, 9]
                          _A: [0]
                        v: Variant (unsigned integer selector) (2 options, Selector field path [Event payload: 2]):
                          A: [0]: String
                          B: [1] [5, 9]: Unsigned integer (32-bit, Base 16)
                        text: String

                [Unknown]
                {Trace 0, Stream class ID 3, Stream ID 0}
                Stream beginning:
                  Name: stream0
                  Trace:
                    Stream (ID 0, Class ID 3)

                {Trace 0, Stream class ID 3, Stream ID 0}
                Packet beginning

                [1500 cycles, 1,500,000,000 ns from origin]
                {Trace 0, Stream class ID 3, Stream ID 0}
                Event `e` (Class ID 7):
                  Payload:
                    _len: 2
                    seq: Length 2:
                      [0]: -1
                      [1]: 70,000
                    tag: 6
                    v: 0xa:bcde
                    text: abc
                """;
        assertEquals(exp, got);
        String mip1 = print(DetailsPrinter.builder().withTraceName(false).withMetadata(true)
                .style(DetailsPrinter.Style.MASTER_MIP1), new FCursor().streamBeginning(s));
        assertTrue(mip1.contains("(Length field location [Event payload: _len])"), mip1);
        assertTrue(mip1.contains("Selector field location [Event payload: tag])"), mip1);
    }

    @Test
    void numberFormats() {
        assertEquals("9999", DetailsFormat.formatUnsigned(9999, 10));
        assertEquals("10,000", DetailsFormat.formatUnsigned(10000, 10));
        assertEquals("18,446,744,073,709,551,615", DetailsFormat.formatUnsigned(-1, 10));
        assertEquals("-9999", DetailsFormat.formatSigned(-9999, 10));
        assertEquals("-10,000", DetailsFormat.formatSigned(-10000, 10));
        assertEquals("-9,223,372,036,854,775,808", DetailsFormat.formatSigned(Long.MIN_VALUE, 10));
        assertEquals("0x0", DetailsFormat.formatUnsigned(0, 16));
        assertEquals("0x1:0000", DetailsFormat.formatUnsigned(0x10000, 16));
        assertEquals("-0x10", DetailsFormat.formatSigned(-16, 16));
        assertEquals("0x8000:0000:0000:0000", DetailsFormat.formatSigned(Long.MIN_VALUE, 16).substring(1));
        assertEquals("0777", DetailsFormat.formatUnsigned(0777, 8));
        assertEquals("01:000", DetailsFormat.formatUnsigned(01000, 8));
        assertEquals("0.000000", DetailsFormat.formatReal(0.0));
        assertEquals("-0.000000", DetailsFormat.formatReal(-0.0));
        assertEquals("3.140000", DetailsFormat.formatReal(3.14));
        assertEquals("0.100000", DetailsFormat.formatReal(0.1f));
        assertEquals("100000000000000000000.000000", DetailsFormat.formatReal(1e20));
        assertEquals("0.000001", DetailsFormat.formatReal(5e-7 + 1e-12));
        assertEquals("inf", DetailsFormat.formatReal(Double.POSITIVE_INFINITY));
        assertEquals("nan", DetailsFormat.formatReal(Double.NaN));
    }

    @Test
    void nanosecondsFromOriginLikeBabeltrace() {
        ClockClass c = DetailsFakes.clock("c", null, 1000, 10, 1500, 0, false, null); // offset 11 s + 500 cycles
        assertEquals(11_500_000_000L + 2_000_000L, DetailsPrinter.nsFromOrigin(c, 2));
        ClockClass big = DetailsFakes.clock("c", null, 1_000_000_000L, Long.MAX_VALUE / 1_000_000_000L, 0, 0,
                false, null);
        assertEquals(null, DetailsPrinter.nsFromOrigin(big, 0));
    }
}

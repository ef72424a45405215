package io.tracestream.ctf.meta.tsdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.IntegerClass.Range;
import io.tracestream.ctf.meta.IntegerClass.Role;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Focused tests of the TSDL parser: paths, enumerations, byte orders, roles, clocks, errors and limits. */
class TsdlParserTest {
    private static final Path FILE = Path.of("test", "metadata");
    private static final String ALIASES = """
            typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
            typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
            typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
            typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
            typealias integer { size = 8; align = 8; signed = true; } := int8_t;
            """;
    private static final String TRACE_LE = "trace { major = 1; minor = 8; byte_order = le; };\n";

    private static TraceClass parse(String body) {
        return TsdlParser.parse("/* CTF 1.8 */\n" + ALIASES + body, FILE);
    }

    private static TraceClass parseWithTrace(String body) {
        return parse(TRACE_LE + body);
    }

    private static EventClass event(TraceClass tc, long id) {
        return tc.streamClasses().iterator().next().eventClass(id);
    }

    private static FieldClass member(StructClass s, String... names) {
        FieldClass fc = s;
        for (String n : names) {
            fc = ((StructClass) fc).memberType(n);
        }
        return fc;
    }

    private static CtfException fails(String fullText) {
        return assertThrows(CtfException.class, () -> TsdlParser.parse(fullText, FILE));
    }

    // ---- paths ----------------------------------------------------------------------------------------------------

    @Test
    void relativeLengthsResolveOutwardToAbsolutePaths() {
        TraceClass tc = parseWithTrace("""
                event { name = e; fields := struct {
                    uint8_t n;
                    struct { uint8_t m; uint32_t a[n]; uint32_t b[m]; } s;
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        ArrayClass a = (ArrayClass) member(p, "s", "a");
        ArrayClass b = (ArrayClass) member(p, "s", "b");
        assertEquals(new FieldPath(Scope.EVENT_PAYLOAD, List.of("n"), "n"), a.lengthPath());
        assertEquals(new FieldPath(Scope.EVENT_PAYLOAD, List.of("s", "m"), "m"), b.lengthPath());
        assertFalse(a.isStaticLength());
        assertEquals(-1, a.staticLength());
    }

    @Test
    void absoluteAndEarlierScopeLengths() {
        TraceClass tc = parse("""
                trace { major = 1; minor = 8; byte_order = le;
                    packet.header := struct { uint32_t magic; uint8_t hlen; }; };
                stream {
                    packet.context := struct { uint16_t plen; };
                    event.header := struct { uint8_t id; };
                    event.context := struct { uint8_t clen; };
                };
                event { name = e; id = 0;
                    context := struct { uint8_t slen; };
                    fields := struct {
                        uint8_t a[trace.packet.header.hlen];
                        uint8_t b[stream.packet.context.plen];
                        uint8_t c[stream.event.context.clen];
                        uint8_t d[event.context.slen];
                        uint8_t n;
                        uint8_t e[event.fields.n];
                        uint8_t f[clen];
                    };
                };
                """);
        StructClass p = event(tc, 0).payload();
        assertEquals(Scope.PACKET_HEADER, ((ArrayClass) p.memberType("a")).lengthPath().scope());
        assertEquals(List.of("hlen"), ((ArrayClass) p.memberType("a")).lengthPath().names());
        assertEquals(Scope.PACKET_CONTEXT, ((ArrayClass) p.memberType("b")).lengthPath().scope());
        assertEquals(Scope.EVENT_COMMON_CONTEXT, ((ArrayClass) p.memberType("c")).lengthPath().scope());
        assertEquals(Scope.EVENT_SPECIFIC_CONTEXT, ((ArrayClass) p.memberType("d")).lengthPath().scope());
        assertEquals(new FieldPath(Scope.EVENT_PAYLOAD, List.of("n"), "event.fields.n"),
                ((ArrayClass) p.memberType("e")).lengthPath());
        // a relative location not found in the current scope is searched in the earlier ones
        assertEquals(new FieldPath(Scope.EVENT_COMMON_CONTEXT, List.of("clen"), "clen"),
                ((ArrayClass) p.memberType("f")).lengthPath());
    }

    @Test
    void pathsCrossVariantsAndArraysTransparently() {
        TraceClass tc = parseWithTrace("""
                event { name = e; fields := struct {
                    enum : uint8_t { x, y } tag;
                    variant <tag> {
                        struct { uint8_t len; uint8_t data[len]; } x;
                        string y;
                    } v;
                    uint8_t after[v.x.len];
                    struct { uint8_t k; uint8_t items[k]; } rows[3];
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        VariantClass v = (VariantClass) p.memberType("v");
        assertEquals(new FieldPath(Scope.EVENT_PAYLOAD, List.of("tag"), "tag"), v.selectorPath());
        StructClass x = (StructClass) v.options().get(0).type();
        assertEquals(List.of("v", "len"), ((ArrayClass) x.memberType("data")).lengthPath().names());
        // an explicit option name in a location is dropped: names are structure members only
        assertEquals(List.of("v", "len"), ((ArrayClass) p.memberType("after")).lengthPath().names());
        ArrayClass rows = (ArrayClass) p.memberType("rows");
        StructClass row = (StructClass) rows.elementType();
        assertEquals(List.of("rows", "k"), ((ArrayClass) row.memberType("items")).lengthPath().names());
    }

    @Test
    void invalidLocationsAreErrors() {
        String head = "/* CTF 1.8 */\n" + ALIASES + TRACE_LE;
        // later field
        CtfException e = fails(head + "event { fields := struct { uint8_t a[n]; uint8_t n; }; };");
        assertTrue(e.getMessage().contains("refers to a field that comes after"), e.getMessage());
        e = fails(head + "event { fields := struct { uint8_t a[nope]; }; };");
        assertTrue(e.getMessage().contains("cannot find `nope`"), e.getMessage());
        // signed length
        e = fails(head + "event { fields := struct { int8_t n; uint8_t a[n]; }; };");
        assertTrue(e.getMessage().contains("not an unsigned integer"), e.getMessage());
        // inside an array that does not hold the sequence
        e = fails(head + "event { fields := struct { struct { uint8_t n; } s[2]; uint8_t a[s.n]; }; };");
        assertTrue(e.getMessage().contains("inside an array"), e.getMessage());
        // a later scope
        e = fails(head + "stream { event.context := struct { uint8_t a[event.fields.n]; }; };"
                + "event { fields := struct { uint8_t n; }; };");
        assertTrue(e.getMessage().contains("decoded after"), e.getMessage());
        // tag that is not an enumeration
        e = fails(head + "event { fields := struct { uint8_t t; variant <t> { string a; } v; }; };");
        assertTrue(e.getMessage().contains("not an enumeration"), e.getMessage());
        // option without a label
        e = fails(head + "event { fields := struct { enum : uint8_t { a } t; variant <t> { string b; } v; }; };");
        assertTrue(e.getMessage().contains("no enumeration label named `b`"), e.getMessage());
    }

    // ---- enumerations -------------------------------------------------------------------------------------------

    @Test
    void enumerationValuesAndRanges() {
        TraceClass tc = parseWithTrace("""
                typealias integer { size = 32; signed = true; } := int;
                event { name = e; fields := struct {
                    enum : uint8_t { A, B = 5, C, D = 10 ... 20, E, "quoted label", B = 30 } u;
                    enum : int8_t { N = -3, M, LOW = -128 ... -100 } s;
                    enum : uint64_t { MAX = 0xFFFFFFFFFFFFFFFF, ZERO = 0 } big;
                    enum { DEFAULT_INT = -1 } d;
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        IntegerClass u = (IntegerClass) p.memberType("u");
        assertTrue(u.isEnumeration());
        assertEquals(8, u.length());
        List<IntegerClass.Mapping> m = u.mappings();
        assertEquals("A", m.get(0).label());
        assertEquals(List.of(new Range(0, 0)), m.get(0).ranges());
        assertEquals("B", m.get(1).label());
        assertEquals(List.of(new Range(5, 5), new Range(30, 30)), m.get(1).ranges());
        assertEquals(List.of(new Range(6, 6)), m.get(2).ranges());
        assertEquals(List.of(new Range(10, 20)), m.get(3).ranges());
        assertEquals(List.of(new Range(21, 21)), m.get(4).ranges());
        assertEquals("quoted label", m.get(5).label());
        IntegerClass s = (IntegerClass) p.memberType("s");
        assertTrue(s.signed());
        assertEquals(List.of(new Range(-3, -3)), s.mappings().get(0).ranges());
        assertEquals(List.of(new Range(-2, -2)), s.mappings().get(1).ranges());
        assertEquals(List.of(new Range(-128, -100)), s.mappings().get(2).ranges());
        IntegerClass big = (IntegerClass) p.memberType("big");
        assertEquals(List.of(new Range(-1L, -1L)), big.mappings().get(0).ranges());
        assertTrue(big.mappings().get(0).contains(-1L, false));
        IntegerClass d = (IntegerClass) p.memberType("d");
        assertEquals(32, d.length());
        assertTrue(d.signed());
    }

    @Test
    void enumerationErrors() {
        String head = "/* CTF 1.8 */\n" + ALIASES + TRACE_LE;
        assertTrue(fails(head + "event { fields := struct { enum : uint8_t { A = 256 } e; }; };").getMessage()
                .contains("does not fit in a 8-bit unsigned integer"));
        assertTrue(fails(head + "event { fields := struct { enum : uint8_t { A = -1 } e; }; };").getMessage()
                .contains("negative value"));
        assertTrue(fails(head + "event { fields := struct { enum : uint8_t { A = 5 ... 2 } e; }; };").getMessage()
                .contains("greater than upper value"));
        assertTrue(fails(head + "event { fields := struct { enum : uint8_t { A = 255, B } e; }; };").getMessage()
                .contains("implicit value out of range"));
        assertTrue(fails(head + "event { fields := struct { enum { A } e; }; };").getMessage()
                .contains("type alias named `int`"));
        assertTrue(fails(head + "event { fields := struct { enum : uint8_t { } e; }; };").getMessage()
                .contains("empty enumeration"));
    }

    // ---- byte orders, integers, floats, strings ----------------------------------------------------------------

    @Test
    void nativeByteOrderIsTheTraceOneEvenWhenDeclaredLater() {
        TraceClass tc = TsdlParser.parse("""
                typealias integer { size = 32; byte_order = native; } := nat32;
                typealias integer { size = 32; byte_order = network; } := net32;
                typealias integer { size = 32; byte_order = le; } := le32;
                typealias floating_point { exp_dig = 8; mant_dig = 24; } := flt;
                typealias floating_point { exp_dig = 11; mant_dig = 53; byte_order = le; align = 64; } := dbl;
                event { name = e; fields := struct { nat32 a; net32 b; le32 c; flt f; dbl g;
                    integer { size = 3; } bits; }; };
                trace { major = 1; minor = 8; byte_order = be; };
                """, FILE);
        assertEquals(ByteOrder.BIG_ENDIAN, tc.byteOrder());
        StructClass p = event(tc, 0).payload();
        assertEquals(ByteOrder.BIG_ENDIAN, ((IntegerClass) p.memberType("a")).byteOrder());
        assertEquals(ByteOrder.BIG_ENDIAN, ((IntegerClass) p.memberType("b")).byteOrder());
        assertEquals(ByteOrder.LITTLE_ENDIAN, ((IntegerClass) p.memberType("c")).byteOrder());
        FloatClass f = (FloatClass) p.memberType("f");
        assertEquals(32, f.length());
        assertEquals(8, f.alignment());
        assertEquals(ByteOrder.BIG_ENDIAN, f.byteOrder());
        FloatClass g = (FloatClass) p.memberType("g");
        assertEquals(64, g.length());
        assertEquals(64, g.alignment());
        assertEquals(ByteOrder.LITTLE_ENDIAN, g.byteOrder());
        IntegerClass bits = (IntegerClass) p.memberType("bits");
        assertEquals(1, bits.alignment());
        assertEquals(8, ((IntegerClass) p.memberType("a")).alignment());
    }

    @Test
    void integerAttributes() {
        TraceClass tc = parseWithTrace("""
                clock { name = c; };
                event { name = e; fields := struct {
                    integer { size = 12; align = 4; signed = true; base = hex; } a;
                    integer { size = 8; base = x; } b;
                    integer { size = 8; base = oct; } c;
                    integer { size = 8; base = binary; } d;
                    integer { size = 8; base = 16; } e2;
                    integer { size = 64; map = clock.c.value; } ts;
                    integer { size = 8; signed = false; encoding = ASCII; } ch;
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        IntegerClass a = (IntegerClass) p.memberType("a");
        assertEquals(12, a.length());
        assertEquals(4, a.alignment());
        assertTrue(a.signed());
        assertEquals(16, a.base());
        assertEquals(16, ((IntegerClass) p.memberType("b")).base());
        assertEquals(8, ((IntegerClass) p.memberType("c")).base());
        assertEquals(2, ((IntegerClass) p.memberType("d")).base());
        assertEquals(16, ((IntegerClass) p.memberType("e2")).base());
        IntegerClass ts = (IntegerClass) p.memberType("ts");
        assertEquals("c", ts.mappedClock());
        assertTrue(ts.hasRole(Role.DEFAULT_CLOCK_TIMESTAMP));
        assertEquals(IntegerClass.Encoding.ASCII, ((IntegerClass) p.memberType("ch")).encoding());
        assertEquals("c", tc.streamClasses().iterator().next().defaultClock().name());
    }

    @Test
    void textArraysAndSequences() {
        TraceClass tc = parseWithTrace("""
                typealias integer { size = 8; align = 8; signed = true; encoding = UTF8; } := char;
                event { name = e; fields := struct {
                    char name[16];
                    uint8_t len;
                    char msg[len];
                    uint8_t raw[4];
                    string { encoding = ASCII; } s;
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        ArrayClass name = (ArrayClass) p.memberType("name");
        assertTrue(name.isText());
        assertEquals(16, name.staticLength());
        assertFalse(((IntegerClass) name.elementType()).signed(), "text elements are read unsigned");
        assertTrue(((ArrayClass) p.memberType("msg")).isText());
        assertFalse(((ArrayClass) p.memberType("raw")).isText());
        StringClass s = (StringClass) p.memberType("s");
        assertEquals(StringClass.Encoding.ASCII, s.encoding());
        assertEquals(StringClass.Kind.NULL_TERMINATED, s.kind());
    }

    @Test
    void multiDimensionalArraysAndEnvLengths() {
        TraceClass tc = parseWithTrace("""
                env { n = 3; host = "h"; neg = -5; };
                event { name = e; fields := struct { uint8_t m[2][env.n]; uint16_t k[env.n]; }; };
                """);
        StructClass p = event(tc, 0).payload();
        ArrayClass m = (ArrayClass) p.memberType("m");
        assertEquals(2, m.staticLength());
        ArrayClass inner = (ArrayClass) m.elementType();
        assertEquals(3, inner.staticLength());
        assertEquals(8 * 6, m.fixedSizeBits());
        assertEquals(3, ((ArrayClass) p.memberType("k")).staticLength());
        assertEquals(3L, tc.environment().get("n"));
        assertEquals("h", tc.environment().get("host"));
        assertEquals(-5L, tc.environment().get("neg"));
    }

    // ---- babeltrace2 behaviour ---------------------------------------------------------------------------------

    @Test
    void leadingUnderscoreIsRemovedAndOptionsGetTagRanges() {
        TraceClass tc = parseWithTrace("""
                event { name = e; fields := struct {
                    enum : uint8_t { _A = 1, B = 2 ... 4, _C } _tag;
                    variant <_tag> { string _A; uint8_t B; uint16_t _C; } _v;
                    uint8_t __double;
                }; };
                """);
        StructClass p = event(tc, 0).payload();
        assertEquals(List.of("tag", "v", "_double"), p.members().stream().map(StructClass.Member::name).toList());
        VariantClass v = (VariantClass) p.memberType("v");
        assertEquals(List.of("A", "B", "C"), v.options().stream().map(VariantClass.Option::name).toList());
        assertEquals(List.of(new Range(1, 1)), v.options().get(0).selectorRanges());
        assertEquals(List.of(new Range(2, 4)), v.options().get(1).selectorRanges());
        assertEquals(List.of(new Range(5, 5)), v.options().get(2).selectorRanges());
        assertEquals(List.of("tag"), v.selectorPath().names());
        // enumeration labels keep their spelling
        assertEquals("_A", ((IntegerClass) p.memberType("tag")).mappings().get(0).label());
    }

    @Test
    void rolesAndLttngCompactHeader() {
        TraceClass tc = parse("""
                typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
                typealias integer { size = 27; align = 1; signed = false; map = clock.monotonic.value; } := uint27_clock_monotonic_t;
                typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_monotonic_t;
                trace { major = 1; minor = 8; byte_order = le; uuid = "2a6422d0-6cee-11e0-8c08-cb07d7b3a564";
                    packet.header := struct { uint32_t magic; uint8_t uuid[16]; uint32_t stream_id;
                        uint64_t stream_instance_id; };
                };
                clock { name = monotonic; freq = 1000000000; offset_s = 1434072888; offset = 2500000000;
                    precision = 3; absolute = TRUE; description = "Monotonic Clock";
                    uuid = "5ee6bbf2-e7a0-4a6c-8a4d-98a4f0e8dbb1"; };
                struct event_header_compact {
                    enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
                    variant <id> {
                        struct { uint27_clock_monotonic_t timestamp; } compact;
                        struct { uint32_t id; uint64_clock_monotonic_t timestamp; } extended;
                    } v;
                } align(8);
                stream { id = 0;
                    event.header := struct event_header_compact;
                    packet.context := struct { uint64_clock_monotonic_t timestamp_begin;
                        uint64_clock_monotonic_t timestamp_end; uint64_t content_size; uint64_t packet_size;
                        uint64_t packet_seq_num; unsigned long events_discarded; uint32_t cpu_id; };
                };
                event { name = e; id = 0; stream_id = 0; fields := struct { uint8_t x; }; };
                """.replace("unsigned long", "uint64_t"));
        assertEquals(UUID.fromString("2a6422d0-6cee-11e0-8c08-cb07d7b3a564"), tc.uuid());
        StructClass ph = tc.packetHeader();
        assertTrue(((IntegerClass) ph.memberType("magic")).hasRole(Role.PACKET_MAGIC_NUMBER));
        assertTrue(((IntegerClass) ((ArrayClass) ph.memberType("uuid")).elementType())
                .hasRole(Role.METADATA_STREAM_UUID));
        assertTrue(((IntegerClass) ph.memberType("stream_id")).hasRole(Role.DATA_STREAM_CLASS_ID));
        assertTrue(((IntegerClass) ph.memberType("stream_instance_id")).hasRole(Role.DATA_STREAM_ID));
        StreamClass sc = tc.streamClass(0);
        StructClass pc = sc.packetContext();
        assertTrue(((IntegerClass) pc.memberType("timestamp_begin")).hasRole(Role.DEFAULT_CLOCK_TIMESTAMP));
        assertTrue(((IntegerClass) pc.memberType("timestamp_end")).hasRole(Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP));
        assertFalse(((IntegerClass) pc.memberType("timestamp_end")).hasRole(Role.DEFAULT_CLOCK_TIMESTAMP));
        assertTrue(((IntegerClass) pc.memberType("content_size")).hasRole(Role.PACKET_CONTENT_LENGTH));
        assertTrue(((IntegerClass) pc.memberType("packet_size")).hasRole(Role.PACKET_TOTAL_LENGTH));
        assertTrue(((IntegerClass) pc.memberType("packet_seq_num")).hasRole(Role.PACKET_SEQUENCE_NUMBER));
        assertTrue(((IntegerClass) pc.memberType("events_discarded"))
                .hasRole(Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT));
        assertTrue(((IntegerClass) pc.memberType("cpu_id")).roles().isEmpty());
        StructClass eh = sc.eventHeader();
        assertEquals(8, eh.alignment());
        assertTrue(((IntegerClass) eh.memberType("id")).hasRole(Role.EVENT_RECORD_CLASS_ID));
        VariantClass v = (VariantClass) eh.memberType("v");
        StructClass compact = (StructClass) v.options().get(0).type();
        StructClass extended = (StructClass) v.options().get(1).type();
        assertEquals(List.of(new Range(0, 30)), v.options().get(0).selectorRanges());
        assertEquals(List.of(new Range(31, 31)), v.options().get(1).selectorRanges());
        assertTrue(((IntegerClass) compact.memberType("timestamp")).hasRole(Role.DEFAULT_CLOCK_TIMESTAMP));
        assertEquals(27, ((IntegerClass) compact.memberType("timestamp")).length());
        assertTrue(((IntegerClass) extended.memberType("id")).hasRole(Role.EVENT_RECORD_CLASS_ID));
        assertTrue(((IntegerClass) extended.memberType("timestamp")).hasRole(Role.DEFAULT_CLOCK_TIMESTAMP));
        ClockClass c = sc.defaultClock();
        assertEquals("monotonic", c.name());
        assertEquals(1_000_000_000L, c.frequency());
        assertEquals(1434072890L, c.offsetSeconds(), "whole seconds of `offset` move to `offset_s`");
        assertEquals(500_000_000L, c.offsetCycles());
        assertEquals(3, c.precision());
        assertTrue(c.originIsUnixEpoch());
        assertEquals("Monotonic Clock", c.description());
        assertEquals(UUID.fromString("5ee6bbf2-e7a0-4a6c-8a4d-98a4f0e8dbb1"), c.uuid());
    }

    @Test
    void unmappedTimestampsAreMappedToTheOnlyClockOrAnImplicitOne() {
        TraceClass one = parseWithTrace("""
                clock { name = only; freq = 1000; };
                stream { event.header := struct { uint32_t id; uint64_t timestamp; }; };
                event { name = e; fields := struct { uint8_t x; }; };
                """);
        StreamClass sc = one.streamClass(0);
        assertEquals("only", ((IntegerClass) sc.eventHeader().memberType("timestamp")).mappedClock());
        assertEquals("only", sc.defaultClock().name());
        TraceClass none = parseWithTrace("""
                stream { packet.context := struct { uint64_t timestamp_begin; }; };
                event { name = e; fields := struct { uint8_t x; }; };
                """);
        ClockClass implicit = none.clock("default");
        assertEquals(1_000_000_000L, implicit.frequency());
        assertEquals(implicit, none.streamClass(0).defaultClock());
        assertNull(parseWithTrace("event { name = e; fields := struct { uint8_t x; }; };").streamClass(0)
                .defaultClock());
        String two = "/* CTF 1.8 */\n" + ALIASES + TRACE_LE + "clock { name = a; }; clock { name = b; };"
                + "stream { event.header := struct { uint64_t timestamp; }; };"
                + "event { fields := struct { uint8_t x; }; };";
        assertTrue(fails(two).getMessage().contains("2 clocks"));
    }

    @Test
    void streamsAndEvents() {
        TraceClass tc = parse("""
                event { name = "late"; id = 7; stream_id = 3; loglevel = -2; model.emf.uri = "http://x";
                    fields := struct { uint8_t a; }; };
                trace { major = 1; minor = 8; byte_order = le;
                    packet.header := struct { uint32_t magic; uint8_t stream_id; }; };
                stream { id = 3; event.header := struct { uint8_t id; }; };
                stream { id = 1; event.header := struct { uint8_t id; }; };
                event { name = other; id = 7; stream_id = 1; fields := struct { uint8_t a; }; };
                callsite { name = "late"; func = "f"; file = "f.c"; line = 3; ip = 0x10; };
                """);
        assertEquals(List.of(3L, 1L), tc.streamClasses().stream().map(StreamClass::id).toList());
        EventClass late = tc.streamClass(3).eventClass(7);
        assertEquals("late", late.name());
        assertEquals(-2L, late.logLevel());
        assertEquals("http://x", late.emfUri());
        assertEquals("other", tc.streamClass(1).eventClass(7).name());
        String dup = "/* CTF 1.8 */\n" + ALIASES + TRACE_LE + "event { name = a; id = 1; fields := struct { uint8_t x; }; };"
                + "\nevent { name = b; id = 1; fields := struct { uint8_t x; }; };";
        CtfException e = fails(dup);
        assertTrue(e.getMessage().matches(".*metadata:9:\\d+: duplicate event class ID 1 in stream class 0"),
                e.getMessage());
    }

    // ---- errors and limits ------------------------------------------------------------------------------------------

    @Test
    void uuidStringsAreChecked() {
        assertTrue(Analyzer.isUuid("2a6422d0-6cee-11e0-8c08-cb07d7b3a564"));
        assertTrue(Analyzer.isUuid("5EE6BBF2-E7A0-4A6C-8A4D-98A4F0E8DBB1"));
        assertFalse(Analyzer.isUuid("2a6422d0-6cee-11e0-8c08-cb07d7b3a56"));    // 35 characters
        assertFalse(Analyzer.isUuid("2a6422d0-6cee-11e0-8c08-cb07d7b3a5644"));  // 37
        assertFalse(Analyzer.isUuid("2a6422d0-6cee-11e0-8c08-cb07d7b3a56g"));   // not hexadecimal
        assertFalse(Analyzer.isUuid("2a6422d006cee-11e0-8c08-cb07d7b3a564"));   // a dash missing
        assertFalse(Analyzer.isUuid("2a6422d0-6cee-11e0-8c08-cb07d7b3a5-4"));   // a dash too many
        assertFalse(Analyzer.isUuid(""));
        CtfException e = assertThrows(CtfException.class, () -> TsdlParser.parse(
                "/* CTF 1.8 */ trace { major = 1; minor = 8; byte_order = le; uuid = \"not-a-uuid\"; };", FILE));
        assertTrue(e.getMessage().contains("`uuid` attribute: expecting a UUID string literal"), e.getMessage());
    }

    @Test
    void errorsNameFileLineAndColumn() {
        CtfException e = fails("trace { major = 1; minor = 8; byte_order = le; };\n"
                + "event { fields := struct {\n"
                + "    integer { size = 65; } x;\n"
                + "}; };\n");
        assertEquals(FILE + ":3:22: invalid `size` attribute in `integer` block: expecting 1 to 64", e.getMessage());
        assertEquals(FILE, e.file());
        e = fails("trace { major = 1; minor = 8; byte_order = le; };\nevent { fields := struct { nope x; }; };");
        assertEquals(FILE + ":2:28: unknown type `nope`", e.getMessage());
        e = fails("trace { major = 1; minor = 8; byte_order = le; }\nevent { };");
        assertEquals(FILE + ":2:1: expecting `;` after trace block, found `event`", e.getMessage());
        e = fails("trace { major = 1; minor = 8; byte_order = le; };\nenv { s = \"unterminated; };");
        assertEquals(FILE + ":2:11: unterminated string literal", e.getMessage());
        e = fails("/* CTF 1.8 */\ntrace { major = 1; minor = 8; byte_order = le; };\n/* never closed");
        assertEquals(FILE + ":3:1: unterminated comment", e.getMessage());
        e = fails("trace { major = 1; minor = 8; };");
        assertTrue(e.getMessage().endsWith("missing `byte_order` attribute in `trace` block"));
        e = fails("env { a = 1; };");
        assertEquals(FILE + ":1:1: missing `trace` block", e.getMessage());
        e = fails("trace { major = 1; minor = 8; byte_order = le; };\nenv { big = 18446744073709551616; };");
        assertTrue(e.getMessage().startsWith(FILE + ":2:13: integer literal"), e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        int depth = 100_000;
        StringBuilder sb = new StringBuilder("trace { major = 1; minor = 8; byte_order = le; };\n"
                + "typealias integer { size = 8; } := u8;\nevent { fields := ");
        sb.append("struct { ".repeat(depth)).append("u8 x; ").append("} f; ".repeat(depth - 1)).append("}; };");
        CtfException e = fails(sb.toString());
        assertTrue(e.getMessage().contains("deeper than"), e.getMessage());

        // composition through type aliases is bounded as well
        StringBuilder al = new StringBuilder("trace { major = 1; minor = 8; byte_order = le; };\n"
                + "typealias integer { size = 8; } := t0;\n");
        for (int i = 1; i <= 2000; i++) {
            al.append("typealias struct { t").append(i - 1).append(" a; } := t").append(i).append(";\n");
        }
        al.append("event { fields := struct { t2000 x; }; };");
        e = fails(al.toString());
        assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
    }

    @Test
    void absurdSizesAreErrors() {
        String head = "trace { major = 1; minor = 8; byte_order = le; };\ntypealias integer { size = 8; } := u8;\n";
        assertTrue(fails(head + "event { fields := struct { u8 a[4294967296]; }; };").getMessage()
                .contains("is larger than"));
        assertTrue(fails(head + "event { fields := struct { integer { size = 0; } a; }; };").getMessage()
                .contains("expecting 1 to 64"));
        assertTrue(fails(head + "event { fields := struct { integer { size = 8; align = 3; } a; }; };")
                .getMessage().contains("power of two"));
        assertTrue(fails(head + "event { fields := struct { floating_point { exp_dig = 8; mant_dig = 25; } a; }; };")
                .getMessage().contains("unsupported floating point"));
        assertTrue(fails(head + "event { fields := struct { u8 a[-1]; }; };").getMessage()
                .contains("negative array length"));
    }

    @Test
    void commentsLiteralsAndSyntaxVariants() {
        TraceClass tc = TsdlParser.parse("""
                // line comment
                trace { major = 1; minor = 8; byte_order = le; /* block */ };;
                env { oct = 017; hex = 0X1f; plus = +4; bin = 0b101; suffix = 10UL;
                      esc = "tab\\there \\"q\\" \\x41\\101\\\\"; };
                typealias integer { size = 8; } := u8;
                typedef u8 byte_t, pair_t[2];
                event { name = e; fields = struct { byte_t a; pair_t b; }; };
                """, FILE);
        assertEquals(15L, tc.environment().get("oct"));
        assertEquals(31L, tc.environment().get("hex"));
        assertEquals(4L, tc.environment().get("plus"));
        assertEquals(5L, tc.environment().get("bin"));
        assertEquals(10L, tc.environment().get("suffix"));
        assertEquals("tab\there \"q\" AA\\", tc.environment().get("esc"));
        StructClass p = event(tc, 0).payload();
        assertInstanceOf(IntegerClass.class, p.memberType("a"));
        assertEquals(2, ((ArrayClass) p.memberType("b")).staticLength());
    }

    /** Random mutations of a realistic metadata text only ever give a model or a one-line CtfException. */
    @Test
    void mutatedMetadataNeverCrashes() {
        String base = "/* CTF 1.8 */\n" + ALIASES + """
                typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
                trace { major = 1; minor = 8; byte_order = le; packet.header := struct { uint32_t magic;
                    uint8_t uuid[16]; uint32_t stream_id; }; };
                clock { name = monotonic; freq = 1000000000; offset = 5; };
                stream { id = 0; event.header := struct { enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
                    variant <id> { struct { uint32_t timestamp; } compact;
                    struct { uint32_t id; uint64_t timestamp; } extended; } v; } align(8);
                    packet.context := struct { uint64_t content_size; uint64_t packet_size; }; };
                event { name = "a"; id = 0; stream_id = 0; fields := struct { uint8_t n; string s[n];
                    enum : uint8_t { X, Y = 3 ... 9 } t; variant <t> { string X; uint16_t Y; } v;
                    uint8_t m[2][n]; floating_point { exp_dig = 8; mant_dig = 24; } f; }; };
                """;
        TsdlParser.parse(base, FILE);
        String[] frags = {"{", "}", ";", "[", "]", "<", ">", "struct", "variant", "enum", ":=", "=", "-", "0x",
                "...", ",", "typealias", ".", "_", "\"", "/*", "integer { size = 64; }", "align(", "x[a.b]",
                "stream.event.header.", "event.fields.", "\u0000"};
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(base);
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                int pos = r.nextInt(sb.length() + 1);
                switch (r.nextInt(4)) {
                    case 0 -> sb.delete(pos, Math.min(sb.length(), pos + r.nextInt(20)));
                    case 1 -> sb.insert(pos, frags[r.nextInt(frags.length)]);
                    case 2 -> {
                        if (pos < sb.length()) {
                            sb.setCharAt(pos, (char) (32 + r.nextInt(95)));
                        }
                    }
                    default -> sb.setLength(pos);
                }
            }
            try {
                TsdlParser.parse(sb.toString(), FILE);
            } catch (CtfException e) {
                String msg = e.getMessage();
                assertTrue(msg.startsWith(FILE + ":") && !msg.contains("\n"), msg);
            }
        }
    }
}

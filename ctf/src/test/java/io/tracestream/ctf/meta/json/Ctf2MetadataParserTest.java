package io.tracestream.ctf.meta.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Focused tests of the CTF 2 metadata parser: JSON syntax, field classes, locations, aliases and errors. */
class Ctf2MetadataParserTest {

    private static final Path FILE = Path.of("trace/metadata");
    private static final String RS = "\u001e";
    private static final String PREAMBLE = RS + "{\"type\": \"preamble\", \"version\": 2}\n";
    private static final String DSC = RS + "{\"type\": \"data-stream-class\"}\n";

    private static TraceClass parse(String text) {
        return Ctf2MetadataParser.parse(text, FILE);
    }

    /** Metadata with one event record class whose payload has these members (JSON member objects). */
    private static String payload(String members) {
        return PREAMBLE + DSC + RS + "{\"type\": \"event-record-class\", \"payload-field-class\": "
                + "{\"type\": \"structure\", \"member-classes\": [" + members + "]}}\n";
    }

    private static StructClass payloadOf(TraceClass tc) {
        return tc.streamClass(0).eventClass(0).payload();
    }

    private static String member(String name, String fc) {
        return "{\"name\": \"" + name + "\", \"field-class\": " + fc + "}";
    }

    private static final String U8 = "{\"type\": \"fixed-length-unsigned-integer\", \"length\": 8, "
            + "\"byte-order\": \"little-endian\"}";
    private static final String S8 = "{\"type\": \"fixed-length-signed-integer\", \"length\": 8, "
            + "\"byte-order\": \"little-endian\"}";
    private static final String BOOL = "{\"type\": \"fixed-length-boolean\", \"length\": 8, "
            + "\"byte-order\": \"little-endian\"}";
    private static final String STR = "{\"type\": \"null-terminated-string\"}";

    private static String dynArray(String location) {
        return "{\"type\": \"dynamic-length-array\", \"length-field-location\": " + location
                + ", \"element-field-class\": " + U8 + "}";
    }

    private static CtfException error(String text) {
        return assertThrows(CtfException.class, () -> parse(text));
    }

    private static void assertError(String text, int line, int column, String fragment) {
        CtfException e = error(text);
        String prefix = FILE + ":" + line + ":" + column + ": ";
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected " + prefix + "..., got " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in " + e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ JSON syntax

    @Test
    void jsonSyntaxErrorsNameLineAndColumn() {
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\",}", 2, 25, "expecting a property name");
        assertError(PREAMBLE + RS + "{\n  \"type\": \"trace\\qclass\"\n}", 3, 17, "invalid escape");
        assertError(PREAMBLE + RS + "{\"type\": \"clock-class\", \"frequency\": 012}", 2, 39, "leading zero");
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\"", 2, 24, "expecting ',' or '}'");
        assertError(PREAMBLE + RS + "{\"type\": \"tr", 2, 11, "unterminated string");
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\", \"type\": \"x\"}", 2, 26, "duplicate property");
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\"} x", 2, 26, "after the JSON value");
        assertError(PREAMBLE + RS + "[1, 2", 2, 7, "expecting ',' or ']'");
        assertError(PREAMBLE + RS + "{\"a\": tru}", 2, 8, "invalid literal");
        assertError(PREAMBLE + RS + "{\"a\": \"\u0001\"}", 2, 9, "control character");
        assertError("junk" + PREAMBLE, 1, 1, "record separator");
        assertError("", 1, 1, "no preamble");
    }

    @Test
    void integersUpToUnsigned64Bits() {
        String max = "18446744073709551615";
        TraceClass tc = parse(PREAMBLE + DSC + RS + "{\"type\": \"event-record-class\", \"id\": " + max
                + ", \"attributes\": {\"a\": " + max + ", \"b\": -9223372036854775808, \"c\": 1.5e3, "
                + "\"d\": [true, null]}}");
        EventClass ec = tc.streamClass(0).eventClass(-1L);
        assertEquals(-1L, ec.id());
        assertEquals(new BigInteger(max), ec.attributes().get("a"));
        assertEquals(Long.MIN_VALUE, ec.attributes().get("b"));
        assertEquals(1500.0, ec.attributes().get("c"));
        assertEquals(java.util.Arrays.asList(true, null), ec.attributes().get("d"));
        assertError(PREAMBLE + RS + "{\"a\": 18446744073709551616}", 2, 8, "out of range");
        assertError(PREAMBLE + RS + "{\"a\": -9223372036854775809}", 2, 8, "out of range");
    }

    @Test
    void stringEscapesAndSurrogates() {
        TraceClass tc = parse(PREAMBLE + RS + "{\"type\": \"trace-class\", \"name\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t"
                + "\\u00e9\\ud83d\\ude00z\"}" + DSC);
        assertEquals("a\"\\/\b\f\n\r\t\u00e9\ud83d\ude00z", tc.name());
        assertError(PREAMBLE + RS + "{\"a\": \"\\ud83d\"}", 2, 9, "lone high surrogate");
        assertError(PREAMBLE + RS + "{\"a\": \"\\u12g4\"}", 2, 9, "invalid \\u escape");
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertError(PREAMBLE + RS + deep, 2, Json.MAX_DEPTH + 2, "nesting deeper");
    }

    // ------------------------------------------------------------------------------------------------ fragments

    @Test
    void fragmentOrderAndIds() {
        assertError(DSC + PREAMBLE, 1, 2, "first fragment must be a preamble");
        assertError(PREAMBLE + PREAMBLE, 2, 2, "only once");
        assertError(PREAMBLE + DSC + RS + "{\"type\": \"trace-class\"}", 3, 2, "must come before any data stream");
        assertError(PREAMBLE + DSC + DSC, 3, 2, "duplicate data stream class id 0");
        assertError(PREAMBLE + DSC + RS + "{\"type\": \"event-record-class\"}" + RS
                + "{\"type\": \"event-record-class\"}", 3, 33, "duplicate event record class id 0");
        assertError(PREAMBLE + RS + "{\"type\": \"event-record-class\", \"data-stream-class-id\": 3}", 2, 57,
                "no data stream class with id 3");
        assertError(PREAMBLE + RS + "{\"type\": \"meow\"}", 2, 11, "unknown fragment type `meow`");
        assertError(PREAMBLE + RS + "{\"type\": \"preamble\", \"version\": 3}", 2, 2, "only once");
        assertError(RS + "{\"type\": \"preamble\", \"version\": 3}", 1, 34, "expecting 2");
        assertError(RS + "{\"type\": \"preamble\", \"version\": 2, \"extensions\": {\"ns\": {\"ext\": 1}}}", 1, 59,
                "extension `ext` of namespace `ns` is enabled");
        // Declared namespaces without extensions enable nothing.
        parse(RS + "{\"type\": \"preamble\", \"version\": 2, \"extensions\": {\"ns\": {}}}" + DSC);
        // Whitespace-only fragments are ignored.
        assertEquals(1, parse(PREAMBLE + RS + " \n" + DSC).streamClasses().size());
    }

    @Test
    void preambleTraceClockAndStreamClasses() {
        String text = RS + "{\"type\": \"preamble\", \"version\": 2, "
                + "\"uuid\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}"
                + RS + "{\"type\": \"clock-class\", \"id\": \"c\", \"name\": \"mono\", \"namespace\": \"ns\", "
                + "\"uid\": \"u\", \"frequency\": 1000, \"offset-from-origin\": {\"seconds\": -5, \"cycles\": 999}, "
                + "\"origin\": {\"namespace\": \"o-ns\", \"name\": \"boot\", \"uid\": \"o-uid\"}, \"precision\": 3, "
                + "\"accuracy\": 7, \"description\": \"d\"}"
                + RS + "{\"type\": \"trace-class\", \"namespace\": \"tns\", \"name\": \"tn\", \"uid\": \"tu\", "
                + "\"environment\": {\"a\": 1, \"b\": \"x\"}, \"attributes\": {\"k\": {\"v\": [1]}}}"
                + RS + "{\"type\": \"data-stream-class\", \"id\": 7, \"namespace\": \"sns\", \"name\": \"sn\", "
                + "\"uid\": \"su\", \"default-clock-class-id\": \"c\"}"
                + RS + "{\"type\": \"event-record-class\", \"id\": 3, \"data-stream-class-id\": 7, \"name\": \"e\", "
                + "\"namespace\": \"ens\", \"uid\": \"eu\", \"attributes\": {\"lttng.org,2009\": "
                + "{\"log-level\": \"warning\", \"emf-uri\": \"http://x\"}}}";
        TraceClass tc = parse(text);
        assertEquals(UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10"), tc.uuid());
        assertEquals("tns", tc.namespace());
        assertEquals("tn", tc.name());
        assertEquals("tu", tc.uid());
        assertEquals(Map.of("a", 1L, "b", "x"), tc.environment());
        assertEquals(Map.of("k", Map.of("v", List.of(1L))), tc.attributes());
        ClockClass c = tc.clocks().get("c");
        assertEquals("c", c.id());
        assertEquals("mono", c.name());
        assertEquals("ns", c.namespace());
        assertEquals("u", c.uid());
        assertNull(c.uuid());
        assertEquals(1000, c.frequency());
        assertEquals(-5, c.offsetSeconds());
        assertEquals(999, c.offsetCycles());
        assertFalse(c.originIsUnixEpoch());
        assertEquals("o-ns", c.originNamespace());
        assertEquals("boot", c.originName());
        assertEquals("o-uid", c.originUid());
        assertEquals(3, c.precision());
        assertEquals(7, c.accuracy());
        assertEquals("d", c.description());
        var sc = tc.streamClass(7);
        assertEquals("sns", sc.namespace());
        assertEquals("sn", sc.name());
        assertEquals("su", sc.uid());
        assertEquals(c, sc.defaultClock());
        EventClass ec = sc.eventClass(3);
        assertEquals("e", ec.name());
        assertEquals("ens", ec.namespace());
        assertEquals("eu", ec.uid());
        assertEquals(4L, ec.logLevel());
        assertEquals("http://x", ec.emfUri());
        assertEquals(ByteOrder.LITTLE_ENDIAN, tc.byteOrder());
    }

    @Test
    void clockClassErrors() {
        String cc = PREAMBLE + RS + "{\"type\": \"clock-class\", \"id\": \"c\", \"frequency\": ";
        assertError(cc + "0}", 2, 50, "expecting an integer in [1,");
        assertError(cc + "10, \"offset-from-origin\": {\"cycles\": 10}}", 2, 87, "less than the frequency");
        assertError(cc + "10, \"origin\": \"big-bang\"}", 2, 64, "expecting \"unix-epoch\"");
        assertError(cc + "10, \"origin\": {\"name\": \"x\"}}", 2, 64, "missing required property `uid`");
        assertError(cc + "10}" + RS + "{\"type\": \"clock-class\", \"id\": \"c\", \"frequency\": 1}", 2, 84,
                "duplicate clock class id `c`");
        assertError(PREAMBLE + RS + "{\"type\": \"data-stream-class\", \"default-clock-class-id\": \"nope\"}", 2, 58,
                "no clock class with id `nope`");
        assertError(PREAMBLE + RS + "{\"type\": \"clock-class\", \"frequency\": 10}", 2, 2,
                "missing required property `id`");
    }

    @Test
    void environmentValues() {
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\", \"environment\": {\"a\": true}}", 2, 47,
                "expecting a string or a signed 64-bit integer");
        assertError(PREAMBLE + RS + "{\"type\": \"trace-class\", \"environment\": {\"a\": 18446744073709551615}}", 2,
                47, "expecting a string or a signed 64-bit integer");
    }

    // ------------------------------------------------------------------------------------------------ field classes

    @Test
    void fixedLengthClasses() {
        StructClass p = payloadOf(parse(payload(String.join(",",
                member("ba", "{\"type\": \"fixed-length-bit-array\", \"length\": 5, \"byte-order\": \"big-endian\", "
                        + "\"alignment\": 4}"),
                member("bm", "{\"type\": \"fixed-length-bit-map\", \"length\": 8, \"byte-order\": \"little-endian\", "
                        + "\"bit-order\": \"last-to-first\", \"flags\": {\"a\": [[0, 0]], \"b\": [[1, 3], [7, 7]]}}"),
                member("b", BOOL),
                member("u", "{\"type\": \"fixed-length-unsigned-integer\", \"length\": 64, \"byte-order\": "
                        + "\"big-endian\", \"preferred-display-base\": 16, \"roles\": [\"packet-magic-number\"], "
                        + "\"mappings\": {\"hi\": [[9223372036854775808, 18446744073709551615]]}}"),
                member("s", "{\"type\": \"fixed-length-signed-integer\", \"length\": 13, \"byte-order\": "
                        + "\"little-endian\", \"mappings\": {\"neg\": [[-10, -1]], \"pos\": [[0, 5], [7, 7]]}}"),
                member("f", "{\"type\": \"fixed-length-floating-point-number\", \"length\": 64, \"byte-order\": "
                        + "\"big-endian\", \"alignment\": 64}"),
                member("vu", "{\"type\": \"variable-length-unsigned-integer\", \"roles\": [\"data-stream-id\"]}"),
                member("vs", "{\"type\": \"variable-length-signed-integer\", \"preferred-display-base\": 2}")))));
        IntegerClass ba = (IntegerClass) p.memberType("ba");
        assertEquals(IntegerClass.Kind.BIT_ARRAY, ba.kind());
        assertEquals(5, ba.length());
        assertEquals(4, ba.alignment());
        assertEquals(ByteOrder.BIG_ENDIAN, ba.byteOrder());
        assertFalse(ba.lsbFirst());
        assertFalse(ba.signed());
        IntegerClass bm = (IntegerClass) p.memberType("bm");
        assertEquals(IntegerClass.Kind.BIT_ARRAY, bm.kind());
        assertFalse(bm.lsbFirst());
        assertEquals(List.of(new IntegerClass.Mapping("a", List.of(new IntegerClass.Range(0, 0))),
                new IntegerClass.Mapping("b", List.of(new IntegerClass.Range(1, 3), new IntegerClass.Range(7, 7)))),
                bm.flags());
        assertEquals(IntegerClass.Kind.BOOLEAN, ((IntegerClass) p.memberType("b")).kind());
        IntegerClass u = (IntegerClass) p.memberType("u");
        assertEquals(16, u.base());
        assertTrue(u.hasRole(IntegerClass.Role.PACKET_MAGIC_NUMBER));
        assertEquals(List.of(new IntegerClass.Range(Long.MIN_VALUE, -1L)), u.mappings().get(0).ranges());
        assertTrue(u.mappings().get(0).contains(-2L, false));
        assertTrue(u.isEnumeration());
        IntegerClass s = (IntegerClass) p.memberType("s");
        assertTrue(s.signed());
        assertTrue(s.lsbFirst());
        assertTrue(s.mappings().get(0).contains(-3, true));
        FloatClass f = (FloatClass) p.memberType("f");
        assertEquals(64, f.length());
        assertEquals(53, f.mantissaDigits());
        assertEquals(64, f.alignment());
        IntegerClass vu = (IntegerClass) p.memberType("vu");
        assertTrue(vu.variableLength());
        assertEquals(8, vu.alignment());
        assertTrue(vu.hasRole(IntegerClass.Role.DATA_STREAM_ID));
        IntegerClass vs = (IntegerClass) p.memberType("vs");
        assertTrue(vs.variableLength() && vs.signed());
        assertEquals(2, vs.base());
    }

    @Test
    void stringsBlobsStructsArrays() {
        StructClass p = payloadOf(parse(payload(String.join(",",
                member("len", U8),
                member("nt", "{\"type\": \"null-terminated-string\", \"encoding\": \"utf-16le\"}"),
                member("sl", "{\"type\": \"static-length-string\", \"length\": 4, \"encoding\": \"utf-32be\"}"),
                member("dl", "{\"type\": \"dynamic-length-string\", \"length-field-location\": {\"path\": [\"len\"]}}"),
                member("sb", "{\"type\": \"static-length-blob\", \"length\": 16, \"media-type\": \"text/plain\", "
                        + "\"roles\": [\"metadata-stream-uuid\"]}"),
                member("db", "{\"type\": \"dynamic-length-blob\", \"length-field-location\": "
                        + "{\"origin\": \"event-record-payload\", \"path\": [\"len\"]}}"),
                member("st", "{\"type\": \"structure\", \"minimum-alignment\": 32}"),
                member("sa", "{\"type\": \"static-length-array\", \"length\": 3, \"minimum-alignment\": 16, "
                        + "\"element-field-class\": " + STR + "}"),
                member("da", dynArray("{\"path\": [\"len\"]}"))))));
        assertEquals(StringClass.Encoding.UTF16LE, ((StringClass) p.memberType("nt")).encoding());
        StringClass sl = (StringClass) p.memberType("sl");
        assertEquals(StringClass.Kind.STATIC_LENGTH, sl.kind());
        assertEquals(4, sl.staticLength());
        assertEquals(StringClass.Encoding.UTF32BE, sl.encoding());
        StringClass dl = (StringClass) p.memberType("dl");
        assertEquals(new FieldPath(Scope.EVENT_PAYLOAD, List.of("len"), null).names(), dl.lengthPath().names());
        assertEquals(Scope.EVENT_PAYLOAD, dl.lengthPath().scope());
        BlobClass sb = (BlobClass) p.memberType("sb");
        assertEquals("text/plain", sb.mediaType());
        assertTrue(sb.isMetadataStreamUuid());
        assertEquals(128, sb.fixedSizeBits());
        BlobClass db = (BlobClass) p.memberType("db");
        assertEquals("application/octet-stream", db.mediaType());
        assertEquals(List.of("len"), db.lengthPath().names());
        assertEquals(32, p.memberType("st").alignment());
        ArrayClass sa = (ArrayClass) p.memberType("sa");
        assertEquals(3, sa.staticLength());
        assertEquals(16, sa.alignment());
        ArrayClass da = (ArrayClass) p.memberType("da");
        assertEquals(List.of("len"), da.lengthPath().names());
    }

    @Test
    void fieldClassErrors() {
        assertError(payload(member("a", "{\"type\": \"fixed-length-float\"}")), 3, 135,
                "unknown field class type `fixed-length-float`");
        assertError(payload(member("a", "{\"type\": \"fixed-length-floating-point-number\", \"length\": 16, "
                + "\"byte-order\": \"big-endian\"}")), 3, 183, "unsupported floating point number length 16");
        assertError(payload(member("a", "{\"type\": \"fixed-length-floating-point-number\", \"length\": 33, "
                + "\"byte-order\": \"big-endian\"}")), 3, 183, "expecting a floating point number length");
        assertError(payload(member("a", "{\"type\": \"fixed-length-unsigned-integer\", \"length\": 8, "
                + "\"byte-order\": \"big-endian\", \"roles\": [\"metadata-stream-uuid\"]}")), 3, 219,
                "role `metadata-stream-uuid` is not valid");
        assertError(payload(member("a", "{\"type\": \"fixed-length-signed-integer\", \"length\": 8, "
                + "\"byte-order\": \"big-endian\", \"roles\": []}")), 3, 207, "unknown property `roles`");
        assertError(payload(member("a", "{\"type\": \"static-length-blob\", \"length\": 1, \"roles\": [\"x\"]}")),
                3, 180, "role `x` is not valid for a static-length BLOB");
        assertError(payload(member("a", STR) + "," + member("a", STR)), 3, 171, "duplicate structure member name");
        assertError(payload(member("a", "{\"type\": \"structure\", \"minimum-alignment\": 3}")), 3, 169,
                "expecting a positive power of two");
        assertError(payload(member("a", "{\"type\": \"fixed-length-signed-integer\", \"length\": 8, \"byte-order\": "
                + "\"big-endian\", \"mappings\": {\"x\": [[0, 9223372036854775808]]}}")), 3, 230,
                "expecting a signed 64-bit integer");
        assertError(payload(member("a", "{\"type\": \"fixed-length-unsigned-integer\", \"length\": 8, "
                + "\"byte-order\": \"big-endian\", \"mappings\": {\"x\": [[3, 2]]}}")), 3, 228,
                "lower bound 3 is greater than upper bound 2");
        assertError(payload(member("a", "{\"type\": \"variable-length-unsigned-integer\", \"extensions\": "
                + "{\"x\": {}}}")), 3, 185, "not enabled in the preamble");
        assertError(payload(member("a", "17")), 3, 126, "expecting a field class (object) or a field class alias");
        assertError(PREAMBLE + DSC + RS + "{\"type\": \"event-record-class\", \"payload-field-class\": " + STR + "}",
                3, 56, "a scope field class must be a structure");
        CtfException e = error(payload(member("a", "{\"type\": \"fixed-length-bit-array\", \"length\": 65, "
                + "\"byte-order\": \"big-endian\"}")));
        assertTrue(e.getMessage().contains("event record class fragment (id 0): "
                + "`payload-field-class.member-classes[0].field-class.length`: expecting a length in [1, 64] bits, "
                + "got 65"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ locations

    @Test
    void relativeLocationsResolveFromTheContainingStructure() {
        // payload { len; s { len2; inner { a: dyn[len2 via parent]; b: dyn[len via parent-parent] } } }
        String inner = "{\"type\": \"structure\", \"member-classes\": ["
                + member("a", dynArray("{\"path\": [null, \"len2\"]}")) + ","
                + member("b", dynArray("{\"path\": [null, null, \"len\"]}")) + ","
                + member("c", dynArray("{\"path\": [\"a\", null, null, \"len2\"]}")) + "]}";
        String s = "{\"type\": \"structure\", \"member-classes\": [" + member("len2", U8) + ","
                + member("inner", inner) + "]}";
        StructClass p = payloadOf(parse(payload(member("len", U8) + "," + member("s", s))));
        StructClass in = (StructClass) ((StructClass) p.memberType("s")).memberType("inner");
        assertEquals(List.of("s", "len2"), ((ArrayClass) in.memberType("a")).lengthPath().names());
        assertEquals(List.of("len"), ((ArrayClass) in.memberType("b")).lengthPath().names());
        assertEquals(List.of("s", "len2"), ((ArrayClass) in.memberType("c")).lengthPath().names());
        assertEquals(Scope.EVENT_PAYLOAD, ((ArrayClass) in.memberType("b")).lengthPath().scope());
    }

    @Test
    void locationsInsideArrayElementsAndVariantOptions() {
        // arr: dyn-array[len] of struct { n; data: dyn[n] }  -> data's length is arr/n (same element)
        String elem = "{\"type\": \"structure\", \"member-classes\": [" + member("n", U8) + ","
                + member("data", dynArray("{\"path\": [\"n\"]}")) + "]}";
        String arr = "{\"type\": \"dynamic-length-array\", \"length-field-location\": {\"path\": [\"len\"]}, "
                + "\"element-field-class\": " + elem + "}";
        StructClass p = payloadOf(parse(payload(member("len", U8) + "," + member("arr", arr))));
        StructClass e = (StructClass) ((ArrayClass) p.memberType("arr")).elementType();
        assertEquals(List.of("arr", "n"), ((ArrayClass) e.memberType("data")).lengthPath().names());

        // A variant whose options both hold `sel`: a later optional may use it (fan-out), as an integer selector.
        String var = "{\"type\": \"variant\", \"selector-field-location\": {\"path\": [\"tag\"]}, \"options\": ["
                + "{\"name\": \"x\", \"selector-field-ranges\": [[0, 0]], \"field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("sel", U8) + "]}},"
                + "{\"selector-field-ranges\": [[1, 5], [-3, -1]], \"field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("sel", U8) + "]}}]}";
        String opt = "{\"type\": \"optional\", \"selector-field-location\": {\"path\": [\"v\", \"sel\"]}, "
                + "\"selector-field-ranges\": [[1, 1]], \"field-class\": " + STR + "}";
        p = payloadOf(parse(payload(member("tag", U8) + "," + member("v", var) + "," + member("o", opt))));
        VariantClass v = (VariantClass) p.memberType("v");
        assertEquals(List.of("tag"), v.selectorPath().names());
        assertNull(v.options().get(1).name());
        // Negative bounds cannot match an unsigned selector: dropped.
        assertEquals(List.of(new IntegerClass.Range(1, 5)), v.options().get(1).selectorRanges());
        assertEquals(1, v.indexOf(null));
        OptionalClass o = (OptionalClass) p.memberType("o");
        assertEquals(List.of("v", "sel"), o.selectorPath().names());
        assertEquals(List.of(new IntegerClass.Range(1, 1)), o.selectorRanges());
    }

    @Test
    void locationsIntoEarlierScopes() {
        String text = PREAMBLE
                + RS + "{\"type\": \"trace-class\", \"packet-header-field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("hl", U8) + "]}}"
                + RS + "{\"type\": \"data-stream-class\", \"packet-context-field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("flag", BOOL) + "]}}"
                + RS + "{\"type\": \"event-record-class\", \"payload-field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("a", dynArray("{\"origin\": \"packet-header\", \"path\": [\"hl\"]}"))
                + "," + member("o", "{\"type\": \"optional\", \"selector-field-location\": {\"origin\": "
                + "\"packet-context\", \"path\": [\"flag\"]}, \"field-class\": " + U8 + "}") + "]}}";
        StructClass p = payloadOf(parse(text));
        FieldPath lp = ((ArrayClass) p.memberType("a")).lengthPath();
        assertEquals(Scope.PACKET_HEADER, lp.scope());
        assertEquals(List.of("hl"), lp.names());
        OptionalClass o = (OptionalClass) p.memberType("o");
        assertEquals(Scope.PACKET_CONTEXT, o.selectorPath().scope());
        assertTrue(o.selectorRanges().isEmpty());
    }

    @Test
    void invalidLocations() {
        // Target after the field.
        assertError(payload(member("a", dynArray("{\"path\": [\"len\"]}")) + "," + member("len", U8)), 3, 184,
                "no member `len` decoded before this field");
        // Itself.
        assertError(payload(member("a", dynArray("{\"path\": [\"a\"]}"))), 3, 184, "targets this field");
        // Signed length.
        assertError(payload(member("len", S8) + "," + member("a", dynArray("{\"path\": [\"len\"]}"))), 3, 300,
                "must target an unsigned integer field, not a signed integer field");
        // Above the root.
        assertError(payload(member("len", U8) + "," + member("a", dynArray("{\"path\": [null, \"len\"]}"))), 3, 302,
                "goes above the root structure");
        // A later scope.
        assertError(PREAMBLE + RS + "{\"type\": \"data-stream-class\", \"packet-context-field-class\": "
                + "{\"type\": \"structure\", \"member-classes\": [" + member("a", dynArray("{\"origin\": "
                + "\"event-record-payload\", \"path\": [\"len\"]}")) + "]}}", 2, 190, "decoded after");
        // A scope without field class.
        assertError(payload(member("a", dynArray("{\"origin\": \"packet-header\", \"path\": [\"len\"]}"))), 3, 184,
                "the packet-header scope has no field class");
        // Into an earlier array from outside it.
        String arr = "{\"type\": \"static-length-array\", \"length\": 2, \"element-field-class\": "
                + "{\"type\": \"structure\", \"member-classes\": [" + member("n", U8) + "]}}";
        assertError(payload(member("arr", arr) + "," + member("a", dynArray("{\"path\": [\"arr\", \"n\"]}"))), 3,
                444, "goes through the elements of array");
        // Optional: boolean selector with ranges, integer selector without.
        String opt = "{\"type\": \"optional\", \"selector-field-location\": {\"path\": [\"s\"]}, \"field-class\": "
                + STR;
        assertError(payload(member("s", BOOL) + "," + member("o", opt + ", \"selector-field-ranges\": [[1, 1]]}")),
                3, 374, "must be absent when the selector is a boolean");
        assertError(payload(member("s", U8) + "," + member("o", opt + "}")), 3, 290, "required when the selector");
        // Variant selector must be an integer; option ranges must not overlap.
        String var = "{\"type\": \"variant\", \"selector-field-location\": {\"path\": [\"s\"]}, \"options\": ["
                + "{\"selector-field-ranges\": [[0, 5]], \"field-class\": " + STR + "},"
                + "{\"selector-field-ranges\": [[5, 9]], \"field-class\": " + STR + "}]}";
        assertError(payload(member("s", STR) + "," + member("v", var)), 3, 238,
                "must target an integer field, not a string field");
        assertError(payload(member("s", U8) + "," + member("v", var)), 3, 433, "overlaps a range of option 0");
        // Null in an absolute path; path ending with null.
        assertError(payload(member("a", dynArray("{\"origin\": \"event-record-payload\", \"path\": [null, \"x\"]}"))),
                3, 228, "only valid in a relative field location");
        assertError(payload(member("a", dynArray("{\"path\": [\"x\", null]}"))), 3, 199,
                "last path element must be a structure member name");
    }

    // ------------------------------------------------------------------------------------------------ aliases

    @Test
    void aliasesExpandWhereUsed() {
        String text = PREAMBLE
                + RS + "{\"type\": \"field-class-alias\", \"name\": \"u8\", \"field-class\": " + U8 + "}"
                + RS + "{\"type\": \"field-class-alias\", \"name\": \"byte\", \"field-class\": \"u8\"}"
                + RS + "{\"type\": \"field-class-alias\", \"name\": \"blob\", \"field-class\": "
                + dynArray("{\"path\": [\"n\"]}") + "}"
                + DSC
                + RS + "{\"type\": \"event-record-class\", \"payload-field-class\": {\"type\": \"structure\", "
                + "\"member-classes\": [" + member("n", "\"byte\"") + "," + member("a", "\"blob\"") + ","
                + member("s", "{\"type\": \"structure\", \"member-classes\": [" + member("n", "\"u8\"") + ","
                + member("b", "\"blob\"") + "]}") + "]}}";
        StructClass p = payloadOf(parse(text));
        assertEquals(8, ((IntegerClass) p.memberType("n")).length());
        // The same alias resolves its relative location at each place of use.
        assertEquals(List.of("n"), ((ArrayClass) p.memberType("a")).lengthPath().names());
        StructClass s = (StructClass) p.memberType("s");
        assertEquals(List.of("s", "n"), ((ArrayClass) s.memberType("b")).lengthPath().names());
        // An alias without field locations is built once and shared (the model is immutable).
        assertTrue(p.memberType("n") == s.memberType("n"));
        assertFalse(p.memberType("a") == s.memberType("b"));
    }

    @Test
    void aliasErrors() {
        assertError(PREAMBLE + RS + "{\"type\": \"field-class-alias\", \"name\": \"x\", \"field-class\": \"x\"}", 2, 60,
                "no field class alias named `x`");
        assertError(PREAMBLE + RS + "{\"type\": \"field-class-alias\", \"name\": \"x\", \"field-class\": " + STR + "}"
                + RS + "{\"type\": \"field-class-alias\", \"name\": \"x\", \"field-class\": " + STR + "}", 2, 134,
                "duplicate field class alias `x`");
        assertError(payload(member("a", "\"nope\"")), 3, 126, "no field class alias named `nope`");
        // Alias definitions are validated when defined, even if never used.
        assertError(PREAMBLE + RS + "{\"type\": \"field-class-alias\", \"name\": \"x\", \"field-class\": "
                + "{\"type\": \"static-length-string\"}}", 2, 60, "missing required property `length`");
    }

    @Test
    void aliasExpansionIsBounded() {
        StringBuilder b = new StringBuilder(PREAMBLE);
        b.append(RS).append("{\"type\": \"field-class-alias\", \"name\": \"a0\", \"field-class\": ").append(STR)
                .append("}");
        for (int i = 1; i <= 25; i++) {
            b.append(RS).append("{\"type\": \"field-class-alias\", \"name\": \"a").append(i)
                    .append("\", \"field-class\": {\"type\": \"structure\", \"member-classes\": [")
                    .append(member("x", "\"a" + (i - 1) + "\"")).append(",").append(member("y", "\"a" + (i - 1) + "\""))
                    .append("]}}");
        }
        CtfException e = error(b.toString());
        assertTrue(e.getMessage().contains("metadata too large"), e.getMessage());
    }

    @Test
    void aliasNestingIsBounded() {
        // Each alias wraps the previous one in a structure next to a length it uses: never shared, always nested.
        StringBuilder b = new StringBuilder(PREAMBLE);
        b.append(RS).append("{\"type\": \"field-class-alias\", \"name\": \"a0\", \"field-class\": ").append(STR)
                .append("}\n");
        for (int i = 1; i <= 1100; i++) {
            b.append(RS).append("{\"type\": \"field-class-alias\", \"name\": \"a").append(i)
                    .append("\", \"field-class\": {\"type\": \"structure\", \"member-classes\": [")
                    .append(member("n", U8)).append(",").append(member("d", dynArray("{\"path\": [\"n\"]}")))
                    .append(",").append(member("x", "\"a" + (i - 1) + "\"")).append("]}}\n");
        }
        CtfException e = error(b.toString());
        assertTrue(e.getMessage().contains("nested deeper than " + Ctf2MetadataParser.MAX_DEPTH), e.getMessage());
    }

    @Test
    void lttngLogLevels() {
        assertEquals(0L, Ctf2MetadataParser.lttngLogLevel("emergency"));
        assertEquals(13L, Ctf2MetadataParser.lttngLogLevel("debug:line"));
        assertEquals(14L, Ctf2MetadataParser.lttngLogLevel("debug"));
        assertNull(Ctf2MetadataParser.lttngLogLevel("loud"));
    }
}

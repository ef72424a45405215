package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static io.tracestream.ctf.write.TraceSchema.mapping;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldClassesTest {
    @TempDir
    Path tmp;

    static TraceClass schema(ByteOrder order, TraceSchema.Header header) {
        return TraceSchema.builder().byteOrder(order).env("hostname", "box").env("tracer_major", 2)
                .clock("monotonic", 1_000_000_000L, 1_700_000_000L, 5, true)
                .stream("channel0", s -> s.header(header)
                        .event("ints", e -> e.u8("a").u16("b").u32("c").u64("d").i8("e").i16("f").i32("g").i64("h")
                                .hex64("x"))
                        .event("packed", e -> e.bits("b3", 3).signedBits("s5", 5).bits("b13", 13).u8("aligned")
                                .bits("b1", 1).bits("b60", 60).signedBits("s33", 33)
                                .integer("other_order", 16, false, 8, order.reverse(), 10)
                                .integer("other_packed", 11, true, 1, order.reverse(), 10)
                                .integer("other_pad", 5, false, 1, order.reverse(), 16).bits("tail", 2))
                        .event("enums", e -> e.enumeration("state", 8, false, mapping("RUNNING", 0, 0),
                                        mapping("SLEEPING", 1, 3), mapping("DEAD", 100, 200))
                                .enumeration("packed_enum", 3, true, mapping("NEG", -4, -1), mapping("POS", 1, 3))
                                .enumeration("big", 64, false, mapping("MAX", -1L, -1L)))
                        .event("floats", e -> e.f32("f").f64("d"))
                        .event("strings", e -> e.string("s").textArray("comm", 8).u32("len").textSequence("seq", "len")
                                .string("utf"))
                        .event("arrays", e -> e.array("a", e.sintType(16), 3).u8("n").sequence("seq", e.uintType(32), "n")
                                .u8("m").sequence("structs", e.structType("structs", p -> p.u8("k").string("v")), "m")
                                .array("nested", arrayOf(e.uintType(8), 2), 2)
                                .array("bits", packedType(order), 5))
                        .event("compound", e -> e.struct("st", p -> p.u16("x").struct("inner", q -> q.i8("y").u8("n"))
                                        .sequence("seq", p.uintType(8), "inner.n"))
                                .enumeration("tag", 8, false, mapping("num", 0, 0), mapping("str", 1, 1),
                                        mapping("rec", 2, 2))
                                .variant("v", "tag", List.of("num", "str", "rec"), List.of(e.uintType(32),
                                        io.tracestream.ctf.meta.StringClass.nullTerminated(),
                                        e.structType("v", p -> p.u8("len").textSequence("txt", "len"))))
                                .u8("after")))
                .build();
    }

    static FieldClass arrayOf(FieldClass elem, long n) {
        return new io.tracestream.ctf.meta.ArrayClass(elem, n, null, 1, false, null);
    }

    static FieldClass packedType(ByteOrder order) {
        return io.tracestream.ctf.meta.IntegerClass.builder().length(3).alignment(1).byteOrder(order).build();
    }

    static void writeAll(StreamWriter s, StreamClass sc) {
        long t = 1_000;
        s.beginEvent(sc.eventClass(0), t++).u8(0xFF).u16(0xFFFF).u32(0xFFFFFFFFL).u64(-1L).i8(-128).i16(-32768)
                .i32(Integer.MIN_VALUE).i64(Long.MIN_VALUE).u64(0xDEADBEEFL).end();
        s.beginEvent(sc.eventClass(0), t++).u8(1).u16(2).u32(3).u64(4).i8(5).i16(6).i32(7).i64(8).u64(9).end();
        s.beginEvent(sc.eventClass(1), t++).integer(5).integer(-11).integer(8000).u8(0xAB).integer(1)
                .integer(0x0ABCDEF012345678L).integer(-4294967296L).integer(0x1234).integer(-1000).integer(17).integer(3).end();
        s.beginEvent(sc.eventClass(1), t++).integer(7).integer(15).integer(1).u8(0).integer(0)
                .integer(1).integer(4294967295L).integer(0xFFFF).integer(1023).integer(0).integer(0).end();
        s.beginEvent(sc.eventClass(2), t++).integer(2).integer(-3).integer(-1).end();
        s.beginEvent(sc.eventClass(2), t++).integer(150).integer(0).integer(5).end();
        s.beginEvent(sc.eventClass(3), t++).f32(3.25f).f64(-1e-300).end();
        s.beginEvent(sc.eventClass(4), t++).string("hello").string("bash").u32(5).string("abcde")
                .string("h\u00e9 \u20ac \ud83d\ude00").end();
        s.beginEvent(sc.eventClass(4), t++).string("").string("a-very-long-name").u32(0).string("").string("x")
                .end();
        s.beginEvent(sc.eventClass(5), t++).i16(-1).i16(0).i16(1).u8(2).u32(10).u32(20).u8(2).u8(1).string("one")
                .u8(2).string("two").u8(1).u8(2).u8(3).u8(4).integer(1).integer(2).integer(3).integer(4)
                .integer(7).end();
        s.beginEvent(sc.eventClass(5), t++).i16(5).i16(6).i16(7).u8(0).u8(0).u8(9).u8(9).u8(9).u8(9)
                .integer(0).integer(0).integer(0).integer(0).integer(0).end();
        s.beginEvent(sc.eventClass(6), t++).u16(1).i8(-2).u8(2).u8(10).u8(11).u8(0).u32(42).u8(1).end();
        s.beginEvent(sc.eventClass(6), t++).u16(1).i8(-2).u8(0).u8(1).string("str").u8(2).end();
        s.beginEvent(sc.eventClass(6), t).u16(1).i8(-2).u8(1).u8(7).u8(2).u8(3).string("abc").u8(3).end();
    }

    static final List<String> EXPECTED = List.of(
            "[22:13:20.000001005] (+?.?????????) box ints: { cpu_id = 0 }, { a = 255, b = 65535, c = 4294967295, d = 18446744073709551615, e = -128, f = -32768, g = -2147483648, h = -9223372036854775808, x = 0xDEADBEEF }",
            "[22:13:20.000001006] (+0.000000001) box ints: { cpu_id = 0 }, { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, x = 0x9 }",
            "[22:13:20.000001007] (+0.000000001) box packed: { cpu_id = 0 }, { b3 = 5, s5 = -11, b13 = 8000, aligned = 171, b1 = 1, b60 = 773738358679819896, s33 = -4294967296, other_order = 4660, other_packed = -1000, other_pad = 0x11, tail = 3 }",
            "[22:13:20.000001008] (+0.000000001) box packed: { cpu_id = 0 }, { b3 = 7, s5 = 15, b13 = 1, aligned = 0, b1 = 0, b60 = 1, s33 = 4294967295, other_order = 65535, other_packed = 1023, other_pad = 0x0, tail = 0 }",
            "[22:13:20.000001009] (+0.000000001) box enums: { cpu_id = 0 }, { state = ( \"SLEEPING\" : container = 2 ), packed_enum = ( \"NEG\" : container = -3 ), big = ( \"MAX\" : container = 18446744073709551615 ) }",
            "[22:13:20.000001010] (+0.000000001) box enums: { cpu_id = 0 }, { state = ( \"DEAD\" : container = 150 ), packed_enum = ( <unknown> : container = 0 ), big = ( <unknown> : container = 5 ) }",
            "[22:13:20.000001011] (+0.000000001) box floats: { cpu_id = 0 }, { f = 3.25, d = -1e-300 }",
            "[22:13:20.000001012] (+0.000000001) box strings: { cpu_id = 0 }, { s = \"hello\", comm = \"bash\", len = 5, seq = \"abcde\", utf = \"h\u00e9 \u20ac \ud83d\ude00\" }",
            "[22:13:20.000001013] (+0.000000001) box strings: { cpu_id = 0 }, { s = \"\", comm = \"a-very-l\", len = 0, seq = \"\", utf = \"x\" }",
            "[22:13:20.000001014] (+0.000000001) box arrays: { cpu_id = 0 }, { a = [ [0] = -1, [1] = 0, [2] = 1 ], n = 2, seq = [ [0] = 10, [1] = 20 ], m = 2, structs = [ [0] = { k = 1, v = \"one\" }, [1] = { k = 2, v = \"two\" } ], nested = [ [0] = [ [0] = 1, [1] = 2 ], [1] = [ [0] = 3, [1] = 4 ] ], bits = [ [0] = 1, [1] = 2, [2] = 3, [3] = 4, [4] = 7 ] }",
            "[22:13:20.000001015] (+0.000000001) box arrays: { cpu_id = 0 }, { a = [ [0] = 5, [1] = 6, [2] = 7 ], n = 0, seq = [ ], m = 0, structs = [ ], nested = [ [0] = [ [0] = 9, [1] = 9 ], [1] = [ [0] = 9, [1] = 9 ] ], bits = [ [0] = 0, [1] = 0, [2] = 0, [3] = 0, [4] = 0 ] }",
            "[22:13:20.000001016] (+0.000000001) box compound: { cpu_id = 0 }, { st = { x = 1, inner = { y = -2, n = 2 }, seq = [ [0] = 10, [1] = 11 ] }, tag = ( \"num\" : container = 0 ), v = { 42 }, after = 1 }",
            "[22:13:20.000001017] (+0.000000001) box compound: { cpu_id = 0 }, { st = { x = 1, inner = { y = -2, n = 0 }, seq = [ ] }, tag = ( \"str\" : container = 1 ), v = { \"str\" }, after = 2 }",
            "[22:13:20.000001018] (+0.000000001) box compound: { cpu_id = 0 }, { st = { x = 1, inner = { y = -2, n = 1 }, seq = [ [0] = 7 ] }, tag = ( \"rec\" : container = 2 ), v = { { len = 3, txt = \"abc\" } }, after = 3 }");

    @ParameterizedTest
    @EnumSource(ByteOrder.class)
    void everyFieldClassReadsBackInBabeltrace(ByteOrder order) throws Exception {
        Babeltrace.assume();
        for (TraceSchema.Header h : TraceSchema.Header.values()) {
            TraceClass tc = schema(order, h);
            Path dir = tmp.resolve(order + "-" + h);
            try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(4096).build()) {
                writeAll(w.openStream(tc.streamClass(0), 0), tc.streamClass(0));
            }
            List<String> out = Babeltrace.lines(dir);
            for (int i = 0; i < Math.max(EXPECTED.size(), out.size()); i++) {
                assertEquals(i < EXPECTED.size() ? EXPECTED.get(i) : null, i < out.size() ? out.get(i) : null,
                        order + " " + h + " line " + i);
            }
            Babeltrace.dummy(dir);
        }
    }
}

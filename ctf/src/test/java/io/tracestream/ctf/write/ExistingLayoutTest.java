package io.tracestream.ctf.write;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SharedTraces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Writing with a trace class read from a real LTTng kernel trace keeps its layout (what {@code convert} does). */
class ExistingLayoutTest {
    @TempDir
    Path tmp;

    static EventClass byName(StreamClass sc, String name) {
        return sc.eventClasses().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lttngKernelLayout() throws Exception {
        Babeltrace.assume();
        Path src = SharedTraces.path("tracecompass/many-threads");
        TraceClass tc = MetadataReader.read(src.resolve("metadata")).traceClass();
        StreamClass sc = tc.streamClass(0);
        EventClass sw = byName(sc, "sched_switch");            // id 1180: LTTng compact header, extended form
        EventClass netif = byName(sc, "lttng_statedump_network_interface"); // id 1: compact form
        EventClass irq = byName(sc, "irq_handler_entry");
        Path dir = tmp.resolve("t");
        long t0 = 1_000_000;
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(4096).build()) {
            StreamWriter s = w.openStream(sc, 3);
            s.beginEvent(sw, t0).string("swapper/3").i32(0).i32(20).i64(0).string("bash").i32(42).i32(20).end();
            s.beginEvent(netif, t0 + 5).string("eth0").u32(0x7F000001L).end();
            // 2^27 cycles later: the 27-bit compact timestamp cannot hold the gap, so the extended form is used.
            s.beginEvent(netif, t0 + 5 + (1L << 27)).string("lo").u32(0x0A000001L).end();
            // The generic path: the values of a decoded event, through FieldVisitor callbacks.
            FieldVisitor v = s.beginEvent(irq, t0 + (1L << 27) + 10).visitor();
            v.beginStruct(null, irq.payload());
            v.integer("_irq", (IntegerClass) irq.payload().memberType("_irq"), 26);
            v.string("_name", StringClass.nullTerminated(), "0000:00:1f.2");
            v.endStruct(null, irq.payload());
            s.beginEvent(sw, t0 + (1L << 27) + 10).end(); // no: finish the visitor event first
        } catch (IllegalStateException expected) {
            assertEquals("event 'irq_handler_entry' is not ended: call end() (or abort()) before starting another",
                    expected.getMessage());
        }
        // Write it properly.
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(4096).build()) {
            StreamWriter s = w.openStream(sc, 3);
            s.beginEvent(sw, t0).string("swapper/3").i32(0).i32(20).i64(0).string("bash").i32(42).i32(20).end();
            s.beginEvent(netif, t0 + 5).string("eth0").u32(0x7F000001L).end();
            s.beginEvent(netif, t0 + 5 + (1L << 27)).string("lo").u32(0x0A000001L).end();
            EventBuilder b = s.beginEvent(irq, t0 + (1L << 27) + 10);
            FieldVisitor v = b.visitor();
            v.beginStruct(null, irq.payload());
            v.integer("_irq", (IntegerClass) irq.payload().memberType("_irq"), 26);
            v.string("_name", StringClass.nullTerminated(), "0000:00:1f.2");
            v.endStruct(null, irq.payload());
            b.end();
        }
        List<String> out = Babeltrace.lines(dir, "--clock-cycles");
        assertEquals(List.of(
                "[1000000] (+????????????) wilbrod sched_switch: { cpu_id = 3 }, { prev_comm = \"swapper/3\", prev_tid = 0, prev_prio = 20, prev_state = 0, next_comm = \"bash\", next_tid = 42, next_prio = 20 }",
                "[1000005] (+000000000005) wilbrod lttng_statedump_network_interface: { cpu_id = 3 }, { name = \"eth0\", address_ipv4 = 0x7F000001 }",
                "[135217733] (+000134217728) wilbrod lttng_statedump_network_interface: { cpu_id = 3 }, { name = \"lo\", address_ipv4 = 0xA000001 }",
                "[135217738] (+000000000005) wilbrod irq_handler_entry: { cpu_id = 3 }, { irq = 26, name = \"0000:00:1f.2\" }"),
                out.stream().map(l -> l.replaceFirst("^\\[0*", "[")).toList());
        Babeltrace.dummy(dir);
    }

    @Test
    void visitorAndTypedPathsWriteTheSameBytes() throws Exception {
        TraceClass tc = FieldClassesTest.schema(io.tracestream.ctf.meta.ByteOrder.BIG_ENDIAN,
                TraceSchema.Header.COMPACT);
        StreamClass sc = tc.streamClass(0);
        EventClass strings = sc.eventClass(4);
        EventClass compound = sc.eventClass(6);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (CtfWriter w = CtfWriter.builder(a, tc).index(false).build()) {
            StreamWriter s = w.openStream(sc, 0);
            s.beginEvent(strings, 10).string("hello").string("bash").u32(5).string("abcde").string("x").end();
            s.beginEvent(compound, 20).u16(1).i8(-2).u8(1).u8(7).u8(2).u8(3).string("abc").u8(3).end();
        }
        try (CtfWriter w = CtfWriter.builder(b, tc).index(false).build()) {
            StreamWriter s = w.openStream(sc, 0);
            EventBuilder e = s.beginEvent(strings, 10);
            FieldVisitor v = e.visitor();
            v.string("s", null, "hello");
            v.string("comm", null, "bash");
            v.integer("len", null, 5);
            v.string("seq", null, "abcde");
            v.string("utf", null, "x");
            e.end();
            e = s.beginEvent(compound, 20);
            v = e.visitor();
            for (long x : new long[]{1, -2, 1, 7, 2}) {
                v.integer(null, null, x);
            }
            byte[] abc = "zabc".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            v.integer("len", null, 3);
            v.blob("txt", null, abc, 1, 3);
            v.integer("after", null, 3);
            e.end();
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("channel0_0")), Files.readAllBytes(b.resolve("channel0_0")));
    }
}

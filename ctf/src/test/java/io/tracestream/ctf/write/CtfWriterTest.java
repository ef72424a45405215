package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CtfWriterTest {
    @TempDir
    Path tmp;

    private static TraceClass hello() {
        return TraceSchema.builder().env("hostname", "box")
                .clock("monotonic", 1_000_000_000L, 1_700_000_000L, 0, true)
                .stream("channel0", s -> s.packetContext(p -> p.u32("extra"))
                        .event("hello", e -> e.u32("n").string("msg").i64("neg").f64("d")))
                .build();
    }

    @Test
    void simpleTraceWithPacketContextValues() throws Exception {
        Babeltrace.assume();
        TraceClass tc = hello();
        Path dir = tmp.resolve("t");
        StreamClass sc = tc.streamClass(0);
        EventClass hello = sc.eventClass(0);
        try (CtfWriter w = CtfWriter.create(dir, tc)) {
            StreamWriter s = w.openStream(sc, 5);
            s.packetContext("cpu_id", 1);
            s.packetContext("extra", 77);
            s.beginEvent(hello, 1000).u32(7).string("hi").i64(-5).f64(1.5).end();
            s.beginEvent(hello, 2000).u32(99).string("aborted").abort();
            s.beginEvent(hello, 2500).u32(8).string("there").i64(-6).f64(-0.25).end();
            assertEquals(2, s.eventCount());
        }
        assertTrue(Files.readString(dir.resolve("metadata")).startsWith("/* CTF 1.8 */\n"));
        assertEquals(List.of(
                "[22:13:20.000001000] (+?.?????????) box hello: { cpu_id = 1, extra = 77 }, { n = 7, msg = \"hi\", neg = -5, d = 1.5 }",
                "[22:13:20.000002500] (+0.000001500) box hello: { cpu_id = 1, extra = 77 }, { n = 8, msg = \"there\", neg = -6, d = -0.25 }"),
                Babeltrace.lines(dir));
        String details = Babeltrace.run(dir, "-c", "sink.text.details", "-p", "with-trace-name=no,with-stream-name=no");
        assertTrue(details.contains("  Context:\n    cpu_id: 1\n    extra: 77\n"), details);
        assertTrue(details.contains("{Trace 0, Stream class ID 0, Stream ID 5}"), details);
    }

    @Test
    void misuseIsReportedWithTheFieldName() {
        TraceClass tc = hello();
        EventClass hello = tc.streamClass(0).eventClass(0);
        try (CtfWriter w = CtfWriter.create(tmp.resolve("t"), tc)) {
            StreamWriter s = w.openStream(tc.streamClass(0), 0);
            EventBuilder b = s.beginEvent(hello, 1);
            assertEquals("event 'hello': field msg is a string, not an integer",
                    assertThrows(IllegalStateException.class, () -> b.u32(1).u32(2)).getMessage());
            // The failed event was dropped: the stream takes the next one.
            assertEquals("event 'hello': field neg was not written",
                    assertThrows(IllegalStateException.class, () -> s.beginEvent(hello, 2).u32(1).string("x").end())
                            .getMessage());
            assertEquals("event 'hello': all fields are already written",
                    assertThrows(IllegalStateException.class,
                            () -> s.beginEvent(hello, 3).u32(1).string("x").i64(1).f64(0).u32(9)).getMessage());
            assertEquals(0, s.eventCount());
            assertEquals("stream class 0 has no settable packet context member 'nope' (settable: [cpu_id, extra])",
                    assertThrows(IllegalArgumentException.class, () -> s.packetContext("nope", 1)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.openStream(tc.streamClass(0), 0));
        }
    }

    @Test
    void ctf2MetadataOption() throws Exception {
        TraceClass tc = hello();
        Path dir = tmp.resolve("t");
        try (CtfWriter w = CtfWriter.builder(dir, tc).metadataFormat(CtfWriter.MetadataFormat.CTF_2).build()) {
            w.openStream(tc.streamClass(0), 0).beginEvent(tc.streamClass(0).eventClass(0), 5).u32(1).string("a")
                    .i64(2).f64(3).end();
        }
        String m = Files.readString(dir.resolve("metadata"));
        assertTrue(m.startsWith("\u001e{\"type\": \"preamble\", \"version\": 2"), m);
        assertEquals(m, Ctf2MetadataGenerator.generate(tc));
    }

    @Test
    void generatorIsDeterministicAndReadable() throws Exception {
        UUID u = UUID.fromString("12345678-1234-1234-1234-123456789abc");
        TraceGenerator.Result r1 = TraceGenerator.builder(tmp.resolve("g1")).events(60_000).streams(3).uuid(u)
                .packetSize(16384).generate();
        TraceGenerator.Result r2 = TraceGenerator.builder(tmp.resolve("g2")).events(60_000).streams(3).uuid(u)
                .packetSize(16384).threads(1).generate();
        assertEquals(60_000, r1.events());
        assertTrue(r1.packets() > 3);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("g1/channel0_" + i)),
                    Files.readAllBytes(tmp.resolve("g2/channel0_" + i)));
        }
        Babeltrace.assume();
        String out = Babeltrace.run(tmp.resolve("g1"));
        assertEquals(60_000, out.lines().count());
        assertTrue(out.lines().anyMatch(l -> l.contains(" syscall_entry_generic: { cpu_id = 2 }, { id = ")));
        Babeltrace.dummy(tmp.resolve("g1"));
    }
}

package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketsTest {
    @TempDir
    Path tmp;

    static TraceClass schema(TraceSchema.Header h, int eventClasses) {
        return TraceSchema.builder().env("hostname", "box")
                .clock("monotonic", 1_000_000_000L, 1_000, 0, true)
                .stream("channel0", s -> {
                    s.header(h);
                    for (int i = 0; i < eventClasses; i++) {
                        s.event("ev" + i, e -> e.u32("seq").u32("n").textSequence("text", "n").u8("k")
                                .sequence("vals", e.uintType(64), "k"));
                    }
                })
                .build();
    }

    /** Writes events with random sizes across 3 streams; returns the expected "name seq" lines in time order. */
    static List<String> write(Path dir, TraceClass tc, int perStream, int packetSize, long maxGap) {
        StreamClass sc = tc.streamClass(0);
        List<EventClass> classes = new ArrayList<>(sc.eventClasses());
        List<long[]> all = new ArrayList<>();
        Random rnd = new Random(42);
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(packetSize).build()) {
            for (int cpu = 0; cpu < 3; cpu++) {
                StreamWriter s = w.openStream(sc, cpu);
                long ts = 1_000_000 + cpu;
                for (int i = 0; i < perStream; i++) {
                    ts += 1 + (long) (rnd.nextDouble() * maxGap);
                    int c = rnd.nextInt(classes.size());
                    // Never empty: babeltrace2 2.0.4 sometimes prints an empty text sequence with the content of
                    // the previous one of the same event class (its field is reused); the data is right.
                    String text = "x".repeat(1 + rnd.nextInt(rnd.nextInt(50) == 0 ? 3000 : 40));
                    int k = rnd.nextInt(4);
                    EventBuilder b = s.beginEvent(classes.get(c), ts).u32(cpu * 1_000_000L + i).u32(text.length())
                            .string(text).u8(k);
                    for (int j = 0; j < k; j++) {
                        b.u64(ts + j);
                    }
                    b.end();
                    all.add(new long[]{ts, c, cpu * 1_000_000L + i, text.length(), k});
                }
            }
        }
        all.sort((a, b) -> Long.compare(a[0], b[0]));
        List<String> out = new ArrayList<>();
        for (long[] e : all) {
            out.add(e[0] + " ev" + e[1] + " " + e[2] + " " + e[3] + " " + e[4]);
        }
        return out;
    }

    /** Reduces babeltrace2 --clock-cycles lines to "cycles name seq textlength k". */
    static List<String> summarize(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.isEmpty()) {
                continue;
            }
            String cycles = l.substring(1, l.indexOf(']'));
            String name = l.substring(l.indexOf(") box ") + 6, l.indexOf(':', l.indexOf(") box ")));
            String seq = l.replaceAll(".*\\{ seq = (\\d+), .*", "$1");
            int textLength = l.replaceAll(".*text = \"(x*)\".*", "$1").length();
            String k = l.replaceAll(".*, k = (\\d+), .*", "$1");
            out.add(Long.parseLong(cycles) + " " + name + " " + seq + " " + textLength + " " + k);
        }
        return out;
    }

    @Test
    void multiStreamMultiPacketCompactHeader() throws Exception {
        Babeltrace.assume();
        // 40 event classes: ids 31+ need LTTng's extended header; gaps up to 2^28 cycles overflow the 27-bit one.
        TraceClass tc = schema(TraceSchema.Header.COMPACT, 40);
        Path dir = tmp.resolve("t");
        List<String> expected = write(dir, tc, 2000, 4096, 1L << 28);
        List<String> got = summarize(Babeltrace.lines(dir, "--clock-cycles"));
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "event " + i);
        }
        Babeltrace.dummy(dir);
        checkIndexes(dir);
    }

    @Test
    void simpleHeaderSmallGaps() throws Exception {
        Babeltrace.assume();
        TraceClass tc = schema(TraceSchema.Header.SIMPLE, 3);
        Path dir = tmp.resolve("t");
        List<String> expected = write(dir, tc, 1000, 512, 100);
        List<String> got = summarize(Babeltrace.lines(dir, "--clock-cycles"));
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "event " + i);
        }
        checkIndexes(dir);
    }

    /** Each index entry matches the packet it points at (header magic, sizes, timestamps, sequence number). */
    static void checkIndexes(Path dir) throws Exception {
        for (int cpu = 0; cpu < 3; cpu++) {
            Path stream = dir.resolve("channel0_" + cpu);
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(stream)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer idx = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("index/channel0_" + cpu + ".idx")));
            assertEquals(0xC1F1DCC1, idx.getInt());
            assertEquals(1, idx.getInt());
            assertEquals(1, idx.getInt());
            assertEquals(72, idx.getInt());
            assertEquals(0, (idx.capacity() - 16) % 72);
            long expectOffset = 0;
            int n = (idx.capacity() - 16) / 72;
            assertTrue(n > 1, "several packets");
            for (int i = 0; i < n; i++) {
                long off = idx.getLong();
                long packetBits = idx.getLong();
                long contentBits = idx.getLong();
                long tsBegin = idx.getLong();
                long tsEnd = idx.getLong();
                long discarded = idx.getLong();
                long streamId = idx.getLong();
                long instance = idx.getLong();
                long seq = idx.getLong();
                assertEquals(expectOffset, off);
                int p = (int) off;
                assertEquals(0xC1FC1FC1, data.getInt(p));
                // packet context after magic(4) uuid(16) stream_id(4) stream_instance_id(8) = 32
                assertEquals(tsBegin, data.getLong(p + 32));
                assertEquals(tsEnd, data.getLong(p + 40));
                assertEquals(contentBits, data.getLong(p + 48));
                assertEquals(packetBits, data.getLong(p + 56));
                assertEquals(seq, data.getLong(p + 64));
                assertEquals(discarded, data.getLong(p + 72));
                assertEquals(cpu, data.getInt(p + 80));
                assertEquals(i, seq);
                assertEquals(0, streamId);
                assertEquals(cpu, instance);
                assertTrue(contentBits <= packetBits && packetBits % 8 == 0);
                assertTrue(tsBegin <= tsEnd);
                expectOffset += packetBits / 8;
            }
            assertEquals(Files.size(stream), expectOffset);
        }
    }

    @Test
    void babeltraceReadsTheIndexFiles() throws Exception {
        Babeltrace.assume();
        TraceClass tc = schema(TraceSchema.Header.COMPACT, 2);
        Path dir = tmp.resolve("t");
        write(dir, tc, 300, 1024, 1000);
        Path idx = dir.resolve("index/channel0_1.idx");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(idx));
        int n = (b.capacity() - 16) / 72;
        long begin = b.getLong(16 + 24);
        long end = b.getLong(16 + (n - 1) * 72 + 32);
        long offsetNs = 1_000_000_000_000L; // clock offset_s = 1000
        String infos = Babeltrace.query("query", "src.ctf.fs", "babeltrace.trace-infos", "-p",
                "inputs=[\"" + dir + "\"]");
        assertTrue(infos.contains("begin: " + (offsetNs + begin) + "\n        end: " + (offsetNs + end)), infos);
        // Change the last entry's timestamp_end: babeltrace2 reports it, so it uses the index file we wrote.
        b.putLong(16 + (n - 1) * 72 + 32, end + 12345);
        Files.write(idx, b.array());
        infos = Babeltrace.query("query", "src.ctf.fs", "babeltrace.trace-infos", "-p",
                "inputs=[\"" + dir + "\"]");
        assertTrue(infos.contains("end: " + (offsetNs + end + 12345)), infos);
    }

    @Test
    void discardedEventsAreReported() throws Exception {
        Babeltrace.assume();
        TraceClass tc = schema(TraceSchema.Header.SIMPLE, 1);
        EventClass ev = tc.streamClass(0).eventClass(0);
        Path dir = tmp.resolve("t");
        try (CtfWriter w = CtfWriter.create(dir, tc)) {
            StreamWriter s = w.openStream(tc.streamClass(0), 0);
            s.beginEvent(ev, 100).u32(1).u32(1).string("a").u8(0).end();
            s.flushPacket();
            s.discardEvents(5); // lost before the next packet: counted in its events_discarded snapshot
            s.beginEvent(ev, 200).u32(2).u32(1).string("b").u8(0).end();
            s.flushPacket();
            s.beginEvent(ev, 300).u32(3).u32(1).string("c").u8(0).end();
            s.discardEvents(2); // lost at the end: close() writes an empty packet that carries the count
        }
        Babeltrace.Result r = Babeltrace.exec(dir, "--clock-cycles");
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, r.out().lines().count());
        String where = " in trace \"box\" (UUID: " + tc.uuid() + ") within stream \"" + dir.resolve("channel0_0")
                + "\" (stream class ID: 0, stream ID: 0).";
        assertEquals(List.of(
                "WARNING: Tracer discarded 5 events between [00:16:40.000000100] and [00:16:40.000000200]" + where,
                "WARNING: Tracer discarded 2 events between [00:16:40.000000200] and [00:16:40.000000300]" + where),
                r.err().lines().filter(l -> l.startsWith("WARNING")).toList());
    }

    @Test
    void index10HasShortEntriesAndIsAccepted() throws Exception {
        Babeltrace.assume();
        TraceClass tc = schema(TraceSchema.Header.LARGE, 2);
        Path dir = tmp.resolve("t");
        EventClass ev = tc.streamClass(0).eventClass(1);
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(512).indexVersion(0).build()) {
            StreamWriter s = w.openStream(tc.streamClass(0), 0);
            for (int i = 0; i < 300; i++) {
                s.beginEvent(ev, 1000 + i * 10L).u32(i).u32(3).string("abc").u8(0).end();
            }
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("index/channel0_0.idx")));
        assertEquals(0, b.getInt(8));
        assertEquals(56, b.getInt(12));
        int n = (b.capacity() - 16) / 56;
        assertTrue(n > 5);
        assertEquals(Files.size(dir.resolve("channel0_0")), b.getLong(16 + (n - 1) * 56) + b.getLong(16 + (n - 1) * 56 + 8) / 8);
        String infos = Babeltrace.query("query", "src.ctf.fs", "babeltrace.trace-infos", "-p",
                "inputs=[\"" + dir + "\"]");
        assertTrue(infos.contains("begin: 1000000001000\n        end: 1000000003990"), infos);
        assertEquals(300, Babeltrace.run(dir).lines().count());
    }

    @Test
    void streamWithoutPacketSizeIsOnePacket() throws Exception {
        Babeltrace.assume();
        TraceClass base = schema(TraceSchema.Header.SIMPLE, 1);
        StreamClass bs = base.streamClass(0);
        // Same layout, but the packet context only has timestamps and cpu_id: the file is one packet.
        io.tracestream.ctf.meta.StructClass pc = new io.tracestream.ctf.meta.StructClass(List.of(
                bs.packetContext().members().get(0), bs.packetContext().members().get(1),
                bs.packetContext().members().get(6)), 8, null);
        TraceClass tc = new TraceClass(1, 8, base.byteOrder(), base.uuid(), base.packetHeader(), base.environment(),
                base.clocks(), null, null, null, null);
        StreamClass sc = new StreamClass(0, "channel0", pc, bs.eventHeader(), null, bs.defaultClock(), null);
        EventClass src = bs.eventClass(0);
        EventClass ev = new EventClass(0, src.name(), null, null, null, src.payload(), null);
        sc.addEventClass(ev);
        tc.addStreamClass(sc);
        Path dir = tmp.resolve("t");
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(512).build()) {
            StreamWriter s = w.openStream(sc, 2);
            for (int i = 0; i < 5000; i++) {
                s.beginEvent(ev, 1000 + i).u32(i).u32(i % 7 + 1).string("abcdefg".substring(0, i % 7 + 1)).u8(1)
                        .u64(i).end();
            }
            assertEquals(0, s.packetCount());
            assertTrue(s.bytesWritten() > 512, "flushed as it went");
        }
        List<String> out = Babeltrace.lines(dir, "--clock-cycles");
        assertEquals(5000, out.size());
        assertEquals("[00000000000000005999] (+000000000001) box ev0: { cpu_id = 2 }, { seq = 4999, n = 2, "
                + "text = \"ab\", k = 1, vals = [ [0] = 4999 ] }", out.get(4999));
        String details = Babeltrace.run(dir, "-c", "sink.text.details", "-p", "with-trace-name=no,with-stream-name=no");
        String tail = details.substring(details.length() - 200);
        assertTrue(tail.contains("[5999 cycles, 1,000,000,005,999 ns from origin]\n{Trace 0, Stream class ID 0, "
                + "Stream ID 2}\nPacket end\n"), tail);
    }
}

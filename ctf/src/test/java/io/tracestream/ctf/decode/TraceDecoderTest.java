package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.TsdlParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public decoding API on a generated LTTng-UST-shaped trace: values, clocks, getters, copies, errors. */
class TraceDecoderTest {
    private static final int EVENTS = 120_000;

    @TempDir
    static Path dir;
    static List<long[]> expected = new ArrayList<>();
    static TraceClass tc;
    static TraceDecoder dec;
    static Path stream;

    @BeforeAll
    static void write() throws IOException {
        SyntheticUstTrace.write(dir, EVENTS, expected);
        tc = TsdlParser.parse(SyntheticUstTrace.METADATA, dir.resolve("metadata"));
        dec = TraceDecoder.compile(tc);
        stream = dir.resolve("stream_0");
    }

    private static MessageCursor open(Path file, List<PacketIndexEntry> packets, DecodeOptions opt) {
        return dec.openStream(new TestStream(tc.streamClass(0), file), packets, opt);
    }

    @Test
    void scanFindsEveryPacket() throws IOException {
        List<PacketIndexEntry> ps = dec.scanPackets(stream);
        assertEquals(Files.size(stream) / SyntheticUstTrace.PACKET_BYTES, ps.size());
        for (int i = 0; i < ps.size(); i++) {
            PacketIndexEntry p = ps.get(i);
            assertEquals((long) i * SyntheticUstTrace.PACKET_BYTES, p.offset());
            assertEquals(SyntheticUstTrace.PACKET_BYTES * 8L, p.totalSizeBits());
            assertEquals(i, p.sequenceNumber());
            assertEquals(0, p.discardedEventCounter());
            assertEquals(7, p.streamInstanceId());
            assertEquals(0, p.streamClassId());
            assertTrue(p.contentSizeBits() < p.totalSizeBits());
        }
    }

    @Test
    void eventsValuesAndReconstructedTimestamps() {
        List<PacketIndexEntry> ps = dec.scanPackets(stream);
        int i = 0;
        long lastPacketEnd = -1;
        try (MessageCursor c = open(stream, ps, DecodeOptions.DEFAULT)) {
            assertTrue(c.next());
            assertEquals(MessageType.STREAM_BEGINNING, c.type());
            assertEquals(ClockValue.NONE, c.timeCycles());
            while (c.next()) {
                switch (c.type()) {
                    case PACKET_BEGINNING -> {
                        assertEquals(c.packet().beginCycles(), c.timeCycles());
                        assertTrue(c.timeCycles() >= lastPacketEnd);
                    }
                    case PACKET_END -> {
                        assertEquals(c.packet().endCycles(), c.timeCycles());
                        lastPacketEnd = c.timeCycles();
                    }
                    case EVENT -> {
                        long[] want = expected.get(i++);
                        EventRecord e = c.event();
                        assertEquals(want[1], e.cycles(), "event " + i);
                        assertEquals(want[1], c.timeCycles());
                        assertEquals(1_700_000_000_000_000_000L + want[1], e.timestamp());
                        assertEquals(1_700_000_000_000_000_000L + want[1], c.timeNanos());
                        assertEquals(want[0], e.eventClass().id());
                        if (want[0] == 0) {
                            assertEquals("bench:small", e.name());
                            assertEquals(want[2], e.getLong("a"));
                            assertTrue(e.getLong("vtid") >= 1000 && e.getLong("vtid") < 1004);
                            assertTrue(e.has("b"));
                            assertFalse(e.has("msg"));
                        } else if (want[0] == 1) {
                            String msg = e.getString("msg");
                            assertTrue(List.of("hello", "hello world", "a somewhat longer message here", "")
                                    .contains(msg), msg);
                            assertEquals(msg, e.get("msg"));
                            assertTrue(e.getLong("n") >= 0 && e.getLong("n") < 65536);
                        } else {
                            assertEquals("bench:rare", e.name());
                            // The header's top-level id says "extended" (31); the real id is in the variant.
                            assertEquals(31, e.getLong("id"));
                            assertEquals(java.util.Map.of("id", 40L, "timestamp", want[1]),
                                    ((java.util.Map<?, ?>) e.get("v")));
                        }
                    }
                    case STREAM_END -> assertFalse(c.next());
                    default -> throw new AssertionError(c.type());
                }
            }
        }
        assertEquals(EVENTS, i);
    }

    @Test
    void copiesOutliveTheCursor() {
        List<EventRecord> copies = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (MessageCursor c = open(stream, dec.scanPackets(stream), DecodeOptions.DEFAULT)) {
            while (c.next() && copies.size() < 500) {
                if (c.type() == MessageType.EVENT && c.event().name().equals("bench:msg")) {
                    copies.add(c.event().copy());
                    texts.add(c.event().getString("msg") + "/" + c.event().getLong("n") + "/" + c.event().cycles());
                }
            }
        }
        for (int i = 0; i < copies.size(); i++) {
            EventRecord e = copies.get(i);
            assertEquals(texts.get(i), e.getString("msg") + "/" + e.getLong("n") + "/" + e.cycles());
            // The copy's packet is detached too.
            assertTrue(e.packet().beginCycles() <= e.cycles() && e.cycles() <= e.packet().endCycles());
            List<String> ctx = new ArrayList<>();
            e.packet().accept(io.tracestream.ctf.meta.Scope.PACKET_CONTEXT, new Dump(ctx));
            assertEquals("FLUI:timestamp_begin:" + e.packet().beginCycles(), ctx.get(0));
            List<String> hdr = new ArrayList<>();
            e.packet().accept(io.tracestream.ctf.meta.Scope.PACKET_HEADER, new Dump(hdr));
            assertEquals("FLUI:magic:" + 0xc1fc1fc1L, hdr.get(0));
        }
        assertTrue(copies.size() > 100);
    }

    @Test
    void unknownFieldsAndWrongTypes() {
        try (MessageCursor c = open(stream, dec.scanPackets(stream), DecodeOptions.DEFAULT)) {
            while (c.type() != MessageType.EVENT) {
                c.next();
            }
            EventRecord e = c.event();
            assertNull(e.get("nope"));
            assertThrows(CtfException.class, () -> e.getLong("nope"));
            if (e.name().equals("bench:msg")) {
                assertThrows(CtfException.class, () -> e.getLong("msg"));
            }
            assertNull(c.discarded());
        }
    }

    private Path corruptCopy(String name, long offset, int value) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Path f = d.resolve("stream_0");
        Files.copy(stream, f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        }
        return f;
    }

    @Test
    void badMagicStrictAndLenient() throws IOException {
        Path f = corruptCopy("badmagic", SyntheticUstTrace.PACKET_BYTES, 0x12345678);
        CtfException e = assertThrows(CtfException.class, () -> dec.scanPackets(f));
        assertTrue(e.getMessage().contains("offset 1048576: bad packet magic number 0x12345678"), e.getMessage());
        assertEquals(1048576, e.offset());
        List<String> skipped = new ArrayList<>();
        List<PacketIndexEntry> ps = dec.scanPackets(f, DecodeOptions.DEFAULT.lenient(
                (file, off, why) -> skipped.add(off + " " + why)));
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).startsWith("1048576 "));
        assertEquals(Files.size(f) / SyntheticUstTrace.PACKET_BYTES - 1, ps.size());
        // Reading with the full list (as from an index) in lenient mode skips the same packet.
        List<PacketIndexEntry> all = dec.scanPackets(stream);
        List<String> skipped2 = new ArrayList<>();
        int packets = 0;
        try (MessageCursor c = open(f, relocate(all, f), DecodeOptions.DEFAULT.lenient(
                (file, off, why) -> skipped2.add(off + " " + why)))) {
            while (c.next()) {
                if (c.type() == MessageType.PACKET_BEGINNING) {
                    packets++;
                }
            }
        }
        assertEquals(all.size() - 1, packets);
        assertEquals(1, skipped2.size());
        assertThrows(CtfException.class, () -> {
            try (MessageCursor c = open(f, relocate(all, f), DecodeOptions.DEFAULT)) {
                while (c.next()) {
                    // drain
                }
            }
        });
    }

    private static List<PacketIndexEntry> relocate(List<PacketIndexEntry> ps, Path f) {
        List<PacketIndexEntry> out = new ArrayList<>();
        for (PacketIndexEntry p : ps) {
            out.add(new PacketIndexEntry(f, p.offset(), p.totalSizeBits(), p.contentSizeBits(), p.beginCycles(),
                    p.endCycles(), p.discardedEventCounter(), p.sequenceNumber(), p.streamClassId(),
                    p.streamInstanceId()));
        }
        return out;
    }

    @Test
    void truncatedFile() throws IOException {
        Path d = dir.resolve("trunc");
        Files.createDirectories(d);
        Path f = d.resolve("stream_0");
        byte[] all = Files.readAllBytes(stream);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 1000));
        CtfException e = assertThrows(CtfException.class, () -> dec.scanPackets(f));
        assertTrue(e.getMessage().contains("goes beyond the end"), e.getMessage());
        List<Long> offsets = new ArrayList<>();
        List<PacketIndexEntry> ps = dec.scanPackets(f, DecodeOptions.DEFAULT.lenient((x, off, why) -> offsets.add(off)));
        assertEquals(all.length / SyntheticUstTrace.PACKET_BYTES - 1, ps.size());
        assertEquals(List.of((long) ps.size() * SyntheticUstTrace.PACKET_BYTES), offsets);
    }

    @Test
    void contentSizeBeyondPacketSize() throws IOException {
        // content_size is the third packet context field: header 32 bytes + 16.
        Path f = corruptCopy("content", 48, 0x7fffffff);
        CtfException e = assertThrows(CtfException.class, () -> dec.scanPackets(f));
        assertTrue(e.getMessage().contains("offset 0: packet content size"), e.getMessage());
    }

    @Test
    void unknownEventClassId() throws IOException {
        // First event header at byte 84: a compact header whose 5-bit id is 7 (no such event class).
        Path d = dir.resolve("badid");
        Files.createDirectories(d);
        Path f = d.resolve("stream_0");
        byte[] all = Files.readAllBytes(stream);
        all[84] = (byte) ((all[84] & ~0x1f) | 7);
        Files.write(f, all);
        CtfException e = assertThrows(CtfException.class, () -> {
            try (MessageCursor c = open(f, dec.scanPackets(f), DecodeOptions.DEFAULT)) {
                while (c.next()) {
                    // drain
                }
            }
        });
        assertTrue(e.getMessage().contains("offset 84: unknown event record class id 7"), e.getMessage());
    }
}

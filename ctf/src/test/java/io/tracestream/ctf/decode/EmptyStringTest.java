package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.meta.tsdl.TsdlParser;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Empty null-terminated strings (a first byte of 0) read as {@code ""} through every access path (getters, scope
 * walk, copies), also right after an event of the same class that held a long string, and at the end of a packet.
 *
 * <p>This is where TraceStream and babeltrace2 2.0.4 disagree on real LTTng kernel traces: babeltrace2 2.0.4 shows
 * an empty {@code string} field with the text that a recycled event object of the same class held before
 * ({@code clear_string_field()} set the length to 0 but left the old bytes; fixed in babeltrace 2.0.5 by
 * "Fix: clear_string_field(): set first character to 0"). The checks on {@code tracecompass/bug446190} and
 * {@code tracecompass/many-threads} read the raw bytes of the file to show that these fields really are empty.
 */
class EmptyStringTest {
    private static final UUID UUID_ = UUID.fromString("5d079bb9-28f0-6648-8bcf-390bb7f31523");
    private static final int PACKET_BYTES = 4096;

    /** The layout of an lttng-modules 2.5 kernel trace (bug446190): 16-bit ids, aligned integers after strings. */
    private static final String METADATA = """
            /* CTF 1.8 */
            typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
            typealias integer { size = 16; align = 16; signed = false; } := uint16_t;
            typealias integer { size = 32; align = 32; signed = false; } := uint32_t;
            typealias integer { size = 64; align = 64; signed = false; } := uint64_t;
            trace {
                major = 1;
                minor = 8;
                uuid = "%s";
                byte_order = le;
                packet.header := struct {
                    uint32_t magic;
                    uint8_t  uuid[16];
                    uint32_t stream_id;
                };
            };
            env {
                domain = "kernel";
                tracer_name = "lttng-modules";
                tracer_major = 2;
                tracer_minor = 5;
            };
            clock {
                name = monotonic;
                freq = 1000000000;
                offset = 0;
            };
            typealias integer { size = 32; align = 32; signed = false; map = clock.monotonic.value; } := uint32_clock_t;
            typealias integer { size = 64; align = 64; signed = false; map = clock.monotonic.value; } := uint64_clock_t;
            struct packet_context {
                uint64_clock_t timestamp_begin;
                uint64_clock_t timestamp_end;
                uint64_t content_size;
                uint64_t packet_size;
                uint32_t events_discarded;
                uint32_t cpu_id;
            };
            struct event_header_large {
                enum : uint16_t { compact = 0 ... 65534, extended = 65535 } id;
                variant <id> {
                    struct { uint32_clock_t timestamp; } compact;
                    struct { uint32_t id; uint64_clock_t timestamp; } extended;
                } v;
            } align(16);
            stream {
                id = 0;
                event.header := struct event_header_large;
                packet.context := struct packet_context;
            };
            event {
                name = "sys_open";
                id = 242;
                stream_id = 0;
                fields := struct {
                    string _filename;
                    integer { size = 32; align = 32; signed = 1; encoding = none; base = 10; } _flags;
                    integer { size = 16; align = 16; signed = 0; encoding = none; base = 10; } _mode;
                };
            };
            event {
                name = "exit_syscall";
                id = 237;
                stream_id = 0;
                fields := struct {
                    integer { size = 32; align = 32; signed = 1; encoding = none; base = 10; } _ret;
                };
            };
            event {
                name = "syscall_entry_access";
                id = 29;
                stream_id = 0;
                fields := struct {
                    string _filename;
                    integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _mode;
                };
            };
            event {
                name = "sys_close";
                id = 6;
                stream_id = 0;
                fields := struct {
                    string _filename;
                };
            };
            """.formatted(UUID_);

    @TempDir
    Path dir;

    /** One event to write: class id, filename (or null), the integers after it. */
    private record Ev(int id, String filename, long... ints) {
    }

    private static void align(ByteBuffer b, int bytes) {
        while (b.position() % bytes != 0) {
            b.put((byte) 0);
        }
    }

    /** Writes one packet of {@code events} (timestamps 1000, 2000, ...) from {@code ts}; returns the next ts. */
    private static long packet(ByteBuffer out, List<Ev> events, long ts) {
        ByteBuffer p = ByteBuffer.allocate(PACKET_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(0xc1fc1fc1);
        p.putLong(Long.reverseBytes(UUID_.getMostSignificantBits()));
        p.putLong(Long.reverseBytes(UUID_.getLeastSignificantBits()));
        p.putInt(0);
        int ctx = p.position();
        p.position(ctx + 40);
        long begin = ts;
        for (Ev e : events) {
            ts += 1000;
            align(p, 2);
            p.putShort((short) e.id);
            align(p, 4);
            p.putInt((int) ts);
            if (e.filename != null) {
                p.put(e.filename.getBytes(StandardCharsets.UTF_8));
                p.put((byte) 0);
            }
            switch (e.id) {
                case 242 -> {
                    align(p, 4);
                    p.putInt((int) e.ints[0]);
                    align(p, 2);
                    p.putShort((short) e.ints[1]);
                }
                case 237 -> {
                    align(p, 4);
                    p.putInt((int) e.ints[0]);
                }
                case 29 -> p.putInt((int) e.ints[0]);
                default -> { }
            }
        }
        long content = p.position() * 8L;
        p.position(ctx);
        p.putLong(begin);
        p.putLong(ts);
        p.putLong(content);
        p.putLong(PACKET_BYTES * 8L);
        p.putInt(0);
        p.putInt(3);
        out.put(p.array());
        return ts;
    }

    /** What the decoder shows of an event: name, filename by each access path, the integers after it. */
    private static String show(EventRecord e) {
        StringBuilder sb = new StringBuilder(e.name());
        if (e.has("filename")) {
            String byGet = (String) e.get("filename");
            String byGetString = e.getString("filename");
            List<String> walked = new ArrayList<>();
            e.accept(Scope.EVENT_PAYLOAD, new Dump(walked));
            String byWalk = walked.stream().filter(s -> s.startsWith("STR:filename:")).findFirst().orElseThrow()
                    .substring("STR:filename:".length());
            assertEquals(byGet, byGetString, e.name() + " at " + e.cycles());
            assertEquals(byGet, byWalk, e.name() + " at " + e.cycles());
            sb.append(" \"").append(byGet).append('"');
        }
        for (String f : List.of("flags", "mode", "ret")) {
            if (e.has(f)) {
                sb.append(' ').append(f).append('=').append(e.getLong(f));
            }
        }
        return sb.toString();
    }

    @Test
    void emptyStringsAfterLongOnesOfTheSameClass() throws IOException {
        List<Ev> first = List.of(
                new Ev(242, "/usr/local/lib/v7l/neon/vfp/libc.so.6", 524288, 47456),
                new Ev(237, null, -2),
                new Ev(242, "", 524288, 1),
                new Ev(29, "/var/run/utmpx", 4),
                new Ev(29, "", 4),
                new Ev(242, "x", 0, 2),
                new Ev(6, "/etc/ld.so.cache"),
                new Ev(6, ""));
        List<Ev> second = List.of(
                new Ev(242, "", 7, 8),
                new Ev(6, "/lib/libc.so.6"),
                new Ev(6, ""));
        // Then the shape on which babeltrace2 2.0.4 shows stale text (its pooled event objects get recycled): many
        // events of one class, every third with an empty filename.
        List<Ev> third = new ArrayList<>();
        List<Ev> fourth = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<Ev> l = i < 30 ? third : fourth;
            l.add(new Ev(242, i % 3 == 2 ? "" : "/path/number/" + i, i, i));
            l.add(new Ev(237, null, i));
        }
        ByteBuffer file = ByteBuffer.allocate(4 * PACKET_BYTES);
        packet(file, fourth, packet(file, third, packet(file, second, packet(file, first, 0))));
        Files.writeString(dir.resolve("metadata"), METADATA);
        Path stream = dir.resolve("channel0_3");
        Files.write(stream, file.array());

        List<String> want = new ArrayList<>();
        List<Ev> all = concat(concat(first, second), concat(third, fourth));
        for (Ev e : all) {
            want.add(switch (e.id) {
                case 242 -> "sys_open \"" + e.filename + "\" flags=" + e.ints[0] + " mode=" + e.ints[1];
                case 237 -> "exit_syscall ret=" + e.ints[0];
                case 29 -> "syscall_entry_access \"" + e.filename + "\" mode=" + e.ints[0];
                default -> "sys_close \"" + e.filename + "\"";
            });
        }

        TraceClass tc = TsdlParser.parse(METADATA, dir.resolve("metadata"));
        TraceDecoder dec = TraceDecoder.compile(tc);
        List<String> got = new ArrayList<>();
        List<EventRecord> copies = new ArrayList<>();
        try (MessageCursor c = dec.openStream(new TestStream(tc.streamClass(0), stream), dec.scanPackets(stream))) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    got.add(show(c.event()));
                    copies.add(c.event().copy());
                }
            }
        }
        assertEquals(want, got);
        // Copies keep the values once the cursor is gone.
        assertEquals(want, copies.stream().map(EmptyStringTest::show).toList());
        // The reference decoder agrees.
        List<String> ref = new ReferenceDecoder(tc).decodeStream(Files.readAllBytes(stream));
        List<String> wantRef = all.stream().filter(e -> e.filename != null)
                .map(e -> "STR:filename:" + e.filename).toList();
        assertEquals(wantRef, ref.stream().filter(s -> s.startsWith("STR:filename:")).toList());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Events of one stream file by cycles, shown with {@link #show}. */
    private static Map<Long, String> decode(Path trace, String file, long... cycles) {
        TraceClass tc = MetadataReader.read(trace.resolve("metadata")).traceClass();
        TraceDecoder dec = TraceDecoder.compile(tc);
        Path f = trace.resolve(file);
        Map<Long, String> out = new HashMap<>();
        try (MessageCursor c = dec.openStream(new TestStream(tc.streamClass(0), f), dec.scanPackets(f))) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    for (long want : cycles) {
                        if (c.event().cycles() == want) {
                            out.put(want, show(c.event()));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** {@code len} bytes of {@code file} at {@code offset}, little-endian. */
    private static ByteBuffer raw(Path file, long offset, int len) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return ByteBuffer.wrap(all, (int) offset, len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * bug446190, channel0_3, packet 0: three events whose string is empty in the file (babeltrace2 2.0.4 prints
     * stale paths for them, e.g. {@code "/usr/local/lib/v7l/neon/vfp/libc.so.6"} for the first).
     */
    @Test
    void bug446190EmptyFilenames() throws IOException {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        Path file = trace.resolve("channel0_3");
        // The raw bytes: a compact header (uint16 id, pad, uint32 timestamp low bits), then the string's NUL.
        assertRaw(file, 0x1e9bc, 242, 0xd20c9605L);
        assertRaw(file, 0x1fcdc, 379, 0xd2261689L);
        assertRaw(file, 0x28510, 242, 0xc0f2d559L);
        Map<Long, String> got = decode(trace, "channel0_3", 7635680925189L, 7635682596489L, 7639688992089L);
        assertEquals("sys_open \"\" flags=524288 mode=1", got.get(7635680925189L));
        assertEquals("sys_stat64 \"\"", got.get(7635682596489L));
        assertEquals("sys_open \"\" flags=524288 mode=1", got.get(7639688992089L));
    }

    private static void assertRaw(Path file, long headerOffset, int id, long tsLow) throws IOException {
        ByteBuffer b = raw(file, headerOffset, 9);
        assertEquals(id, b.getShort(0) & 0xffff);
        assertEquals(tsLow, b.getInt(4) & 0xffffffffL);
        assertEquals(0, b.get(8), "the string's first byte");
    }

    /** many-threads, channel0_4, packet at 1048576: a compact 5-bit id header, then an empty string. */
    @Test
    void manyThreadsEmptyFilename() throws IOException {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        Path file = trace.resolve("channel0_4");
        ByteBuffer b = raw(file, 1048576 + 234339, 9);
        int header = b.getInt(0);
        assertEquals(29, header & 31);
        assertEquals(2358049058682L & ((1 << 27) - 1), header >>> 5);
        assertEquals(0, b.get(4), "the string's first byte");
        assertEquals(4, b.getInt(5));
        assertEquals("syscall_entry_access \"\" mode=4",
                decode(trace, "channel0_4", 2358049058682L).get(2358049058682L));
    }
}

package io.tracestream.ctf.decode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;

/**
 * Writes an LTTng-UST-shaped CTF 1.8 trace of small events (compact 5+27-bit event headers, a {@code vtid}
 * common context, two-integer and string payloads) for decoder throughput checks and tests. Deterministic.
 */
final class SyntheticUstTrace {
    static final UUID TRACE_UUID = UUID.fromString("2a6422d0-6cee-11e0-8c08-cb07d7b3a564");
    static final int PACKET_BYTES = 1 << 20;

    static final String METADATA = """
            /* CTF 1.8 */
            typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
            typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
            typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
            typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
            typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
            trace {
                major = 1;
                minor = 8;
                uuid = "%s";
                byte_order = le;
                packet.header := struct {
                    uint32_t magic;
                    uint8_t  uuid[16];
                    uint32_t stream_id;
                    uint64_t stream_instance_id;
                };
            };
            env {
                domain = "ust";
                tracer_name = "lttng-ust";
                tracer_major = 2;
                tracer_minor = 13;
            };
            clock {
                name = "monotonic";
                freq = 1000000000;
                offset_s = 1700000000;
                offset = 0;
                precision = 0;
                absolute = false;
            };
            typealias integer { size = 27; align = 1; signed = false; map = clock.monotonic.value; } := uint27_clock_t;
            typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_t;
            struct packet_context {
                uint64_clock_t timestamp_begin;
                uint64_clock_t timestamp_end;
                uint64_t content_size;
                uint64_t packet_size;
                uint64_t packet_seq_num;
                uint64_t events_discarded;
                uint32_t cpu_id;
            };
            struct event_header_compact {
                enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
                variant <id> {
                    struct {
                        uint27_clock_t timestamp;
                    } compact;
                    struct {
                        uint32_t id;
                        uint64_clock_t timestamp;
                    } extended;
                } v;
            } align(8);
            stream {
                id = 0;
                event.header := struct event_header_compact;
                packet.context := struct packet_context;
                event.context := struct {
                    integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _vtid;
                };
            };
            event {
                name = "bench:small";
                id = 0;
                stream_id = 0;
                fields := struct {
                    integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _a;
                    integer { size = 64; align = 8; signed = 0; encoding = none; base = 16; } _b;
                };
            };
            event {
                name = "bench:msg";
                id = 1;
                stream_id = 0;
                fields := struct {
                    string _msg;
                    integer { size = 16; align = 8; signed = 0; encoding = none; base = 10; } _n;
                };
            };
            event {
                name = "bench:rare";
                id = 40;
                stream_id = 0;
                fields := struct {
                    integer { size = 64; align = 8; signed = 1; encoding = none; base = 10; } _x;
                };
            };
            """.formatted(TRACE_UUID);

    private SyntheticUstTrace() {
    }

    /** Writes {@code metadata} and {@code stream_0} into {@code dir}; returns the number of events. */
    static long write(Path dir, long events) throws IOException {
        return write(dir, events, null);
    }

    /** As {@link #write(Path, long)}; when {@code record} is not null, adds {id, timestamp, a} of each event. */
    static long write(Path dir, long events, java.util.List<long[]> record) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metadata"), METADATA);
        Random rnd = new Random(42);
        ByteBuffer pkt = ByteBuffer.allocate(PACKET_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long ts = 1_000_000;
        long written = 0;
        long seq = 0;
        String[] msgs = {"hello", "hello world", "a somewhat longer message here", ""};
        try (OutputStream out = Files.newOutputStream(dir.resolve("stream_0"))) {
            while (written < events) {
                pkt.clear();
                pkt.put(new byte[PACKET_BYTES]);
                pkt.clear();
                pkt.putInt(0xc1fc1fc1);
                pkt.putLong(Long.reverseBytes(TRACE_UUID.getMostSignificantBits()));
                pkt.putLong(Long.reverseBytes(TRACE_UUID.getLeastSignificantBits()));
                pkt.putInt(0);
                pkt.putLong(7);
                int ctx = pkt.position();
                pkt.position(ctx + 52);
                long begin = ts;
                long last = ts;
                while (written < events && pkt.position() + 64 <= PACKET_BYTES) {
                    ts += 50 + rnd.nextInt(100);
                    if (rnd.nextInt(1000) == 0) {
                        ts += 1L << 28; // a long gap: needs an extended header
                    }
                    int kind = rnd.nextInt(100);
                    long id = kind < 85 ? 0 : kind < 99 ? 1 : 40;
                    boolean extended = id > 30 || ts - last >= (1L << 27);
                    if (extended) {
                        pkt.put((byte) 31);
                        pkt.putInt((int) id);
                        pkt.putLong(ts);
                    } else {
                        pkt.putInt((int) (id | (ts & ((1L << 27) - 1)) << 5));
                    }
                    last = ts;
                    pkt.putInt(1000 + rnd.nextInt(4));
                    if (id == 0) {
                        int a = rnd.nextInt();
                        if (record != null) {
                            record.add(new long[] {id, ts, a});
                        }
                        pkt.putInt(a);
                        pkt.putLong(rnd.nextLong());
                    } else if (id == 1) {
                        if (record != null) {
                            record.add(new long[] {id, ts, 0});
                        }
                        pkt.put(msgs[rnd.nextInt(msgs.length)].getBytes(StandardCharsets.UTF_8));
                        pkt.put((byte) 0);
                        pkt.putShort((short) rnd.nextInt(65536));
                    } else {
                        if (record != null) {
                            record.add(new long[] {id, ts, 0});
                        }
                        pkt.putLong(rnd.nextLong());
                    }
                    written++;
                }
                long content = pkt.position() * 8L;
                pkt.position(ctx);
                pkt.putLong(begin);
                pkt.putLong(ts);
                pkt.putLong(content);
                pkt.putLong(PACKET_BYTES * 8L);
                pkt.putLong(seq++);
                pkt.putLong(0);
                pkt.putInt(0);
                out.write(pkt.array(), 0, PACKET_BYTES);
            }
        }
        return written;
    }
}

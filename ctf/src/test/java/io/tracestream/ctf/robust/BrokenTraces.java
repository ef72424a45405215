package io.tracestream.ctf.robust;

import io.tracestream.ctf.testing.SampleTraces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builders of broken traces for the bad-input tests: copies of the project's sample trace with a mutated stream
 * file, and a tiny hand-made trace whose bytes are fully controlled (packet sizes, sequence lengths).
 *
 * <p>The sample trace ({@code testdata/sample-ust}, LTTng UST, 64-bit) lays each packet out as: packet header
 * {@code magic} at +0, {@code uuid} at +4, {@code stream_id} at +20, {@code stream_instance_id} at +24; packet
 * context {@code timestamp_begin} at +32, {@code timestamp_end} at +40, {@code content_size} (bits) at +48,
 * {@code packet_size} (bits) at +56, {@code packet_seq_num} at +64, {@code events_discarded} at +72,
 * {@code cpu_id} at +80; the first event at +84.
 */
public final class BrokenTraces {
    /** Relative path of the trace inside {@code testdata/sample-ust}. */
    public static final String SAMPLE_TRACE = "sample-ust/ust/uid/0/64-bit";
    /** Offsets of packet fields in the sample trace's packets. */
    public static final int MAGIC_AT = 0, CONTENT_SIZE_AT = 48, PACKET_SIZE_AT = 56, FIRST_EVENT_AT = 84;

    private BrokenTraces() {
    }

    /** Copies the sample trace directory (metadata, stream files, index) to {@code dest} and returns it. */
    public static Path copySample(Path dest) {
        return copyTree(SampleTraces.path(SAMPLE_TRACE), dest);
    }

    /** Copies a directory tree (files writable in the copy). */
    public static Path copyTree(Path from, Path dest) {
        try {
            Files.createDirectories(dest);
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(dest.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path to = dest.resolve(from.relativize(file).toString());
                    Files.write(to, Files.readAllBytes(file));
                    return FileVisitResult.CONTINUE;
                }
            });
            return dest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the LTTng {@code index/} folder of a trace directory (so packets are found from their headers). */
    public static void dropIndex(Path trace) {
        Path index = trace.resolve("index");
        if (!Files.isDirectory(index)) {
            return;
        }
        try (Stream<Path> s = Files.walk(index)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data stream files of a trace directory (not metadata, not hidden, not index), sorted by name. */
    public static List<Path> streamFiles(Path trace) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(trace)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("metadata"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Byte offsets of the packets of a sample-trace stream file, from their {@code packet_size} fields. */
    public static List<Long> samplePacketOffsets(Path streamFile) {
        byte[] b = read(streamFile);
        List<Long> out = new ArrayList<>();
        long off = 0;
        while (off + FIRST_EVENT_AT <= b.length) {
            out.add(off);
            long size = getLong(b, (int) off + PACKET_SIZE_AT) / 8;
            if (size <= 0) {
                break;
            }
            off += size;
        }
        return out;
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path p, byte[] b) {
        try {
            Files.write(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path p, String text) {
        write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Little-endian 64-bit value at {@code at}. */
    public static long getLong(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    /** Stores a little-endian 64-bit value at {@code at}. */
    public static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    /** Stores a little-endian 32-bit value at {@code at}. */
    public static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    /** Rewrites a stream file with {@code edit} applied to its bytes. */
    public static void edit(Path streamFile, java.util.function.Consumer<byte[]> edit) {
        byte[] b = read(streamFile);
        edit.accept(b);
        write(streamFile, b);
    }

    /** Cuts a file to {@code length} bytes. */
    public static void truncate(Path file, long length) {
        byte[] b = read(file);
        write(file, java.util.Arrays.copyOf(b, (int) length));
    }

    // ---- the tiny hand-made trace --------------------------------------------------------------------------

    /**
     * TSDL of the tiny trace: packet header {@code magic, stream_id} (u32 each), packet context
     * {@code packet_size, content_size} (u64, bits), event header {@code id} (u32), one event class {@code seq}
     * (id 0) whose payload is {@code u64 len; u8 data[len]}. Little-endian.
     */
    public static final String TINY_METADATA = """
            /* CTF 1.8 */
            typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
            typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
            typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
            trace {
            \tmajor = 1;
            \tminor = 8;
            \tbyte_order = le;
            \tpacket.header := struct { uint32_t magic; uint32_t stream_id; };
            };
            stream {
            \tid = 0;
            \tpacket.context := struct { uint64_t packet_size; uint64_t content_size; };
            \tevent.header := struct { uint32_t id; };
            };
            event {
            \tname = "seq";
            \tid = 0;
            \tstream_id = 0;
            \tfields := struct { uint64_t len; uint8_t data[len]; };
            };
            """;

    /** Size of the tiny trace's packet header and context, in bytes. */
    public static final int TINY_HEAD = 24;

    /**
     * One packet of the tiny trace holding one {@code seq} event per element of {@code lengths} (event {@code k}
     * has {@code lengths[k]} data bytes, each its index), with exact sizes and no padding.
     */
    public static byte[] tinyPacket(int... lengths) {
        int size = TINY_HEAD;
        for (int len : lengths) {
            size += 12 + len;
        }
        ByteBuffer bb = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0xc1fc1fc1).putInt(0).putLong(size * 8L).putLong(size * 8L);
        for (int len : lengths) {
            bb.putInt(0).putLong(len);
            for (int i = 0; i < len; i++) {
                bb.put((byte) i);
            }
        }
        return bb.array();
    }

    /** Writes the tiny trace (metadata and one stream file {@code stream} of these packets) in {@code dir}. */
    public static Path tinyTrace(Path dir, byte[]... packets) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve("metadata"), TINY_METADATA);
        int total = 0;
        for (byte[] p : packets) {
            total += p.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] p : packets) {
            all.put(p);
        }
        write(dir.resolve("stream"), all.array());
        return dir;
    }

    /** TSDL text of {@code depth} structs nested in an event payload (the innermost holds one byte). */
    public static String nestedStructMetadata(int depth) {
        StringBuilder sb = new StringBuilder(TINY_METADATA.substring(0, TINY_METADATA.indexOf("event {")));
        sb.append("event {\n\tname = \"deep\";\n\tid = 0;\n\tstream_id = 0;\n\tfields := ");
        for (int i = 0; i < depth; i++) {
            sb.append("struct { ");
        }
        sb.append("uint8_t x; ");
        for (int i = 0; i < depth; i++) {
            sb.append("} s").append(i).append("; ");
        }
        // the outermost "fields := struct {...} s0;" is not valid TSDL: replace its declarator with the end
        int last = sb.lastIndexOf(" s" + (depth - 1) + "; ");
        sb.setLength(last);
        sb.append(";\n};\n");
        return sb.toString();
    }
}

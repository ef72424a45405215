package io.tracestream.ctf.meta.tsdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain-text, packetized (both byte orders) and CTF 2 metadata files, and bad metadata packets. */
class MetadataReaderTest {
    static final String TSDL = """
            /* CTF 1.8 */
            typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
            trace { major = 1; minor = 8; byte_order = be; packet.header := struct { uint32_t magic; }; };
            event { name = "hello"; fields := struct { string msg; uint32_t n; }; };
            """;

    @TempDir
    Path dir;

    /** One metadata packet: 37-byte header, payload, then {@code padding} zero bytes. */
    static byte[] packet(java.nio.ByteOrder order, byte[] payload, int padding, int magic, int major) {
        int content = 37 + payload.length;
        int total = content + padding;
        ByteBuffer b = ByteBuffer.allocate(total).order(order);
        b.putInt(magic);
        for (int i = 0; i < 16; i++) {
            b.put((byte) (0xA0 + i));
        }
        b.putInt(0); // checksum
        b.putInt(content * 8);
        b.putInt(total * 8);
        b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) major).put((byte) 8);
        b.put(payload);
        return b.array();
    }

    static byte[] packetize(java.nio.ByteOrder order, String text, int chunk) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < all.length; off += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(all, off, Math.min(all.length, off + chunk));
            out.writeBytes(packet(order, part, off % 3 * 5, MetadataReader.PACKET_MAGIC, 1));
        }
        return out.toByteArray();
    }

    @Test
    void plainText() throws IOException {
        Path f = dir.resolve("metadata");
        Files.writeString(f, TSDL);
        MetadataReader.Result r = MetadataReader.read(f);
        assertFalse(r.packetized());
        assertEquals(TSDL, r.text());
        assertEquals(ByteOrder.BIG_ENDIAN, r.traceClass().byteOrder());
        assertEquals("hello", r.traceClass().streamClass(0).eventClass(0).name());
    }

    @Test
    void packetizedLittleAndBigEndian() throws IOException {
        for (java.nio.ByteOrder order : new java.nio.ByteOrder[]{java.nio.ByteOrder.LITTLE_ENDIAN,
                java.nio.ByteOrder.BIG_ENDIAN}) {
            Path f = dir.resolve("metadata-" + order);
            Files.write(f, packetize(order, TSDL, 50));
            MetadataReader.Result r = MetadataReader.read(f);
            assertTrue(r.packetized(), order.toString());
            assertEquals(TSDL, r.text(), order.toString());
            assertEquals(2, r.traceClass().streamClass(0).eventClass(0).payload().memberCount());
        }
    }

    @Test
    void badPacketsNameFileAndOffset() throws IOException {
        java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
        byte[] good = packet(le, "trace { major = 1; ".getBytes(StandardCharsets.UTF_8), 3,
                MetadataReader.PACKET_MAGIC, 1);
        // second packet with a wrong magic number
        byte[] bad = packet(le, "minor = 8; };".getBytes(StandardCharsets.UTF_8), 0, 0x12345678, 1);
        Path f = dir.resolve("bad-magic");
        Files.write(f, concat(good, bad));
        CtfException e = assertThrows(CtfException.class, () -> MetadataReader.read(f));
        assertEquals(f + ": offset " + good.length + ": bad metadata packet magic 0x12345678 (expecting 0x75D11D57)",
                e.getMessage());
        assertEquals(good.length, e.offset());

        // truncated: the last packet says it is longer than what is left
        Path g = dir.resolve("truncated");
        Files.write(g, java.util.Arrays.copyOf(good, good.length - 2));
        e = assertThrows(CtfException.class, () -> MetadataReader.read(g));
        assertTrue(e.getMessage().startsWith(g + ": offset 0: metadata packet size"), e.getMessage());

        // header cut short
        Path h = dir.resolve("short-header");
        Files.write(h, concat(good, java.util.Arrays.copyOf(good, 20)));
        e = assertThrows(CtfException.class, () -> MetadataReader.read(h));
        assertTrue(e.getMessage().startsWith(h + ": offset " + good.length + ": truncated metadata packet header"),
                e.getMessage());

        // content size larger than packet size
        byte[] inverted = good.clone();
        ByteBuffer.wrap(inverted).order(le).putInt(24, (good.length + 1) * 8);
        Path i = dir.resolve("inverted");
        Files.write(i, inverted);
        e = assertThrows(CtfException.class, () -> MetadataReader.read(i));
        assertTrue(e.getMessage().contains("larger than its packet size"), e.getMessage());

        // unsupported version
        Path v = dir.resolve("version");
        Files.write(v, packet(le, new byte[0], 0, MetadataReader.PACKET_MAGIC, 2));
        e = assertThrows(CtfException.class, () -> MetadataReader.read(v));
        assertTrue(e.getMessage().contains("version 2.8"), e.getMessage());
    }

    @Test
    void syntaxErrorInPacketizedMetadataNamesLineAndColumn() throws IOException {
        Path f = dir.resolve("metadata");
        Files.write(f, packetize(java.nio.ByteOrder.BIG_ENDIAN, "trace {\n  major = 1 minor = 8; };", 7));
        CtfException e = assertThrows(CtfException.class, () -> MetadataReader.read(f));
        assertEquals(f + ":2:13: expecting `;` after attribute `major`, found `minor`", e.getMessage());
    }

    @Test
    void missingFileIsACtfException() {
        Path f = dir.resolve("nope");
        CtfException e = assertThrows(CtfException.class, () -> MetadataReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ": cannot read metadata"), e.getMessage());
    }

    @Test
    void ctf2JsonMetadataGoesToTheCtf2Parser() {
        Path meta = SharedTraces.path("babeltrace/ctf-traces-master/2/succeed/smalltrace/metadata");
        MetadataReader.Result r = MetadataReader.read(meta);
        assertEquals(2, r.traceClass().ctfMajor());
        assertEquals(0x1E, r.text().charAt(0));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.json.Ctf2MetadataParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a trace's {@code metadata} file, whatever its form, and parses it.
 *
 * <ul>
 *   <li>plain-text TSDL (CTF 1.8), with or without the {@code /* CTF 1.8 *}{@code /} header;</li>
 *   <li>packetized TSDL: packets starting with magic {@code 0x75D11D57} (either byte order) whose payloads are
 *       concatenated, each packet's header validated;</li>
 *   <li>CTF 2 JSON metadata (a JSON text sequence: first byte {@code 0x1E}), handed to the CTF 2 parser.</li>
 * </ul>
 */
public final class MetadataReader {
    /** Magic number of a metadata packet. */
    public static final int PACKET_MAGIC = 0x75D11D57;
    /** Size in bytes of a metadata packet header. */
    static final int HEADER_SIZE = 37;
    /** Largest metadata file read. */
    static final long MAX_SIZE = 64L << 20;

    private MetadataReader() {
    }

    /**
     * The parsed metadata.
     *
     * @param traceClass the trace class
     * @param text       the metadata text (for packetized metadata, the concatenated payloads)
     * @param packetized true when the file was packetized
     */
    public record Result(TraceClass traceClass, String text, boolean packetized) {
    }

    /**
     * Reads and parses a metadata file.
     *
     * @throws CtfException when the file cannot be read, a packet is malformed, or the metadata is invalid
     */
    public static Result read(Path metadataFile) {
        byte[] bytes;
        try {
            long size = Files.size(metadataFile);
            if (size > MAX_SIZE) {
                throw CtfException.atOffset(metadataFile, 0, "metadata file is too large (" + size + " bytes)");
            }
            bytes = Files.readAllBytes(metadataFile);
        } catch (IOException e) {
            throw new CtfException(metadataFile + ": cannot read metadata: " + e.getMessage(), e);
        }
        return parse(bytes, metadataFile);
    }

    /** Parses metadata file contents; {@code file} is used in messages. */
    public static Result parse(byte[] bytes, Path file) {
        if (bytes.length >= 4) {
            int le = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (le == PACKET_MAGIC || Integer.reverseBytes(le) == PACKET_MAGIC) {
                String text = decode(depacketize(bytes, file));
                return new Result(TsdlParser.parse(text, file), text, true);
            }
        }
        if (bytes.length > 0 && bytes[0] == 0x1E) {
            String text = decode(bytes);
            return new Result(parseCtf2(text, file), text, false);
        }
        String text = decode(bytes);
        return new Result(TsdlParser.parse(text, file), text, false);
    }

    /**
     * CTF 2 JSON metadata goes to the CTF 2 parser ({@code io.tracestream.ctf.meta.json.Ctf2MetadataParser}); this
     * is the one place that calls it.
     */
    static TraceClass parseCtf2(String text, Path file) {
        return Ctf2MetadataParser.parse(text, file);
    }

    /** Concatenates the payloads of metadata packets, checking each header. */
    static byte[] depacketize(byte[] b, Path file) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        int first = buf.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        buf.order(first == PACKET_MAGIC ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        byte[] out = new byte[b.length];
        int outLen = 0;
        byte[] uuid = null;
        int off = 0;
        while (off < b.length) {
            if (b.length - off < HEADER_SIZE) {
                throw CtfException.atOffset(file, off, "truncated metadata packet header (" + (b.length - off)
                        + " bytes left, need " + HEADER_SIZE + ")");
            }
            int magic = buf.getInt(off);
            if (magic != PACKET_MAGIC) {
                throw CtfException.atOffset(file, off, String.format(
                        "bad metadata packet magic 0x%08X (expecting 0x%08X)", magic, PACKET_MAGIC));
            }
            byte[] pu = Arrays.copyOfRange(b, off + 4, off + 20);
            if (uuid == null) {
                uuid = pu;
            } else if (!Arrays.equals(uuid, pu)) {
                throw CtfException.atOffset(file, off + 4, "metadata packet UUID differs from the first packet's");
            }
            long contentBits = Integer.toUnsignedLong(buf.getInt(off + 24));
            long packetBits = Integer.toUnsignedLong(buf.getInt(off + 28));
            int compression = b[off + 32] & 0xff;
            int encryption = b[off + 33] & 0xff;
            int checksum = b[off + 34] & 0xff;
            int major = b[off + 35] & 0xff;
            int minor = b[off + 36] & 0xff;
            if (compression != 0 || encryption != 0 || checksum != 0) {
                throw CtfException.atOffset(file, off, "unsupported metadata packet compression, encryption or"
                        + " checksum scheme (" + compression + ", " + encryption + ", " + checksum + ")");
            }
            if (major != 1 || minor != 8) {
                throw CtfException.atOffset(file, off, "unsupported metadata packet version " + major + "." + minor
                        + " (expecting 1.8)");
            }
            if (packetBits % 8 != 0 || contentBits % 8 != 0) {
                throw CtfException.atOffset(file, off, "metadata packet size (" + packetBits + " bits) or content"
                        + " size (" + contentBits + " bits) is not a multiple of 8");
            }
            if (contentBits < HEADER_SIZE * 8L) {
                throw CtfException.atOffset(file, off, "metadata packet content size " + contentBits
                        + " bits is smaller than its header (" + HEADER_SIZE * 8 + " bits)");
            }
            if (contentBits > packetBits) {
                throw CtfException.atOffset(file, off, "metadata packet content size " + contentBits
                        + " bits is larger than its packet size " + packetBits + " bits");
            }
            if (packetBits / 8 > b.length - off) {
                throw CtfException.atOffset(file, off, "metadata packet size " + packetBits / 8
                        + " bytes goes past the end of the file (" + (b.length - off) + " bytes left)");
            }
            int payload = (int) (contentBits / 8) - HEADER_SIZE;
            System.arraycopy(b, off + HEADER_SIZE, out, outLen, payload);
            outLen += payload;
            off += (int) (packetBits / 8);
        }
        return Arrays.copyOf(out, outLen);
    }

    private static String decode(byte[] bytes) {
        int len = bytes.length;
        // Trailing NUL padding (seen after some packetized payloads) is not metadata.
        while (len > 0 && bytes[len - 1] == 0) {
            len--;
        }
        // Like babeltrace2, do not reject bytes that are not UTF-8 (they can only be in literals and names).
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }
}

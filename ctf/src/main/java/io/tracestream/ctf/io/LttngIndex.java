package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.PacketIndexEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads LTTng packet index files ({@code index/STREAM.idx} beside a stream file).
 *
 * <p>Layout (all fields big-endian): a 16-byte header {@code magic (0xC1F1DCC1), index_major, index_minor,
 * packet_index_len} (u32 each) followed by fixed-size entries of {@code packet_index_len} bytes. Each entry holds the
 * u64 fields {@code offset} (bytes), {@code packet_size} and {@code content_size} (bits), {@code timestamp_begin},
 * {@code timestamp_end}, {@code events_discarded}, {@code stream_id} (the stream class id); version 1.1 adds
 * {@code stream_instance_id} and {@code packet_seq_num}. Entries may be longer than this reader knows: the extra
 * bytes are skipped.
 *
 * <p>An index is accepted only when it fully describes its stream file: magic and major version right, entry size
 * at least the 1.0 size, a whole number of entries, sizes in whole bytes, packets contiguous from offset 0 and
 * covering exactly the stream file, {@code content_size <= packet_size}, {@code timestamp_begin <= timestamp_end}.
 * Otherwise {@link #read} throws a {@link CtfException} whose message says why, and callers fall back to scanning
 * the stream file's packet headers, as babeltrace2 does.
 */
public final class LttngIndex {
    /** The index file magic number. */
    public static final int MAGIC = 0xC1F1DCC1;
    static final int HEADER_SIZE = 16;
    /** Size of a version 1.0 entry (7 u64 fields). */
    static final int ENTRY_1_0_SIZE = 56;
    /** Size of a version 1.1 entry (9 u64 fields). */
    static final int ENTRY_1_1_SIZE = 72;
    /** Index files above this size are refused (about 29 M packets) so that a corrupt file cannot exhaust memory. */
    static final long MAX_INDEX_SIZE = 1L << 31;

    private LttngIndex() {
    }

    /** Where babeltrace2 and LTTng look for the index of a stream file: {@code DIR/index/NAME.idx}. */
    public static Path indexPathOf(Path streamFile) {
        Path dir = streamFile.toAbsolutePath().getParent();
        return dir.resolve("index").resolve(streamFile.getFileName().toString() + ".idx");
    }

    /**
     * Reads and validates the index of {@code streamFile}.
     *
     * @param indexFile      the {@code .idx} file
     * @param streamFile     the stream file it describes (recorded in each entry)
     * @param streamFileSize the stream file's size in bytes
     * @return the packets in file order
     * @throws CtfException when the index cannot be read or does not describe the stream file; the message names the
     *                      index file and the byte offset of the offending entry
     */
    public static List<PacketIndexEntry> read(Path indexFile, Path streamFile, long streamFileSize) {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_INDEX_SIZE) {
                throw CtfException.atOffset(indexFile, 0, "index file too large (" + size + " bytes)");
            }
            buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            buf.flip();
        } catch (IOException e) {
            throw new CtfException(indexFile + ": cannot read index file: " + e.getMessage(), e);
        }
        return parse(buf.order(ByteOrder.BIG_ENDIAN), indexFile, streamFile, streamFileSize);
    }

    static List<PacketIndexEntry> parse(ByteBuffer buf, Path indexFile, Path streamFile, long streamFileSize) {
        int size = buf.remaining();
        if (size < HEADER_SIZE) {
            throw CtfException.atOffset(indexFile, 0,
                    "index file too small for its header (" + size + " bytes, need " + HEADER_SIZE + ")");
        }
        int magic = buf.getInt(0);
        if (magic != MAGIC) {
            throw CtfException.atOffset(indexFile, 0, String.format(
                    "bad index magic 0x%08X (expected 0x%08X)", magic, MAGIC));
        }
        long major = Integer.toUnsignedLong(buf.getInt(4));
        long minor = Integer.toUnsignedLong(buf.getInt(8));
        long entrySize = Integer.toUnsignedLong(buf.getInt(12));
        if (major != 1) {
            throw CtfException.atOffset(indexFile, 4, "unknown index version " + major + "." + minor);
        }
        if (entrySize < ENTRY_1_0_SIZE) {
            throw CtfException.atOffset(indexFile, 12, "index entry size " + entrySize
                    + " is smaller than a version 1.0 entry (" + ENTRY_1_0_SIZE + ")");
        }
        boolean v11 = minor >= 1 && entrySize >= ENTRY_1_1_SIZE;
        long body = size - HEADER_SIZE;
        if (body % entrySize != 0) {
            throw CtfException.atOffset(indexFile, HEADER_SIZE, "index body of " + body
                    + " bytes is not a whole number of " + entrySize + "-byte entries");
        }
        int count = (int) (body / entrySize);
        List<PacketIndexEntry> entries = new ArrayList<>(count);
        long expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            int at = (int) (HEADER_SIZE + i * entrySize);
            long offset = buf.getLong(at);
            long packetBits = buf.getLong(at + 8);
            long contentBits = buf.getLong(at + 16);
            long tsBegin = buf.getLong(at + 24);
            long tsEnd = buf.getLong(at + 32);
            long discarded = buf.getLong(at + 40);
            long streamClassId = buf.getLong(at + 48);
            long instanceId = v11 ? buf.getLong(at + 56) : -1;
            long seqNum = v11 ? buf.getLong(at + 64) : -1;
            if (packetBits <= 0 || (packetBits & 7) != 0) {
                throw CtfException.atOffset(indexFile, at, "entry " + i + ": packet size " + packetBits
                        + " bits is not a positive whole number of bytes");
            }
            if (Long.compareUnsigned(contentBits, packetBits) > 0) {
                throw CtfException.atOffset(indexFile, at, "entry " + i + ": content size " + contentBits
                        + " bits exceeds packet size " + packetBits + " bits");
            }
            if (offset != expectedOffset) {
                throw CtfException.atOffset(indexFile, at, "entry " + i + ": packet offset " + offset
                        + " does not follow the previous packet (expected " + expectedOffset + ")");
            }
            long packetBytes = packetBits >>> 3;
            if (packetBytes > streamFileSize - offset) {
                throw CtfException.atOffset(indexFile, at, "entry " + i + ": packet [" + offset + ", "
                        + (offset + packetBytes) + ") extends past the end of " + streamFile + " ("
                        + streamFileSize + " bytes)");
            }
            if (Long.compareUnsigned(tsEnd, tsBegin) < 0) {
                throw CtfException.atOffset(indexFile, at, "entry " + i + ": timestamp_end " + Long.toUnsignedString(tsEnd)
                        + " is before timestamp_begin " + Long.toUnsignedString(tsBegin));
            }
            expectedOffset = offset + packetBytes;
            entries.add(new PacketIndexEntry(streamFile, offset, packetBits, contentBits, tsBegin, tsEnd,
                    discarded, seqNum, streamClassId, instanceId));
        }
        if (expectedOffset != streamFileSize) {
            throw CtfException.atOffset(indexFile, size, "index covers " + expectedOffset + " bytes but "
                    + streamFile + " has " + streamFileSize);
        }
        return Collections.unmodifiableList(entries);
    }

    /**
     * Reads the entries of an index file that may still be growing (a trace being recorded), from entry number
     * {@code firstEntry} on: only whole entries whose packet lies entirely within {@code streamFileSize} bytes of the
     * stream file are returned (LTTng writes a packet's data before its index entry, so such an entry describes a
     * complete packet). A missing or still too short index yields an empty list.
     *
     * @throws CtfException when the header or an entry is invalid (bad magic, version, entry size; packets not
     *                      contiguous or with impossible sizes)
     */
    public static List<PacketIndexEntry> readAvailable(Path indexFile, Path streamFile, long streamFileSize,
                                                       long firstEntry) {
        try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_SIZE) {
                return List.of();
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
            readFully(ch, head, 0);
            int magic = head.getInt(0);
            if (magic != MAGIC) {
                throw CtfException.atOffset(indexFile, 0, String.format(
                        "bad index magic 0x%08X (expected 0x%08X)", magic, MAGIC));
            }
            long major = Integer.toUnsignedLong(head.getInt(4));
            long minor = Integer.toUnsignedLong(head.getInt(8));
            long entrySize = Integer.toUnsignedLong(head.getInt(12));
            if (major != 1) {
                throw CtfException.atOffset(indexFile, 4, "unknown index version " + major + "." + minor);
            }
            if (entrySize < ENTRY_1_0_SIZE || entrySize > 4096) {
                throw CtfException.atOffset(indexFile, 12, "index entry size " + entrySize + " is out of range ["
                        + ENTRY_1_0_SIZE + ", 4096]");
            }
            boolean v11 = minor >= 1 && entrySize >= ENTRY_1_1_SIZE;
            long whole = (size - HEADER_SIZE) / entrySize;
            if (firstEntry >= whole) {
                return List.of();
            }
            long count = Math.min(whole - firstEntry, (1 << 20));
            ByteBuffer buf = ByteBuffer.allocate((int) (count * entrySize)).order(ByteOrder.BIG_ENDIAN);
            readFully(ch, buf, HEADER_SIZE + firstEntry * entrySize);
            count = Math.min(count, buf.limit() / entrySize);
            List<PacketIndexEntry> entries = new ArrayList<>((int) count);
            for (int i = 0; i < count; i++) {
                int at = (int) (i * entrySize);
                long fileAt = HEADER_SIZE + (firstEntry + i) * entrySize;
                long offset = buf.getLong(at);
                long packetBits = buf.getLong(at + 8);
                long contentBits = buf.getLong(at + 16);
                if (packetBits <= 0 || (packetBits & 7) != 0 || Long.compareUnsigned(contentBits, packetBits) > 0
                        || offset < 0) {
                    throw CtfException.atOffset(indexFile, fileAt, "entry " + (firstEntry + i) + ": packet size "
                            + packetBits + " bits / content size " + contentBits + " bits / offset " + offset
                            + " are not valid");
                }
                if (offset + (packetBits >>> 3) > streamFileSize) {
                    break; // indexed, but its data is not (all) there: not expected from LTTng, wait for it
                }
                entries.add(new PacketIndexEntry(streamFile, offset, packetBits, contentBits, buf.getLong(at + 24),
                        buf.getLong(at + 32), buf.getLong(at + 40), v11 ? buf.getLong(at + 64) : -1,
                        buf.getLong(at + 48), v11 ? buf.getLong(at + 56) : -1));
            }
            return entries;
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CtfException(indexFile + ": cannot read index file: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buf.flip();
    }

    /**
     * Reads the index of a stream file if there is a usable one.
     *
     * @param warnings receives one line when an index exists but is unusable
     * @return the entries, or null when there is no index or it is unusable
     */
    static List<PacketIndexEntry> readIfValid(Path streamFile, long streamFileSize,
                                              java.util.function.Consumer<String> warnings) {
        Path idx = indexPathOf(streamFile);
        if (!Files.isRegularFile(idx)) {
            return null;
        }
        try {
            return read(idx, streamFile, streamFileSize);
        } catch (CtfException e) {
            warnings.accept("invalid LTTng index, scanning the stream file instead: " + e.getMessage());
            return null;
        }
    }

    /** True when an entry has both packet timestamps. */
    static boolean hasTimes(PacketIndexEntry e) {
        return e.beginCycles() != ClockValue.NONE && e.endCycles() != ClockValue.NONE;
    }
}

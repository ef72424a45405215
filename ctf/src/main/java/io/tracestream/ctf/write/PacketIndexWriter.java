package io.tracestream.ctf.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Collects the entries of an LTTng packet index file ({@code TRACE/index/STREAM_FILE.idx}) and writes it.
 *
 * <p>Layout, as lttng-tools writes it ({@code src/common/index/ctf-index.h}); every integer is unsigned and
 * big-endian whatever the trace's byte order:
 * <pre>
 * header, 16 bytes:
 *   u32 magic            0xC1F1DCC1
 *   u32 index_major      1
 *   u32 index_minor      0 or 1
 *   u32 packet_index_len size of one entry in bytes: 56 (1.0) or 72 (1.1)
 * then one entry per packet, in file order:
 *   u64 offset               byte offset of the packet in the stream file
 *   u64 packet_size          packet size, in bits
 *   u64 content_size         content size, in bits
 *   u64 timestamp_begin      raw clock value (cycles) of the packet context's timestamp_begin
 *   u64 timestamp_end        raw clock value of timestamp_end
 *   u64 events_discarded     snapshot of the discarded event counter
 *   u64 stream_id            stream class id                          -- end of a 1.0 (56-byte) entry
 *   u64 stream_instance_id   data stream (instance) id                -- 1.1 only
 *   u64 packet_seq_num       packet sequence number                   -- 1.1 only
 * </pre>
 * A reader must use {@code packet_index_len} as the entry stride: later minor versions may append fields.
 */
final class PacketIndexWriter {
    static final int MAGIC = 0xC1F1DCC1;
    static final int HEADER_LENGTH = 16;
    static final int ENTRY_LENGTH_1_0 = 56;
    static final int ENTRY_LENGTH_1_1 = 72;

    private final int minor;
    private long[] values = new long[9 * 64];
    private int count;

    /** @param minor 1 for 72-byte entries (the default, as lttng 2.8+), 0 for 56-byte entries */
    PacketIndexWriter(int minor) {
        if (minor != 0 && minor != 1) {
            throw new IllegalArgumentException("index minor version must be 0 or 1, got " + minor);
        }
        this.minor = minor;
    }

    void add(long offset, long packetBits, long contentBits, long tsBegin, long tsEnd, long discarded,
             long streamClassId, long instanceId, long seqNum) {
        int i = count * 9;
        if (i + 9 > values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        long[] v = values;
        v[i] = offset;
        v[i + 1] = packetBits;
        v[i + 2] = contentBits;
        v[i + 3] = tsBegin;
        v[i + 4] = tsEnd;
        v[i + 5] = discarded;
        v[i + 6] = streamClassId;
        v[i + 7] = instanceId;
        v[i + 8] = seqNum;
        count++;
    }

    int entryCount() {
        return count;
    }

    void write(Path file) throws IOException {
        int entryLength = minor == 1 ? ENTRY_LENGTH_1_1 : ENTRY_LENGTH_1_0;
        int perEntry = entryLength / 8;
        ByteBuffer bb = ByteBuffer.allocate(HEADER_LENGTH + count * entryLength); // big-endian by default
        bb.putInt(MAGIC).putInt(1).putInt(minor).putInt(entryLength);
        for (int e = 0; e < count; e++) {
            for (int k = 0; k < perEntry; k++) {
                bb.putLong(values[e * 9 + k]);
            }
        }
        bb.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }
}

package io.tracestream.ftrace;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the records of one CPU's ring buffer, as captured from {@code per_cpu/cpuN/trace_pipe_raw}: the pages in the
 * order they were read, each cut after its data (the page header, the {@code commit} bytes of data, and the stored
 * lost-event count when there is one), so a page's size follows from its header.
 *
 * <p>Each page starts with an absolute timestamp and a commit word (data length and lost-event flags); its data is a
 * sequence of records, each with a 32-bit header: {@code type_len} (5 bits) and {@code time_delta} (27 bits, added
 * to the running timestamp). {@code type_len} 1..28 is a data record of {@code type_len * 4} bytes; 0 is a data
 * record whose length follows in the next 32-bit word; 29 is padding (a discarded record, or the end of the page
 * when its delta is 0); 30 is a time extend (a 59-bit delta: the next word shifted left by 27 plus time_delta);
 * 31 is an absolute time stamp. Memory use is one page.
 */
final class RingBufferReader implements Closeable {
    private static final int TYPE_PADDING = 29;
    private static final int TYPE_TIME_EXTEND = 30;
    private static final int TYPE_TIME_STAMP = 31;
    private static final int TYPE_DATA_MAX = 28;
    private static final long TS_MSB = 0xf8L << 56;

    private final HeaderPage header;
    private final int pageSize;
    private final ByteOrder order;
    private final FileChannel channel;
    private final String source;
    private final ByteBuffer page;

    private long pageFileOffset = -1;
    private long nextPageOffset;
    private int pos;
    private int end;
    private long ts;
    private long pendingLost;

    // the current record
    private long recordTs;
    private int recordOffset;
    private int recordLength;
    private long lostBefore;

    /**
     * @param file the captured pages
     * @param header page header layout
     * @param pageSize the size of each page in the file (the sub-buffer size)
     * @param order the kernel's byte order
     */
    RingBufferReader(Path file, HeaderPage header, int pageSize, ByteOrder order) {
        this.header = header;
        this.pageSize = pageSize;
        this.order = order;
        this.source = file.toString();
        this.page = ByteBuffer.allocate(pageSize).order(order);
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Timestamp of the current record (clock ticks of the buffer's trace clock). */
    long timestamp() {
        return recordTs;
    }

    /** The page holding the current record (valid until the next call of {@link #next()}). */
    ByteBuffer page() {
        return page;
    }

    /** Offset of the current record's data in {@link #page()}. */
    int dataOffset() {
        return recordOffset;
    }

    /** Length of the current record's data in bytes (may include alignment padding at the end). */
    int dataLength() {
        return recordLength;
    }

    /**
     * Number of events the kernel lost just before the current record (0 for none; -1 when it lost some but did not
     * say how many).
     */
    long lostBefore() {
        return lostBefore;
    }

    /** File offset of the page holding the current record (for error messages). */
    long pageOffset() {
        return pageFileOffset;
    }

    String source() {
        return source;
    }

    /**
     * Advances to the next data record.
     *
     * @return false at the end of the file
     * @throws FtraceException when a page is malformed (naming the file and offset)
     */
    boolean next() {
        while (true) {
            if (pos >= end) {
                if (!readPage()) {
                    return false;
                }
                continue;
            }
            if (end - pos < 4) {
                pos = end;
                continue;
            }
            int word = page.getInt(pos);
            int typeLen;
            int delta;
            if (order == ByteOrder.LITTLE_ENDIAN) {
                typeLen = word & 0x1f;
                delta = word >>> 5;
            } else {
                typeLen = word >>> 27;
                delta = word & 0x7ffffff;
            }
            switch (typeLen) {
                case TYPE_PADDING -> {
                    if (delta == 0) { // the rest of the page is empty
                        pos = end;
                        continue;
                    }
                    int len = arrayWord(pos);
                    pos = checkedAdvance(pos, 4 + len);
                    continue;
                }
                case TYPE_TIME_EXTEND -> {
                    long ext = ((long) arrayWord(pos) & 0xffffffffL) << 27 | delta;
                    ts += ext;
                    pos = checkedAdvance(pos, 8);
                    continue;
                }
                case TYPE_TIME_STAMP -> {
                    long abs = ((long) arrayWord(pos) & 0xffffffffL) << 27 | delta;
                    if ((ts & TS_MSB) != 0) {
                        abs |= ts & TS_MSB;
                        if (Long.compareUnsigned(abs, ts) < 0) {
                            abs += 1L << 59;
                        }
                    }
                    ts = abs;
                    pos = checkedAdvance(pos, 8);
                    continue;
                }
                default -> {
                    int dataStart;
                    int dataLen;
                    if (typeLen == 0) {
                        int len = arrayWord(pos);
                        if (len < 4) {
                            throw bad(pos, "record length " + len + " is too small");
                        }
                        dataStart = pos + 8;
                        dataLen = len - 4;
                    } else {
                        // 1..TYPE_DATA_MAX
                        dataStart = pos + 4;
                        dataLen = typeLen * 4;
                    }
                    if (dataStart + dataLen > end) {
                        throw bad(pos, "record of " + dataLen + " bytes runs past the page data (" + (end - pos)
                                + " bytes left)");
                    }
                    ts += delta;
                    recordTs = ts;
                    recordOffset = dataStart;
                    recordLength = dataLen;
                    lostBefore = pendingLost;
                    pendingLost = 0;
                    pos = dataStart + dataLen;
                    assert typeLen <= TYPE_DATA_MAX;
                    return true;
                }
            }
        }
    }

    private int arrayWord(int at) {
        if (at + 8 > end) {
            throw bad(at, "record header runs past the page data");
        }
        return page.getInt(at + 4);
    }

    private int checkedAdvance(int at, int size) {
        if (size <= 0 || at + size > end) {
            throw bad(at, "record of " + size + " bytes runs past the page data");
        }
        return at + size;
    }

    private FtraceException bad(int at, String what) {
        return new FtraceException(source + ": offset " + (pageFileOffset + at) + ": " + what);
    }

    private boolean readPage() {
        int headerBytes = header.dataOffset();
        page.clear();
        page.limit(headerBytes);
        if (!fill(nextPageOffset)) {
            if (page.position() == 0) {
                return false;
            }
            throw new FtraceException(source + ": offset " + nextPageOffset + ": truncated page header ("
                    + page.position() + " bytes)");
        }
        pageFileOffset = nextPageOffset;
        ts = page.getLong(header.timestampOffset());
        long commit = header.commitSize() == 8 ? page.getLong(header.commitOffset())
                : page.getInt(header.commitOffset()) & 0xffffffffL;
        long length = commit & ~HeaderPage.FLAGS & 0xffffffffL;
        boolean stored = (commit & HeaderPage.MISSED_EVENTS) != 0 && (commit & HeaderPage.MISSED_STORED) != 0;
        if (length > pageSize - headerBytes) {
            throw new FtraceException(source + ": offset " + (pageFileOffset + header.commitOffset())
                    + ": page data length " + length + " exceeds the page (" + (pageSize - headerBytes) + " bytes)");
        }
        int total = headerBytes + (int) length + (stored && headerBytes + length + 8 <= pageSize ? 8 : 0);
        page.limit(total);
        if (!fill(nextPageOffset)) {
            throw new FtraceException(source + ": offset " + pageFileOffset + ": truncated page (" + page.position()
                    + " of " + total + " bytes)");
        }
        nextPageOffset += total;
        pos = headerBytes;
        end = pos + (int) length;
        if ((commit & HeaderPage.MISSED_EVENTS) != 0) {
            long lost = total > end ? page.getLong(end) : -1;
            pendingLost = pendingLost < 0 || lost < 0 ? -1 : pendingLost + lost;
        }
        return true;
    }

    /** Reads into {@link #page} up to its limit; false at the end of the file before the limit. */
    private boolean fill(long fileOffset) {
        try {
            while (page.hasRemaining()) {
                int n = channel.read(page, fileOffset + page.position());
                if (n < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    /** Lost events announced by pages after the last record (reported by the caller at the end), as lostBefore. */
    long trailingLost() {
        return pendingLost;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }
}

package io.tracestream.ftrace;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes ring buffer pages the way the kernel lays them out ({@code kernel/trace/ring_buffer.c}), little-endian, for
 * fixtures generated in tests: page header (timestamp, commit word with the lost-event flags), then records with a
 * 32-bit header (type_len:5, time_delta:27), time extends, absolute time stamps and padding; each page cut after
 * its data, as the recorder stores them.
 */
final class RawPages {
    private final int pageSize;
    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private ByteBuffer page;
    private long lastTs;
    private long missed;
    private boolean missedUnknown;

    RawPages(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Starts a page whose first record is relative to {@code ts}. */
    RawPages page(long ts) {
        finishPage();
        page = ByteBuffer.allocate(pageSize).order(ByteOrder.LITTLE_ENDIAN);
        page.putLong(0, ts);
        page.position(16);
        lastTs = ts;
        return this;
    }

    /** Marks the current page as following {@code n} lost events (stored after the data). */
    RawPages lost(long n) {
        missed = n;
        return this;
    }

    /** Marks the current page as following lost events, count not stored. */
    RawPages lostUnknown() {
        missedUnknown = true;
        return this;
    }

    /**
     * A data record at {@code ts}: a time extend first when the delta does not fit 27 bits; the short form
     * (type_len = length / 4) when {@code data} is at most 112 bytes and {@code forceLong} is false.
     */
    RawPages record(long ts, byte[] data, boolean forceLong) {
        long delta = ts - lastTs;
        if (delta >= (1L << 27)) {
            header(30, (int) (delta & ((1 << 27) - 1)));
            page.putInt((int) (delta >>> 27));
            delta = 0;
        }
        int padded = (data.length + 3) & ~3;
        if (padded <= 112 && !forceLong) {
            header(padded / 4, (int) delta);
        } else {
            header(0, (int) delta);
            page.putInt(padded + 4);
        }
        page.put(data);
        for (int i = data.length; i < padded; i++) {
            page.put((byte) 0);
        }
        lastTs = ts;
        return this;
    }

    /** An absolute time stamp record (type 31). */
    RawPages absolute(long ts) {
        header(31, (int) (ts & ((1 << 27) - 1)));
        page.putInt((int) (ts >>> 27));
        lastTs = ts;
        return this;
    }

    /** A discarded record turned into padding (type 29 with a non-zero delta and a length). */
    RawPages discardedRecord(int dataBytes) {
        header(29, 1);
        page.putInt(dataBytes + 4); // array[0] = whole length minus the 4-byte header (rb_event_discard)
        page.position(page.position() + dataBytes);
        return this;
    }

    private void header(int typeLen, int delta) {
        page.putInt(typeLen | (delta << 5));
    }

    private void finishPage() {
        if (page == null) {
            return;
        }
        int length = page.position() - 16;
        long commit = length;
        if (missed > 0) {
            commit |= HeaderPage.MISSED_EVENTS | HeaderPage.MISSED_STORED;
            page.putLong(page.position(), missed);
        } else if (missedUnknown) {
            commit |= HeaderPage.MISSED_EVENTS;
        }
        page.putLong(8, commit);
        // as the recorder keeps it: header, data, and the stored lost count
        file.write(page.array(), 0, 16 + length + (missed > 0 ? 8 : 0));
        page = null;
        missed = 0;
        missedUnknown = false;
    }

    byte[] bytes() {
        finishPage();
        return file.toByteArray();
    }

    /** Builds one event's data: common header then fields at given offsets. */
    static final class Data {
        private final ByteBuffer b;
        private int dynamicEnd;

        Data(int type, int pid, int fixedSize) {
            b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort(0, (short) type);
            b.put(2, (byte) 0);
            b.put(3, (byte) 0);
            b.putInt(4, pid);
            dynamicEnd = fixedSize;
        }

        Data i32(int offset, int v) {
            b.putInt(offset, v);
            return this;
        }

        Data i64(int offset, long v) {
            b.putLong(offset, v);
            return this;
        }

        Data chars(int offset, int size, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < size; i++) {
                b.put(offset + i, i < bytes.length ? bytes[i] : 0);
            }
            return this;
        }

        /** A {@code __data_loc char[]} field at {@code offset}: the string (with its NUL) goes at the end. */
        Data dataLoc(int offset, String s) {
            byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_8);
            b.putInt(offset, (bytes.length << 16) | dynamicEnd);
            for (int i = 0; i < bytes.length; i++) {
                b.put(dynamicEnd + i, bytes[i]);
            }
            dynamicEnd += bytes.length;
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[dynamicEnd];
            b.get(0, out);
            return out;
        }
    }
}

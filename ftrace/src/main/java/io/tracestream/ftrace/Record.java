package io.tracestream.ftrace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A view of one ftrace event record's data inside a page (reused for every record: no allocation per event).
 * Field values are read with the layout of the record's {@link EventFormat}.
 */
final class Record {
    ByteBuffer page;
    int offset;
    int length;
    long timestamp;
    int cpu;

    void set(ByteBuffer page, int offset, int length, long timestamp, int cpu) {
        this.page = page;
        this.offset = offset;
        this.length = length;
        this.timestamp = timestamp;
        this.cpu = cpu;
    }

    /** The event type id ({@code common_type}, the first 16 bits). */
    int type() {
        return page.getShort(offset) & 0xffff;
    }

    /** The {@code common_pid} (the thread that emitted the event). */
    int commonPid() {
        return page.getInt(offset + 4);
    }

    /** An integer field (1, 2, 4 or 8 bytes), sign-extended when the format says it is signed. */
    long integer(EventFormat.Field f) {
        return integerAt(f.offset(), f.size(), f.signed());
    }

    long integerAt(int fieldOffset, int size, boolean signed) {
        int at = offset + fieldOffset;
        if (fieldOffset + size > length) {
            return 0;
        }
        return switch (size) {
            case 1 -> signed ? page.get(at) : page.get(at) & 0xffL;
            case 2 -> signed ? page.getShort(at) : page.getShort(at) & 0xffffL;
            case 4 -> signed ? page.getInt(at) : page.getInt(at) & 0xffffffffL;
            case 8 -> page.getLong(at);
            default -> 0;
        };
    }

    /** Element {@code i} of a fixed-size integer array field. */
    long element(EventFormat.Field f, int i) {
        int elementSize = f.size() / f.elements();
        return integerAt(f.offset() + i * elementSize, elementSize, f.signed());
    }

    /** Offset in {@link #page} and length (up to the first NUL) of a string field's bytes. */
    long stringSpan(EventFormat.Field f) {
        int start;
        int max;
        if (f.kind() == EventFormat.Kind.DATA_LOC || f.kind() == EventFormat.Kind.REL_LOC) {
            int loc = (int) integerAt(f.offset(), 4, false);
            int off = loc & 0xffff;
            int len = loc >>> 16;
            if (f.kind() == EventFormat.Kind.REL_LOC) {
                off += f.offset() + f.size();
            }
            if (off + len > length) {
                len = Math.max(0, length - off);
            }
            start = offset + off;
            max = len;
        } else {
            start = offset + f.offset();
            max = Math.min(f.size(), length - f.offset());
        }
        int n = 0;
        while (n < max && page.get(start + n) != 0) {
            n++;
        }
        return ((long) start << 32) | n;
    }

    /** A string field as a Java string (allocates; for state tracking, not the write path). */
    String string(EventFormat.Field f) {
        long span = stringSpan(f);
        int start = (int) (span >>> 32);
        int n = (int) span;
        return new String(page.array(), page.arrayOffset() + start, n, StandardCharsets.UTF_8);
    }
}

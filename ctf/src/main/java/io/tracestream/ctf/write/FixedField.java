package io.tracestream.ctf.write;

/**
 * One fixed-size field of a packet header, packet context or event header, with where its value comes from. These
 * scopes are written by the writer itself, from a flat list of these computed once per stream class.
 */
final class FixedField {
    static final int ZERO = 0;
    static final int CONST = 1;
    static final int MAGIC = 2;
    static final int UUID_BYTE = 3;
    static final int STREAM_CLASS_ID = 4;
    static final int STREAM_INSTANCE_ID = 5;
    static final int TS_BEGIN = 6;
    static final int TS_END = 7;
    static final int CONTENT_SIZE = 8;
    static final int PACKET_SIZE = 9;
    static final int DISCARDED = 10;
    static final int SEQ_NUM = 11;
    /** A packet context member set by {@link StreamWriter#packetContext(String, long)}; {@link #name} is its name. */
    static final int USER = 12;
    static final int EVENT_ID = 13;
    static final int TIMESTAMP = 14;

    final String name;
    final int align;
    final int size;
    final boolean bigEndian;
    final boolean isFloat;
    int source;
    long constant;
    /** Slot where the value is saved for later lengths/selectors, or -1. */
    int slot = -1;

    FixedField(String name, int align, int size, boolean bigEndian, boolean isFloat, int source) {
        this.name = name;
        this.align = align;
        this.size = size;
        this.bigEndian = bigEndian;
        this.isFloat = isFloat;
        this.source = source;
    }

    FixedField copy() {
        FixedField f = new FixedField(name, align, size, bigEndian, isFloat, source);
        f.constant = constant;
        f.slot = slot;
        return f;
    }

    /** Writes {@code v} (raw bits; for floats a {@code double}'s bits are converted to the field's length). */
    void write(BitBuffer b, long v) {
        if (size == 0) {
            b.align(align);
            return;
        }
        if (isFloat && size == 32) {
            v = Float.floatToRawIntBits((float) Double.longBitsToDouble(v)) & 0xFFFF_FFFFL;
        }
        b.putInt(v, align, size, bigEndian);
    }
}

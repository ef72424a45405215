package io.tracestream.ctf.meta;

/** Byte order of a fixed-length field. */
public enum ByteOrder {
    BIG_ENDIAN, LITTLE_ENDIAN;

    /** Returns the opposite byte order. */
    public ByteOrder reverse() {
        return this == BIG_ENDIAN ? LITTLE_ENDIAN : BIG_ENDIAN;
    }
}

package io.tracestream.ctf.meta;

import java.util.Map;

/**
 * A string field class: null-terminated (CTF 1.8 {@code string}), static-length or dynamic-length (CTF 2).
 * CTF 1.8 arrays and sequences of 8-bit integers with an encoding are modelled as {@link ArrayClass} with
 * {@link ArrayClass#isText()} true, as babeltrace2 does.
 */
public final class StringClass extends FieldClass {

    /** How the string's length is known. */
    public enum Kind { NULL_TERMINATED, STATIC_LENGTH, DYNAMIC_LENGTH }

    /** Character encoding of the bytes. */
    public enum Encoding { UTF8, UTF16BE, UTF16LE, UTF32BE, UTF32LE, ASCII }

    private final Kind kind;
    private final long staticLength;
    private final FieldPath lengthPath;
    private final Encoding encoding;

    public StringClass(Kind kind, long staticLength, FieldPath lengthPath, Encoding encoding,
                       Map<String, Object> attributes) {
        super(8, attributes);
        this.kind = kind;
        this.staticLength = staticLength;
        this.lengthPath = lengthPath;
        this.encoding = encoding;
    }

    /** A null-terminated UTF-8 string. */
    public static StringClass nullTerminated() {
        return new StringClass(Kind.NULL_TERMINATED, -1, null, Encoding.UTF8, null);
    }

    public Kind kind() { return kind; }
    /** Length in bytes for {@link Kind#STATIC_LENGTH}, else -1. */
    public long staticLength() { return staticLength; }
    /** Path to the length field for {@link Kind#DYNAMIC_LENGTH}, else null. */
    public FieldPath lengthPath() { return lengthPath; }
    public Encoding encoding() { return encoding; }

    @Override
    public boolean isFixedSize() { return kind == Kind.STATIC_LENGTH; }

    @Override
    public long fixedSizeBits() { return kind == Kind.STATIC_LENGTH ? staticLength * 8 : -1; }
}

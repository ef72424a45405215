package io.tracestream.ctf.meta;

import java.util.List;
import java.util.Map;

/**
 * An integer field class: CTF 1.8 {@code integer} and {@code enum}, CTF 2 fixed-length and variable-length
 * (LEB128) integers, fixed-length booleans and bit arrays.
 *
 * <p>An enumeration is an integer class with a non-empty {@link #mappings()} list; CTF 2 integer classes may also
 * carry mappings. A value may match several mappings, or none.
 */
public final class IntegerClass extends FieldClass {

    /** What the bits mean. */
    public enum Kind { INTEGER, BOOLEAN, BIT_ARRAY }

    /** Text encoding of an integer that represents a character (CTF 1.8 {@code encoding}). */
    public enum Encoding { NONE, UTF8, ASCII }

    /** A special meaning of an integer field, from CTF 2 roles or CTF 1.8 well-known field names. */
    public enum Role {
        PACKET_MAGIC_NUMBER, METADATA_STREAM_UUID, DATA_STREAM_CLASS_ID, DATA_STREAM_ID,
        PACKET_TOTAL_LENGTH, PACKET_CONTENT_LENGTH, DEFAULT_CLOCK_TIMESTAMP, PACKET_END_DEFAULT_CLOCK_TIMESTAMP,
        DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT, PACKET_SEQUENCE_NUMBER, EVENT_RECORD_CLASS_ID
    }

    /** One named mapping: a label and the integer ranges it covers (bounds inclusive). */
    public record Mapping(String label, List<Range> ranges) {
        public boolean contains(long value, boolean signed) {
            for (Range r : ranges) {
                if (r.contains(value, signed)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An inclusive integer range; for unsigned classes bounds compare as unsigned 64-bit values. */
    public record Range(long lower, long upper) {
        public boolean contains(long value, boolean signed) {
            return signed ? value >= lower && value <= upper
                    : Long.compareUnsigned(value, lower) >= 0 && Long.compareUnsigned(value, upper) <= 0;
        }
    }

    private final Kind kind;
    private final int length;
    private final boolean signed;
    private final boolean variableLength;
    private final ByteOrder byteOrder;
    private final boolean lsbFirst;
    private final int base;
    private final Encoding encoding;
    private final String mappedClock;
    private final List<Mapping> mappings;
    private final boolean enumeration;
    private final List<Role> roles;
    private final List<Mapping> flags;

    private IntegerClass(Builder b) {
        super(b.alignment, b.attributes);
        this.kind = b.kind;
        this.length = b.length;
        this.signed = b.signed;
        this.variableLength = b.variableLength;
        this.byteOrder = b.byteOrder;
        this.lsbFirst = b.lsbFirst;
        this.base = b.base;
        this.encoding = b.encoding;
        this.mappedClock = b.mappedClock;
        this.mappings = List.copyOf(b.mappings);
        this.enumeration = b.enumeration;
        this.roles = List.copyOf(b.roles);
        this.flags = List.copyOf(b.flags);
        if (!variableLength && (length < 1 || length > 64)) {
            throw new IllegalArgumentException("integer length must be 1..64 bits, got " + length);
        }
    }

    public Kind kind() { return kind; }
    /** Length in bits (1..64); 0 for a variable-length integer. */
    public int length() { return length; }
    public boolean signed() { return signed; }
    /** True for a CTF 2 variable-length (unsigned or signed LEB128) integer. */
    public boolean variableLength() { return variableLength; }
    public ByteOrder byteOrder() { return byteOrder; }
    /** CTF 2 bit order: true when the first bit is the least significant one (the default for little endian). */
    public boolean lsbFirst() { return lsbFirst; }
    /** Preferred display base: 2, 8, 10 or 16. */
    public int base() { return base; }
    public Encoding encoding() { return encoding; }
    /** Name of the clock class this integer's value is a timestamp of, or null. */
    public String mappedClock() { return mappedClock; }
    public List<Mapping> mappings() { return mappings; }
    /** True for a CTF 1.8 {@code enum} (the TSDL spelling), which babeltrace2 prints as an enumeration. */
    public boolean isEnumeration() { return enumeration; }
    public List<Role> roles() { return roles; }
    public boolean hasRole(Role role) { return roles.contains(role); }
    /**
     * CTF 2 bit map flags ({@link Kind#BIT_ARRAY} only): each flag is a label and the ranges of bit indexes (0 is the
     * least significant bit) that are set when the flag is on. Empty for other classes.
     */
    public List<Mapping> flags() { return flags; }

    @Override
    public boolean isFixedSize() { return !variableLength; }

    @Override
    public long fixedSizeBits() { return variableLength ? -1 : length; }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.alignment = alignment(); b.attributes = attributes(); b.kind = kind; b.length = length; b.signed = signed;
        b.variableLength = variableLength; b.byteOrder = byteOrder; b.lsbFirst = lsbFirst; b.base = base;
        b.encoding = encoding; b.mappedClock = mappedClock; b.mappings = mappings; b.enumeration = enumeration;
        b.roles = roles; b.flags = flags;
        return b;
    }

    public static Builder builder() { return new Builder(); }

    /** Builds an {@link IntegerClass}; defaults: 8-bit aligned... unsigned, little endian, base 10. */
    public static final class Builder {
        private int alignment = 1;
        private Map<String, Object> attributes;
        private Kind kind = Kind.INTEGER;
        private int length = 32;
        private boolean signed;
        private boolean variableLength;
        private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        private Boolean lsbFirstExplicit;
        private boolean lsbFirst = true;
        private int base = 10;
        private Encoding encoding = Encoding.NONE;
        private String mappedClock;
        private List<Mapping> mappings = List.of();
        private boolean enumeration;
        private List<Role> roles = List.of();
        private List<Mapping> flags = List.of();

        public Builder alignment(int bits) { this.alignment = bits; return this; }
        public Builder attributes(Map<String, Object> a) { this.attributes = a; return this; }
        public Builder kind(Kind k) { this.kind = k; return this; }
        public Builder length(int bits) { this.length = bits; return this; }
        public Builder signed(boolean s) { this.signed = s; return this; }
        public Builder variableLength(boolean v) { this.variableLength = v; if (v) { length = 0; } return this; }
        public Builder byteOrder(ByteOrder o) {
            this.byteOrder = o;
            if (lsbFirstExplicit == null) { lsbFirst = o == ByteOrder.LITTLE_ENDIAN; }
            return this;
        }
        public Builder lsbFirst(boolean v) { this.lsbFirstExplicit = v; this.lsbFirst = v; return this; }
        public Builder base(int b) { this.base = b; return this; }
        public Builder encoding(Encoding e) { this.encoding = e; return this; }
        public Builder mappedClock(String c) { this.mappedClock = c; return this; }
        public Builder mappings(List<Mapping> m) { this.mappings = m; return this; }
        public Builder enumeration(boolean e) { this.enumeration = e; return this; }
        public Builder roles(List<Role> r) { this.roles = r; return this; }
        /** CTF 2 bit map flags: labels with ranges of bit indexes; see {@link IntegerClass#flags()}. */
        public Builder flags(List<Mapping> f) { this.flags = f; return this; }
        public IntegerClass build() { return new IntegerClass(this); }
    }
}

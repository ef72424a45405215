package io.tracestream.ctf.meta;

import java.util.Map;

/**
 * The type of one field: how its bits are laid out and how its value is interpreted.
 *
 * <p>Instances are immutable once the trace class that holds them is built. {@link #alignment()} is in bits.
 */
public abstract sealed class FieldClass
        permits IntegerClass, FloatClass, StringClass, BlobClass, StructClass, ArrayClass, VariantClass,
        OptionalClass {

    private final int alignment;
    private final Map<String, Object> attributes;

    protected FieldClass(int alignment, Map<String, Object> attributes) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        this.alignment = alignment;
        this.attributes = attributes == null ? Map.of() : attributes;
    }

    /** Alignment of the field's first bit, in bits (a power of two). */
    public final int alignment() {
        return alignment;
    }

    /** User attributes (CTF 2 {@code attributes}); empty for CTF 1.8. */
    public final Map<String, Object> attributes() {
        return attributes;
    }

    /** True when the encoded size of this class is the same for every field (no strings, sequences, variants). */
    public abstract boolean isFixedSize();

    /** Encoded size in bits when {@link #isFixedSize()}, else -1. */
    public abstract long fixedSizeBits();
}

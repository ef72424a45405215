package io.tracestream.ctf.meta;

import java.util.List;
import java.util.Map;

/**
 * A CTF 2 optional field class: the field is present when its selector (an earlier boolean field, or an earlier
 * integer field within {@link #selectorRanges()}) says so.
 */
public final class OptionalClass extends FieldClass {
    private final FieldClass type;
    private final FieldPath selectorPath;
    private final List<IntegerClass.Range> selectorRanges;

    public OptionalClass(FieldClass type, FieldPath selectorPath, List<IntegerClass.Range> selectorRanges,
                         Map<String, Object> attributes) {
        super(1, attributes);
        this.type = type;
        this.selectorPath = selectorPath;
        this.selectorRanges = selectorRanges == null ? List.of() : List.copyOf(selectorRanges);
    }

    public FieldClass type() { return type; }
    public FieldPath selectorPath() { return selectorPath; }
    /** Ranges for an integer selector; empty for a boolean selector. */
    public List<IntegerClass.Range> selectorRanges() { return selectorRanges; }

    @Override
    public boolean isFixedSize() { return false; }

    @Override
    public long fixedSizeBits() { return -1; }
}

package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.FieldClass;

/**
 * One instruction of a compiled encoding program (see {@link StreamPlan}). Leaf instructions ({@code kind <
 * FIRST_CONTROL}) consume one value from the caller; control instructions are run by the interpreter between
 * leaves. All fields are fixed when the program is compiled.
 */
final class Op {
    static final int INT = 0;
    static final int VARINT = 1;
    static final int FLOAT = 2;
    /** Null-terminated string. */
    static final int STRING = 3;
    /** Text of a static ({@link #length}) or dynamic ({@link #lengthSlot}) number of bytes, zero-padded. */
    static final int TEXT = 4;
    /** Bytes of a static or dynamic length. */
    static final int BLOB = 5;

    static final int FIRST_CONTROL = 16;
    static final int ALIGN = 16;
    /** Array start: align, read the length, skip to {@link #target} when empty. */
    static final int ARRAY = 17;
    /** Array end: loop back to {@link #target} while elements remain. */
    static final int ARRAY_END = 18;
    /** Variant: jump to the option selected by {@link #selectorSlot}. */
    static final int VARIANT = 19;
    static final int JUMP = 20;
    /** Optional: skip to {@link #target} when the selector says absent. */
    static final int OPTIONAL = 21;
    static final int END = 22;

    final int kind;
    final FieldClass type;
    /** Dotted path of the field, for messages. */
    final String path;
    int align = 1;
    int size;
    boolean bigEndian;
    boolean signed;
    /** Slot where this integer's value is saved for later lengths/selectors, or -1. */
    int slot = -1;
    /** Static length (elements or bytes), or -1 when {@link #lengthSlot} gives it. */
    long length = -1;
    int lengthSlot = -1;
    int target = -1;
    /** Variant/optional selector slot and ranges (inclusive) with their targets. */
    int selectorSlot = -1;
    boolean selectorSigned;
    long[] rangeLower = new long[0];
    long[] rangeUpper = new long[0];
    int[] rangeTarget = new int[0];

    Op(int kind, FieldClass type, String path) {
        this.kind = kind;
        this.type = type;
        this.path = path;
    }

    String kindName() {
        return switch (kind) {
            case INT -> "integer";
            case VARINT -> "variable-length integer";
            case FLOAT -> "floating point number";
            case STRING, TEXT -> "string";
            case BLOB -> "BLOB";
            default -> "control";
        };
    }
}

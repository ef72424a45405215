package io.tracestream.ctf.meta;

import java.util.Map;

/**
 * An array field class: static length (CTF 1.8 array, CTF 2 static-length array) or dynamic length whose length is
 * an earlier unsigned integer field (CTF 1.8 sequence, CTF 2 dynamic-length array).
 */
public final class ArrayClass extends FieldClass {
    private final FieldClass elementType;
    private final long staticLength;
    private final FieldPath lengthPath;
    private final boolean text;

    /**
     * @param staticLength number of elements when {@code lengthPath} is null
     * @param lengthPath   path of the length field for a dynamic array, else null
     * @param text         true when the elements are 8-bit integers with an encoding: shown as a string
     */
    public ArrayClass(FieldClass elementType, long staticLength, FieldPath lengthPath, int minimumAlignment,
                      boolean text, Map<String, Object> attributes) {
        super(Math.max(minimumAlignment, elementType.alignment()), attributes);
        this.elementType = elementType;
        this.staticLength = staticLength;
        this.lengthPath = lengthPath;
        this.text = text;
    }

    public FieldClass elementType() { return elementType; }
    public boolean isStaticLength() { return lengthPath == null; }
    /** Number of elements when static, else -1. */
    public long staticLength() { return lengthPath == null ? staticLength : -1; }
    public FieldPath lengthPath() { return lengthPath; }
    /** True for an array of encoded 8-bit integers, which is decoded and shown as a string. */
    public boolean isText() { return text; }

    @Override
    public boolean isFixedSize() { return lengthPath == null && elementType.isFixedSize(); }

    @Override
    public long fixedSizeBits() {
        if (!isFixedSize()) {
            return -1;
        }
        if (staticLength == 0) {
            return 0;
        }
        long a = elementType.alignment();
        long elem = (elementType.fixedSizeBits() + a - 1) / a * a;
        return elem * (staticLength - 1) + elementType.fixedSizeBits();
    }
}

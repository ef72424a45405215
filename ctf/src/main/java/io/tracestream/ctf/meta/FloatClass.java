package io.tracestream.ctf.meta;

import java.util.Map;

/** A fixed-length IEEE 754 floating point field class (32 or 64 bits). */
public final class FloatClass extends FieldClass {
    private final int length;
    private final ByteOrder byteOrder;
    private final int exponentDigits;
    private final int mantissaDigits;

    /**
     * @param length 32 or 64
     * @param exponentDigits TSDL {@code exp_dig} (8 or 11)
     * @param mantissaDigits TSDL {@code mant_dig} (24 or 53, includes the implicit bit)
     */
    public FloatClass(int alignment, int length, ByteOrder byteOrder, int exponentDigits, int mantissaDigits,
                      Map<String, Object> attributes) {
        super(alignment, attributes);
        if (length != 32 && length != 64) {
            throw new IllegalArgumentException("floating point length must be 32 or 64 bits, got " + length);
        }
        this.length = length;
        this.byteOrder = byteOrder;
        this.exponentDigits = exponentDigits;
        this.mantissaDigits = mantissaDigits;
    }

    public int length() { return length; }
    public ByteOrder byteOrder() { return byteOrder; }
    public int exponentDigits() { return exponentDigits; }
    public int mantissaDigits() { return mantissaDigits; }

    @Override
    public boolean isFixedSize() { return true; }

    @Override
    public long fixedSizeBits() { return length; }
}

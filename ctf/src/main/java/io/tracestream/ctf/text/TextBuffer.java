package io.tracestream.ctf.text;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for building text lines without allocation: ASCII/UTF-8 appends and fast decimal,
 * hexadecimal, octal and zero-padded number formatting. Not thread safe.
 */
final class TextBuffer {
    private static final byte[] DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** "00".."99" as pairs of ASCII digits. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private byte[] buf;
    private int len;

    TextBuffer(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int length() {
        return len;
    }

    void setLength(int n) {
        len = n;
    }

    byte[] array() {
        return buf;
    }

    void clear() {
        len = 0;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            int cap = Math.max(buf.length * 2, len + extra);
            if (cap < 0) {
                throw new OutOfMemoryError("text line too long");
            }
            buf = Arrays.copyOf(buf, cap);
        }
    }

    TextBuffer append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    TextBuffer append(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    TextBuffer append(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends an ASCII string (each char must be below 0x80). */
    TextBuffer ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends a string as UTF-8 (unpaired surrogates become '?'). */
    TextBuffer utf8(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (len == buf.length) {
                    ensure(n - i);
                }
                buf[len++] = (byte) c;
            } else {
                i = utf8Char(s, i);
            }
        }
        return this;
    }

    /** Appends the non-ASCII character at {@code i} (and its low surrogate); returns the last index consumed. */
    int utf8Char(String s, int i) {
        ensure(4);
        char c = s.charAt(i);
        if (c < 0x800) {
            buf[len++] = (byte) (0xC0 | c >> 6);
            buf[len++] = (byte) (0x80 | c & 0x3F);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[len++] = (byte) (0xF0 | cp >> 18);
            buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[len++] = (byte) (0x80 | cp & 0x3F);
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            buf[len++] = '?';
            return i;
        }
        buf[len++] = (byte) (0xE0 | c >> 12);
        buf[len++] = (byte) (0x80 | c >> 6 & 0x3F);
        buf[len++] = (byte) (0x80 | c & 0x3F);
        return i;
    }

    /** Appends a signed decimal ({@code %PRId64}). */
    TextBuffer decimal(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii("-9223372036854775808");
            }
            append('-');
            v = -v;
        }
        return unsignedDecimal(v);
    }

    /** Appends an unsigned 64-bit decimal ({@code %PRIu64}). */
    TextBuffer unsignedDecimal(long v) {
        if (v >= 0 && v < 100) {
            ensure(2);
            if (v < 10) {
                buf[len++] = (byte) ('0' + v);
            } else {
                buf[len++] = PAIRS[2 * (int) v];
                buf[len++] = PAIRS[2 * (int) v + 1];
            }
            return this;
        }
        if (v < 0) {
            long q = Long.divideUnsigned(v, 10);
            unsignedDecimal(q);
            return append((char) ('0' + (v - q * 10)));
        }
        int n = digits(v);
        ensure(n);
        writeDigits(v, len + n);
        len += n;
        return this;
    }

    /** Writes the digits of {@code v >= 0} so that the last one is at {@code end - 1}. */
    private void writeDigits(long v, int end) {
        byte[] b = buf;
        int p = end;
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            v = q;
            b[--p] = PAIRS[2 * r + 1];
            b[--p] = PAIRS[2 * r];
        }
        int i = (int) v;
        while (i >= 100) {
            int q = i / 100;
            int r = i - q * 100;
            i = q;
            b[--p] = PAIRS[2 * r + 1];
            b[--p] = PAIRS[2 * r];
        }
        if (i >= 10) {
            b[--p] = PAIRS[2 * i + 1];
            b[--p] = PAIRS[2 * i];
        } else {
            b[--p] = (byte) ('0' + i);
        }
    }

    /** Appends a non-negative value zero-padded to {@code width} digits ({@code %0Nu}). */
    TextBuffer padded(long v, int width) {
        if (v < 0) {
            String s = Long.toUnsignedString(v);
            for (int i = s.length(); i < width; i++) {
                append('0');
            }
            return ascii(s);
        }
        int n = digits(v);
        int w = Math.max(n, width);
        ensure(w);
        for (int i = n; i < width; i++) {
            buf[len++] = '0';
        }
        writeDigits(v, len + n);
        len += n;
        return this;
    }

    /** Appends two digits (0..99). */
    TextBuffer twoDigits(int v) {
        ensure(2);
        buf[len++] = PAIRS[2 * v];
        buf[len++] = PAIRS[2 * v + 1];
        return this;
    }

    /** Appends an unsigned value in upper-case hexadecimal, without prefix ({@code %PRIX64}). */
    TextBuffer hex(long v) {
        int n = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            buf[len + i] = DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        }
        len += n;
        return this;
    }

    /** Appends the low {@code bits} bits of {@code v} as binary digits, most significant first. */
    TextBuffer binary(long v, int bits) {
        ensure(bits);
        byte[] b = buf;
        int p = len;
        for (int bit = bits - 1; bit >= 0; bit--) {
            b[p++] = (byte) ('0' + ((v >>> bit) & 1));
        }
        len = p;
        return this;
    }

    /** Appends an unsigned value in octal, without prefix ({@code %PRIo64}). */
    TextBuffer octal(long v) {
        int n = v == 0 ? 1 : (66 - Long.numberOfLeadingZeros(v)) / 3;
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            buf[len + i] = (byte) ('0' + (v & 7));
            v >>>= 3;
        }
        len += n;
        return this;
    }

    private static int digits(long v) {
        // v >= 0
        if (v < 100_000L) {
            return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10_000 ? 4 : 5;
        }
        if (v < 10_000_000_000L) {
            return v < 10_000_000L ? (v < 1_000_000L ? 6 : 7) : v < 100_000_000L ? 8
                    : v < 1_000_000_000L ? 9 : 10;
        }
        long p = 100_000_000_000L;
        for (int i = 11; i < 19; i++) {
            if (v < p) {
                return i;
            }
            p *= 10;
        }
        return 19;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}

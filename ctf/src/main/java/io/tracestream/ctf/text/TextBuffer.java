package io.tracestream.ctf.text;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    /** 8 bytes at any offset of a byte array, little-endian: short constants are copied a word at a time. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        ensure(20);
        len = putSigned(buf, len, v);
        return this;
    }

    /** Appends an unsigned 64-bit decimal ({@code %PRIu64}). */
    TextBuffer unsignedDecimal(long v) {
        ensure(20);
        len = putUnsigned(buf, len, v);
        return this;
    }

    /** Integer formats of {@link #prefixedInteger}. */
    static final byte SIGNED = 1;
    static final byte UNSIGNED = 2;
    static final byte HEX = 3;
    static final byte OCTAL = 4;
    static final byte BINARY = 5;

    /**
     * Appends a prefix ({@link #words} of {@code prefixLength} bytes) then an integer, with one capacity check: {@link #SIGNED} or {@link #UNSIGNED} decimal,
     * {@link #HEX} ("0x" and upper-case digits of {@code v & arg}), {@link #OCTAL} ("0" and the digits of
     * {@code v & arg}) or {@link #BINARY} ("0b" and the low {@code arg} bits).
     */
    void prefixedInteger(long[] prefix, int prefixLength, byte format, long v, long arg) {
        ensure(prefixLength + 8 + 66);
        byte[] b = buf;
        int p = putWords(b, len, prefix, prefixLength);
        switch (format) {
            case SIGNED -> p = putSigned(b, p, v);
            case UNSIGNED -> p = putUnsigned(b, p, v);
            case HEX -> {
                b[p] = '0';
                b[p + 1] = 'x';
                p = putHex(b, p + 2, v & arg);
            }
            case OCTAL -> {
                b[p] = '0';
                p = putOctal(b, p + 1, v & arg);
            }
            default -> {
                b[p] = '0';
                b[p + 1] = 'b';
                p = putBinary(b, p + 2, v, (int) arg);
            }
        }
        len = p;
    }

    /** Writes a signed decimal at {@code p} (20 bytes of room); returns the position after it. */
    static int putSigned(byte[] b, int p, long v) {
        if (v < 0) {
            b[p++] = '-';
            v = -v;
            if (v < 0) { // Long.MIN_VALUE
                return putUnsigned(b, p, v);
            }
        }
        return putPositive(b, p, v);
    }

    /** Writes an unsigned 64-bit decimal at {@code p} (20 bytes of room); returns the position after it. */
    static int putUnsigned(byte[] b, int p, long v) {
        if (v >= 0) {
            return putPositive(b, p, v);
        }
        long q = (v >>> 1) / 5; // unsigned v / 10
        p = putPositive(b, p, q);
        b[p] = (byte) ('0' + (int) (v - q * 10));
        return p + 1;
    }

    /** Writes the decimal digits of {@code v >= 0} at {@code p}; returns the position after them. */
    private static int putPositive(byte[] b, int p, long v) {
        if (v < 10) {
            b[p] = (byte) ('0' + v);
            return p + 1;
        }
        int end = p + digits(v);
        writeDigits(b, v, end);
        return end;
    }

    /** Writes upper-case hexadecimal digits of {@code v} (unsigned) at {@code p}; returns the position after. */
    static int putHex(byte[] b, int p, long v) {
        int n = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
        for (int i = n - 1; i >= 0; i--) {
            b[p + i] = DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        }
        return p + n;
    }

    /** Writes octal digits of {@code v} (unsigned) at {@code p}; returns the position after them. */
    static int putOctal(byte[] b, int p, long v) {
        int n = v == 0 ? 1 : (66 - Long.numberOfLeadingZeros(v)) / 3;
        for (int i = n - 1; i >= 0; i--) {
            b[p + i] = (byte) ('0' + (v & 7));
            v >>>= 3;
        }
        return p + n;
    }

    /** Writes the low {@code bits} bits of {@code v}, most significant first, at {@code p}. */
    static int putBinary(byte[] b, int p, long v, int bits) {
        for (int bit = bits - 1; bit >= 0; bit--) {
            b[p++] = (byte) ('0' + ((v >>> bit) & 1));
        }
        return p;
    }

    /**
     * Writes the digits of {@code v >= 0} so that the last one is at {@code end - 1}, two at a time (small enough
     * to be inlined where it is hot).
     */
    private static void writeDigits(byte[] b, long v, int end) {
        int p = end;
        while (v >= 100) {
            long q = v / 100;
            int r = 2 * (int) (v - q * 100);
            v = q;
            p -= 2;
            b[p] = PAIRS[r];
            b[p + 1] = PAIRS[r + 1];
        }
        int i = (int) v;
        if (i >= 10) {
            b[p - 2] = PAIRS[2 * i];
            b[p - 1] = PAIRS[2 * i + 1];
        } else {
            b[p - 1] = (byte) ('0' + i);
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
        writeDigits(buf, v, len + n);
        len += n;
        return this;
    }

    /** Appends {@code 0 <= v < 10^9} as exactly nine digits ({@code %09u}), the nanoseconds of a timestamp. */
    TextBuffer nineDigits(int v) {
        ensure(9);
        byte[] b = buf;
        int p = len;
        // two independent halves: the first five digits and the last four
        int hi = v / 10_000;
        int lo = v - hi * 10_000;
        int h1 = hi / 10_000;
        int h2 = hi - h1 * 10_000;
        int h21 = h2 / 100;
        int h22 = h2 - h21 * 100;
        int l1 = lo / 100;
        int l2 = lo - l1 * 100;
        b[p] = (byte) ('0' + h1);
        b[p + 1] = PAIRS[2 * h21];
        b[p + 2] = PAIRS[2 * h21 + 1];
        b[p + 3] = PAIRS[2 * h22];
        b[p + 4] = PAIRS[2 * h22 + 1];
        b[p + 5] = PAIRS[2 * l1];
        b[p + 6] = PAIRS[2 * l1 + 1];
        b[p + 7] = PAIRS[2 * l2];
        b[p + 8] = PAIRS[2 * l2 + 1];
        len = p + 9;
        return this;
    }

    private static final long NS_PER_S = 1_000_000_000L;

    /**
     * Appends babeltrace2's default event line start: {@code "[" clock nanos "] (+" delta ") " header}, where
     * {@code clock} is the cached "[date ]HH:MM:SS." of the second, {@code nanos} the nanoseconds in it, and
     * {@code delta} the unsigned nanoseconds since the previous event or -1 for none; clock and header are
     * {@link #words}.
     */
    void timeHeader(long[] clock, int clockLength, int nanos, long delta, long[] header, int headerLength) {
        ensure(clockLength + headerLength + 64);
        byte[] b = buf;
        int p = len;
        b[p++] = '[';
        p = putWords(b, p, clock, clockLength);
        len = p;
        nineDigits(nanos);
        p = len;
        b[p] = ']';
        b[p + 1] = ' ';
        b[p + 2] = '(';
        p += 3;
        if (delta == -1) {
            for (int i = 0; i < UNKNOWN_DELTA.length; i++) {
                b[p + i] = UNKNOWN_DELTA[i];
            }
            p += UNKNOWN_DELTA.length;
            len = p;
        } else {
            b[p++] = '+';
            long q = Long.divideUnsigned(delta, NS_PER_S);
            p = putUnsigned(b, p, q);
            b[p++] = '.';
            len = p;
            nineDigits((int) (delta - q * NS_PER_S));
            p = len;
        }
        b[p] = ')';
        b[p + 1] = ' ';
        len = putWords(b, p + 2, header, headerLength);
    }

    private static final byte[] UNKNOWN_DELTA = "+?.?????????".getBytes(StandardCharsets.US_ASCII);

    /** Appends two digits (0..99). */
    TextBuffer twoDigits(int v) {
        ensure(2);
        buf[len++] = PAIRS[2 * v];
        buf[len++] = PAIRS[2 * v + 1];
        return this;
    }

    /** Appends an unsigned value in upper-case hexadecimal, without prefix ({@code %PRIX64}). */
    TextBuffer hex(long v) {
        ensure(16);
        len = putHex(buf, len, v);
        return this;
    }

    /** Appends the low {@code bits} bits of {@code v} as binary digits, most significant first. */
    TextBuffer binary(long v, int bits) {
        ensure(bits);
        len = putBinary(buf, len, v, bits);
        return this;
    }

    /** Appends an unsigned value in octal, without prefix ({@code %PRIo64}). */
    TextBuffer octal(long v) {
        ensure(22);
        len = putOctal(buf, len, v);
        return this;
    }

    /**
     * Bytes as little-endian 8-byte words, the last one padded with zeros, for {@link #appendWords}: a short
     * constant (a field name prefix) is then appended with one or two stores instead of a copy loop or call.
     */
    static long[] words(byte[] bytes) {
        long[] w = new long[(bytes.length + 7) / 8];
        for (int i = 0; i < bytes.length; i++) {
            w[i / 8] |= (bytes[i] & 0xFFL) << (8 * (i % 8));
        }
        return w;
    }

    /** Appends the {@code n} bytes held in {@code words} (see {@link #words}). */
    TextBuffer appendWords(long[] words, int n) {
        ensure(n + 8);
        len = putWords(buf, len, words, n);
        return this;
    }

    /** Writes {@code words} at {@code p} (up to 7 bytes past the {@code n} bytes are overwritten); returns p + n. */
    private static int putWords(byte[] b, int p, long[] words, int n) {
        for (int k = 0; k < words.length; k++) {
            LONGS.set(b, p + 8 * k, words[k]);
        }
        return p + n;
    }

    /** Appends a prefix ({@link #words} of {@code prefixLength} bytes) then the bytes in double quotes. */
    void prefixedQuoted(long[] prefix, int prefixLength, byte[] bytes, int offset, int length) {
        ensure(prefixLength + length + 8 + 2);
        byte[] b = buf;
        int p = putWords(b, len, prefix, prefixLength);
        b[p] = '"';
        System.arraycopy(bytes, offset, b, p + 1, length);
        p += length + 1;
        b[p] = '"';
        len = p + 1;
    }

    /** Appends two ASCII characters. */
    TextBuffer append(char c1, char c2) {
        ensure(2);
        buf[len] = (byte) c1;
        buf[len + 1] = (byte) c2;
        len += 2;
        return this;
    }

    /** 10^k for 0 <= k <= 18. */
    private static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /**
     * Number of decimal digits of {@code v >= 0} (1 for 0), without branches: from its bit length, corrected by
     * one compare ({@code v | 1} has as many digits as v, and is not 0).
     */
    private static int digits(long v) {
        long x = v | 1;
        int l = (64 - Long.numberOfLeadingZeros(x)) * 1233 >>> 12; // about log10(2^bits), 0..18
        return l + (x >= POW10[l] ? 1 : 0);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}

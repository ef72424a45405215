package io.tracestream.ctf.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printer's number and header writers against the JDK's formatting ({@code %PRId64}, {@code %PRIu64},
 * {@code %PRIX64}, {@code %PRIo64}, {@code %09u}): values at every digit count and power of ten, the 64-bit extremes,
 * and random values of every magnitude.
 */
class TextBufferTest {
    private static final long[] SPECIAL = {
        0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10_000, 99_999, 100_000, Integer.MAX_VALUE,
        Integer.MAX_VALUE + 1L, 4_294_967_295L, 4_294_967_296L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
        Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, -9, -10, -100,
    };

    private static long[] values() {
        Random r = new Random(11);
        long[] v = new long[SPECIAL.length + 40 + 200_000];
        int n = 0;
        for (long s : SPECIAL) {
            v[n++] = s;
        }
        long p = 1;
        for (int k = 0; k < 19; k++, p *= 10) {
            v[n++] = p;
            v[n++] = p - 1;
        }
        while (n < v.length) {
            long x = r.nextLong() >>> r.nextInt(64);
            v[n++] = r.nextBoolean() ? x : -x;
        }
        return v;
    }

    @Test
    void integers() {
        for (long v : values()) {
            TextBuffer b = new TextBuffer(16);
            b.decimal(v).append(' ').unsignedDecimal(v).append(' ').hex(v).append(' ').octal(v);
            String expected = v + " " + Long.toUnsignedString(v) + " " + Long.toHexString(v).toUpperCase() + " "
                    + Long.toOctalString(v);
            assertEquals(expected, b.toString(), "value " + v);
        }
    }

    @Test
    void prefixedIntegers() {
        byte[] prefix = ", a_member_name = ".getBytes(StandardCharsets.US_ASCII);
        long[] words = TextBuffer.words(prefix);
        for (long v : values()) {
            TextBuffer b = new TextBuffer(16);
            b.prefixedInteger(words, prefix.length, TextBuffer.SIGNED, v, 0);
            b.prefixedInteger(words, 2, TextBuffer.UNSIGNED, v, 0);
            b.prefixedInteger(words, 0, TextBuffer.HEX, v, 0xFFFF);
            b.prefixedInteger(words, 1, TextBuffer.OCTAL, v, -1L);
            b.prefixedInteger(words, 1, TextBuffer.BINARY, v, 12);
            String bits = Long.toBinaryString((v & 0xFFF) | 0x1000).substring(1);
            String expected = ", a_member_name = " + v + ", " + Long.toUnsignedString(v) + "0x"
                    + Long.toHexString(v & 0xFFFF).toUpperCase() + ",0" + Long.toOctalString(v) + ",0b" + bits;
            assertEquals(expected, b.toString(), "value " + v);
        }
    }

    @Test
    void paddedAndNineDigits() {
        for (long v : values()) {
            long small = Math.floorMod(v, 1_000_000_000L);
            TextBuffer b = new TextBuffer(4);
            b.nineDigits((int) small).append(' ').padded(small, 12).append(' ').padded(Math.abs(v % 1000), 0);
            assertEquals(String.format("%09d %012d %d", small, small, Math.abs(v % 1000)), b.toString());
        }
        for (int w = 0; w < 25; w++) {
            assertEquals(w == 0 ? "0" : "0".repeat(w), new TextBuffer(1).padded(0, w).toString(), "width " + w);
        }
    }

    @Test
    void timeHeader() {
        long[] clock = TextBuffer.words("2026-12-07 01:02:03.".getBytes(StandardCharsets.US_ASCII));
        byte[] header = "host tsprobe:ints: ".getBytes(StandardCharsets.US_ASCII);
        long[] words = TextBuffer.words(header);
        TextBuffer b = new TextBuffer(8);
        b.timeHeader(clock, 20, 5, -1, words, header.length);
        b.timeHeader(clock, 20, 999_999_999, 1_234_567_890L, words, header.length);
        b.timeHeader(clock, 9, 0, -2, words, 0);
        assertEquals("[2026-12-07 01:02:03.000000005] (+?.?????????) host tsprobe:ints: "
                + "[2026-12-07 01:02:03.999999999] (+1.234567890) host tsprobe:ints: "
                + "[2026-12-0" + "000000000] (+18446744073.709551614) ", b.toString());
    }
}

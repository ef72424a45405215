package io.tracestream.ctf.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printer escapes UTF-8 text fields straight from the packet bytes: {@link PrettyPrinter#escape(TextBuffer,
 * byte[], int, int)} must write exactly what the String path (decode, then escape) writes, for every ASCII character
 * and for random text, including non-ASCII, every two-byte start of a multi-byte sequence and invalid UTF-8 bytes.
 */
class EscapeBytesTest {

    @Test
    void everyAsciiCharacter() {
        for (int c = 1; c < 128; c++) {
            byte[] b = {'a', (byte) c, 'z'};
            assertEquals(viaString(b, 0, b.length), viaBytes(b, 0, b.length), "character " + c);
        }
    }

    @Test
    void randomText() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                int kind = r.nextInt(10);
                b[k] = (byte) (kind < 7 ? 1 + r.nextInt(127) : kind < 9 ? "\\\"'?\n\t".charAt(r.nextInt(6))
                        : 128 + r.nextInt(128));
            }
            int off = b.length == 0 ? 0 : r.nextInt(b.length);
            int len = b.length - off == 0 ? 0 : r.nextInt(b.length - off);
            assertEquals(viaString(b, off, len), viaBytes(b, off, len), () -> "bytes " + java.util.Arrays.toString(b));
        }
    }

    @Test
    void multiByteSequences() {
        // Every lead and second byte (well-formed, overlong, surrogate, too large, truncated), random tails.
        Random r = new Random(11);
        for (int b0 = 0x80; b0 < 0x100; b0++) {
            for (int b1 = 0; b1 < 0x100; b1++) {
                for (int tail = 0; tail < 3; tail++) {
                    byte[] b = {'x', (byte) b0, (byte) b1, (byte) (0x80 + r.nextInt(tail == 2 ? 128 : 64)),
                        (byte) (tail == 1 ? 'y' : 0x80 + r.nextInt(64)), 'z'};
                    int len = 2 + r.nextInt(b.length - 1);
                    assertEquals(viaString(b, 0, len), viaBytes(b, 0, len),
                            () -> "bytes " + java.util.Arrays.toString(b));
                }
            }
        }
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(8); k > 0; k--) {
                int cp = r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(0x110000);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    sb.appendCodePoint(cp);
                }
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < b.length; k++) {
                if (b[k] == 0) {
                    b[k] = 1;
                }
            }
            assertEquals(viaString(b, 0, b.length), viaBytes(b, 0, b.length),
                    () -> "bytes " + java.util.Arrays.toString(b));
        }
    }

    @Test
    void utf8Text() {
        byte[] b = "héllo wörld € 🙂 \"q\"".getBytes(StandardCharsets.UTF_8);
        assertEquals("<\"héllo wörld € 🙂 \\\"q\\\"\"", viaBytes(b, 0, b.length));
    }

    private static String viaString(byte[] b, int off, int len) {
        TextBuffer t = new TextBuffer(16);
        t.append('<');
        PrettyPrinter.escape(t, new String(b, off, len, StandardCharsets.UTF_8));
        return t.toString();
    }

    private static String viaBytes(byte[] b, int off, int len) {
        TextBuffer t = new TextBuffer(16);
        t.append('<');
        PrettyPrinter.escape(t, b, off, len);
        return t.toString();
    }
}

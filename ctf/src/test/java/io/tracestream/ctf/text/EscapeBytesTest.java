package io.tracestream.ctf.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The printer escapes UTF-8 text fields straight from the packet bytes: {@link PrettyPrinter#escape(TextBuffer,
 * byte[], int, int)} must write exactly what the String path (decode, then escape) writes, for every ASCII character
 * and for random text, including non-ASCII and invalid UTF-8 bytes.
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

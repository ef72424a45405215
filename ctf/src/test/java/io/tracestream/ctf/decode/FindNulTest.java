package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The word-at-a-time NUL search finds the first NUL whatever order the shared buffer was last set to. */
class FindNulTest {
    @Test
    void findsFirstNulInBothBufferOrders() {
        byte[] text = "/usr/local/lib/v7l/neon/vfp/libc.so.6\0tail\0".getBytes(StandardCharsets.US_ASCII);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer b = ByteBuffer.wrap(text).order(order);
            for (int from = 0; from < 38; from++) {
                assertEquals(37, Machine.findNul(b, from, text.length), order + " from " + from);
            }
            assertEquals(42, Machine.findNul(b, 38, text.length), order.toString());
            assertEquals(-1, Machine.findNul(b, 38, 42), order.toString());
        }
    }

    @Test
    void highBytesBeforeTheNulAreNotMistakenForIt() {
        // 0x01 after 0x80-or-higher bytes is where the SWAR test gives false positives above the real zero
        byte[] bytes = {(byte) 0xC3, (byte) 0xA9, 0x01, 0x41, 0x42, 0x43, 0x44, 0x00, 0x45, 0, 0, 0, 0, 0, 0, 0};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            assertEquals(7, Machine.findNul(ByteBuffer.wrap(bytes).order(order), 0, bytes.length), order.toString());
        }
    }
}

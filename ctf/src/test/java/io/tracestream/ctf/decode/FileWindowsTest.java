package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileWindows#read}: packets copied out of mapped windows (files from a size on) give the bytes of the file,
 * whether a packet lies in the current window, starts a new one, or is larger than a window; reads past the end of
 * the file fail with the file and offset, as with positional reads.
 */
class FileWindowsTest {
    @Test
    void mappedCopiesAreTheFileBytes(@TempDir Path dir) throws IOException {
        assertTrue(FileWindows.canMap(), "this JVM can unmap windows (Unsafe.invokeCleaner or java.lang.foreign)");
        Random rnd = new Random(7);
        byte[] data = new byte[(5 << 20) + 12345];
        rnd.nextBytes(data);
        Path f = dir.resolve("stream");
        Files.write(f, data);
        for (long threshold : new long[] {0, Long.MAX_VALUE}) { // mapped, then read
            try (FileWindows w = new FileWindows(threshold)) {
                byte[] dst = new byte[data.length];
                long off = 0;
                while (off < data.length) { // in order, as a stream cursor reads packets
                    int len = (int) Math.min(data.length - off, rnd.nextInt(8) == 0 ? 3 << 20 : 1 + rnd.nextInt(300_000));
                    Arrays.fill(dst, 0, len, (byte) 0);
                    w.read(f, off, len, dst);
                    assertArrayEquals(Arrays.copyOfRange(data, (int) off, (int) off + len), Arrays.copyOf(dst, len),
                            "threshold " + threshold + ", offset " + off);
                    off += len;
                }
                for (int i = 0; i < 50; i++) { // anywhere, back and forth
                    int o = rnd.nextInt(data.length);
                    int len = rnd.nextInt(Math.min(data.length - o, 1 << 20) + 1);
                    w.read(f, o, len, dst);
                    assertArrayEquals(Arrays.copyOfRange(data, o, o + len), Arrays.copyOf(dst, len));
                }
                CtfException e = assertThrows(CtfException.class, () -> w.read(f, data.length - 10, 20, dst));
                assertTrue(e.getMessage().contains("stream") && e.getMessage().contains("goes beyond the end of the file"),
                        e.getMessage());
            }
        }
    }

    @Test
    void anotherFileUnmapsTheWindow(@TempDir Path dir) throws IOException {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[1 << 20];
        Arrays.fill(a, (byte) 1);
        Arrays.fill(b, (byte) 2);
        Path fa = Files.write(dir.resolve("a"), a);
        Path fb = Files.write(dir.resolve("b"), b);
        byte[] dst = new byte[100];
        try (FileWindows w = new FileWindows(0)) {
            for (int i = 0; i < 5; i++) {
                w.read(fa, 1000, 100, dst);
                assertEquals(1, dst[99]);
                w.read(fb, 1000, 100, dst);
                assertEquals(2, dst[99]);
            }
        }
    }
}

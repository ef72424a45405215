package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Memory-mapped views of stream files: one large window per file at a time, remapped when a packet falls
 * outside it. A packet is always returned as one buffer whose index 0 is its first byte.
 */
final class FileWindows implements AutoCloseable {
    private static final long WINDOW = 256L << 20;

    private Path file;
    private FileChannel channel;
    private long fileSize;
    private MappedByteBuffer window;
    private long windowStart;
    private long windowLength;

    /** Size of {@code f} in bytes (opening it if needed). */
    long size(Path f) {
        open(f);
        return fileSize;
    }

    private void open(Path f) {
        if (f.equals(file)) {
            return;
        }
        close();
        try {
            channel = FileChannel.open(f, StandardOpenOption.READ);
            fileSize = channel.size();
            file = f;
        } catch (IOException e) {
            throw new CtfException(f + ": cannot open stream file: " + e.getMessage(), e);
        }
    }

    /** {@code length} bytes of {@code f} at {@code offset}; fails when they are not all in the file. */
    ByteBuffer slice(Path f, long offset, long length) {
        open(f);
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes goes beyond the end of the file ("
                    + fileSize + " bytes)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes is larger than 2 GiB");
        }
        if (window == null || offset < windowStart || offset + length > windowStart + windowLength) {
            long len = Math.min(fileSize - offset, Math.max(length, WINDOW));
            len = Math.min(len, Integer.MAX_VALUE - 8);
            try {
                window = channel.map(FileChannel.MapMode.READ_ONLY, offset, len);
            } catch (IOException e) {
                throw CtfException.atOffset(f, offset, "cannot map stream file: " + e.getMessage());
            }
            windowStart = offset;
            windowLength = len;
        }
        return window.slice((int) (offset - windowStart), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads {@code length} bytes of {@code f} at {@code offset} into {@code dst[0, length)} with positional reads.
     * Unlike {@link #slice}, nothing stays mapped, so the resident memory of a long read does not grow with the
     * size of the files.
     */
    void read(Path f, long offset, int length, byte[] dst) {
        open(f);
        if (offset < 0 || length < 0 || offset + length > fileSize) {
            throw CtfException.atOffset(f, offset, "packet of " + length + " bytes goes beyond the end of the file ("
                    + fileSize + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(dst, 0, length);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offset + b.position()) < 0) {
                    throw CtfException.atOffset(f, offset + b.position(), "file ended while reading a packet");
                }
            }
        } catch (IOException e) {
            throw CtfException.atOffset(f, offset, "cannot read stream file: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        window = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel
            }
        }
        channel = null;
        file = null;
    }
}

package io.tracestream.ctf;

import java.nio.file.Path;

/**
 * A trace cannot be read (or written) as asked: bad metadata, corrupt or truncated data, a path with no trace.
 *
 * <p>The message is one line a user can act on and always names where: the file and byte offset (for data), or
 * the metadata file, line and column (for metadata). Create instances with the factory methods so every error
 * reads the same way.
 */
public class CtfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final long offset;

    public CtfException(String message) {
        this(message, null, -1, null);
    }

    public CtfException(String message, Throwable cause) {
        this(message, null, -1, cause);
    }

    protected CtfException(String message, Path file, long offset, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.offset = offset;
    }

    /** An error in a data stream file at a byte offset: {@code FILE: offset N: WHAT}. */
    public static CtfException atOffset(Path file, long byteOffset, String what) {
        return new CtfException(file + ": offset " + byteOffset + ": " + what, file, byteOffset, null);
    }

    /** An error in a data stream file at a bit offset; the message shows the byte offset and the bit within it. */
    public static CtfException atBit(Path file, long bitOffset, String what) {
        String where = (bitOffset & 7) == 0 ? "offset " + (bitOffset >>> 3)
                : "offset " + (bitOffset >>> 3) + " (bit " + (bitOffset & 7) + ")";
        return new CtfException(file + ": " + where + ": " + what, file, bitOffset >>> 3, null);
    }

    /** An error in metadata text: {@code FILE:LINE:COLUMN: WHAT}. Line and column start at 1. */
    public static CtfException inMetadata(Path file, int line, int column, String what) {
        return new CtfException(file + ":" + line + ":" + column + ": " + what, file, -1, null);
    }

    /** The file the error is about, or null. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the problem was found, or -1. */
    public long offset() {
        return offset;
    }
}

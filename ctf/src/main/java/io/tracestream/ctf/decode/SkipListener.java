package io.tracestream.ctf.decode;

import java.nio.file.Path;

/** Told about each broken packet that a lenient reader or scan skipped. */
@FunctionalInterface
public interface SkipListener {
    /**
     * @param file   the stream file
     * @param offset byte offset of the skipped packet in {@code file}
     * @param reason the one-line error that made the packet unreadable
     */
    void skipped(Path file, long offset, String reason);
}

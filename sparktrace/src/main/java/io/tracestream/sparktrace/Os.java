package io.tracestream.sparktrace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/** Process, thread and clock facts from Linux, with fallbacks elsewhere. */
final class Os {
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private Os() {
    }

    static int pid() {
        return (int) ProcessHandle.current().pid();
    }

    /**
     * The Linux thread id (TID) of the calling thread, from the {@code /proc/thread-self} link
     * ({@code PID/task/TID}); -1 when unavailable.
     */
    static int currentTid() {
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString();
            int slash = link.lastIndexOf('/');
            return Integer.parseInt(link.substring(slash + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The host name as the kernel knows it (what LTTng records), else the Java one. */
    static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The boot id (LTTng's monotonic clock UUID), or null. */
    static UUID bootId() {
        try {
            return UUID.fromString(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"),
                    StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Real time minus monotonic time ({@code System.nanoTime()}, CLOCK_MONOTONIC on Linux), in nanoseconds: the
     * tightest of several samples of the real-time clock bracketed by two monotonic reads.
     */
    static long realtimeOffsetNanos() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            Instant now = Instant.now();
            long t1 = System.nanoTime();
            long width = t1 - t0;
            if (width < best) {
                best = width;
                long real = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                offset = real - (t0 + width / 2);
            }
        }
        return offset;
    }
}

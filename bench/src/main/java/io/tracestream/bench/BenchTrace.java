package io.tracestream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The trace a benchmark trial reads: a recorded trace given by path, or a {@link BenchTraces} trace generated
 * into a temporary folder (deleted by {@link #close()}).
 */
final class BenchTrace implements AutoCloseable {
    final Path path;
    private final Path tempDir;

    private BenchTrace(Path path, Path tempDir) {
        this.path = path;
        this.tempDir = tempDir;
    }

    /**
     * @param recorded a trace path (any folder above CTF traces), or {@code generated} (or empty) to generate one
     * @param events events to generate
     * @param mix {@code kernel} or {@code numeric}
     */
    static BenchTrace open(String recorded, long events, String mix) {
        if (recorded != null && !recorded.isBlank() && !recorded.equals("generated")) {
            Path p = Path.of(recorded);
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("trace " + p + " is not a directory");
            }
            return new BenchTrace(p, null);
        }
        try {
            Path tmp = Files.createTempDirectory("tracestream-bench-");
            Path trace = tmp.resolve("trace");
            BenchTraces.write(trace, events, BenchTraces.Mix.valueOf(mix.toUpperCase(Locale.ROOT)));
            return new BenchTrace(trace, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (tempDir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(tempDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

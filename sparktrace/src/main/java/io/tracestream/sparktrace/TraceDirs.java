package io.tracestream.sparktrace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the trace directories (those with a {@code metadata} file) under a directory. */
public final class TraceDirs {
    private TraceDirs() {
    }

    /**
     * Waits until every trace under {@code root} is closed (each stream file has its index, written when the stream
     * is closed: executors close theirs when they stop, after the application) or {@code timeoutMs} passes; returns
     * whether they all are.
     */
    public static boolean awaitClosed(Path root, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            List<Path> traces = list(root);
            if (!traces.isEmpty() && traces.stream().allMatch(TraceDirs::closed)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
    }

    /** Whether the plugin closed this trace: every stream file has its index. */
    static boolean closed(Path trace) {
        try (Stream<Path> files = Files.list(trace)) {
            List<Path> streams = files.filter(f -> f.getFileName().toString().startsWith(SparkEvents.STREAM + "_"))
                    .toList();
            return !streams.isEmpty() && streams.stream().allMatch(f -> Files.exists(
                    trace.resolve("index").resolve(f.getFileName() + ".idx")));
        } catch (IOException e) {
            return false;
        }
    }

    /** Trace directories under {@code root}, sorted; none when it is not a directory. */
    public static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("metadata") && Files.isRegularFile(p))
                    .map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": " + e.getMessage(), e);
        }
    }
}

package io.tracestream.analyses;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The oracle: lttng-analyses 0.6.1's commands ({@code lttng-NAME}, {@code lttng-NAME-mi}), run on a trace and cached
 * for the whole test run (one JVM), never stored in the repository. The trace is passed through a symbolic link
 * named {@code kernel} in a temporary folder: lttng-analyses reads the tracer version only from a path ending in
 * {@code kernel}.
 */
final class LttngAnalyses {
    private static final Map<String, CompletableFuture<ProcessResult>> CACHE = new ConcurrentHashMap<>();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "lttng-analyses-oracle");
        t.setDaemon(true);
        return t;
    });
    private static Path tmp;

    private LttngAnalyses() {
    }

    static boolean available() {
        return Exec.onPath("lttng-cputop") && Exec.onPath("lttng-cputop-mi");
    }

    static void assumeAvailable() {
        assumeTrue(available(), "lttng-analyses (lttng-cputop, ... from Debian python3-lttnganalyses) is not "
                + "installed; skipping the comparison with it");
    }

    private static synchronized Path link(Path trace) {
        try {
            if (tmp == null) {
                tmp = Files.createTempDirectory("tracestream-oracle");
                tmp.toFile().deleteOnExit();
            }
            Path dir = tmp.resolve(Integer.toHexString(trace.toAbsolutePath().toString().hashCode()));
            Path kernel = dir.resolve("kernel");
            if (!Files.exists(kernel, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                Files.createSymbolicLink(kernel, trace.toAbsolutePath());
                kernel.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
            }
            return kernel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or finds) a run of {@code lttng-NAME[-mi] [ARGS] TRACE}. */
    static CompletableFuture<ProcessResult> start(String analysis, boolean mi, Path trace, List<String> args) {
        String key = analysis + "|" + mi + "|" + trace.toAbsolutePath() + "|" + args;
        return CACHE.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            List<String> cmd = new ArrayList<>();
            cmd.add("lttng-" + analysis + (mi ? "-mi" : ""));
            if (!mi) {
                cmd.add("--no-color");
                cmd.add("--no-progress");
            }
            cmd.add("--skip-validation");
            cmd.add("--gmt");
            cmd.addAll(args);
            cmd.add(link(trace).toString());
            return Exec.of(cmd).env("LC_ALL", "C.UTF-8").timeout(Duration.ofMinutes(5)).run();
        }, POOL));
    }

    /** The result of {@code lttng-NAME[-mi] [ARGS] TRACE} (waits for it). */
    static ProcessResult run(String analysis, boolean mi, Path trace, List<String> args) {
        return start(analysis, mi, trace, args).join();
    }
}

package io.tracestream.analyses.kstate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.TextStyle;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test support: runs lttng-analyses 0.6.1 (the oracle, {@code lttng-NAME} and {@code lttng-NAME-mi}) and our engine
 * on the same trace with the same options. Oracle outputs are cached for the test run (in memory), never stored in
 * the repository. The oracle only reads the tracer version of a trace in a folder named {@code kernel}: traces are
 * given to it through a {@code kernel} symbolic link in a temporary folder.
 */
public final class LttngAnalyses {
    private static final Map<String, CompletableFuture<String>> CACHE = new ConcurrentHashMap<>();
    /** Oracle runs are slow (seconds each on many-threads): at most 2 at a time, each once per JVM. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "lttng-analyses-oracle");
        t.setDaemon(true);
        return t;
    });
    private static Path links;

    private LttngAnalyses() {
    }

    /** Skips the calling test when lttng-analyses is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/lttng-syscallstats")),
                "lttng-analyses (Debian python3-lttnganalyses) is not installed; skipping the oracle comparison");
    }

    private static synchronized Path kernelLink(Path trace) {
        try {
            if (links == null) {
                links = Files.createTempDirectory("tracestream-oracle");
                links.toFile().deleteOnExit();
            }
            Path dir = links.resolve(Integer.toHexString(trace.toAbsolutePath().toString().hashCode()));
            Path link = dir.resolve("kernel");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                Files.createSymbolicLink(link, trace.toAbsolutePath());
                dir.toFile().deleteOnExit();
                link.toFile().deleteOnExit();
            }
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The text output of {@code lttng-NAME --no-color --no-progress --skip-validation --gmt ARGS TRACE}.
     */
    public static String text(String name, Path trace, String... args) {
        return startText(name, trace, args).join();
    }

    /** Starts {@link #text} in the background (2 oracle runs at a time); {@link #text} then waits for it. */
    public static CompletableFuture<String> startText(String name, Path trace, String... args) {
        String stored = stored(name + ".txt", trace, args);
        if (stored != null) {
            return CompletableFuture.completedFuture(stored);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/lttng-" + name, "--no-color", "--no-progress",
                "--skip-validation", "--gmt"));
        cmd.addAll(Arrays.asList(args));
        cmd.add(kernelLink(trace).toString());
        return run(cmd);
    }

    /** The LAMI output of {@code lttng-NAME-mi --skip-validation --gmt ARGS TRACE}. */
    public static String mi(String name, Path trace, String... args) {
        return startMi(name, trace, args).join().strip();
    }

    /** Starts {@link #mi} in the background (2 oracle runs at a time); {@link #mi} then waits for it. */
    public static CompletableFuture<String> startMi(String name, Path trace, String... args) {
        String stored = stored(name + ".json", trace, args);
        if (stored != null) {
            return CompletableFuture.completedFuture(stored);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/lttng-" + name + "-mi", "--skip-validation", "--gmt"));
        cmd.addAll(Arrays.asList(args));
        cmd.add(kernelLink(trace).toString());
        return run(cmd);
    }

    /**
     * The stored output of the same lttng-analyses 0.6.1 for a run without options on Trace Compass' many-threads
     * ({@code lttng-analyses/oracle/many-threads/FILE} in the shared traces, see its COMMANDS.txt), or null.
     */
    private static String stored(String file, Path trace, String[] args) {
        if (args.length != 0 || !trace.getFileName().toString().equals("many-threads")) {
            return null;
        }
        Path oracle = trace.toAbsolutePath().getParent().getParent().resolve("lttng-analyses/oracle/many-threads");
        Path f = oracle.resolve(file);
        try {
            return Files.isRegularFile(f) ? Files.readString(f, java.nio.charset.StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<String> run(List<String> cmd) {
        return CACHE.computeIfAbsent(String.join("\u0000", cmd), k -> CompletableFuture.supplyAsync(() -> {
            ProcessResult r = Exec.of(cmd).env("LC_ALL", "C.UTF-8").timeout(Duration.ofMinutes(5)).run();
            if (r.exitCode() != 0) {
                throw new AssertionError("oracle failed (" + r.exitCode() + "): " + String.join(" ", cmd) + "\n"
                        + r.stderr() + r.stdout());
            }
            return r.stdout();
        }, POOL));
    }

    /** Our results for one analysis. */
    public static AnalysisResult ours(String name, Path trace, AnalysisConfig config) {
        Analysis a = Analyses.byName(name);
        if (a == null) {
            throw new AssertionError("no analysis " + name);
        }
        // results are immutable: computed once per JVM (several tests compare the same run in different ways)
        return OURS.computeIfAbsent(name + "\u0000" + trace.toAbsolutePath() + "\u0000" + config,
                k -> new LocalEngine().run(List.of(trace), List.of(a), config).get(0));
    }

    private static final Map<String, AnalysisResult> OURS = new ConcurrentHashMap<>();

    /** Our results with each stream cut in {@code splits} splits resumed from serialized state. */
    public static AnalysisResult ours(String name, Path trace, AnalysisConfig config, int splits) {
        return new LocalEngine().splitsPerStream(splits).run(List.of(trace), List.of(Analyses.byName(name)), config)
                .get(0);
    }

    /** Our text output (lttng-analyses' layout), in UTC. */
    public static String text(AnalysisResult r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TextStyle style = new TextStyle(ZoneOffset.UTC, false);
        for (AnalysisResult.Period p : r.periods()) {
            r.analysis().printText(p.tables(), p.begin(), p.end(), r.config(), style, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Our LAMI output. */
    public static String json(AnalysisResult r) {
        return Lami.results(List.of(r));
    }
}

package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The UST probe ({@code tools/ust-probe}): a C program whose tracepoints cover every CTF field type lttng-ust 2.13
 * writes. This class compiles it once (cached by source content under {@code java.io.tmpdir}) and records fresh
 * traces with it through {@link Lttng}.
 *
 * <pre>{@code
 * UstProbe.Recording r = UstProbe.recordLossless(tempDir, 10_000, 2);   // 2 threads x 10,000 events + 2
 * UstProbe.Recording lossy = UstProbe.recordLossy(tempDir2, 20_000, 2); // lossy.discarded() > 0
 * }</pre>
 */
public final class UstProbe {
    /** The event-rule patterns that catch every event the probe emits. */
    public static final List<String> EVENTS = List.of("tsprobe:*", "lttng_ust_tracef:*", "lttng_ust_tracelog:*");

    private static Path binary;

    private UstProbe() {
    }

    /**
     * What a recording produced.
     *
     * @param output the session's output folder
     * @param trace the CTF trace folder inside it (holding {@code metadata})
     * @param emitted events the probe emitted
     * @param discarded events the tracer says it discarded
     */
    public record Recording(Path output, Path trace, long emitted, long discarded) {
    }

    /** The probe's source folder, {@code <repository>/tools/ust-probe}. */
    public static Path sourceDir() {
        return SampleTraces.projectRoot().resolve("tools/ust-probe");
    }

    /**
     * The compiled probe, built on first use with {@code tools/ust-probe/build.sh} (needs gcc and
     * liblttng-ust-dev; fails with an instruction when they are missing).
     */
    public static synchronized Path binary() {
        if (binary != null && Files.isExecutable(binary)) {
            return binary;
        }
        if (!Exec.onPath("gcc")) {
            fail("gcc is not installed: run scripts/setup.sh (or apt-get install gcc liblttng-ust-dev)");
        }
        Path src = sourceDir();
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "tracestream-ust-probe", sourcesHash(src));
        Path exe = out.resolve("ust-probe");
        if (!Files.isExecutable(exe)) {
            ProcessResult r = Exec.of("bash", src.resolve("build.sh").toString(), out.toString())
                    .timeout(Duration.ofMinutes(2)).run();
            if (r.exitCode() != 0) {
                fail("cannot build the UST probe (is liblttng-ust-dev installed? scripts/setup.sh installs it):\n"
                        + ProcessResult.tail(r.stderr(), 4000));
            }
        }
        binary = exe;
        return exe;
    }

    /**
     * Records a lossless trace: one blocking channel {@code chan0} with every probe event and the
     * {@link Lttng#DEFAULT_CONTEXTS}; {@code threads} threads (each pinned to a CPU) emit {@code eventsPerThread}
     * mixed events each, plus one start and one end event.
     */
    public static Recording recordLossless(Path outputDir, long eventsPerThread, int threads) {
        return record(outputDir, Lttng.Channel.lossless("chan0"), List.of("-n", Long.toString(eventsPerThread),
                "-t", Integer.toString(threads)));
    }

    /**
     * Records a lossy trace: burst mode into a {@link Lttng.Channel#lossy lossy} channel {@code chan0}, so the
     * tracer discards events (check {@link Recording#discarded()}; a short burst may lose none).
     */
    public static Recording recordLossy(Path outputDir, long eventsPerThread, int threads) {
        return record(outputDir, Lttng.Channel.lossy("chan0"), List.of("-b", "-n", Long.toString(eventsPerThread),
                "-t", Integer.toString(threads)));
    }

    /**
     * Records the probe run with {@code probeArgs} (see {@code tools/ust-probe/probe.c}: {@code -n EVENTS},
     * {@code -t THREADS}, {@code -b}) into one channel with every probe event and the default contexts.
     */
    public static Recording record(Path outputDir, Lttng.Channel channel, List<String> probeArgs) {
        Path exe = binary();
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(probeArgs);
        try (Lttng.Session s = Lttng.createSession(outputDir)) {
            s.enableChannel(channel);
            s.enableEvents(channel, EVENTS.toArray(String[]::new));
            s.addContexts(channel, Lttng.DEFAULT_CONTEXTS);
            s.start();
            ProcessResult r = s.run(command, Map.of()).requireSuccess();
            s.stop();
            long emitted = Long.parseLong(r.stdout().trim());
            return new Recording(s.output(), s.tracePath(), emitted, s.discardedEvents());
        }
    }

    private static String sourcesHash(Path src) {
        try (Stream<Path> files = Files.list(src)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

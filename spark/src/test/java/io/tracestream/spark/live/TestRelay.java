package io.tracestream.spark.live;

import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.UstProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real lttng-relayd on 127.0.0.1 with free ports, and one live session of the UST probe streaming to it. */
final class TestRelay implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    final Path output;
    final int controlPort = freePort();
    final int dataPort = freePort();
    final int livePort = freePort();
    final String session = "ts-spark-live-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    private final Process process;
    private boolean created;
    private boolean destroyed;

    TestRelay(Path output) throws IOException {
        Lttng.require();
        Lttng.ensureSessionDaemon();
        this.output = output;
        Files.createDirectories(output);
        process = new ProcessBuilder("lttng-relayd", "-C", "tcp://127.0.0.1:" + controlPort,
                "-D", "tcp://127.0.0.1:" + dataPort, "-L", "tcp://127.0.0.1:" + livePort, "-o", output.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.resolveSibling(output.getFileName() + "-relayd.log").toFile()).start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", livePort), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    fail("lttng-relayd does not listen on 127.0.0.1:" + livePort);
                }
                sleep(50);
            }
        }
    }

    /** Creates and starts the live session: one lossless per-user channel, every probe event, three contexts. */
    void createSession(long liveTimerMicros) {
        lttng("create", session, "--live=" + liveTimerMicros,
                "--set-url=net://127.0.0.1:" + controlPort + ":" + dataPort);
        created = true;
        lttng("enable-channel", "-u", "-s", session, "--subbuf-size=16384", "--num-subbuf=4",
                "--blocking-timeout=inf", "--buffers-uid", "chan0");
        for (String e : UstProbe.EVENTS) {
            lttng("enable-event", "-u", "-s", session, "-c", "chan0", e);
        }
        lttng("add-context", "-u", "-s", session, "-c", "chan0", "-t", "vpid", "-t", "vtid", "-t", "procname");
        lttng("start", session);
    }

    String url() {
        return "net://127.0.0.1:" + livePort + "/host/" + hostname() + "/" + session;
    }

    /** Runs the probe to its end; the number of events it emitted. */
    long runProbe(int events, int threads) {
        return Long.parseLong(Exec.of(UstProbe.binary().toString(), "-n", Integer.toString(events), "-t",
                Integer.toString(threads)).env(Map.of("LTTNG_UST_ALLOW_BLOCKING", "1"))
                .timeout(Duration.ofMinutes(2)).run().requireSuccess().stdout().trim());
    }

    void destroy() {
        if (created && !destroyed) {
            destroyed = true;
            lttng("destroy", session);
        }
    }

    /** The relay's on-disk copy of the session. */
    Path onDisk() {
        Path host = output.resolve(hostname());
        try (Stream<Path> dirs = Files.list(host)) {
            List<Path> l = dirs.filter(p -> p.getFileName().toString().startsWith(session + "-")).toList();
            if (l.size() != 1) {
                fail("expected one folder of session " + session + " under " + host + ", found " + l);
            }
            return l.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            destroy();
        } catch (RuntimeException | AssertionError e) {
            // already gone
        }
        process.destroyForcibly();
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void lttng(String... args) {
        List<String> command = new ArrayList<>(List.of("lttng"));
        command.addAll(List.of(args));
        Exec.of(command).timeout(TIMEOUT).run().requireSuccess();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

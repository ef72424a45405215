package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.ProcessResult;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real lttng-relayd on loopback with free ports (so parallel test runs do not clash), and live tracing sessions
 * streaming to it, for tests. Needs lttng-tools and a session daemon (started when absent).
 */
final class LiveRelay implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    final Path output;
    int controlPort;
    int dataPort;
    int livePort;
    private Process process;

    LiveRelay(Path output) {
        this.output = output;
        // Three distinct free ports; a relay that exits at start (a port taken meanwhile by another process of the
        // machine) is tried again on new ones
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(3);
            controlPort = ports[0];
            dataPort = ports[1];
            livePort = ports[2];
            try {
                start();
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || process == null || process.isAlive()) {
                    throw e;
                }
            }
        }
    }

    /** Starts (or restarts) the relay daemon on the same ports and output folder. */
    void start() {
        Lttng.require();
        Lttng.ensureSessionDaemon();
        try {
            Files.createDirectories(output);
            process = new ProcessBuilder("lttng-relayd", "-C", "tcp://127.0.0.1:" + controlPort,
                    "-D", "tcp://127.0.0.1:" + dataPort, "-L", "tcp://127.0.0.1:" + livePort,
                    "-o", output.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.resolveSibling(output.getFileName() + "-relayd.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", livePort), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    fail("lttng-relayd exited with code " + process.exitValue());
                }
                sleep(50);
            }
        }
        fail("lttng-relayd does not listen on 127.0.0.1:" + livePort);
    }

    /** Kills the relay daemon (as a crash would). */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    LiveUrl relayUrl() {
        return LiveUrl.parse("net://127.0.0.1:" + livePort);
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A live session streaming to this relay (created, channel and events enabled, started). */
    Session createSession(long liveTimerMicros) {
        return new Session(this, liveTimerMicros);
    }

    @Override
    public void close() {
        kill();
    }

    /** {@code n} distinct free loopback ports (all held open while they are chosen). */
    static int[] freePorts(int n) {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // a port we only looked at
                    }
                }
            }
        }
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

    static ProcessResult lttng(String... args) {
        List<String> command = new ArrayList<>();
        command.add("lttng");
        command.addAll(List.of(args));
        return Exec.of(command).timeout(TIMEOUT).run().requireSuccess();
    }

    /** A live tracing session with one lossless channel and every probe event. */
    static final class Session implements AutoCloseable {
        final LiveRelay relay;
        final String name;
        private boolean destroyed;

        Session(LiveRelay relay, long liveTimerMicros) {
            this(relay, liveTimerMicros, "ts-live-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet(),
                    false);
        }

        /**
         * A session with a given name (e.g. the name of a destroyed one); {@code perProcess}: per-PID buffers (each
         * traced process gets its own trace, with its own metadata and streams, while the session runs).
         */
        /** A live session recording every event of the LTTng Java agent's JUL domain. */
        static Session jul(LiveRelay relay) {
            return new Session(relay, "ts-live-jul-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        }

        private Session(LiveRelay relay, String name) {
            this.relay = relay;
            this.name = name;
            lttng("create", name, "--live=100000",
                    "--set-url=net://127.0.0.1:" + relay.controlPort + ":" + relay.dataPort);
            lttng("enable-event", "-j", "-s", name, "-a");
            lttng("start", name);
        }

        Session(LiveRelay relay, long liveTimerMicros, String name, boolean perProcess) {
            this.relay = relay;
            this.name = name;
            lttng("create", name, "--live=" + liveTimerMicros,
                    "--set-url=net://127.0.0.1:" + relay.controlPort + ":" + relay.dataPort);
            lttng("enable-channel", "-u", "-s", name, "--subbuf-size=1M", "--num-subbuf=4", "--blocking-timeout=inf",
                    perProcess ? "--buffers-pid" : "--buffers-uid", "chan0");
            for (String e : UstProbe.EVENTS) {
                lttng("enable-event", "-u", "-s", name, "-c", "chan0", e);
            }
            lttng("add-context", "-u", "-s", name, "-c", "chan0", "-t", "vpid", "-t", "vtid", "-t", "procname");
            lttng("start", name);
        }

        LiveUrl url() {
            return relay.relayUrl().withSession(hostname(), name);
        }

        /** Runs the probe to its end: {@code events} per thread on {@code threads} threads. */
        long runProbe(long events, int threads) {
            ProcessResult r = Exec.of(UstProbe.binary().toString(), "-n", Long.toString(events), "-t",
                    Integer.toString(threads)).env(Map.of("LTTNG_UST_ALLOW_BLOCKING", "1"))
                    .timeout(Duration.ofMinutes(2)).run().requireSuccess();
            return Long.parseLong(r.stdout().trim());
        }

        void stop() {
            lttng("stop", name);
        }

        /** Destroys the session (the live readers end). */
        void destroy() {
            if (!destroyed) {
                lttng("destroy", name);
                destroyed = true;
            }
        }

        /** The relay's on-disk copies of the session (one folder per creation), sorted. */
        List<Path> onDiskAll() {
            Path host = relay.output.resolve(hostname());
            try (Stream<Path> dirs = Files.list(host)) {
                return dirs.filter(p -> p.getFileName().toString().startsWith(name + "-")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The relay's on-disk copy of the session: its folder under the relay's output. */
        Path onDisk() {
            Path host = relay.output.resolve(hostname());
            try (Stream<Path> dirs = Files.list(host)) {
                List<Path> l = new ArrayList<>(dirs.filter(p -> p.getFileName().toString().startsWith(name + "-"))
                        .toList());
                if (l.size() != 1) {
                    fail("expected one folder of session " + name + " under " + host + ", found " + l);
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
        }
    }
}

package io.tracestream.cli;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real lttng-relayd on free loopback ports (output in {@code DIR/relay}, log in {@code DIR/relayd.log}) and the live
 * sessions streaming to it, for the live command tests. Closing it destroys the sessions and kills the relay.
 */
final class TestRelayd implements AutoCloseable {
    final Path output;
    final int livePort;
    final String host;
    private final int controlPort;
    private final int dataPort;
    private final Process process;
    private final List<String> sessions = new ArrayList<>();

    TestRelayd(Path dir) throws IOException, InterruptedException {
        Lttng.ensureSessionDaemon();
        controlPort = freePort();
        dataPort = freePort();
        livePort = freePort();
        output = dir.resolve("relay");
        process = new ProcessBuilder("lttng-relayd", "-C", "tcp://127.0.0.1:" + controlPort,
                "-D", "tcp://127.0.0.1:" + dataPort, "-L", "tcp://127.0.0.1:" + livePort, "-o", output.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("relayd.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", livePort), 200);
                break;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    /** The live URL of {@code session} on this relay. */
    String url(String session) {
        return "net://127.0.0.1:" + livePort + "/host/" + host + "/" + session;
    }

    /** Creates and starts a live session (100 ms timer) of the UST probe's events with vpid, vtid and procname. */
    void startSession(String session) {
        sessions.add(session);
        lttng("create", session, "--live=100000", "--set-url=net://127.0.0.1:" + controlPort + ":" + dataPort);
        lttng("enable-channel", "-u", "-s", session, "--subbuf-size=1M", "--num-subbuf=4",
                "--blocking-timeout=inf", "chan0");
        lttng("enable-event", "-u", "-s", session, "-c", "chan0", "tsprobe:*");
        lttng("add-context", "-u", "-s", session, "-c", "chan0", "-t", "vpid", "-t", "vtid", "-t", "procname");
        lttng("start", session);
    }

    /** The relay's copy of {@code session}'s trace. */
    Path recorded(String session) throws IOException {
        try (Stream<Path> dirs = Files.list(output.resolve(host))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(session + "-")).findFirst().orElseThrow();
        }
    }

    static void lttng(String... args) {
        List<String> c = new ArrayList<>(List.of("lttng"));
        c.addAll(List.of(args));
        Exec.of(c).timeout(Duration.ofMinutes(1)).run().requireSuccess();
    }

    @Override
    public void close() throws InterruptedException {
        for (String session : sessions) {
            try {
                lttng("destroy", session);
            } catch (RuntimeException | AssertionError e) {
                // destroyed already
            }
        }
        process.destroyForcibly().waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.UstProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracestream live} end to end: a real lttng-relayd (free loopback ports) and live session, the UST probe as
 * the traced program; the command's output is compared with babeltrace2's text for the relay's on-disk copy.
 */
class LiveCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("TZ", "UTC"));
        int code = Main.run(args, t);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void lttng(String... args) {
        List<String> c = new ArrayList<>(List.of("lttng"));
        c.addAll(List.of(args));
        Exec.of(c).timeout(Duration.ofMinutes(1)).run().requireSuccess();
    }

    @Test
    void printsTheSessionLikeBabeltraceAndListsIt() throws Exception {
        Lttng.require();
        Babeltrace.require();
        int c = freePort(), d = freePort(), l = freePort();
        Path out = tmp.resolve("relay");
        Process relayd = new ProcessBuilder("lttng-relayd", "-C", "tcp://127.0.0.1:" + c, "-D", "tcp://127.0.0.1:" + d,
                "-L", "tcp://127.0.0.1:" + l, "-o", out.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("relayd.log").toFile()).start();
        String session = "ts-cli-live-" + ProcessHandle.current().pid();
        try {
            for (int i = 0; i < 100; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", l), 200);
                    break;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            String url = "net://127.0.0.1:" + l + "/host/" + host + "/" + session;
            Run missing = run("live", url);
            assertEquals(0, missing.code());
            assertTrue(missing.err().contains("no session '" + session + "'"), missing.err());
            assertEquals(1, run("live", "--session-not-found-action=fail", url).code());

            lttng("create", session, "--live=100000", "--set-url=net://127.0.0.1:" + c + ":" + d);
            lttng("enable-channel", "-u", "-s", session, "--subbuf-size=1M", "--num-subbuf=4",
                    "--blocking-timeout=inf", "chan0");
            lttng("enable-event", "-u", "-s", session, "-c", "chan0", "tsprobe:*");
            lttng("add-context", "-u", "-s", session, "-c", "chan0", "-t", "vpid", "-t", "vtid", "-t", "procname");
            lttng("start", session);
            CompletableFuture<Run> live = CompletableFuture.supplyAsync(() -> run("live", url));
            Thread.sleep(1500);
            Exec.of(UstProbe.binary().toString(), "-n", "2000", "-t", "2")
                    .env(Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).run().requireSuccess();
            Run list = run("live", "--list", "net://127.0.0.1:" + l);
            assertEquals(0, list.code());
            assertTrue(list.out().contains(url + " (timer = 100000, "), list.out());
            Thread.sleep(1500);
            lttng("stop", session);
            lttng("destroy", session);
            Run r = live.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            Path copy;
            try (Stream<Path> dirs = Files.list(out.resolve(host))) {
                copy = dirs.filter(p -> p.getFileName().toString().startsWith(session + "-")).findFirst()
                        .orElseThrow();
            }
            String bt = Exec.of("babeltrace2", copy.toString()).env("TZ", "UTC").run().requireSuccess().stdout();
            assertTrue(r.out().split("\n").length > 3000, "events printed: " + r.out().split("\n").length);
            assertEquals(Babeltrace2Bugs.clearStaleEmptyStrings(bt, r.out()), r.out());
        } finally {
            try {
                lttng("destroy", session);
            } catch (RuntimeException | AssertionError e) {
                // destroyed already
            }
            relayd.destroyForcibly().waitFor();
        }
    }
}

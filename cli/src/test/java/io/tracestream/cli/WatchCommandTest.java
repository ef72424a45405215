package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.UstProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracestream watch} end to end: on the sample kernel trace directory with {@code --serve} (the page rendered
 * by headless Chromium shows the windows' numbers and charts), against a real lttng-relayd (every event the relay
 * recorded is in a window; the command ends when the session is destroyed), and bad input.
 */
class WatchCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static Run run(WatchCommand cmd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("TZ", "UTC"));
        int code = Main.run(args, t, List.of(cmd));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final Pattern HEADER = Pattern.compile("(?m)^tracestream watch \\S+ +window (\\d+) of .*  ([0-9,]+)"
            + " events$");

    /** Events per window, from the blocks the command printed. */
    private static List<Long> windowEvents(String out) {
        List<Long> n = new ArrayList<>();
        Matcher m = HEADER.matcher(out);
        while (m.find()) {
            assertEquals(n.size(), Integer.parseInt(m.group(1)), "window numbers in order");
            n.add(Long.parseLong(m.group(2).replace(",", "")));
        }
        return n;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private static String chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        Assumptions.abort("headless Chromium is not installed (Debian package chromium; scripts/setup.sh installs it)");
        return null;
    }

    @Test
    void servesALivePageThatChromiumRendersWithChartsAndAlerts() throws Exception {
        String chromium = chromium();
        WatchCommand cmd = new WatchCommand();
        Path trace = SampleTraces.path("sample-kernel/kernel");
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> run(cmd, "watch", "all",
                trace.toString(), "--window", "20ms", "--idle", "300ms", "--serve", "127.0.0.1:0", "--duration",
                "2m", "--alert", "cpu.usage > 50% for 2 windows", "--alert", "syscall.latency.p99 > 1s"));
        try {
            WatchServer server = null;
            for (int i = 0; i < 600 && server == null; i++) {
                Thread.sleep(50);
                server = cmd.server();
            }
            assertTrue(server != null, "the server started");
            String url = server.url();
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            // the complete windows (0.26 s of trace: 13 windows of 20 ms, the last one partial until the end)
            String data = "";
            for (int i = 0; i < 400 && !data.contains("\"index\":11,"); i++) {
                Thread.sleep(50);
                data = get(url + "data.json");
            }
            assertTrue(data.contains("\"index\":11,"), data);
            assertTrue(data.contains("\"kind\":\"FIRED\",\"rule\":\"cpu.usage > 50% for 2 windows\""), data);

            // the event stream replays the windows so far, then follows
            CompletableFuture<List<String>> sse = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                    URI.create(url + "events")).build(), HttpResponse.BodyHandlers.ofLines())
                    .thenApply(resp -> resp.body().toList());

            Path profile = Files.createTempDirectory(tmp, "chromium-profile");
            Path dom = tmp.resolve("dom.html");
            ProcessResult r = Exec.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile, "--window-size=1400,2000",
                    "--virtual-time-budget=3000", "--dump-dom", url + "?poll").stdoutTo(dom)
                    .timeout(Duration.ofMinutes(2)).run();
            String page = Files.readString(dom, StandardCharsets.UTF_8);
            assertTrue(r.exitCode() == 0 && page.contains("</html>"), "chromium failed: " + r.stderr());
            assertTrue(page.contains("tracestream watch all (windows of 20.00 ms)"), page);
            assertTrue(page.contains("<svg class=\"chart\""), "charts drawn");
            for (String series : List.of("lttng-memtop (4084)", "sched.latency.p99", "syscall.latency.p50",
                    "events.rate", "io.read.rate")) {
                assertTrue(page.matches("(?s).*<polyline class=\"series\" data-name=\"" + Pattern.quote(series)
                        + "\"[^>]* points=\"[0-9.]+,[0-9.]+( [0-9.]+,[0-9.]+){10,}\".*"), "a line of " + series);
            }
            assertTrue(page.contains("<td>syscall.latency.p99</td>"), "latest window's metrics");
            assertTrue(page.contains("cpu.usage &gt; 50% for 2 windows"), "the alert is listed");
            assertTrue(page.contains("Top threads (CPU)"));
            assertTrue(page.contains("ended") || page.contains("polling"), "status shown");
            cmd.stop();
            List<String> events = sse.get(60, TimeUnit.SECONDS);
            for (int i = 0; i <= 12; i++) {
                int w = i;
                assertTrue(events.stream().anyMatch(x -> x.startsWith("data: {") && x.contains("\"index\":" + w + ",")),
                        "window " + i + " in the event stream");
            }
            assertTrue(events.contains("event: alert"), "alerts in the event stream");
            assertEquals("event: end", events.stream().filter(x -> x.startsWith("event: ")).reduce((a, b) -> b)
                    .orElseThrow(), "the stream ends with the watch");
        } finally {
            cmd.stop();
        }
        Run done = running.get(60, TimeUnit.SECONDS);
        assertEquals(0, done.code(), done.err());
        List<Long> events = windowEvents(done.out());
        assertEquals(13, events.size(), done.out());
        assertEquals(44_633, events.stream().mapToLong(Long::longValue).sum(), "every event in one window");
        assertTrue(done.out().contains("(partial)"));
        assertTrue(done.err().contains("ALERT FIRED    cpu.usage > 50% for 2 windows"), done.err());
        assertFalse(done.err().contains("syscall.latency.p99 > 1s"), done.err());
    }

    @Test
    void badInputIsOneClearLine() throws IOException {
        String trace = SampleTraces.path("sample-kernel/kernel").toString();
        for (String[] c : new String[][] {
            {"2", "watch: '/no/such/dir' is neither a live URL", "watch", "cputop", "/no/such/dir"},
            {"2", "watch: unknown analysis 'cpustop'", "watch", "cpustop", trace},
            {"2", "watch: alert rule 'cpu.usage > 5ms': cpu.usage takes % (or none), not 'ms'", "watch", "cputop",
                trace, "--alert", "cpu.usage > 5ms"},
            {"2", "watch: --serve: expected [HOST:]PORT", "watch", "cputop", trace, "--serve", "localhost:http"},
            {"2", "watch: the URL names no session", "watch", "cputop", "net://127.0.0.1:1"},
            {"1", "tracestream: error: ", "watch", "cputop", "net://127.0.0.1:1/host/h/s"},
        }) {
            Run r = run(new WatchCommand(), java.util.Arrays.copyOfRange(c, 2, c.length));
            assertEquals(Integer.parseInt(c[0]), r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[1]), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }

    /** A live session through a real lttng-relayd: every event the relay recorded is in one window, once. */
    @Test
    void watchesALiveSessionUntilItIsDestroyed() throws Exception {
        Lttng.require();
        Babeltrace.require();
        String session = "ts-cli-watch-" + ProcessHandle.current().pid();
        try (TestRelayd relay = new TestRelayd(tmp)) {
            String url = relay.url(session);
            Run missing = run(new WatchCommand(), "watch", "cputop", url);
            assertEquals(1, missing.code(), missing.err());
            assertTrue(missing.err().contains(session), missing.err());

            relay.startSession(session);
            CompletableFuture<Run> watch = CompletableFuture.supplyAsync(() -> run(new WatchCommand(), "watch", "all",
                    url, "--window", "100ms", "--from-beginning", "--alert", "events.rate > 1"));
            Thread.sleep(1500);
            Exec.of(UstProbe.binary().toString(), "-n", "2000", "-t", "2")
                    .env(Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).run().requireSuccess();
            Thread.sleep(1000);
            TestRelayd.lttng("stop", session);
            TestRelayd.lttng("destroy", session);
            Run r = watch.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            Path copy = relay.recorded(session);
            long recorded = Exec.of("babeltrace2", copy.toString()).run().requireSuccess().stdout().lines().count();
            List<Long> events = windowEvents(r.out());
            assertTrue(recorded > 3000, recorded + " events recorded");
            assertEquals(recorded, events.stream().mapToLong(Long::longValue).sum(), r.out());
            assertTrue(r.out().contains("(partial)"), "the last window ends with the session");
            assertTrue(r.err().contains("ALERT FIRED    events.rate > 1"), r.err());
        }
    }
}

package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.UstProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    @Test
    void printsTheSessionLikeBabeltraceAndListsIt() throws Exception {
        Lttng.require();
        Babeltrace.require();
        String session = "ts-cli-live-" + ProcessHandle.current().pid();
        try (TestRelayd relay = new TestRelayd(tmp)) {
            String url = relay.url(session);
            Run missing = run("live", url);
            assertEquals(0, missing.code());
            assertTrue(missing.err().contains("no session '" + session + "'"), missing.err());
            assertEquals(1, run("live", "--session-not-found-action=fail", url).code());

            relay.startSession(session);
            CompletableFuture<Run> live = CompletableFuture.supplyAsync(() -> run("live", url));
            Thread.sleep(1500);
            Exec.of(UstProbe.binary().toString(), "-n", "2000", "-t", "2")
                    .env(Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).run().requireSuccess();
            Run list = run("live", "--list", "net://127.0.0.1:" + relay.livePort);
            assertEquals(0, list.code());
            assertTrue(list.out().contains(url + " (timer = 100000, "), list.out());
            Thread.sleep(1500);
            TestRelayd.lttng("stop", session);
            TestRelayd.lttng("destroy", session);
            Run r = live.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            Path copy = relay.recorded(session);
            String bt = Exec.of("babeltrace2", copy.toString()).env("TZ", "UTC").run().requireSuccess().stdout();
            assertTrue(r.out().split("\n").length > 3000, "events printed: " + r.out().split("\n").length);
            assertEquals(Babeltrace2Bugs.clearStaleEmptyStrings(bt, r.out()), r.out());
        }
    }
}

package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live client against a real lttng-sessiond and lttng-relayd on loopback, with the UST probe as the traced
 * program: what the client delivers is compared with what babeltrace2 reads from the relay's on-disk copy of the
 * session once it is destroyed, and with babeltrace2's own live reader.
 */
class LiveRelayTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void tools() {
        Lttng.require();
        Babeltrace.require();
    }

    /** Reads a session to its end in a background thread; returns the text lines it printed. */
    /** A reader that waits for the session (CONTINUE): stopped by the test once it has {@code expected} events. */
    private static final class Follower {
        final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<LiveSession> live =
                new java.util.concurrent.atomic.AtomicReference<>();
        final CompletableFuture<String> text;

        Follower(LiveUrl url, LiveOptions options) {
            text = CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrettyPrinter p = new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC).color(false), out,
                        new ByteArrayOutputStream());
                try (LiveSession s = LiveSession.open(url, options)) {
                    live.set(s);
                    while (s.next()) {
                        p.message(s);
                        if (s.type() == MessageType.EVENT) {
                            events.incrementAndGet();
                        }
                    }
                }
                p.flush();
                return out.toString(StandardCharsets.UTF_8);
            });
        }

        /** Waits (bounded) until {@code n} events arrived, then stops the reader; its text. */
        String stopAfter(long n) throws Exception {
            for (int i = 0; i < 900 && events.get() < n && !text.isDone(); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(300); // a duplicate would show now
            if (live.get() != null) {
                live.get().close();
            }
            return await(text);
        }
    }

    private static CompletableFuture<String> readAll(LiveUrl url, LiveOptions options) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrettyPrinter p = new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC).color(false), out, err);
            try (LiveSession live = LiveSession.open(url, options)) {
                while (live.next()) {
                    p.message(live);
                }
            }
            p.flush();
            return out.toString(StandardCharsets.UTF_8);
        });
    }

    private static String babeltraceOnDisk(Path dir) {
        ProcessResult r = Exec.of("babeltrace2", dir.toString()).env("TZ", "UTC").run().requireSuccess();
        return r.stdout();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(90, TimeUnit.SECONDS); // a hang guard, not a timing assertion
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the live reader did not end after the session was destroyed", e);
        }
    }

    private static int lines(String s) {
        return s.isEmpty() ? 0 : s.split("\n", -1).length - 1;
    }

    @Test
    void deliversEverythingOnceLikeBabeltraceOnDiskAndLive() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay1"));
             LiveRelay.Session session = relay.createSession(100_000)) {
            CompletableFuture<String> ours = readAll(session.url(), LiveOptions.defaults()
                    .sessionNotFound(LiveOptions.SessionNotFound.END));
            Thread.sleep(1500); // the reader attaches (and waits for the session's streams)
            long first = session.runProbe(3000, 2);
            long second = session.runProbe(2000, 1); // a second process while the readers run
            Thread.sleep(1500);
            session.stop();
            session.destroy();
            String live = await(ours);
            String disk = babeltraceOnDisk(session.onDisk());
            assertEquals(first + second, lines(disk), "events on disk");
            assertEquals(expectedText(session.onDisk()), live, "live client vs babeltrace2 on the relay's copy");
        }
    }

    @Test
    void listsSessionsAndHandlesUnknownOnes() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay2"));
             LiveRelay.Session session = relay.createSession(100_000)) {
            session.runProbe(10, 1); // the relay knows a UST session once an application registered
            List<SessionInfo> list = LiveSession.list(relay.relayUrl(), LiveOptions.defaults());
            assertTrue(list.stream().anyMatch(s -> s.name().equals(session.name)
                    && s.url().equals(session.url()) && s.liveTimerMicros() == 100_000), list.toString());
            LiveUrl unknown = relay.relayUrl().withSession(LiveRelay.hostname(), "no-such-session");
            LiveException e = assertThrows(LiveException.class, () -> LiveSession.open(unknown,
                    LiveOptions.defaults().sessionNotFound(LiveOptions.SessionNotFound.FAIL)));
            assertTrue(e.getMessage().contains("no session 'no-such-session'")
                    && e.getMessage().contains(session.name), e.getMessage());
            try (LiveSession end = LiveSession.open(unknown,
                    LiveOptions.defaults().sessionNotFound(LiveOptions.SessionNotFound.END))) {
                assertFalse(end.next());
            }
            try (LiveSession wait = LiveSession.open(unknown, LiveOptions.defaults())) {
                assertEquals(LiveSession.Status.WAITING, wait.next(Duration.ofMillis(300)));
            }
        }
    }

    /** The text babeltrace2 prints for the relay's copy, with its stale-empty-string bug undone. */
    private static String expectedText(Path dir) {
        String bt = babeltraceOnDisk(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrettyPrinter p = new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC).color(false), out,
                new ByteArrayOutputStream());
        try (TraceSet t = TraceSet.open(dir); MessageCursor c = t.messages()) {
            while (c.next()) {
                p.message(c);
            }
        }
        p.flush();
        String ours = out.toString(StandardCharsets.UTF_8);
        String fixed = Babeltrace2Bugs.clearStaleEmptyStrings(bt, ours);
        assertEquals(fixed, ours, "the core reads the relay's copy as babeltrace2 does");
        return fixed;
    }

    private static List<String> withoutDeltas(String text) {
        List<String> l = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                l.add(line.replaceFirst("\\(\\+[^)]*\\) ", ""));
            }
        }
        l.sort(null);
        return l;
    }

    /** Equal multisets of lines; on failure, how many are missing and extra, with examples. */
    private static void assertSameLines(List<String> expected, List<String> actual) {
        Map<String, Integer> count = new HashMap<>();
        for (String l : expected) {
            count.merge(l, 1, Integer::sum);
        }
        for (String l : actual) {
            count.merge(l, -1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        count.forEach((l, c) -> {
            for (int i = 0; i < Math.abs(c); i++) {
                (c > 0 ? missing : extra).add(l);
            }
        });
        missing.sort(null);
        extra.sort(null);
        assertTrue(missing.isEmpty() && extra.isEmpty(), expected.size() + " lines expected, " + actual.size()
                + " delivered; missing " + missing.size() + " " + missing.subList(0, Math.min(2, missing.size()))
                + "; duplicated or extra " + extra.size() + " " + extra.subList(0, Math.min(2, extra.size())));
    }

    @Test
    void resumesFromACheckpointWithoutLossOrDuplicates() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay3"));
             LiveRelay.Session session = relay.createSession(100_000)) {
            LiveOptions o = LiveOptions.defaults().fromBeginning(true).sessionNotFound(LiveOptions.SessionNotFound.END);
            long n = session.runProbe(4000, 2);
            session.stop(); // everything is on the relay now
            // first reader: stops after 3 packets; like a stream processor it keeps, per stream, only the events of
            // the packets it delivered completely (what the checkpoint covers)
            StringBuilder committed = new StringBuilder();
            Map<DataStream, ByteArrayOutputStream> pending = new HashMap<>();
            Map<DataStream, PrettyPrinter> printers = new HashMap<>();
            LivePositions checkpoint;
            try (LiveSession a = LiveSession.open(session.url(), o)) {
                int packetEnds = 0;
                // bounded: a stopped session sends no beacons, so the merge may wait for a stream with no more data
                while (packetEnds < 3 && a.next(Duration.ofSeconds(5)) == LiveSession.Status.MESSAGE) {
                    ByteArrayOutputStream buf = pending.computeIfAbsent(a.stream(), k -> new ByteArrayOutputStream());
                    PrettyPrinter p = printers.computeIfAbsent(a.stream(), k -> new PrettyPrinter(
                            new PrettyOptions().zone(ZoneOffset.UTC).color(false), buf, new ByteArrayOutputStream()));
                    p.message(a);
                    if (a.type() == MessageType.PACKET_END) {
                        packetEnds++;
                        p.flush();
                        committed.append(buf.toString(StandardCharsets.UTF_8));
                        buf.reset();
                    }
                }
                assertTrue(packetEnds >= 1, "the first reader delivered a packet");
                checkpoint = LivePositions.fromJson(a.positions().toJson());
            }
            assertFalse(checkpoint.streams().isEmpty());
            CompletableFuture<String> rest = readAll(session.url(), o.resumeFrom(checkpoint));
            Thread.sleep(1000);
            session.destroy();
            String secondPart = await(rest);
            String expected = expectedText(session.onDisk());
            assertEquals(n, lines(expected));
            assertTrue(committed.length() > 0);
            assertSameLines(withoutDeltas(expected), withoutDeltas(committed + secondPart));
        }
    }

    /**
     * Regression: an interrupted reader (a stream processor stopping its query) used to look like the session's end,
     * so a consumer could not tell it from a destroyed session. Now END after an interrupt says
     * {@code sessionEnded() == false}, and a reader resumed from its positions while the session records reads on
     * without loss or duplicates, to the real end ({@code sessionEnded() == true}).
     */
    @Test
    void anInterruptedReaderIsNotTheSessionsEnd() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay5"));
             LiveRelay.Session session = relay.createSession(100_000)) {
            LiveOptions o = LiveOptions.defaults().fromBeginning(true).sessionNotFound(LiveOptions.SessionNotFound.END);
            long n = session.runProbe(2000, 2);
            StringBuilder committed = new StringBuilder();
            java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            Thread reader = new Thread(() -> {
                Map<DataStream, ByteArrayOutputStream> pending = new HashMap<>();
                Map<DataStream, PrettyPrinter> printers = new HashMap<>();
                try (LiveSession a = LiveSession.open(session.url(), o)) {
                    while (a.next()) { // keeps only the events of packets delivered completely, as a checkpoint does
                        ByteArrayOutputStream buf = pending.computeIfAbsent(a.stream(),
                                k -> new ByteArrayOutputStream());
                        PrettyPrinter p = printers.computeIfAbsent(a.stream(), k -> new PrettyPrinter(
                                new PrettyOptions().zone(ZoneOffset.UTC).color(false), buf,
                                new ByteArrayOutputStream()));
                        p.message(a);
                        if (a.type() == MessageType.EVENT) {
                            events.incrementAndGet();
                        } else if (a.type() == MessageType.PACKET_END) {
                            p.flush();
                            committed.append(buf.toString(StandardCharsets.UTF_8));
                            buf.reset();
                        }
                    }
                    outcome.set(new Object[] {a.sessionEnded(), LivePositions.fromJson(a.positions().toJson())});
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            reader.start();
            for (int i = 0; i < 600 && events.get() < n && reader.isAlive(); i++) {
                Thread.sleep(100);
            }
            assertEquals(n, events.get(), "events delivered before the interrupt");
            Thread.sleep(300); // the reader now waits for more (quiet streams)
            reader.interrupt();
            reader.join(30_000);
            assertFalse(reader.isAlive(), "the interrupted reader returned");
            if (outcome.get() instanceof RuntimeException e) {
                throw e;
            }
            Object[] r = (Object[]) outcome.get();
            assertFalse((Boolean) r[0], "an interrupt is not the session's end");
            LivePositions checkpoint = (LivePositions) r[1];
            assertFalse(checkpoint.streams().isEmpty());

            CompletableFuture<Boolean> ended = new CompletableFuture<>();
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrettyPrinter p = new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC).color(false), out,
                        new ByteArrayOutputStream());
                try (LiveSession b = LiveSession.open(session.url(), o.resumeFrom(checkpoint))) {
                    while (b.next()) {
                        p.message(b);
                    }
                    ended.complete(b.sessionEnded());
                }
                p.flush();
                return out.toString(StandardCharsets.UTF_8);
            });
            Thread.sleep(1000);
            assertFalse(rest.isDone(), "the resumed reader waits while the session records");
            n += session.runProbe(1000, 2);
            Thread.sleep(500);
            session.destroy();
            String secondPart = await(rest);
            assertTrue(ended.get(), "the resumed reader ended with the session");
            String expected = expectedText(session.onDisk());
            assertEquals(n, lines(expected));
            assertSameLines(withoutDeltas(expected), withoutDeltas(committed + secondPart));
        }
    }

    @Test
    void reconnectsAfterARelayRestartWithoutDuplicates() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay4"));
             LiveRelay.Session first = relay.createSession(100_000)) {
            String name = first.name;
            Follower ours = new Follower(first.url(), LiveOptions.defaults().fromBeginning(true)
                    .reconnectFor(Duration.ofSeconds(60)));
            long n1 = first.runProbe(1500, 2);
            for (int i = 0; i < 600 && ours.events.get() < n1 && !ours.text.isDone(); i++) {
                Thread.sleep(100);
            }
            if (ours.text.isDone()) {
                await(ours.text); // the reader failed: show why
            }
            assertEquals(n1, ours.events.get(), "events delivered before the relay restart");
            relay.kill(); // a crash: the reader loses its connection
            first.close(); // the tracing session died with its relay (lttng may refuse to destroy it yet)
            // the relay names a session's folder after its creation time, to the second: the re-created session must
            // not share the first one's second, or both write into one folder
            Thread.sleep(1100);
            relay.start();
            String second;
            try (LiveRelay.Session again = new LiveRelay.Session(relay, 100_000, name, false)) {
                long n2 = again.runProbe(1000, 1);
                Thread.sleep(1500);
                again.stop();
                again.destroy();
                String live = ours.stopAfter(n1 + n2);
                List<Path> copies = again.onDiskAll();
                assertEquals(2, copies.size(), copies.toString());
                String expected = expectedText(copies.get(0)) + expectedText(copies.get(1));
                assertEquals(n1 + n2, lines(expected));
                second = live;
                assertSameLines(withoutDeltas(expected), withoutDeltas(second));
            }
        }
    }

    /**
     * babeltrace2's own live reader prints what babeltrace2 prints for the relay's copy (but for its stale empty
     * strings bug): with the test above, the client prints what {@code babeltrace2 --input-format=lttng-live} does.
     * (The relay lets one viewer attach to a session at a time, so the two readers cannot share one session.)
     */
    @Test
    void babeltraceLiveReaderAgreesWithTheRelayCopy() throws Exception {
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay6"));
             LiveRelay.Session session = relay.createSession(100_000)) {
            Path out = tmp.resolve("bt-live.txt");
            ProcessBuilder pb = new ProcessBuilder("babeltrace2", "--input-format=lttng-live", session.url().toString())
                    .redirectOutput(out.toFile()).redirectError(tmp.resolve("bt-live.err").toFile());
            pb.environment().put("TZ", "UTC");
            Process bt = pb.start();
            try {
                Thread.sleep(1500);
                long n = session.runProbe(2000, 2);
                Thread.sleep(1500);
                session.stop();
                session.destroy();
                assertTrue(bt.waitFor(90, TimeUnit.SECONDS), "babeltrace2's live reader did not end");
                String btLive = java.nio.file.Files.readString(out);
                String expected = expectedText(session.onDisk());
                assertEquals(n, lines(expected));
                assertEquals(expected, Babeltrace2Bugs.clearStaleEmptyStrings(btLive, expected));
            } finally {
                bt.destroyForcibly();
            }
        }
    }

    /** A Java program logging through java.util.logging and the LTTng Java agent, read live. */
    @Test
    void javaAgentEventsArriveLive() throws Exception {
        Path common = Path.of("/usr/share/java/lttng-ust-agent-common.jar");
        Path jul = Path.of("/usr/share/java/lttng-ust-agent-jul.jar");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(common)
                && java.nio.file.Files.exists(jul), "the LTTng Java agent is not installed "
                + "(apt-get install liblttng-ust-agent-java liblttng-ust-agent-java-jni)");
        Path src = tmp.resolve("jul-app/JulLiveApp.java");
        java.nio.file.Files.createDirectories(src.getParent());
        java.nio.file.Files.writeString(src, """
                import java.util.logging.Level;
                import java.util.logging.Logger;
                import org.lttng.ust.agent.jul.LttngLogHandler;

                public class JulLiveApp {
                    public static void main(String[] args) throws Exception {
                        Logger log = Logger.getLogger("tracestream.live.test");
                        LttngLogHandler handler = new LttngLogHandler();
                        log.addHandler(handler);
                        log.setUseParentHandlers(false);
                        log.setLevel(Level.ALL);
                        int n = Integer.parseInt(args[0]);
                        for (int i = 0; i < n; i++) {
                            log.log(i % 3 == 0 ? Level.WARNING : Level.INFO, "message " + i);
                        }
                        handler.close();
                    }
                }
                """);
        String cp = common + ":" + jul;
        Exec.of("javac", "-cp", cp, "-d", src.getParent().toString(), src.toString()).run().requireSuccess();
        try (LiveRelay relay = new LiveRelay(tmp.resolve("relay7"));
             LiveRelay.Session session = LiveRelay.Session.jul(relay)) {
            CompletableFuture<String> ours = readAll(session.url(), LiveOptions.defaults()
                    .sessionNotFound(LiveOptions.SessionNotFound.END));
            Thread.sleep(1500);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Exec.of(java, "-cp", cp + ":" + src.getParent(), "JulLiveApp", "300").run().requireSuccess();
            Thread.sleep(1500);
            session.stop();
            session.destroy();
            String live = await(ours);
            String expected = expectedText(session.onDisk());
            assertEquals(300, lines(expected));
            assertTrue(expected.contains("lttng_jul:event"), expected.substring(0, Math.min(300, expected.length())));
            assertEquals(expected, live, "live client vs babeltrace2 on the relay's copy");
        }
    }
}

package io.tracestream.ctf.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.UstProbe;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follows real LTTng sessions while a UST program records into them (periodic packet flushes, manual and periodic
 * rotations), decoding every packet as soon as the follower reports it; in the end the followed events equal
 * babeltrace2's reading of the finished trace, line for line.
 */
class FollowLttngSessionTest {
    @TempDir
    Path tmp;

    /** A follower polling on its own thread and decoding each reported packet at once. */
    private static final class Watcher implements AutoCloseable {
        final TraceFollower follower;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final Set<String> chunkKeys = Collections.synchronizedSet(new TreeSet<>());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile long packets;
        volatile long moves;
        private volatile boolean stop;
        private final Thread thread;

        Watcher(Path root) {
            follower = new TraceFollower(root);
            thread = new Thread(this::loop, "follower");
            thread.start();
        }

        private void loop() {
            try {
                while (!stop) {
                    pollOnce();
                    Thread.sleep(20);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        void pollOnce() {
            FollowUpdate u = follower.poll();
            moves += u.movedTraces().size();
            u.newTraces().forEach(t -> chunkKeys.add(t.key()));
            for (FollowUpdate.NewPackets np : u.newPackets()) {
                decode(np.stream(), np.first(), np.first() + np.packets().size());
            }
        }

        /**
         * Decodes packets [from, to) of a stream. When LTTng archived the chunk after the poll, the files moved: poll
         * again (which relocates the stream; its own new packets are decoded too) and retry with the new paths.
         */
        private void decode(FollowedStream stream, long from, long to) {
            for (int attempt = 0; ; attempt++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrettyPrinter pp = new PrettyPrinter(new PrettyOptions().noDelta(true).zone(ZoneOffset.UTC), out,
                        new ByteArrayOutputStream());
                try (MessageCursor c = stream.trace().decoder().openStream(stream, stream.packets(from, to))) {
                    while (c.next()) {
                        if (c.type() == MessageType.EVENT) {
                            pp.event(c.event());
                        }
                    }
                } catch (CtfException e) {
                    if (e.getCause() instanceof NoSuchFileException && attempt < 500) {
                        sleep(10);
                        pollOnce();
                        continue;
                    }
                    throw e;
                }
                pp.flush();
                lines.addAll(Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")));
                packets += to - from;
                return;
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the thread and polls once more (the session is over: everything is on disk). */
        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
            if (failure.get() != null) {
                throw new AssertionError("the follower failed", failure.get());
            }
            pollOnce();
        }

        void awaitPackets(long atLeast) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (packets < atLeast && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(packets >= atLeast, "the follower saw packets while the session recorded");
        }
    }

    private static void lttng(String... args) {
        List<String> command = new ArrayList<>(List.of("lttng"));
        command.addAll(List.of(args));
        Exec.of(command).timeout(Duration.ofSeconds(60)).run().requireSuccess();
    }

    /** Channel chan0: lossless, small sub-buffers flushed every 50 ms, so packets appear while the program runs. */
    private static Lttng.Channel setUp(Lttng.Session s) {
        Lttng.Channel chan = new Lttng.Channel("chan0", 16384, 4, true);
        lttng("enable-channel", "-u", "-s", s.name(), "--subbuf-size=16384", "--num-subbuf=4",
                "--switch-timer=50000", "--blocking-timeout=inf", chan.name());
        s.enableEvents(chan, UstProbe.EVENTS.toArray(String[]::new));
        s.addContexts(chan, Lttng.DEFAULT_CONTEXTS);
        return chan;
    }

    /** Runs the probe (2 threads) and returns the number of events it emitted. */
    private static long runProbe(Lttng.Session s, int events) {
        return Long.parseLong(s.run(List.of(UstProbe.binary().toString(), "-n", Integer.toString(events), "-t", "2"),
                Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).requireSuccess().stdout().trim());
    }

    /**
     * Lines sorted by their part before the payload (time, event name, packet and event contexts), then whole: so
     * that a babeltrace2 line showing a stale empty string (see {@link Babeltrace2Bugs}) lands beside ours.
     */
    private static List<String> sorted(List<String> lines) {
        List<String> l = new ArrayList<>(lines);
        l.removeIf(String::isEmpty);
        l.sort(Comparator.comparing(FollowLttngSessionTest::head).thenComparing(Comparator.naturalOrder()));
        return l;
    }

    private static String head(String line) {
        int first = line.indexOf("}, { ");
        int second = first < 0 ? -1 : line.indexOf("}, { ", first + 1);
        return second < 0 ? line : line.substring(0, second);
    }

    /** babeltrace2's lines and the followed ones, sorted alike, equal but for babeltrace2's stale empty strings. */
    static void assertSameEvents(List<String> babeltrace, List<String> followed) {
        List<String> ts = sorted(followed);
        List<String> bt = sorted(babeltrace);
        bt = Arrays.asList(Babeltrace2Bugs.clearStaleEmptyStrings(String.join("\n", bt), String.join("\n", ts))
                .split("\n"));
        assertSameLines(bt, ts);
    }

    /** Equal sorted lines; on a difference, the counts and the first differing line (not the whole lists). */
    static void assertSameLines(List<String> expected, List<String> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError("line " + i + " of " + expected.size() + " (babeltrace2) / " + actual.size()
                        + " (followed) differs:\n babeltrace2: " + expected.get(i) + "\n followed:    "
                        + actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), "number of events (babeltrace2 / followed)");
    }

    private static List<String> babeltrace(Path root) {
        List<String> l = new ArrayList<>(Arrays.asList(Babeltrace.print(root, "--no-delta").split("\n")));
        l.removeIf(String::isEmpty);
        return l;
    }

    @Test
    void followsAGrowingSession() throws Exception {
        Lttng.require();
        Babeltrace.require();
        Path out = tmp.resolve("session");
        Watcher w;
        long emitted = 0;
        try (Lttng.Session s = Lttng.createSession(out)) {
            setUp(s);
            s.start();
            w = new Watcher(out);
            emitted += runProbe(s, 3000);
            w.awaitPackets(1);
            emitted += runProbe(s, 2000);
            s.stop();
            assertEquals(0, s.discardedEvents());
        }
        w.close();
        List<String> expected = babeltrace(out);
        assertEquals(emitted, expected.size());
        assertSameEvents(expected, w.lines);
        assertEquals(Set.of("ust/uid/0/64-bit"), w.chunkKeys);
    }

    @Test
    void followsRotations() throws Exception {
        Lttng.require();
        Babeltrace.require();
        Path out = tmp.resolve("rotating");
        Watcher w;
        long emitted = 0;
        try (Lttng.Session s = Lttng.createSession(out)) {
            setUp(s);
            s.start();
            w = new Watcher(out);
            emitted += runProbe(s, 2000);
            w.awaitPackets(1);
            lttng("rotate", s.name());
            emitted += runProbe(s, 2000);
            lttng("rotate", s.name());
            lttng("enable-rotation", "-s", s.name(), "--timer=200ms");
            emitted += runProbe(s, 3000);
            Thread.sleep(500);
            emitted += runProbe(s, 1000);
            s.stop();
            assertEquals(0, s.discardedEvents());
        }
        w.close();
        List<String> expected = babeltrace(out);
        assertEquals(emitted, expected.size());
        assertSameEvents(expected, w.lines);
        assertTrue(w.chunkKeys.containsAll(List.of("ust/uid/0/64-bit", "#1/ust/uid/0/64-bit",
                "#2/ust/uid/0/64-bit")), "chunks " + w.chunkKeys);
        assertTrue(w.moves >= 2, "the follower saw chunks move into archives/");
        try (var dirs = Files.list(out.resolve("archives"))) {
            assertEquals(w.chunkKeys.size(), dirs.count(), "one archive per followed chunk");
        }
    }
}

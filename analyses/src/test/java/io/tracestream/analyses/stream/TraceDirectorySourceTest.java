package io.tracestream.analyses.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.ctf.DataStream;
import java.util.Map;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.TraceCopy;
import io.tracestream.ctf.testing.UstProbe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace directories that grow while they are analysed: the packets of the real sample kernel trace appended to its
 * stream files in time order, a few at a time (after each step exactly the windows that every stream has passed are
 * out, and at the end every window equals the batch engine's); and a real LTTng session recording to disk.
 */
class TraceDirectorySourceTest {

    record Chunk(Path from, Path to, PacketIndexEntry packet, long beginNs, long endNs) {
    }


    @Test
    void growingDirectoryGivesWindowsAsTheyComplete(@TempDir Path tmp) throws IOException {
        Path trace = tmp.resolve("full");
        // in small packets: many steps to grow by
        TraceCopy.copy(SampleTraces.path("sample-kernel/kernel"), trace, 16 * 1024);
        Path dir = tmp.resolve("kernel");
        Files.createDirectories(dir);
        Files.copy(trace.resolve("metadata"), dir.resolve("metadata"));
        List<Chunk> chunks = new ArrayList<>();
        long firstEvent;
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), List.of(trace))) {
            for (Trace t : set.traces()) {
                for (DataStream ds : t.streams()) {
                    FsDataStream s = (FsDataStream) ds;
                    Path to = dir.resolve(s.file().getFileName());
                    Files.createFile(to);
                    for (int i = 0; i < s.packets().size(); i++) {
                        chunks.add(new Chunk(s.file(), to, s.packets().get(i), s.packetBeginNs(i), s.packetEndNs(i)));
                    }
                }
            }
            firstEvent = WindowedRunnerTest.stream(trace, 1_000_000_000L).get(0).begin();
        }
        chunks.sort(Comparator.comparingLong(Chunk::beginNs));
        assertTrue(chunks.size() >= 16, chunks.size() + " packets");

        long window = 20_000_000L;
        List<WindowResult> windows = new ArrayList<>();
        WindowedRunner runner = new WindowedRunner(WindowedRunnerTest.analyses(), WindowedRunnerTest.config(window),
                windows::add);
        List<String> warnings = new ArrayList<>();
        try (TraceDirectorySource source = new TraceDirectorySource(dir, Duration.ofMillis(5), Duration.ofHours(1),
                warnings::add)) {
            int steps = 8;
            int written = 0;
            for (int step = 1; step <= steps; step++) {
                int upTo = chunks.size() * step / steps;
                for (; written < upTo; written++) {
                    append(chunks.get(written));
                }
                pump(source, runner);
                // every stream has data up to the end of its last complete packet: the windows before the earliest
                // of those ends are out, no more
                long passed = Long.MAX_VALUE;
                for (Path f : List.of(dir.resolve("channel0_0"), dir.resolve("channel0_1"))) {
                    long end = Long.MIN_VALUE;
                    for (int i = 0; i < written; i++) {
                        if (chunks.get(i).to().equals(f)) {
                            end = Math.max(end, chunks.get(i).endNs());
                        }
                    }
                    passed = Math.min(passed, end);
                }
                long expected = passed == Long.MIN_VALUE ? 0 : Math.max(0, (passed - firstEvent) / window);
                assertEquals(expected, windows.size(), "windows out after step " + step + " (" + written + " of "
                        + chunks.size() + " packets)");
            }
            assertTrue(windows.size() >= 5, windows.size() + " windows before the end");
            source.endOfWriting(); // the rest, held back so far by the stream that ends first
            long total = runner.run(source, Duration.ofMillis(50), () -> false);
            assertEquals(windows.size(), total);
            assertTrue(windows.get(windows.size() - 1).partial());
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
        List<AnalysisResult> batch = WindowedRunnerTest.batch(trace, runner.config());
        WindowedRunnerTest.assertSameWindows(batch, windows, -1);
    }

    /**
     * A real LTTng user-space session recording to disk (sub-buffers flushed every 50 ms) while the UST probe runs five
     * times: windows come out while it records, and in the end every event babeltrace2 reads from the session's
     * folder is in one window, or counted late (a quiet CPU's stream that resumed after the others had moved on).
     */
    @Test
    void localLttngSessionIsAnalysedWhileItRecords(@TempDir Path tmp) throws Exception {
        Lttng.require();
        Path out = tmp.resolve("session");
        List<WindowResult> windows = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong duringRecording = new AtomicLong();
        try (Lttng.Session s = Lttng.createSession(out)) {
            Exec.of("lttng", "enable-channel", "-u", "-s", s.name(), "--subbuf-size=16384", "--num-subbuf=4",
                    "--switch-timer=50000", "--blocking-timeout=inf", "chan0").run().requireSuccess();
            Lttng.Channel chan = new Lttng.Channel("chan0", 16384, 4, true);
            s.enableEvents(chan, UstProbe.EVENTS.toArray(String[]::new));
            s.addContexts(chan, Lttng.DEFAULT_CONTEXTS);
            s.start();
            List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
            TraceDirectorySource source = new TraceDirectorySource(out, Duration.ofMillis(20), Duration.ofMillis(500),
                    warnings::add);
            WindowedRunner runner = new WindowedRunner(WindowedRunnerTest.analyses(),
                    WindowedRunnerTest.config(50_000_000L), windows::add);
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(
                    () -> runner.run(source, Duration.ofMillis(50), () -> false));
            for (int i = 0; i < 5; i++) {
                s.run(List.of(UstProbe.binary().toString(), "-n", "3000", "-t", "2"),
                        java.util.Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).requireSuccess();
                Thread.sleep(300);
            }
            duringRecording.set(windows.size());
            s.stop();
            source.endOfWriting();
            reader.get(60, TimeUnit.SECONDS);
            long inWindows = windows.stream().mapToLong(WindowResult::events).sum();
            long recorded = Exec.of("babeltrace2", out.toString()).run().requireSuccess().stdout().lines().count();
            assertTrue(recorded >= 5 * 2 * 3000, recorded + " events recorded");
            assertEquals(recorded, inWindows + source.lateEvents(), windows.size() + " windows, " + source.lateEvents()
                    + " late events, warnings " + warnings);
            assertTrue(duringRecording.get() >= 5, duringRecording.get() + " windows out while recording");
            for (int i = 0; i < windows.size(); i++) {
                assertEquals(i, windows.get(i).index());
            }
        }
    }

    /** Feeds the runner everything the source can give now, as {@link WindowedRunner#run} does. */
    static void pump(TraceDirectorySource source, WindowedRunner runner) {
        while (true) {
            StreamSource.Status s = source.next(Duration.ofMillis(60));
            if (s == StreamSource.Status.MESSAGE) {
                runner.message(source);
            } else {
                runner.advanceTo(source.watermarkNanos());
                return;
            }
        }
    }

    private static void append(Chunk c) throws IOException {
        byte[] bytes = new byte[(int) (c.packet().totalSizeBits() >>> 3)];
        try (RandomAccessFile in = new RandomAccessFile(c.from().toFile(), "r")) {
            in.seek(c.packet().offset());
            in.readFully(bytes);
        }
        Files.write(c.to(), bytes, StandardOpenOption.APPEND);
    }
}

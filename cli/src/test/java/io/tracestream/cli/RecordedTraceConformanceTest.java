package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.UstProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end conformance on FRESH LTTng user-space traces, recorded at test time with the UST probe
 * ({@code tools/ust-probe}) by the running lttng 2.13, so that what the installed tracer writes today is checked,
 * not only the traces stored in the repository:
 * <ul>
 *   <li>a lossless trace: every CTF field type lttng-ust writes, 2 threads pinned to different CPUs (one stream
 *       each), several packets per stream (64 KiB sub-buffers, blocking);</li>
 *   <li>a lossy trace: a burst into tiny discard-mode buffers, so packets report discarded events.</li>
 * </ul>
 * For each, {@code tracestream print} (run in-process through {@link Main}) must write exactly the bytes
 * {@code babeltrace2 TRACE} writes, on standard output and, for the discarded-events warnings, on standard error;
 * {@code print -o details} must equal {@code babeltrace2 -c sink.text.details}; and the counts of
 * {@code stats --json} must equal those of {@code babeltrace2 -c sink.utils.counter}.
 *
 * <p>Fails (does not skip) when lttng, the probe's build tools or babeltrace2 are missing: {@code scripts/setup.sh}
 * installs them, and CI runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordedTraceConformanceTest {
    /** Events per probe thread in the lossless trace (about 10,000 events in all). */
    private static final long LOSSLESS_EVENTS_PER_THREAD = 5_000;
    private static final int THREADS = 2;
    /** Burst events per thread in the lossy trace; grows when a recording happens to lose nothing. */
    private static final long LOSSY_EVENTS_PER_THREAD = 20_000;
    private static final Duration BABELTRACE_TIMEOUT = Duration.ofMinutes(1);

    /** Event names the lossless recording must hold, so that every field type the probe writes is covered. */
    private static final List<String> PROBE_EVENTS = List.of("tsprobe:start", "tsprobe:ints", "tsprobe:floats",
            "tsprobe:strings", "tsprobe:arrays", "tsprobe:enums", "tsprobe:tick", "tsprobe:tock", "tsprobe:end",
            "lttng_ust_tracef:event");

    private static final Pattern DISCARDED_WARNING = Pattern.compile(
            "(?m)^WARNING: Tracer discarded (\\d+) events? between");
    private static final Pattern CPU_ID = Pattern.compile("\\{ cpu_id = (\\d+) \\}");

    private UstProbe.Recording lossless;
    private UstProbe.Recording lossy;

    @BeforeAll
    void record(@TempDir Path temp) {
        Babeltrace.require();
        Lttng.require();
        // 64 KiB sub-buffers: several packets per stream (a blocking channel still loses nothing)
        Lttng.Channel smallBuffers = Lttng.Channel.lossless("chan0").withSubbuffers(64 << 10, 4);
        lossless = UstProbe.record(temp.resolve("lossless"), smallBuffers, List.of("-n",
                Long.toString(LOSSLESS_EVENTS_PER_THREAD), "-t", Integer.toString(THREADS)));
        assertEquals(THREADS * LOSSLESS_EVENTS_PER_THREAD + 2, lossless.emitted(), "events the probe emitted");
        assertEquals(0, lossless.discarded(), "a blocking channel must lose nothing");
        long n = LOSSY_EVENTS_PER_THREAD;
        for (int attempt = 1; ; attempt++) {
            lossy = UstProbe.recordLossy(temp.resolve("lossy-" + attempt), n, THREADS);
            if (lossy.discarded() > 0) {
                break;
            }
            if (attempt == 3) {
                fail("three lossy recordings (up to " + n + " events per thread) discarded no event");
            }
            n *= 4;
        }
    }

    // ------------------------------------------------------------------------------------------------ lossless

    @Test
    void losslessTextIsIdenticalToBabeltrace() {
        Path trace = lossless.output();
        ProcessResult bt = babeltrace(trace.toString());
        Run ts = tracestream("print", trace.toString());
        assertIdentical("standard output of print " + trace,
                Babeltrace2Bugs.clearStaleEmptyStrings(bt.stdoutBytes(), ts.out()), ts.out());
        assertEquals(bt.stderr(), ts.err(), "standard error of print");
        assertEquals("", ts.err(), "a lossless trace gives no warning");

        String text = bt.stdout();
        for (String name : PROBE_EVENTS) {
            assertTrue(text.contains(" " + name + ": "), "the recording has no " + name + " event");
        }
        assertEquals(lossless.emitted(), lines(text), "events printed (one line each)");
        assertTrue(text.contains(" lttng_ust_tracelog:"), "the recording has no lttng_ust_tracelog event");
        TreeSet<String> cpus = new TreeSet<>();
        Matcher m = CPU_ID.matcher(text);
        while (m.find()) {
            cpus.add(m.group(1));
        }
        int expectedCpus = Math.min(THREADS, Runtime.getRuntime().availableProcessors());
        assertTrue(cpus.size() >= expectedCpus, "events of " + expectedCpus + " CPUs expected, got CPUs " + cpus);
    }

    @Test
    void losslessDetailsAreIdenticalToBabeltrace() {
        assertDetailsIdentical(lossless.output());
    }

    @Test
    void losslessStatsCountLikeBabeltrace() {
        Counts c = assertCountsEqual(lossless.output());
        assertEquals(0, c.discardedEventsMessages, "discarded events messages");
        assertTrue(c.streams >= Math.min(THREADS, Runtime.getRuntime().availableProcessors()), "streams");
        assertTrue(c.packets > c.streams, "several packets per stream expected (64 KiB sub-buffers): " + c.packets);
    }

    // ------------------------------------------------------------------------------------------------ lossy

    @Test
    void lossyTextAndWarningsAreIdenticalToBabeltrace() {
        Path trace = lossy.output();
        ProcessResult bt = babeltrace(trace.toString());
        Run ts = tracestream("print", trace.toString());
        assertIdentical("standard output of print " + trace,
                Babeltrace2Bugs.clearStaleEmptyStrings(bt.stdoutBytes(), ts.out()), ts.out());
        long warned = sumOfDiscardedWarnings(bt.stderr());
        assertTrue(warned > 0, "babeltrace2 reported no discarded events; stderr:\n" + bt.stderr());
        assertIdentical("standard error (discarded events warnings) of print " + trace,
                bt.stderr().getBytes(StandardCharsets.UTF_8), ts.err().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lossyDetailsAreIdenticalToBabeltrace() {
        assertDetailsIdentical(lossy.output());
    }

    @Test
    void lossyStatsCountLikeBabeltrace() {
        Counts c = assertCountsEqual(lossy.output());
        assertTrue(c.discardedEventsMessages > 0, "discarded events messages");
        ProcessResult bt = babeltrace(lossy.output().toString());
        assertEquals(sumOfDiscardedWarnings(bt.stderr()), c.discardedEvents,
                "discarded events: stats vs the sum of babeltrace2's warnings");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** What an in-process {@code tracestream} run wrote and returned. */
    private record Run(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** Runs the CLI in this JVM, with {@code TZ=UTC} as babeltrace2 gets; fails unless it exits with 0. */
    private static Run tracestream(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("TZ", "UTC"));
        int code = Main.run(args, t);
        Run r = new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        if (code != 0) {
            fail("tracestream " + String.join(" ", args) + " exited with " + code + "; stderr:\n" + r.err());
        }
        return r;
    }

    private static ProcessResult babeltrace(String... args) {
        return Babeltrace.command(args).timeout(BABELTRACE_TIMEOUT).run().requireSuccess();
    }

    private static void assertDetailsIdentical(Path trace) {
        ProcessResult bt = babeltrace(trace.toString(), "-c", "sink.text.details");
        Run ts = tracestream("print", "-o", "details", trace.toString());
        assertIdentical("print -o details " + trace + " vs babeltrace2 -c sink.text.details",
                Babeltrace2Bugs.clearStaleEmptyStrings(bt.stdoutBytes(), ts.out()), ts.out());
    }

    /** The counts babeltrace2's counter sink and {@code stats --json} give. */
    private static final class Counts {
        long events;
        long streams;
        long packets;
        long discardedEventsMessages;
        long discardedPacketsMessages;
        long discardedEvents;
    }

    private static Counts assertCountsEqual(Path trace) {
        // step=+0: one report at the end (by default the counter also reports every 10,000 messages)
        String counter = babeltrace(trace.toString(), "-c", "sink.utils.counter", "-p", "step=+0").stdout();
        String json = tracestream("stats", "--json", trace.toString()).outText();
        Counts c = new Counts();
        c.events = counterLine(counter, "Event messages");
        c.streams = counterLine(counter, "Stream beginning messages");
        c.packets = counterLine(counter, "Packet beginning messages");
        c.discardedEventsMessages = counterLine(counter, "Discarded event messages");
        c.discardedPacketsMessages = counterLine(counter, "Discarded packet messages");
        assertEquals(c.events, jsonNumber(json, "events"), "events; stats: " + json);
        assertEquals(c.streams, jsonNumber(json, "streams"), "streams; stats: " + json);
        assertEquals(c.packets, jsonNumber(json, "packets"), "packets; stats: " + json);
        assertEquals(c.discardedEventsMessages, jsonNumber(json, "discarded_events_messages"),
                "discarded events messages; stats: " + json);
        assertEquals(c.discardedPacketsMessages, jsonNumber(json, "lost_packets_messages"),
                "discarded packets messages; stats: " + json);
        assertEquals(1, jsonNumber(json, "traces"), "traces; stats: " + json);
        c.discardedEvents = jsonNumber(json, "discarded_events");
        return c;
    }

    private static long counterLine(String counter, String label) {
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+) " + Pattern.quote(label) + "$").matcher(counter);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1)); // the last report holds the totals
        }
        if (last < 0) {
            fail("no '" + label + "' in babeltrace2's counter output:\n" + counter);
        }
        return last;
    }

    private static long jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            fail("no \"" + key + "\" number in the stats output:\n" + json);
        }
        return Long.parseLong(m.group(1));
    }

    private static long sumOfDiscardedWarnings(String stderr) {
        long sum = 0;
        Matcher m = DISCARDED_WARNING.matcher(stderr);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    private static long lines(String text) {
        return text.isEmpty() ? 0 : text.chars().filter(ch -> ch == '\n').count();
    }

    /**
     * Fails unless both byte arrays are equal, showing the first line that differs (numbered from 1) with the line
     * before it, instead of both outputs whole.
     */
    static void assertIdentical(String what, byte[] expected, byte[] actual) {
        if (java.util.Arrays.equals(expected, actual)) {
            return;
        }
        int i = java.util.Arrays.mismatch(expected, actual);
        int lineStart = 0;
        int line = 1;
        int previousStart = 0;
        for (int k = 0; k < i; k++) {
            if (expected[k] == '\n') {
                previousStart = lineStart;
                lineStart = k + 1;
                line++;
            }
        }
        fail(what + ": differs from babeltrace2 at byte " + i + " (line " + line + "; babeltrace2 wrote "
                + expected.length + " bytes, tracestream " + actual.length + ")\n"
                + (line > 1 ? "  previous:    " + lineAt(expected, previousStart) + "\n" : "")
                + "  babeltrace2: " + lineAt(expected, lineStart) + "\n"
                + "  tracestream: " + lineAt(actual, lineStart));
    }

    private static String lineAt(byte[] b, int start) {
        if (start >= b.length) {
            return "<end of output>";
        }
        int end = start;
        while (end < b.length && b[end] != '\n' && end - start < 2000) {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
}

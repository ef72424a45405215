package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-support classes against the real tools: babeltrace2, LTTng, gcc and the shared traces. */
class TestingSupportTest {
    /** Events babeltrace2 reads in a trace (its counter sink). */
    private static long countEvents(Path trace) {
        String out = Babeltrace.run(trace.toString(), "-c", "sink.utils.counter").requireSuccess().stdout();
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+) Event messages?").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private static List<String> streamFiles(Path trace) throws IOException {
        try (Stream<Path> s = Files.list(trace)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("metadata")).sorted().toList();
        }
    }

    @Test
    void sharedTracesAreFoundOrSkipped() {
        Path traces = SharedTraces.assumeAvailable();
        assertTrue(Files.isDirectory(traces.resolve("babeltrace")), traces.toString());
        assertEquals(traces.resolve("babeltrace"), SharedTraces.path("babeltrace"));
    }

    @Test
    void execCapturesBothStreamsAndTimesOut() {
        ProcessResult r = Exec.of("sh", "-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3").run();
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        AssertionError e = assertThrows(AssertionError.class,
                () -> Exec.of("sleep", "10").timeout(Duration.ofMillis(200)).run());
        assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
    }

    @Test
    void sampleTracesReadWithBabeltrace() {
        Babeltrace.require();
        Path sample = SampleTraces.sampleUst();
        assertEquals(3842, countEvents(sample));
        String text = Babeltrace.print(sample);
        assertTrue(text.contains("tsprobe:ints: { cpu_id = "), "sample has tsprobe:ints");
        assertTrue(text.contains("procname = \"ust-probe\""), "sample has the procname context");

        ProcessResult lossy = Babeltrace.run(SampleTraces.lossyUst().toString());
        assertEquals(0, lossy.exitCode());
        assertTrue(lossy.stderr().contains("WARNING: Tracer discarded "), lossy.stderr());
    }

    @Test
    void recordsLosslessTraceWithOneStreamPerCpu(@TempDir Path dir) throws IOException {
        Babeltrace.require();
        UstProbe.Recording r = UstProbe.recordLossless(dir.resolve("trace"), 2000, 2);
        assertEquals(4002, r.emitted());
        assertEquals(0, r.discarded());
        assertTrue(Files.isRegularFile(r.trace().resolve("metadata")), r.trace().toString());
        assertEquals(4002, countEvents(r.output()));
        int cpus = Math.min(2, Runtime.getRuntime().availableProcessors());
        assertEquals(cpus, streamFiles(r.trace()).size(), streamFiles(r.trace()).toString());
    }

    @Test
    void recordsLossyTraceWithDiscardedEvents(@TempDir Path dir) {
        Babeltrace.require();
        UstProbe.Recording r = UstProbe.recordLossy(dir.resolve("trace"), 20_000, 2);
        assertEquals(40_002, r.emitted());
        assertTrue(r.discarded() > 0, "discarded " + r.discarded());
        long read = countEvents(r.output());
        assertEquals(r.emitted() - r.discarded(), read);
        ProcessResult text = Babeltrace.command(r.output().toString()).stdoutTo(dir.resolve("out.txt")).run();
        assertTrue(text.stderr().contains("WARNING: Tracer discarded "), text.stderr());
    }
}

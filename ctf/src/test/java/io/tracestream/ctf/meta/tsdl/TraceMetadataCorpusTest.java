package io.tracestream.ctf.meta.tsdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every CTF 1.8 {@code metadata} file of the shared babeltrace2 ({@code stable-2.0}, {@code ctf-traces-master/1})
 * and Trace Compass traces parses, except the traces on which babeltrace2 2.0.4 itself fails while reading the
 * metadata (checked with {@code babeltrace2 DIR}); those must fail with a {@link CtfException} naming the file.
 */
class TraceMetadataCorpusTest {
    /**
     * Trace folders whose metadata babeltrace2 rejects: {@code fail1} (a {@code *} pointer declarator), {@code fail2}
     * (a NUL byte in a string), {@code integer-range} (a literal wider than 64 bits), {@code invalid-sequence-length
     * -field-class}, {@code invalid-variant-selector-field-class}, {@code lttng-modules-2.0-pre1} and
     * {@code packet-based-metadata} (pre-1.8 metadata packets), {@code metadata-syntax-error}, {@code smalltrace}
     * ({@code major = 0}) and the live test's {@code invalid-metadata} (a stray identifier). The other {@code fail}
     * traces ({@code incomplete-packet-header}, {@code invalid-packet-size}, {@code valid-events-then-invalid-events})
     * fail in their data, not in their metadata.
     */
    static final Set<String> METADATA_FAILS = Set.of("fail1", "fail2", "integer-range",
            "invalid-sequence-length-field-class", "invalid-variant-selector-field-class", "lttng-modules-2.0-pre1",
            "packet-based-metadata", "metadata-syntax-error", "smalltrace", "invalid-metadata");

    static List<Path> metadataFiles() throws IOException {
        Path traces = SharedTraces.assumeAvailable();
        List<Path> roots = List.of(traces.resolve("babeltrace/stable-2.0"),
                traces.resolve("babeltrace/ctf-traces-master/1"), traces.resolve("tracecompass"));
        List<Path> out = new java.util.ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.getFileName().toString().equals("metadata") && Files.isRegularFile(p))
                        .filter(p -> !isCtf2(p)).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static boolean isCtf2(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1E;
        } catch (IOException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTraceMetadata() throws IOException {
        List<Path> files = metadataFiles();
        assertTrue(files.size() > 100, "expected the shared CTF 1.8 traces, found " + files.size());
        Path traces = SharedTraces.traces();
        return files.stream().map(p -> DynamicTest.dynamicTest(traces.relativize(p).toString(), () -> check(p)));
    }

    private static void check(Path metadata) {
        String trace = metadata.getParent().getFileName().toString();
        String parent = metadata.getParent().getParent().getFileName().toString();
        if (METADATA_FAILS.contains(trace) && (parent.equals("fail") || parent.equals("live"))) {
            CtfException e = assertThrows(CtfException.class, () -> MetadataReader.read(metadata));
            assertTrue(e.getMessage().startsWith(metadata.toString() + ":"), e::getMessage);
            assertFalse(e.getMessage().contains("\n"), e::getMessage);
            return;
        }
        MetadataReader.Result r = MetadataReader.read(metadata);
        TraceClass tc = r.traceClass();
        assertNotNull(tc);
        assertEquals(1, tc.ctfMajor());
        assertEquals(8, tc.ctfMinor());
        assertFalse(r.text().isEmpty());
        for (StreamClass sc : tc.streamClasses()) {
            assertNotNull(sc.eventClasses());
        }
    }

    @Test
    void lttngKernelTraceModel() {
        Path meta = SharedTraces.path("tracecompass/bug446190/metadata");
        MetadataReader.Result r = MetadataReader.read(meta);
        assertTrue(r.packetized());
        TraceClass tc = r.traceClass();
        StreamClass sc = tc.streamClasses().iterator().next();
        assertTrue(sc.eventClasses().size() > 500, "LTTng kernel trace with hundreds of event classes");
        assertNotNull(sc.defaultClock());
        assertEquals("monotonic", sc.defaultClock().name());
        // babeltrace2 treats LTTng's monotonic clock as absolute even without `absolute = true`
        assertTrue(sc.defaultClock().originIsUnixEpoch());
        assertEquals("lttng-modules", tc.environment().get("tracer_name"));
    }

    /**
     * Parsing the largest metadata (an LTTng kernel trace, about 540 event classes, 180 kB of text) takes about
     * 15 ms warm on one core; this guards against regressions (a quadratic step) with a bound loose enough for a
     * busy machine, within a time budget of a few seconds.
     */
    @Test
    void largestMetadataParsesFast() {
        Path meta = SharedTraces.path("tracecompass/bug446190/metadata");
        String text = MetadataReader.read(meta).text();
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; i < 30 && (i < 5 || System.nanoTime() < deadline); i++) {
            long t0 = System.nanoTime();
            TsdlParser.parse(text, meta);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertTrue(best < 200_000_000L, "best parse time " + best / 1_000_000 + " ms");
    }
}

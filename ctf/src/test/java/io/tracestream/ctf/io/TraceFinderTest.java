package io.tracestream.ctf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trace discovery, chunk merging, stream grouping and naming, checked against what babeltrace2 2.0.4 shows. */
class TraceFinderTest {
    private static final String SUCCEED = "babeltrace/stable-2.0/ctf-traces/succeed/";

    private static List<FsTrace> find(Path... inputs) {
        return new TraceFinder(new DefaultBackend(), w -> { }).find(List.of(inputs));
    }

    private static List<String> names(List<FsTrace> traces) {
        List<String> out = new ArrayList<>();
        for (Trace t : traces) {
            out.add(t.name());
        }
        return out;
    }

    @Test
    void namesAreHostnameAndPathBelowTheInput() {
        // Expected names are those babeltrace2 2.0.4 prints in its details output for the same command lines.
        assertEquals(List.of("joraj-alpa/kernel", "joraj-alpa/ust"),
                names(find(SharedTraces.path(SUCCEED + "multi-domains"))));
        assertEquals(List.of("smarchi-efficios/ust/pid/10352", "smarchi-efficios/ust/pid/10353"),
                names(find(SharedTraces.path(SUCCEED + "session-rotation/a/1"))));
        assertEquals(List.of("smarchi-efficios"),
                names(find(SharedTraces.path(SUCCEED + "session-rotation/a/1/ust/pid/10352"))));
        assertEquals(List.of("smarchi-efficios/kernel"),
                names(find(SharedTraces.path(SUCCEED + "lttng-tracefile-rotation"))));
        assertEquals(List.of("smarchi-efficios"),
                names(find(SharedTraces.path(SUCCEED + "lttng-tracefile-rotation/kernel/"))));
        assertEquals(List.of("joraj-alpa"), names(find(SharedTraces.path(SUCCEED + "2packets"))));
        // No hostname in the environment, trace given directly: an empty name.
        assertEquals(List.of(""), names(find(SharedTraces.path(SUCCEED + "wk-heartbeat-u"))));
    }

    @Test
    void sessionRotationChunksWithTheSameUuidAreOneTrace() {
        List<FsTrace> traces = find(SharedTraces.path(SUCCEED + "session-rotation"));
        // Two processes (two UUIDs), each in 3 chunks: 2 traces, named by hostname only (several directories).
        assertEquals(List.of("smarchi-efficios", "smarchi-efficios"), names(traces));
        int[][] filesPerStream = {{3, 3, 2, 3}, {3, 2, 3, 2}};
        for (int t = 0; t < 2; t++) {
            FsTrace trace = traces.get(t);
            assertEquals(3, trace.directories().size());
            // The richest metadata wins; all equal here, so the first directory in path order.
            assertTrue(trace.path().toString().endsWith("session-rotation/3/ust/pid/" + (10352 + t)),
                    trace.path().toString());
            assertEquals(4, trace.streams().size());
            for (int s = 0; s < 4; s++) {
                FsDataStream ds = (FsDataStream) trace.streams().get(s);
                assertEquals(s, ds.id());
                assertEquals(filesPerStream[t][s], ds.files().size(), ds.toString());
                assertEquals(filesPerStream[t][s], ds.packets().size(), ds.toString());
                // The stream is named after its earliest file (first chunk).
                assertTrue(ds.name().contains("/session-rotation/a/1/ust/pid/"), ds.name());
            }
        }
    }

    @Test
    void tracefileRotationFilesOfOneStreamAreOneStream() {
        List<FsTrace> traces = find(SharedTraces.path(SUCCEED + "lttng-tracefile-rotation"));
        FsTrace t = traces.get(0);
        assertEquals(4, t.streams().size());
        int[] files = {3, 3, 3, 2};
        for (int i = 0; i < 4; i++) {
            FsDataStream s = (FsDataStream) t.streams().get(i);
            assertEquals(files[i], s.files().size());
            assertTrue(s.name().endsWith("/kernel/mychan_" + i + "_0"), s.name());
            for (int k = 1; k < s.files().size(); k++) {
                assertTrue(s.files().get(k).toString().endsWith("mychan_" + i + "_" + k), s.files().toString());
            }
        }
    }

    @Test
    void streamIdsAreInstanceIdsOrAssignedInPathOrder() {
        FsTrace multi = find(SharedTraces.path(SUCCEED + "multi-domains/ust")).get(0);
        for (int i = 0; i < 4; i++) {
            DataStream s = multi.streams().get(i);
            assertEquals(2, s.streamClass().id());
            assertEquals(i, s.id());
            assertTrue(s.name().endsWith("/ust2_channel_" + i), s.name());
        }
        // No stream_instance_id in the packet header: ids 0.. in the order of the file paths.
        FsTrace st = find(SharedTraces.path("tracecompass/context-switches-ust")).get(0);
        List<String> sorted = new ArrayList<>();
        for (DataStream s : st.streams()) {
            sorted.add(s.name());
        }
        List<String> copy = new ArrayList<>(sorted);
        copy.sort(Utf8Order::compare);
        assertEquals(copy, sorted);
    }

    @Test
    void hiddenEmptyAndIndexFilesAreNotStreams(@TempDir Path tmp) throws IOException {
        Path src = SharedTraces.path(SUCCEED + "wk-heartbeat-u");
        Path dst = tmp.resolve("parent/trace");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, dst.resolve(p.getFileName()));
                }
            }
        }
        Files.write(dst.resolve(".hidden"), new byte[] {1, 2, 3});
        Files.write(dst.resolve("empty"), new byte[0]);
        Files.createDirectories(dst.resolve("index"));
        Files.createDirectories(tmp.resolve("parent/no-trace-here/deeper"));
        List<FsTrace> traces = find(tmp.resolve("parent"));
        assertEquals(1, traces.size());
        FsTrace original = find(src).get(0);
        assertEquals(original.streams().size(), traces.get(0).streams().size());
        assertEquals("trace", traces.get(0).name()); // no hostname: the path below the input only
    }

    @Test
    void noTraceAndMissingPathsAreOneLineErrors(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("a/b"));
        Files.write(tmp.resolve("a/file"), new byte[] {1});
        CtfException e = assertThrows(CtfException.class, () -> find(tmp.resolve("a")));
        assertEquals("no CTF trace found under " + tmp.resolve("a"), e.getMessage());
        CtfException f = assertThrows(CtfException.class, () -> find(tmp.resolve("nope")));
        assertEquals(tmp.resolve("nope") + ": no such file or directory", f.getMessage());
    }

    @Test
    void metadataErrorsNameTheFileAndLine(@TempDir Path tmp) throws IOException {
        Path t = tmp.resolve("bad");
        Files.createDirectories(t);
        Files.writeString(t.resolve("metadata"), "/* CTF 1.8 */\ntrace { major = 1; minor = 8; byte_order = le; };\n"
                + "stream { id = 0; };\nevent { name = x; id = ; };\n");
        CtfException e = assertThrows(CtfException.class, () -> find(t));
        assertTrue(e.getMessage().startsWith(t.resolve("metadata") + ":4:"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void clockValuesOutOfRangeAreRefusedLikeBabeltrace() {
        // babeltrace2: "Cannot convert clock cycles to nanoseconds from origin" for both traces.
        for (String t : List.of("tracecompass/funky_trace", "tracecompass/ctfwriter_JF8nq3")) {
            CtfException e = assertThrows(CtfException.class, () -> find(SharedTraces.path(t)));
            assertTrue(e.getMessage().contains("to ns from origin: out of range"), e.getMessage());
            assertTrue(e.getMessage().contains(": offset 0: "), e.getMessage());
        }
    }

    @Test
    void sameTracePassedTwiceIsMergedWithoutDuplicatePackets() {
        Path p = SharedTraces.path(SUCCEED + "trace-with-index");
        List<FsTrace> twice = find(p, p);
        List<FsTrace> once = find(p);
        assertEquals(1, twice.size());
        assertEquals("joraj-alpa", twice.get(0).name()); // several inputs: no path suffix
        for (int i = 0; i < once.get(0).streams().size(); i++) {
            assertEquals(((FsDataStream) once.get(0).streams().get(i)).packets().size(),
                    ((FsDataStream) twice.get(0).streams().get(i)).packets().size());
        }
    }
}

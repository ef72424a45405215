package io.tracestream.ctf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LTTng index files: every real index equals the packet headers it indexes; broken indexes are refused. */
class LttngIndexTest {

    /** Every stream file with an {@code index/NAME.idx} under the shared traces. */
    static List<Path> indexedStreamFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : List.of(SampleTraces.projectRoot().resolve("testdata"), SharedTraces.assumeAvailable())) {
            collect(root, out);
        }
        return out;
    }

    private static void collect(Path root, List<Path> out) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".idx") && p.getParent().getFileName().toString().equals("index"))
                    .filter(p -> !p.toString().contains("/fail/")) // traces meant to fail
                    .sorted()
                    .forEach(idx -> {
                        String name = idx.getFileName().toString();
                        Path stream = idx.getParent().getParent().resolve(name.substring(0, name.length() - 4));
                        if (Files.isRegularFile(stream) && Files.isRegularFile(stream.resolveSibling("metadata"))) {
                            out.add(stream);
                        }
                    });
        }
    }

    /** LTTng 2.13 as installed here writes version 1.1 indexes; they equal the packet headers too. */
    @Test
    void projectSampleTracesHaveVersion11Indexes() throws IOException {
        for (Path trace : List.of(SampleTraces.sampleUst(), SampleTraces.lossyUst())) {
            Path dir = trace.resolve("ust/uid/0/64-bit");
            TraceClass tc = MetadataReader.read(dir.resolve("metadata")).traceClass();
            TraceDecoder dec = TraceDecoder.compile(tc);
            int files = 0;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    if (!Files.isRegularFile(f) || f.getFileName().toString().equals("metadata")) {
                        continue;
                    }
                    List<PacketIndexEntry> idx = LttngIndex.read(LttngIndex.indexPathOf(f), f, Files.size(f));
                    assertEquals(dec.scanPackets(f), idx, f.toString());
                    assertTrue(idx.get(0).streamInstanceId() >= 0 && idx.get(0).sequenceNumber() >= 0);
                    files++;
                }
            }
            assertTrue(files >= 2);
        }
    }

    @Test
    void indexesEqualHeaderScans() throws IOException {
        List<Path> files = indexedStreamFiles();
        assertTrue(files.size() >= 40, "expected the indexed traces of babeltrace2 and Trace Compass, found "
                + files.size());
        int compared = 0;
        for (Path stream : files) {
            if (Files.size(stream) == 0) {
                continue;
            }
            TraceClass tc;
            try {
                tc = MetadataReader.read(stream.resolveSibling("metadata")).traceClass();
            } catch (CtfException e) {
                continue; // e.g. CTF 2 metadata without a parser in this build
            }
            List<PacketIndexEntry> scanned = TraceDecoder.compile(tc).scanPackets(stream);
            List<PacketIndexEntry> indexed = LttngIndex.read(LttngIndex.indexPathOf(stream), stream,
                    Files.size(stream));
            assertEquals(scanned.size(), indexed.size(), stream + ": packet count");
            for (int i = 0; i < scanned.size(); i++) {
                PacketIndexEntry s = scanned.get(i);
                PacketIndexEntry x = indexed.get(i);
                String where = stream + " packet " + i;
                assertEquals(s.offset(), x.offset(), where + ": offset");
                assertEquals(s.totalSizeBits(), x.totalSizeBits(), where + ": packet size");
                assertEquals(s.contentSizeBits(), x.contentSizeBits(), where + ": content size");
                assertEquals(s.beginCycles(), x.beginCycles(), where + ": timestamp_begin");
                assertEquals(s.endCycles(), x.endCycles(), where + ": timestamp_end");
                assertEquals(s.discardedEventCounter(), x.discardedEventCounter(), where + ": events_discarded");
                assertEquals(s.streamClassId(), x.streamClassId(), where + ": stream id");
                if (x.streamInstanceId() != -1) {
                    assertEquals(s.streamInstanceId(), x.streamInstanceId(), where + ": stream_instance_id");
                    assertEquals(s.sequenceNumber(), x.sequenceNumber(), where + ": packet_seq_num");
                }
                assertEquals(stream, x.file());
            }
            compared++;
        }
        assertTrue(compared >= 40, "compared " + compared + " indexes");
    }

    private static ByteBuffer index(int major, int minor, int entrySize, long[][] entries) {
        ByteBuffer b = ByteBuffer.allocate(16 + entries.length * entrySize).order(ByteOrder.BIG_ENDIAN);
        b.putInt(LttngIndex.MAGIC).putInt(major).putInt(minor).putInt(entrySize);
        for (long[] e : entries) {
            int at = b.position();
            for (int k = 0; k < Math.min(e.length, entrySize / 8); k++) {
                b.putLong(e[k]);
            }
            b.position(at + entrySize);
        }
        return b.flip();
    }

    private static final Path IDX = Path.of("index/s.idx");
    private static final Path FILE = Path.of("s");

    @Test
    void readsVersions10And11() {
        long[][] e = {{0, 4096 * 8, 4000 * 8, 10, 20, 0, 3, 7, 0}, {4096, 8192 * 8, 100 * 8, 20, 30, 5, 3, 7, 1}};
        List<PacketIndexEntry> v11 = LttngIndex.parse(index(1, 1, 72, e), IDX, FILE, 4096 + 8192);
        assertEquals(new PacketIndexEntry(FILE, 4096, 8192 * 8, 800, 20, 30, 5, 1, 3, 7), v11.get(1));
        List<PacketIndexEntry> v10 = LttngIndex.parse(index(1, 0, 56, e), IDX, FILE, 4096 + 8192);
        assertEquals(new PacketIndexEntry(FILE, 4096, 8192 * 8, 800, 20, 30, 5, -1, 3, -1), v10.get(1));
        // Longer entries from a future minor version: extra bytes skipped.
        List<PacketIndexEntry> v12 = LttngIndex.parse(index(1, 2, 88, e), IDX, FILE, 4096 + 8192);
        assertEquals(v11, v12);
    }

    @Test
    void refusesBrokenIndexes() {
        long[][] ok = {{0, 4096 * 8, 4000 * 8, 10, 20, 0, 3, 7, 0}};
        assertMessage("bad index magic", () -> {
            ByteBuffer b = index(1, 1, 72, ok);
            b.putInt(0, 0x12345678);
            LttngIndex.parse(b, IDX, FILE, 4096);
        });
        assertMessage("unknown index version 2.0", () -> LttngIndex.parse(index(2, 0, 72, ok), IDX, FILE, 4096));
        assertMessage("smaller than a version 1.0 entry", () -> LttngIndex.parse(index(1, 0, 48, ok), IDX, FILE,
                4096));
        assertMessage("not a whole number of 72-byte entries", () -> {
            ByteBuffer b = index(1, 1, 72, ok);
            LttngIndex.parse(b.limit(b.limit() - 1), IDX, FILE, 4096);
        });
        assertMessage("too small for its header", () -> LttngIndex.parse(ByteBuffer.allocate(8), IDX, FILE, 4096));
        assertMessage("index covers 4096 bytes but s has 8192", () -> LttngIndex.parse(index(1, 1, 72, ok), IDX,
                FILE, 8192));
        assertMessage("extends past the end", () -> LttngIndex.parse(index(1, 1, 72, ok), IDX, FILE, 1000));
        assertMessage("does not follow the previous packet", () -> LttngIndex.parse(index(1, 1, 72,
                new long[][] {ok[0], {8192, 4096 * 8, 8, 20, 30, 0, 3, 7, 1}}), IDX, FILE, 12288));
        assertMessage("timestamp_end 5 is before timestamp_begin 10", () -> LttngIndex.parse(index(1, 1, 72,
                new long[][] {{0, 4096 * 8, 8, 10, 5, 0, 3, 7, 0}}), IDX, FILE, 4096));
        assertMessage("content size 40000 bits exceeds packet size 32768 bits", () -> LttngIndex.parse(
                index(1, 1, 72, new long[][] {{0, 4096 * 8, 40000, 10, 20, 0, 3, 7, 0}}), IDX, FILE, 4096));
        assertMessage("is not a positive whole number of bytes", () -> LttngIndex.parse(index(1, 1, 72,
                new long[][] {{0, 4095 * 8 + 1, 8, 10, 20, 0, 3, 7, 0}}), IDX, FILE, 4096));
        // An empty index does not describe a non-empty file.
        assertMessage("index covers 0 bytes", () -> LttngIndex.parse(index(1, 1, 72, new long[0][]), IDX, FILE,
                4096));
    }

    private static void assertMessage(String part, Runnable r) {
        CtfException e = assertThrows(CtfException.class, r::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        assertTrue(e.getMessage().startsWith(IDX.toString()), "message names the index file: " + e.getMessage());
    }

    @Test
    void unusableIndexFallsBackToScanningWithAWarning(@TempDir Path tmp) throws IOException {
        Path src = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/trace-with-index");
        Path dst = tmp.resolve("t");
        Files.createDirectories(dst.resolve("index"));
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, dst.resolve(p.getFileName()));
                }
            }
        }
        try (Stream<Path> s = Files.list(src.resolve("index"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, dst.resolve("index").resolve(p.getFileName()));
            }
        }
        Path broken = dst.resolve("index/ust_channel_0.idx");
        byte[] bytes = Files.readAllBytes(broken);
        bytes[0] = 0; // bad magic
        Files.write(broken, bytes);
        Files.write(dst.resolve("index/ust_channel_1.idx"), new byte[0]); // truncated

        List<String> warnings = new ArrayList<>();
        DefaultBackend backend = new DefaultBackend();
        List<FsTrace> fromCopy = new TraceFinder(backend, warnings::add).find(List.of(dst));
        List<FsTrace> original = new TraceFinder(backend, w -> { }).find(List.of(src));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("ust_channel_0.idx") && warnings.get(0).contains("bad index magic"),
                warnings.get(0));
        assertTrue(warnings.get(1).contains("ust_channel_1.idx") && warnings.get(1).contains("too small"),
                warnings.get(1));
        assertEquals(original.get(0).streams().size(), fromCopy.get(0).streams().size());
        for (int i = 0; i < original.get(0).streams().size(); i++) {
            List<PacketIndexEntry> a = ((FsDataStream) original.get(0).streams().get(i)).packets();
            List<PacketIndexEntry> b = ((FsDataStream) fromCopy.get(0).streams().get(i)).packets();
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.get(k).offset(), b.get(k).offset());
                assertEquals(a.get(k).beginCycles(), b.get(k).beginCycles());
                assertEquals(a.get(k).endCycles(), b.get(k).endCycles());
            }
        }
        assertNull(LttngIndex.readIfValid(dst.resolve("ust_channel_1"), Files.size(dst.resolve("ust_channel_1")),
                w -> { }));
        assertFalse(LttngIndex.readIfValid(dst.resolve("ust_channel_2"), Files.size(dst.resolve("ust_channel_2")),
                w -> { }).isEmpty());
    }
}

package io.tracestream.ctf.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.io.LttngIndex;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SampleTraces;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream file (and its index) written a few bytes at a time: the follower reports exactly the complete packets, never
 * a partial one, and in the end the same packets as reading the finished file.
 */
class GrowingFileTest {
    private static final int[] STEPS = {1, 7, 40, 100, 333, 1000, 4093, 10_000, 65_536};

    @TempDir
    Path tmp;

    private static Path sampleTraceDir() throws IOException {
        try (Stream<Path> s = Files.walk(SampleTraces.sampleUst())) {
            return s.filter(p -> p.getFileName().toString().equals("metadata")).findFirst().orElseThrow().getParent();
        }
    }

    @Test
    void scannedStreamReportsOnlyCompletePackets() throws IOException {
        grow(false);
    }

    @Test
    void indexedStreamReportsPacketsAsTheirEntriesAppear() throws IOException {
        grow(true);
    }

    private void grow(boolean withIndex) throws IOException {
        Path src = sampleTraceDir();
        Path dst = Files.createDirectories(tmp.resolve("trace"));
        Files.copy(src.resolve("metadata"), dst.resolve("metadata"));
        TraceDecoder dec = TraceDecoder.compile(MetadataReader.read(src.resolve("metadata")).traceClass());
        Path srcFile = src.resolve("chan0_0");
        byte[] data = Files.readAllBytes(srcFile);
        byte[] index = Files.readAllBytes(LttngIndex.indexPathOf(srcFile));
        List<PacketIndexEntry> expected = dec.scanPackets(srcFile);
        assertTrue(expected.size() > 1, "the sample stream has several packets");

        TraceFollower f = new TraceFollower(tmp);
        Path out = dst.resolve("chan0_0");
        Path idxOut = LttngIndex.indexPathOf(out);
        if (withIndex) {
            Files.createDirectories(idxOut.getParent());
            Files.write(idxOut, new byte[0]);
        }
        List<PacketIndexEntry> followed = new ArrayList<>();
        int written = 0;
        int step = 0;
        int indexWritten = 0;
        try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (written < data.length) {
                int n = Math.min(STEPS[step++ % STEPS.length], data.length - written);
                os.write(data, written, n);
                os.flush();
                written += n;
                if (withIndex) {
                    // LTTng appends an entry once the packet's data is written: here the entries of the packets
                    // now complete, written in two halves to catch a partial entry.
                    long complete = expected.stream().filter(e -> e.offset() + e.totalSizeBits() / 8 <= data.length
                            && e.offset() + e.totalSizeBits() / 8 <= out.toFile().length()).count();
                    int want = (int) Math.min(index.length, 16 + complete * 72);
                    if (want > indexWritten) {
                        int half = indexWritten + (want - indexWritten) / 2;
                        Files.write(idxOut, java.util.Arrays.copyOfRange(index, indexWritten, half),
                                StandardOpenOption.APPEND);
                        pollInto(f, followed, written);
                        Files.write(idxOut, java.util.Arrays.copyOfRange(index, half, want), StandardOpenOption.APPEND);
                        indexWritten = want;
                    }
                }
                pollInto(f, followed, written);
            }
        }
        pollInto(f, followed, written);
        FollowedStream s = f.stream("trace/chan0_0");
        assertNotNull(s);
        assertEquals(expected.size(), s.packetCount());
        assertEquals(expected.size(), followed.size());
        for (int i = 0; i < expected.size(); i++) {
            PacketIndexEntry e = expected.get(i);
            PacketIndexEntry g = followed.get(i);
            assertEquals(e.offset(), g.offset(), "packet " + i);
            assertEquals(e.totalSizeBits(), g.totalSizeBits(), "packet " + i);
            assertEquals(e.contentSizeBits(), g.contentSizeBits(), "packet " + i);
            assertEquals(e.beginCycles(), g.beginCycles(), "packet " + i);
            assertEquals(e.endCycles(), g.endCycles(), "packet " + i);
            assertEquals(e.sequenceNumber(), g.sequenceNumber(), "packet " + i);
        }
        assertEquals(null, s.lastError());
    }

    private static void pollInto(TraceFollower f, List<PacketIndexEntry> followed, long written) {
        for (FollowUpdate.NewPackets np : f.poll().newPackets()) {
            assertEquals(followed.size(), np.first());
            for (PacketIndexEntry e : np.packets()) {
                assertTrue(e.offset() + e.totalSizeBits() / 8 <= written, "a reported packet is complete");
                followed.add(e);
            }
        }
    }
}

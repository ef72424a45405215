package io.tracestream.spark.live;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.PacketIndexEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Driver-side store of the packets received from the relay, as a CTF trace folder per live trace (its {@code metadata}
 * file, and per data stream segment files of whole packets) that the batch source's {@code PacketRangeReader} decodes
 * on the executors. Per stream the packets are numbered as in the live positions (absolute packet counts); a stream's
 * packets are kept from {@link SpilledStream#base} on, and {@link #release} deletes the segments a committed batch no
 * longer needs. Memory: one index entry per kept packet; the bytes are on disk.
 */
final class PacketSpill implements AutoCloseable {
    private static final long SEGMENT_BYTES = 64L << 20;

    /** The packets of one live stream kept on disk. */
    static final class SpilledStream {
        final String key;
        final Path traceDir;
        final String traceName;
        final String host;
        /** The number of the first kept packet. */
        long base = -1;
        final List<PacketIndexEntry> entries = new ArrayList<>();
        /** Per kept packet, its offset in the relay's stream (what a live position names). */
        final List<Long> relayOffsets = new ArrayList<>();
        private final List<Path> segments = new ArrayList<>();
        private final List<Long> segmentFirst = new ArrayList<>();
        private FileChannel out;
        private long outSize;

        SpilledStream(String key, Path traceDir, String traceName, String host) {
            this.key = key;
            this.traceDir = traceDir;
            this.traceName = traceName;
            this.host = host;
        }

        /** The number after the last kept packet. */
        long end() {
            return base < 0 ? -1 : base + entries.size();
        }

        PacketIndexEntry packet(long number) {
            return entries.get((int) (number - base));
        }
    }

    private final Path root;
    private final boolean deleteRoot;
    private final Map<String, SpilledStream> streams = new LinkedHashMap<>();
    private final Map<String, Path> traceDirs = new HashMap<>();
    private final Map<Path, Integer> metadataLength = new HashMap<>();
    private long bytes;

    PacketSpill(Path root, boolean deleteRoot) {
        this.root = root;
        this.deleteRoot = deleteRoot;
    }

    Map<String, SpilledStream> streams() {
        return streams;
    }

    SpilledStream stream(String key) {
        return streams.get(key);
    }

    /** Bytes of packets on disk now. */
    long bytes() {
        return bytes;
    }

    /** The folder of a live trace (by its key: the relay's trace path), created on first use. */
    Path traceDir(String traceKey) {
        return traceDirs.computeIfAbsent(traceKey, k -> {
            Path d = root.resolve("trace-" + traceDirs.size());
            try {
                Files.createDirectories(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return d;
        });
    }

    /** Writes the trace's metadata file when it grew (atomically: an executor never reads half of it). */
    void writeMetadata(Path traceDir, byte[] metadata) {
        Integer had = metadataLength.get(traceDir);
        if (had != null && had == metadata.length) {
            return;
        }
        try {
            Path tmp = traceDir.resolve("metadata.tmp");
            Files.write(tmp, metadata);
            Files.move(tmp, traceDir.resolve("metadata"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CtfException("lttng-live: cannot write the spill folder " + traceDir + ": " + e.getMessage(), e);
        }
        metadataLength.put(traceDir, metadata.length);
    }

    /** Appends packet {@code number} of a stream (its bytes as received, its relay index entry). */
    void add(String key, Path traceDir, String traceName, String host, long number, PacketIndexEntry relayEntry,
             byte[] packet) {
        SpilledStream s = streams.computeIfAbsent(key, k -> new SpilledStream(k, traceDir, traceName, host));
        if (s.base < 0) {
            s.base = number;
        } else if (number != s.end()) {
            throw new CtfException("lttng-live: stream " + key + ": packet " + number + " received after packet "
                    + (s.end() - 1) + " (packets lost or repeated)");
        }
        int size = (int) Math.min(packet.length, relayEntry.totalSizeBits() >>> 3);
        try {
            if (s.out == null || s.outSize >= SEGMENT_BYTES) {
                if (s.out != null) {
                    s.out.close();
                }
                Path f = traceDir.resolve("stream-" + streams.size() + "-" + Integer.toHexString(key.hashCode())
                        + "-" + number + ".pkt");
                s.out = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                s.outSize = 0;
                s.segments.add(f);
                s.segmentFirst.add(number);
            }
            ByteBuffer b = ByteBuffer.wrap(packet, 0, size);
            long at = s.outSize;
            while (b.hasRemaining()) {
                s.out.write(b, at + (size - b.remaining()));
            }
            s.outSize += size;
            bytes += size;
            Path file = s.segments.get(s.segments.size() - 1);
            s.relayOffsets.add(relayEntry.offset());
            s.entries.add(new PacketIndexEntry(file, at, relayEntry.totalSizeBits(), relayEntry.contentSizeBits(),
                    relayEntry.beginCycles(), relayEntry.endCycles(), relayEntry.discardedEventCounter(),
                    relayEntry.sequenceNumber(), relayEntry.streamClassId(), relayEntry.streamInstanceId()));
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // the query is stopping (Spark interrupts its thread): an interruption, not a failure, as Spark sees it
            // through an UncheckedIOException; the source is discarded with its spill
            throw new java.io.UncheckedIOException("lttng-live: interrupted while writing the spill folder " + traceDir
                    + " (the query is stopping)", e);
        } catch (IOException e) {
            throw new CtfException("lttng-live: cannot write the spill folder " + traceDir + ": " + e, e);
        }
    }

    /** Forgets the packets of a stream before {@code number} (whole segments only: a segment is a file). */
    void release(String key, long number) {
        SpilledStream s = streams.get(key);
        if (s == null) {
            return;
        }
        while (s.segments.size() > 1 && s.segmentFirst.get(1) <= number) {
            long next = s.segmentFirst.get(1);
            int drop = (int) (next - s.base);
            for (int i = 0; i < drop; i++) {
                bytes -= s.entries.get(i).totalSizeBits() >>> 3;
            }
            s.entries.subList(0, drop).clear();
            s.relayOffsets.subList(0, drop).clear();
            s.base = next;
            try {
                Files.deleteIfExists(s.segments.remove(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            s.segmentFirst.remove(0);
        }
    }

    @Override
    public void close() {
        for (SpilledStream s : streams.values()) {
            try {
                if (s.out != null) {
                    s.out.close();
                }
            } catch (IOException ignored) {
                // closing
            }
        }
        if (deleteRoot && Files.isDirectory(root)) {
            try (Stream<Path> w = Files.walk(root)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}

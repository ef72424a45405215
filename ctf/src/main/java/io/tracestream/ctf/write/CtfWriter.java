package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a CTF trace directory: the {@code metadata} file (CTF 1.8 TSDL by default, or CTF 2 JSON), one file per
 * data stream, and LTTng packet index files ({@code index/STREAM.idx}, see {@link PacketIndexWriter}).
 *
 * <pre>{@code
 * TraceClass tc = TraceSchema.builder().clock("monotonic", 1_000_000_000L)
 *         .stream("channel0", s -> s.event("hello", e -> e.u32("n").string("msg")))
 *         .build();
 * try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(64 * 1024).build()) {
 *     StreamWriter cpu0 = w.openStream(tc.streamClass(0), 0);      // file channel0_0
 *     EventClass hello = tc.streamClass(0).eventClass(0);
 *     cpu0.beginEvent(hello, 1000).u32(1).string("hi").end();
 * }
 * }</pre>
 *
 * <p>The writer writes the trace class it is given as is, so a trace class read from another trace keeps its
 * layout; {@link TraceSchema} builds new ones. The packet header and context must have fixed-size members only.
 * A stream class whose packet context has no {@code packet_size} (role packet-total-length) gets one packet per
 * stream file, flushed as it grows.
 *
 * <p><b>Thread safety:</b> {@link #openStream} and {@link #close} may be called from any thread; each
 * {@link StreamWriter} is for one thread at a time.
 */
public final class CtfWriter implements Closeable {

    /** Format of the metadata file. */
    public enum MetadataFormat {
        /** CTF 1.8 TSDL text (readable by babeltrace2 2.0). */
        CTF_1_8,
        /** CTF 2 JSON text sequence. */
        CTF_2
    }

    private final Path dir;
    private final TraceClass trace;
    private final int packetBytes;
    private final int indexMinor;
    private final Map<Long, StreamPlan> plans = new HashMap<>();
    private final List<StreamWriter> open = new ArrayList<>();
    private final Set<String> fileNames = new HashSet<>();
    private boolean closed;

    private CtfWriter(Builder b) throws IOException {
        this.dir = b.dir;
        this.trace = b.trace;
        this.packetBytes = b.packetBytes;
        this.indexMinor = b.index ? b.indexMinor : -1;
        for (StreamClass sc : trace.streamClasses()) {
            plans.put(sc.id(), new StreamPlan(trace, sc));
        }
        String metadata = b.format == MetadataFormat.CTF_2 ? Ctf2MetadataGenerator.generate(trace)
                : TsdlGenerator.generate(trace);
        Files.createDirectories(dir);
        if (b.index) {
            Files.createDirectories(dir.resolve("index"));
        }
        Files.writeString(dir.resolve("metadata"), metadata, StandardCharsets.UTF_8);
    }

    /** Starts configuring a writer of trace class {@code trace} into directory {@code dir} (created if needed). */
    public static Builder builder(Path dir, TraceClass trace) {
        return new Builder(dir, trace);
    }

    /** A writer with the default options (CTF 1.8 metadata, 256 KiB packets, index files 1.1). */
    public static CtfWriter create(Path dir, TraceClass trace) {
        return builder(dir, trace).build();
    }

    /** Options of a {@link CtfWriter}. */
    public static final class Builder {
        private final Path dir;
        private final TraceClass trace;
        private int packetBytes = 256 * 1024;
        private MetadataFormat format = MetadataFormat.CTF_1_8;
        private boolean index = true;
        private int indexMinor = 1;

        private Builder(Path dir, TraceClass trace) {
            this.dir = dir;
            this.trace = trace;
        }

        /** Packet size in bytes (a multiple of 8 from 512 up; default 256 KiB). */
        public Builder packetSize(int bytes) {
            if (bytes < 512 || bytes % 8 != 0) {
                throw new IllegalArgumentException("packet size must be a multiple of 8 bytes, at least 512; got "
                        + bytes);
            }
            this.packetBytes = bytes;
            return this;
        }

        public Builder metadataFormat(MetadataFormat f) {
            this.format = f;
            return this;
        }

        /** Whether to write {@code index/STREAM.idx} files (default true). */
        public Builder index(boolean enabled) {
            this.index = enabled;
            return this;
        }

        /** Index minor version: 1 (72-byte entries, default) or 0 (56-byte entries). */
        public Builder indexVersion(int minor) {
            if (minor != 0 && minor != 1) {
                throw new IllegalArgumentException("index minor version must be 0 or 1");
            }
            this.indexMinor = minor;
            return this;
        }

        /** Creates the directory and writes the metadata file. */
        public CtfWriter build() {
            try {
                return new CtfWriter(this);
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
            }
        }
    }

    public Path directory() {
        return dir;
    }

    public TraceClass traceClass() {
        return trace;
    }

    /**
     * Opens data stream {@code instanceId} of stream class {@code sc}, in file {@code NAME_INSTANCE} where NAME is
     * the stream class name (or {@code streamID}); for LTTng-like traces the instance id is the CPU number.
     */
    public StreamWriter openStream(StreamClass sc, long instanceId) {
        String base = sc.name() != null && !sc.name().isEmpty() ? sc.name() : "stream" + sc.id();
        return openStream(sc, instanceId, base + "_" + instanceId);
    }

    /** Opens a data stream written to file {@code fileName} in the trace directory. */
    public synchronized StreamWriter openStream(StreamClass sc, long instanceId, String fileName) {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        StreamPlan plan = plans.get(sc.id());
        if (plan == null || plan.stream != sc) {
            throw new IllegalArgumentException("stream class " + sc.id() + " is not part of this trace class");
        }
        if (fileName.isEmpty() || fileName.equals("metadata") || fileName.equals("index") || fileName.contains("/")
                || fileName.startsWith(".")) {
            throw new IllegalArgumentException("bad stream file name '" + fileName + "'");
        }
        if (!fileNames.add(fileName)) {
            throw new IllegalArgumentException("stream file '" + fileName + "' is already open in this trace");
        }
        try {
            StreamWriter w = new StreamWriter(this, plan, dir.resolve(fileName), instanceId, packetBytes,
                    indexMinor);
            open.add(w);
            return w;
        } catch (IOException e) {
            fileNames.remove(fileName);
            throw new UncheckedIOException(dir.resolve(fileName) + ": " + e.getMessage(), e);
        }
    }

    Path indexFile(Path streamFile) {
        return dir.resolve("index").resolve(streamFile.getFileName() + ".idx");
    }

    synchronized void streamClosed(StreamWriter w) {
        open.remove(w);
    }

    /**
     * Closes every stream still open (from the calling thread: the streams' own threads must be done with them).
     */
    @Override
    public void close() {
        List<StreamWriter> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(open);
        }
        RuntimeException first = null;
        for (StreamWriter w : toClose) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

package io.tracestream.spark.read;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.io.DefaultBackend;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executor-side cache of parsed metadata and compiled decoders, one per metadata file version (path, size and
 * modification time: a growing live trace gets a new entry when its metadata grows). Bounded (LRU, 64 traces).
 */
final class TraceCache {
    private static final int MAX = 64;
    private static final Map<String, TraceDecoder> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TraceDecoder> e) {
            return size() > MAX;
        }
    };

    private TraceCache() {
    }

    /** The compiled decoder of a trace's metadata file. */
    static TraceDecoder decoder(String metadataFile) {
        Path p = Path.of(metadataFile);
        String key;
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            key = metadataFile + '\0' + a.size() + '\0' + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(metadataFile + ": cannot read the trace metadata: " + e.getMessage(), e);
        }
        synchronized (CACHE) {
            TraceDecoder d = CACHE.get(key);
            if (d != null) {
                return d;
            }
        }
        TraceDecoder d = TraceDecoder.compile(new DefaultBackend().readMetadata(p));
        synchronized (CACHE) {
            CACHE.put(key, d);
        }
        return d;
    }

    /** A trace as an executor sees it: its class, name and directory. */
    record SplitTrace(Path path, String name, TraceClass traceClass) implements Trace {
        @Override
        public List<DataStream> streams() {
            return List.of();
        }
    }

    /** A stream as an executor sees it: enough for the decoder and the row columns. */
    record SplitStream(SplitTrace trace, StreamClass streamClass, long instanceId, long id, Path file, String name)
            implements DataStream {
    }
}

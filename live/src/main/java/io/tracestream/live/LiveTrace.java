package io.tracestream.live;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One CTF trace of a live session (a metadata stream and its data streams): its metadata as received so far, parsed
 * into a trace class and compiled into a decoder, both replaced when the metadata grows.
 */
final class LiveTrace implements Trace {
    static final int MAX_METADATA = 64 << 20;

    /** The relay's path of the trace (identity across reconnections). */
    final String key;
    final Path path;
    long metadataStreamId = -1;
    long relaySessionId;
    boolean metadataNeeded = true;
    private byte[] metadata = new byte[0];
    private int metadataLength;
    private TraceClass traceClass;
    private TraceDecoder decoder;
    private DecodeOptions options = DecodeOptions.DEFAULT;
    private int parsedLength = -1;
    final List<DataStream> streams = new ArrayList<>();

    LiveTrace(String key, Path path) {
        this.key = key;
        this.path = path;
    }

    /**
     * Forgets the metadata received (a new connection sends it again from its start); the trace class and decoder
     * stay until the new metadata is parsed.
     */
    void resetMetadata() {
        metadataLength = 0;
        parsedLength = -1;
        metadataNeeded = true;
    }

    /** Appends a metadata chunk. */
    void appendMetadata(byte[] chunk) {
        int from = 0;
        int n = chunk.length - from;
        if (n == 0) {
            return;
        }
        if ((long) metadataLength + n > MAX_METADATA) {
            throw new LiveException(path + ": metadata grows beyond " + MAX_METADATA + " bytes");
        }
        if (metadataLength + n > metadata.length) {
            metadata = Arrays.copyOf(metadata, Math.max(metadataLength + n, Math.min(MAX_METADATA,
                    metadata.length * 2)));
        }
        System.arraycopy(chunk, from, metadata, metadataLength, n);
        metadataLength += n;
    }

    /** A copy of the metadata bytes received so far. */
    byte[] metadataBytes() {
        return Arrays.copyOf(metadata, metadataLength);
    }

    int metadataLength() {
        return metadataLength;
    }

    boolean hasMetadata() {
        return metadataLength > 0;
    }

    /** Parses the metadata received so far when it changed; false when it is incomplete yet. */
    boolean parse(boolean mustSucceed) {
        if (parsedLength == metadataLength && traceClass != null) {
            return true;
        }
        try {
            TraceClass tc = MetadataReader.parse(Arrays.copyOf(metadata, metadataLength), path.resolve("metadata"))
                    .traceClass();
            traceClass = tc;
            decoder = TraceDecoder.compile(tc);
            options = DecodeOptions.DEFAULT.withQuirksFor(tc);
            parsedLength = metadataLength;
            return true;
        } catch (RuntimeException e) {
            if (mustSucceed) {
                throw e;
            }
            return false;
        }
    }

    TraceDecoder decoder() {
        return decoder;
    }

    DecodeOptions options() {
        return options;
    }

    @Override
    public Path path() {
        return path;
    }

    /** babeltrace2's live reader gives its traces no name. */
    @Override
    public String name() {
        return null;
    }

    @Override
    public TraceClass traceClass() {
        return traceClass;
    }

    @Override
    public List<DataStream> streams() {
        return Collections.unmodifiableList(streams);
    }

    @Override
    public String toString() {
        return "live trace " + path;
    }
}

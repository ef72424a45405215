package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real backend: {@link MetadataReader} for metadata and one compiled {@link TraceDecoder} per trace class, with
 * babeltrace2's tracer quirks for each trace.
 */
public final class DefaultBackend implements TraceBackend {
    private final DecodeOptions options;
    private final Map<TraceClass, TraceDecoder> decoders = new IdentityHashMap<>();

    /** @param options decoding options (strict or lenient); quirks are added per trace */
    public DefaultBackend(DecodeOptions options) {
        this.options = options;
    }

    public DefaultBackend() {
        this(DecodeOptions.DEFAULT);
    }

    @Override
    public TraceClass readMetadata(Path metadataFile) {
        TraceClass tc = MetadataReader.read(metadataFile).traceClass();
        if (tc.ctfMajor() == 2 && tc.streamClasses().isEmpty()) {
            // Valid CTF 2 metadata on its own, but a trace to read needs one (babeltrace2 refuses it too)
            throw new CtfException(metadataFile + ": the metadata has no data stream class fragment, so the trace"
                    + " cannot hold any data");
        }
        return tc;
    }

    /** The compiled decoder of a trace class (compiled once). */
    public synchronized TraceDecoder decoder(TraceClass tc) {
        return decoders.computeIfAbsent(tc, TraceDecoder::compile);
    }

    @Override
    public List<PacketIndexEntry> scanPackets(TraceClass traceClass, Path streamFile) {
        return decoder(traceClass).scanPackets(streamFile, options);
    }

    @Override
    public MessageCursor openStream(DataStream stream, List<PacketIndexEntry> packets) {
        TraceClass tc = stream.trace().traceClass();
        return decoder(tc).openStream(stream, packets, options.withQuirksFor(tc));
    }
}

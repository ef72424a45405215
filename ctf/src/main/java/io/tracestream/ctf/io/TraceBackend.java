package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.List;

/**
 * What the file layer needs from the metadata parser and the decoder. {@link DefaultBackend} wires the real ones;
 * tests can substitute doubles.
 */
public interface TraceBackend {
    /** Parses a {@code metadata} file (TSDL, plain or packetized, or CTF 2 JSON). */
    TraceClass readMetadata(Path metadataFile);

    /** Reads the packet headers and contexts of a stream file, in file order. */
    List<PacketIndexEntry> scanPackets(TraceClass traceClass, Path streamFile);

    /**
     * The message sequence of one data stream over the given packets (in order, possibly spanning several files):
     * STREAM_BEGINNING, per packet PACKET_BEGINNING, EVENTs, PACKET_END, discarded items where the packet contexts
     * show them, STREAM_END.
     */
    MessageCursor openStream(DataStream stream, List<PacketIndexEntry> packets);
}

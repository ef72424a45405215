package io.tracestream.ctf.follow;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One trace directory (a folder holding {@code metadata}) under a followed root: a whole trace, or one chunk of a
 * rotating LTTng session. Its {@link #traceClass()} is the latest metadata that parsed (LTTng appends to the
 * metadata while recording); its streams are the stream files seen so far.
 */
public final class FollowedTrace implements Trace {
    private final String key;
    private final long chunk;
    private Path directory;
    private boolean archived;
    private TraceClass traceClass;
    private TraceDecoder decoder;
    private long metadataSize;
    private final Map<String, FollowedStream> streams = new TreeMap<>();

    FollowedTrace(String key, long chunk, Path directory, boolean archived, TraceClass traceClass, long metadataSize) {
        this.key = key;
        this.chunk = chunk;
        this.directory = directory;
        this.archived = archived;
        setMetadata(traceClass, metadataSize);
    }

    /**
     * The trace's stable name: its directory relative to the followed root, with an LTTng rotation chunk folder
     * written {@code #N} (and left out for chunk 0), e.g. {@code ust/uid/0/64-bit} or {@code #3/ust/uid/0/64-bit}.
     */
    public String key() {
        return key;
    }

    /** The LTTng session rotation chunk number (0 for a session that never rotated and for plain traces). */
    public long chunk() {
        return chunk;
    }

    /** True when the trace is in an archived chunk ({@code archives/BEGIN-END-N}): LTTng no longer writes it. */
    public synchronized boolean archived() {
        return archived;
    }

    /** Where the trace directory is now. */
    public synchronized Path directory() {
        return directory;
    }

    @Override
    public Path path() {
        return directory();
    }

    /** The trace's host name (from the metadata environment) and key. */
    @Override
    public String name() {
        Object host = traceClass().environment().get("hostname");
        return host == null ? key : host + "/" + key;
    }

    @Override
    public synchronized TraceClass traceClass() {
        return traceClass;
    }

    /** The compiled decoder of the current metadata. */
    public synchronized TraceDecoder decoder() {
        return decoder;
    }

    /** Size of the metadata file when it was last parsed. */
    public synchronized long metadataSize() {
        return metadataSize;
    }

    @Override
    public synchronized List<DataStream> streams() {
        return new ArrayList<>(streams.values());
    }

    /** The followed streams, by key. */
    public synchronized List<FollowedStream> followedStreams() {
        return new ArrayList<>(streams.values());
    }

    synchronized FollowedStream stream(String fileName) {
        return streams.get(fileName);
    }

    synchronized FollowedStream addStream(String fileName) {
        FollowedStream s = new FollowedStream(this, fileName);
        streams.put(fileName, s);
        return s;
    }

    synchronized void setMetadata(TraceClass tc, long size) {
        this.traceClass = tc;
        this.decoder = TraceDecoder.compile(tc);
        this.metadataSize = size;
    }

    /** Records where the directory is now; true when it moved. */
    synchronized boolean relocate(Path dir, boolean nowArchived) {
        boolean moved = !dir.equals(directory);
        directory = dir;
        archived |= nowArchived;
        if (moved) {
            for (FollowedStream s : streams.values()) {
                s.moveTo(dir);
            }
        }
        return moved;
    }

    @Override
    public String toString() {
        return "followed trace " + key + " at " + directory;
    }
}

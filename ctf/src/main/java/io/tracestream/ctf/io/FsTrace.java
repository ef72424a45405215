package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A trace read from directories: one {@code metadata} and its stream files, or several directories holding chunks
 * of the same trace (same UUID, e.g. LTTng session rotation archives) merged into one.
 */
public final class FsTrace implements Trace {
    private final Path path;
    private final List<Path> directories;
    private final String name;
    private final TraceClass traceClass;
    private final List<DataStream> streams = new ArrayList<>();
    private final List<DataStream> streamsView = Collections.unmodifiableList(streams);

    FsTrace(Path path, List<Path> directories, String name, TraceClass traceClass) {
        this.path = path;
        this.directories = List.copyOf(directories);
        this.name = name;
        this.traceClass = traceClass;
    }

    /** The directory whose metadata describes the trace (for merged chunks, the one with the richest metadata). */
    @Override
    public Path path() {
        return path;
    }

    /** All directories the trace was assembled from, sorted. */
    public List<Path> directories() {
        return directories;
    }

    /**
     * The name babeltrace2 gives the trace: the environment's {@code hostname}, then {@code /} and the trace's
     * directory relative to the input path it was found under (when that is not the input itself and the trace is
     * made of one directory); empty when neither exists.
     */
    @Override
    public String name() {
        return name;
    }

    @Override
    public TraceClass traceClass() {
        return traceClass;
    }

    /** Streams in babeltrace2's order: by the path of their first file. */
    @Override
    public List<DataStream> streams() {
        return streamsView;
    }

    void addStream(FsDataStream s) {
        streams.add(s);
    }

    void sortStreams() {
        streams.sort((a, b) -> Utf8Order.compare(((FsDataStream) a).firstFileKey(), ((FsDataStream) b).firstFileKey()));
    }

    @Override
    public String toString() {
        return "trace '" + name + "' at " + path;
    }
}

package io.tracestream.ctf;

import io.tracestream.ctf.meta.TraceClass;
import java.nio.file.Path;
import java.util.List;

/** One trace: a metadata stream and the data stream files described by it. */
public interface Trace {
    /** The trace directory (the folder holding {@code metadata}). */
    Path path();

    /**
     * The trace name as babeltrace2 gives it: for an LTTng trace, built from the environment (hostname, session
     * name, domain path); otherwise the directory path relative to the common input root.
     */
    String name();

    TraceClass traceClass();

    /** The data streams of the trace, one per stream file (or per live stream). */
    List<DataStream> streams();
}

package io.tracestream.ctf;

import io.tracestream.ctf.meta.StreamClass;
import java.nio.file.Path;

/** One data stream of a trace: a stream file (or an LTTng live stream). */
public interface DataStream {
    Trace trace();

    StreamClass streamClass();

    /** The stream instance id ({@code stream_instance_id} in the packet header), or -1 when absent. */
    long instanceId();

    /**
     * The stream id babeltrace2 shows and orders by: the instance id, or, for streams without one, a number assigned
     * in stream order.
     */
    default long id() {
        return instanceId();
    }

    /** The stream's file, or null for a stream that is not a file. */
    Path file();

    /** The stream name as babeltrace2 shows it (the file path relative to the trace). */
    String name();
}

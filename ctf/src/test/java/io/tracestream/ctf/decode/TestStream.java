package io.tracestream.ctf.decode;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.StreamClass;
import java.nio.file.Path;

/** A minimal {@link DataStream} for decoder tests. */
record TestStream(StreamClass streamClass, Path file) implements DataStream {
    @Override
    public Trace trace() {
        return null;
    }

    @Override
    public long instanceId() {
        return -1;
    }

    @Override
    public String name() {
        return file == null ? "stream" : file.getFileName().toString();
    }
}

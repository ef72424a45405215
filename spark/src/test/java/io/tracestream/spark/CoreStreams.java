package io.tracestream.spark;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.io.FsDataStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The core reader, one stream at a time (no time-ordered merge): every event of every stream. */
final class CoreStreams {
    private CoreStreams() {
    }

    static void forEachEvent(Path path, Consumer<EventRecord> f) {
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), path)) {
            for (Trace t : ts.traces()) {
                TraceDecoder d = TraceDecoder.compile(t.traceClass());
                for (DataStream s : t.streams()) {
                    try (MessageCursor c = d.openStream(s, ((FsDataStream) s).packets())) {
                        while (c.next()) {
                            if (c.type() == MessageType.EVENT) {
                                f.accept(c.event());
                            }
                        }
                    }
                }
            }
        }
    }
}

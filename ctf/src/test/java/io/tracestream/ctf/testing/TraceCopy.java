package io.tracestream.ctf.testing;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Rewrites a trace event by event with the project's reader and writer, keeping its trace class. */
public final class TraceCopy {
    private TraceCopy() {
    }

    /**
     * Copies the first trace of {@code src} into {@code dst} in packets of {@code packetBytes}: each stream's packet
     * context is taken from the source packet its next events come from, every event keeps its class, timestamp,
     * contexts and payload.
     */
    public static void copy(Path src, Path dst, int packetBytes) {
        try (TraceSet in = TraceSet.open(src)) {
            Trace t = in.traces().get(0);
            try (CtfWriter w = CtfWriter.builder(dst, t.traceClass()).packetSize(packetBytes).build()) {
                Map<DataStream, StreamWriter> out = new HashMap<>();
                Map<DataStream, Packet> lastPacket = new HashMap<>();
                for (DataStream ds : t.streams()) {
                    out.put(ds, w.openStream(ds.streamClass(), ds.instanceId(), ds.file().getFileName().toString()));
                }
                for (EventRecord e : in.events()) {
                    StreamWriter s = out.get(e.stream());
                    Packet p = e.packet();
                    Packet last = lastPacket.get(e.stream());
                    if (last == null || last.sequenceNumber() != p.sequenceNumber() || last.offset() != p.offset()) {
                        p.accept(Scope.PACKET_CONTEXT, s.packetContextVisitor());
                        lastPacket.put(e.stream(), p);
                    }
                    EventBuilder b = s.beginEvent(e.eventClass(), e.cycles());
                    e.accept(Scope.EVENT_COMMON_CONTEXT, b.visitor());
                    e.accept(Scope.EVENT_SPECIFIC_CONTEXT, b.visitor());
                    e.accept(Scope.EVENT_PAYLOAD, b.visitor());
                    b.end();
                }
            }
        }
    }
}

package io.tracestream.ctf.write;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.testing.SharedTraces;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Copies real traces event by event with the project's reader and this writer, keeping their trace class (what
 * {@code tracestream convert} does): babeltrace2 prints the copy exactly as the original.
 */
class CopyTraceTest {
    @TempDir
    Path tmp;

    static void copy(Path src, Path dst) {
        try (TraceSet in = TraceSet.open(src)) {
            Trace t = in.traces().get(0);
            try (CtfWriter w = CtfWriter.builder(dst, t.traceClass()).packetSize(4096).build()) {
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

    @ParameterizedTest
    @ValueSource(strings = {"tracecompass/context-switches-ust", "tracecompass/debuginfo-test-app4",
        "tracecompass/ctf-sequence-empty", "tracecompass/perf-taskset2",
        "tracecompass/flipping-endianness",
        "babeltrace/stable-2.0/ctf-traces/succeed/meta-variant-two-underscores",
        "babeltrace/stable-2.0/ctf-traces/succeed/meta-variant-reserved-keywords",
        "babeltrace/stable-2.0/ctf-traces/succeed/struct-array-align-elem",
        "babeltrace/stable-2.0/ctf-traces/succeed/no-packet-context",
        "babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u",
        "babeltrace/stable-2.0/ctf-traces/succeed/succeed1"})
    void babeltracePrintsTheCopyLikeTheOriginal(String name) throws Exception {
        Babeltrace.assume();
        Path src = SharedTraces.path(name);
        Path dst = tmp.resolve("copy");
        copy(src, dst);
        String expected = Babeltrace.run(src, "--clock-cycles");
        String got = Babeltrace.run(dst, "--clock-cycles");
        assertEquals(expected.lines().count(), got.lines().count(), name);
        assertEquals(expected, got, name);
    }
}

package io.tracestream.ctf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * lttng-modules before 2.9.13 ("event after packet"): the last packet of a stream ends at its last event. That end is
 * found by decoding the packet when it is first asked for (stream intersection, seeking), not when the trace opens.
 */
class LastPacketEndTest {
    @Test
    void lastPacketEndsAtItsLastEvent() {
        Path trace = SharedTraces.path("tracecompass/bug446190"); // lttng-modules 2.x, before the fix
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), List.of(trace))) {
            List<DataStream> streams = set.traces().get(0).streams();
            assertTrue(streams.size() > 1);
            int withEvents = 0;
            for (DataStream ds : streams) {
                FsDataStream s = (FsDataStream) ds;
                int last = s.packets().size() - 1;
                long lastEvent = ClockValue.NONE;
                try (MessageCursor c = set.openStream(s, List.of(s.packets().get(last)))) {
                    while (c.next()) {
                        if (c.type() == MessageType.EVENT && c.timeNanos() != ClockValue.NONE) {
                            lastEvent = c.timeNanos();
                        }
                    }
                }
                // a last packet without events ends where it begins
                long end = lastEvent != ClockValue.NONE ? lastEvent : s.packetBeginNs(last);
                withEvents += lastEvent != ClockValue.NONE ? 1 : 0;
                assertEquals(end, s.packetEndNs(last), s.name());
                assertEquals(end, s.packetEndNs(last), s.name()); // computed once, kept
                for (int i = 0; i < last; i++) {
                    assertEquals(s.packetBeginNs(i + 1), s.packetEndNs(i), s.name() + " packet " + i);
                }
            }
            assertTrue(withEvents > 0);
        }
        // and the stream intersection, which needs those ends, reads the same events as before
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(true), List.of(trace))) {
            long n = 0;
            try (MessageCursor c = set.messages()) {
                while (c.next()) {
                    n += c.type() == MessageType.EVENT ? 1 : 0;
                }
            }
            assertTrue(n > 0);
        }
    }
}

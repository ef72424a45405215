package io.tracestream.ctf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.io.FakeStreams.FakeCursor;
import io.tracestream.ctf.io.FakeStreams.FakeStream;
import io.tracestream.ctf.io.FakeStreams.FakeTrace;
import io.tracestream.ctf.meta.ClockClass;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The muxer's order, tie-breaking and clock rules, on scripted streams (real traces: TraceSetTest). */
class MessageMuxerTest {
    private static final ClockClass ABS = FakeStreams.clock("monotonic", true, null);
    private static final UUID U1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID U2 = UUID.fromString("80000000-0000-0000-0000-000000000000");

    private static List<String> run(FakeCursor... cursors) {
        List<String> out = new ArrayList<>();
        try (MessageMuxer m = new MessageMuxer(List.of(cursors), null)) {
            while (m.next()) {
                FakeCursor c = null;
                for (FakeCursor f : cursors) {
                    if (f.stream == m.stream()) {
                        c = f;
                    }
                }
                out.add(c.label());
            }
        }
        for (FakeCursor c : cursors) {
            assertTrue(c.closed);
        }
        return out;
    }

    private static FakeTrace trace(String name, UUID uuid, ClockClass clock, long... classes) {
        return new FakeTrace(name, FakeStreams.traceClass(uuid, clock, classes));
    }

    @Test
    void ordersByTime() {
        FakeTrace t = trace("t", U1, ABS, 0);
        FakeStream a = t.stream(0, 0);
        FakeStream b = t.stream(0, 1);
        List<String> out = run(
                a.cursor("SB", "PB@10", "E1@10", "E1@30", "PE@40", "SE"),
                b.cursor("SB", "PB@5", "E1@20", "PE@25", "SE"));
        assertEquals(List.of("t/0/0:SB", "t/0/1:SB", "t/0/1:PB@5", "t/0/0:PB@10", "t/0/0:E1@10", "t/0/1:E1@20",
                "t/0/1:PE@25", "t/0/1:SE", "t/0/0:E1@30", "t/0/0:PE@40", "t/0/0:SE"), out);
    }

    @Test
    void equalTimesOrderByTraceUuidThenNameThenStreamClassThenStream() {
        FakeTrace noUuid = trace("a", null, ABS, 0);
        FakeTrace high = trace("a", U2, ABS, 0);
        FakeTrace low = trace("z", U1, ABS, 0);
        FakeTrace lowB = trace("b", U1, ABS, 0, 1);
        List<String> out = run(
                noUuid.stream(0, 0).cursor("E1@5"),
                high.stream(0, 0).cursor("E1@5"),
                low.stream(0, 0).cursor("E1@5"),
                lowB.stream(1, 0).cursor("E1@5"),
                lowB.stream(0, 7).cursor("E1@5"),
                lowB.stream(0, 3).cursor("E1@5"));
        // UUIDs compare as bytes (present first); then names; then stream class id; then stream id.
        assertEquals(List.of("b/0/3:E1@5", "b/0/7:E1@5", "b/1/0:E1@5", "z/0/0:E1@5", "a/0/0:E1@5", "a/0/0:E1@5"),
                out);
        assertEquals(List.of(U1, U1, U1, U1, U2), List.of(lowB.tc.uuid(), lowB.tc.uuid(), lowB.tc.uuid(),
                low.tc.uuid(), high.tc.uuid()));
    }

    @Test
    void equalTimesInOneStreamKeepOrderAndTypesOrderAcrossStreams() {
        FakeTrace t = trace("t", U1, ABS, 0);
        FakeStream a = t.stream(0, 0);
        FakeStream b = t.stream(0, 0 + 1);
        // Stream ids differ, so the stream id decides before the type.
        assertEquals(List.of("t/0/0:PE@10", "t/0/1:PB@10"), run(a.cursor("PE@10"), b.cursor("PB@10")));
        // Same stream id in two traces with equal UUID and name: the type decides
        // (SB < PB < EV < DE < PE < DP < SE).
        FakeTrace t2 = trace("t", U1, ABS, 0);
        FakeStream c = t2.stream(0, 0);
        FakeTrace t3 = trace("t", U1, ABS, 0);
        FakeStream d = t3.stream(0, 0);
        FakeTrace t4 = trace("t", U1, ABS, 0);
        FakeStream e = t4.stream(0, 0);
        FakeTrace t5 = trace("t", U1, ABS, 0);
        FakeStream f = t5.stream(0, 0);
        List<String> out = run(f.cursor("DP2@10"), e.cursor("PE@10"), d.cursor("DE4@10"), c.cursor("E1@10"),
                a.cursor("PB@10"));
        assertEquals(List.of("t/0/0:PB@10", "t/0/0:E1@10", "t/0/0:DE4@10", "t/0/0:PE@10", "t/0/0:DP2@10"), out);
    }

    @Test
    void equalEventsOrderByEventClassIdThenCount() {
        FakeTrace t = trace("t", U1, ABS, 0);
        FakeTrace t2 = trace("t", U1, ABS, 0);
        FakeStream a = t.stream(0, 0);
        FakeStream b = t2.stream(0, 0);
        assertEquals(List.of("t/0/0:E1@10", "t/0/0:E2@10"), run(a.cursor("E2@10"), b.cursor("E1@10")));
        // Discarded events: same range, smaller count first; a known count before an unknown one.
        FakeTrace t3 = trace("t", U1, ABS, 0);
        FakeStream c = t3.stream(0, 0);
        assertEquals(List.of("t/0/0:DE2@10-20", "t/0/0:DE5@10-20", "t/0/0:DE@10-20"),
                run(a.cursor("DE@10-20"), b.cursor("DE5@10-20"), c.cursor("DE2@10-20")));
    }

    @Test
    void messagesWithoutTimeGoOutAtTheLastTime() {
        FakeTrace t = trace("t", U1, ABS, 0);
        FakeStream a = t.stream(0, 0);
        FakeStream b = t.stream(0, 1);
        // b's stream end has no time: it goes as soon as it is b's head, before a's later events; at equal time
        // with a's head it is ordered as a message of time "last delivered".
        List<String> out = run(a.cursor("SB", "E1@10", "E1@20", "SE"), b.cursor("SB", "E1@10", "SE"));
        assertEquals(List.of("t/0/0:SB", "t/0/1:SB", "t/0/0:E1@10", "t/0/1:E1@10", "t/0/1:SE", "t/0/0:E1@20",
                "t/0/0:SE"), out);
    }

    @Test
    void streamsWithoutClocksAreOrderedByStreamOnly() {
        FakeTrace t = trace("t", null, null, 0);
        FakeStream a = t.stream(0, 0);
        FakeStream b = t.stream(0, 1);
        List<String> out = run(b.cursor("SB", "PB", "E1", "PE", "SE"), a.cursor("SB", "PB", "E2", "PE", "SE"));
        assertEquals(List.of("t/0/0:SB", "t/0/0:PB", "t/0/0:E2", "t/0/0:PE", "t/0/0:SE", "t/0/1:SB", "t/0/1:PB",
                "t/0/1:E1", "t/0/1:PE", "t/0/1:SE"), out);
    }

    @Test
    void timeGoingBackwardsIsAnError() {
        FakeTrace t = trace("t", U1, ABS, 0);
        FakeStream a = t.stream(0, 0);
        CtfException e = assertThrows(CtfException.class, () -> run(a.cursor("SB", "E1@20", "E1@10", "SE")));
        assertEquals("/fake/t/s0_0: offset 0: cannot merge streams in time order: stream /fake/t/s0_0 has a message "
                + "at 10 ns, before the previous message at 20 ns", e.getMessage());
    }

    @Test
    void clocksMustBeCorrelatable() {
        ClockClass relNoUuid = FakeStreams.clock("c", false, null);
        ClockClass relU1 = FakeStreams.clock("c", false, U1);
        ClockClass relU2 = FakeStreams.clock("c", false, U2);
        // absolute with absolute: fine, whatever the UUIDs
        run(trace("a", U1, ABS, 0).stream(0, 0).cursor("SB", "SE"),
                trace("b", U2, FakeStreams.clock("x", true, U2), 0).stream(0, 0).cursor("SB", "SE"));
        // same non-absolute UUID: fine
        run(trace("a", U1, relU1, 0).stream(0, 0).cursor("SB", "SE"),
                trace("b", U2, relU1, 0).stream(0, 0).cursor("SB", "SE"));
        String[] bad = {
            clockError(ABS, relNoUuid),
            clockError(relU1, relU2),
            clockError(relU1, relNoUuid),
            clockError(relNoUuid, relU1),
            clockError(relNoUuid, ABS),
            clockError(null, ABS),
            clockError(ABS, null),
        };
        assertTrue(bad[0].contains("whose origin is not the Unix epoch"), bad[0]);
        assertTrue(bad[1].contains("with UUID " + U2) && bad[1].contains("UUID " + U1), bad[1]);
        assertTrue(bad[2].contains("with no UUID"), bad[2]);
        assertTrue(bad[3].contains("unknown origin and no UUID"), bad[3]);
        assertTrue(bad[4].contains("has the absolute clock"), bad[4]);
        assertTrue(bad[5].contains("but stream /fake/a/s0_0 has no clock"), bad[5]);
        assertTrue(bad[6].contains("has no clock, but stream /fake/a/s0_0 has one"), bad[6]);
        for (String m : bad) {
            assertTrue(m.startsWith("cannot order the messages of several traces in time (their clocks cannot be "
                    + "correlated): stream /fake/b/s0_0 "), m);
        }
    }

    private static String clockError(ClockClass first, ClockClass second) {
        FakeCursor a = trace("a", U1, first, 0).stream(0, 0).cursor("SB", "SE");
        FakeCursor b = trace("b", U2, second, 0).stream(0, 0).cursor("SB", "SE");
        return assertThrows(CtfException.class, () -> run(a, b)).getMessage();
    }

    @Test
    void manyStreamsStayOrdered() {
        int n = 200;
        FakeTrace t = trace("t", U1, ABS, 0);
        List<FakeCursor> cursors = new ArrayList<>();
        java.util.Random r = new java.util.Random(42);
        int total = 0;
        for (int i = 0; i < n; i++) {
            int count = r.nextInt(50);
            String[] script = new String[count + 2];
            script[0] = "SB";
            long time = r.nextInt(100);
            for (int k = 0; k < count; k++) {
                time += r.nextInt(20);
                script[k + 1] = "E1@" + time;
            }
            script[count + 1] = "SE";
            total += count + 2;
            cursors.add(t.stream(0, i).cursor(script));
        }
        long last = Long.MIN_VALUE;
        long lastStream = -1;
        int seen = 0;
        try (MessageMuxer m = new MessageMuxer(cursors, null)) {
            while (m.next()) {
                seen++;
                if (m.timeNanos() != io.tracestream.ctf.ClockValue.NONE) {
                    assertTrue(m.timeNanos() >= last);
                    if (m.timeNanos() == last) {
                        assertTrue(m.stream().id() >= lastStream, "ties by stream id");
                    }
                    last = m.timeNanos();
                    lastStream = m.stream().id();
                }
            }
        }
        assertEquals(total, seen);
    }
}

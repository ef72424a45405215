package io.tracestream.ctf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.io.FakeStreams.FakeStream;
import io.tracestream.ctf.io.FakeStreams.FakeTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** babeltrace2's seek-then-trim semantics on scripted streams. */
class MergedTrimmerTest {
    private static final UUID U = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static String label(MessageCursor c) {
        String t = c.timeNanos() == ClockValue.NONE ? "" : "@" + c.timeNanos();
        return switch (c.type()) {
            case STREAM_BEGINNING -> "SB" + t;
            case STREAM_END -> "SE" + t;
            case PACKET_BEGINNING -> "PB" + t;
            case PACKET_END -> "PE" + t;
            case EVENT -> "E" + c.event().eventClass().id() + t;
            default -> (c.type() == MessageType.DISCARDED_EVENTS ? "DE" : "DP") + c.discarded().count() + "@"
                    + c.discarded().beginNanos() + "-" + c.discarded().endNanos();
        };
    }

    private static List<String> run(MessageCursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            while (c.next()) {
                out.add(c.stream().id() + ":" + label(c));
            }
        }
        return out;
    }

    private static FakeStream stream(long id) {
        FakeTrace t = new FakeTrace("t", FakeStreams.traceClass(U, FakeStreams.clock("c", true, null), 0));
        return t.stream(0, id);
    }

    private static final String[] SCRIPT = {"SB", "PB@10", "E1@12", "PE@20", "DE5@20-40", "PB@20", "E1@25", "E1@35",
        "PE@40", "SE"};

    @Test
    void restoresStateKeepsStraddlingLossesAndEndsAtTheBound() {
        FakeStream s = stream(0);
        assertEquals(List.of("0:SB@30", "0:PB@30", "0:DE-1@30-36", "0:E1@35", "0:PE@36", "0:SE@36"),
                run(new MergedTrimmer(s.cursor(SCRIPT), 30, 36)));
    }

    @Test
    void unboundedSidesPassEverything() {
        FakeStream s = stream(0);
        assertEquals(List.of("0:SB", "0:PB@10", "0:E1@12", "0:PE@20", "0:DE5@20-40", "0:PB@20", "0:E1@25",
                "0:E1@35", "0:PE@40", "0:SE"), run(new MergedTrimmer(s.cursor(SCRIPT), Long.MIN_VALUE,
                Long.MAX_VALUE)));
        assertEquals(List.of("0:SB", "0:PB@10", "0:E1@12", "0:PE@20", "0:DE-1@20-22", "0:PB@20", "0:PE@22",
                "0:SE@22"), run(new MergedTrimmer(s.cursor(SCRIPT), Long.MIN_VALUE, 22)));
    }

    @Test
    void streamsOverBeforeTheBeginVanish() {
        FakeStream a = stream(0);
        FakeStream b = stream(1);
        MessageMuxer m = new MessageMuxer(List.of(a.cursor("SB", "PB@1", "E1@2", "PE@3", "SE"),
                b.cursor("SB", "PB@1", "E1@50", "PE@60", "SE")), null);
        // a ended before 40; b is inside its packet at 40: restored, and its stream beginning has a time.
        assertEquals(List.of("1:SB@40", "1:PB@40", "1:E1@50", "1:PE@60", "1:SE"),
                run(new MergedTrimmer(m, 40, Long.MAX_VALUE)));
    }

    @Test
    void streamsWithoutClockCannotBeTrimmed() {
        FakeTrace t = new FakeTrace("t", FakeStreams.traceClass(U, null, 0));
        FakeStream s = t.stream(0, 0);
        CtfException e = assertThrows(CtfException.class,
                () -> run(new MergedTrimmer(s.cursor("SB", "PB", "E1", "PE", "SE"), 5, 10)));
        assertTrue(e.getMessage().contains("has no clock"), e.getMessage());
    }
}

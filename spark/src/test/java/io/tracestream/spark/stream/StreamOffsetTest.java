package io.tracestream.spark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offset JSON (what the checkpoint keeps) and the streaming options. */
class StreamOffsetTest {
    @Test
    void jsonRoundTripsAndLeavesOutStreamsAtZero() {
        StreamOffset o = new StreamOffset(List.of(Map.of("ust/uid/0/64-bit/chan0_0", 12L,
                "#1/ust/uid/0/64-bit/chan0_1", 3L, "ust/uid/0/64-bit/chan0_1", 0L), Map.of()));
        assertEquals("{\"v\":1,\"paths\":[{\"#1/ust/uid/0/64-bit/chan0_1\":3,\"ust/uid/0/64-bit/chan0_0\":12},{}]}",
                o.json());
        StreamOffset back = StreamOffset.parse(o.json());
        assertEquals(o, back);
        assertEquals(12, back.position(0, "ust/uid/0/64-bit/chan0_0"));
        assertEquals(0, back.position(0, "ust/uid/0/64-bit/chan0_1"));
        assertEquals(15, back.totalPackets());
    }

    @Test
    void badOffsetsAreNamed() {
        assertMessage("not JSON", () -> StreamOffset.parse("{"));
        assertMessage("no version field 'v'", () -> StreamOffset.parse("{\"paths\":[]}"));
        assertMessage("version 2 is not supported", () -> StreamOffset.parse("{\"v\":2,\"paths\":[]}"));
        assertMessage("no 'paths' array", () -> StreamOffset.parse("{\"v\":1}"));
        assertMessage("stream 'a' is not a packet count", () -> StreamOffset.parse("{\"v\":1,\"paths\":[{\"a\":-1}]}"));
        assertMessage("stream 'a' is not a packet count",
                () -> StreamOffset.parse("{\"v\":1,\"paths\":[{\"a\":\"x\"}]}"));
    }

    @Test
    void optionsAreValidated() {
        assertEquals(new StreamOptions(5, Long.MAX_VALUE), StreamOptions.parse(Map.of("maxPacketsPerTrigger", "5")));
        assertEquals(new StreamOptions(Long.MAX_VALUE, 64L << 20), StreamOptions.parse(Map.of("MAXBYTESPERTRIGGER",
                "64m")));
        assertMessage("'maxPacketsPerTrigger' must be a positive number of packets, not '0'",
                () -> StreamOptions.parse(Map.of("maxPacketsPerTrigger", "0")));
        assertMessage("'maxBytesPerTrigger' must be a positive size", () -> StreamOptions.parse(Map.of(
                "maxBytesPerTrigger", "lots")));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        CtfException ex = assertThrows(CtfException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }
}

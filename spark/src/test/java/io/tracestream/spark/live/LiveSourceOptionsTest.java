package io.tracestream.spark.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.live.LivePositions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options of {@code format("lttng-live")} and its offsets (no relay needed). */
class LiveSourceOptionsTest {
    @Test
    void parsesOptions() {
        LiveSourceOptions o = LiveSourceOptions.parse(Map.of("url", "net://127.0.0.1:5400/host/h/s",
                "maxPacketsPerTrigger", "8", "events", "a, b"));
        assertEquals(5400, o.url().port());
        assertEquals("s", o.url().sessionName());
        assertEquals(8, o.maxPacketsPerTrigger());
        assertEquals(List.of("a", "b"), o.events());
        assertEquals(Long.MAX_VALUE, LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s")).maxPacketsPerTrigger());
        assertEquals(256L << 20, o.maxBytesPerTrigger());
        assertEquals(1 << 20, LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s", "maxBytesPerTrigger",
                "1048576")).maxBytesPerTrigger());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertTrue(assertThrows(CtfException.class, () -> LiveSourceOptions.parse(Map.of()))
                .getMessage().contains("option 'url' is missing"));
        assertTrue(assertThrows(CtfException.class, () -> LiveSourceOptions.parse(Map.of("url", "net://x")))
                .getMessage().contains("names no session"));
        assertTrue(assertThrows(CtfException.class, () -> LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s",
                "maxPacketsPerTrigger", "0"))).getMessage().contains("'maxpacketspertrigger' must be a positive"));
        assertTrue(assertThrows(CtfException.class, () -> LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s",
                "colour", "red"))).getMessage().contains("unknown option 'colour'"));
        assertTrue(assertThrows(CtfException.class, () -> LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s",
                "maxBytesPerTrigger", "-1"))).getMessage().contains("'maxbytespertrigger' must be a positive"));
    }

    @Test
    void offsetsAreSortedVersionedJson() {
        LiveOffset a = new LiveOffset(LivePositions.of(List.of(new LivePositions.Stream("b/chan0_1", 3, 10, 20, 4096),
                new LivePositions.Stream("a/chan0_0", 2, 5, 15, 8192))));
        LiveOffset b = new LiveOffset(LivePositions.of(List.of(new LivePositions.Stream("a/chan0_0", 2, 5, 15, 8192),
                new LivePositions.Stream("b/chan0_1", 3, 10, 20, 4096))));
        assertEquals(a.json(), b.json());
        assertEquals(a, LiveOffset.parse(a.json()));
        assertEquals(5, a.totalPackets());
        assertEquals(0, a.packets("c"));
        assertTrue(a.json().startsWith("{\"version\":1,"), a.json());
        assertEquals(LiveOffset.UNKNOWN, a.watermark());
        // the event-time progress rides along: parsed back, and an offset without it (older checkpoints) is unknown
        LiveOffset w = new LiveOffset(a.positions(), 1_700_000_000_123_456_789L);
        assertTrue(w.json().endsWith("],\"watermark\":1700000000123456789}"), w.json());
        assertEquals(w, LiveOffset.parse(w.json()));
        assertEquals(1_700_000_000_123_456_789L, LiveOffset.parse(w.json()).watermark());
        assertEquals(5, LiveOffset.parse(w.json()).totalPackets());
        assertTrue(w.samePositions(a) && !w.equals(a));
        assertEquals(20, LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s")).pollInterval().toMillis());
        assertEquals(5, LiveSourceOptions.parse(Map.of("url", "net://x/host/h/s", "pollIntervalMs", "5"))
                .pollInterval().toMillis());
    }
}

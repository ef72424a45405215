package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.TraceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorder without Spark: every event type round-trips through the rings, the CTF writer and both readers. */
class RecorderRoundTripTest {
    @TempDir
    Path out;

    static TraceConfig config(Path out, int bufferBytes) {
        return new TraceConfig(out, true, bufferBytes, 4096, 20, 64, false, "false", "");
    }

    /** Writes one event of type t with values derived from {@code seed}; strings exercise UTF-8, quotes, NUL. */
    static void emitSample(Emitter em, EventType t, int seed) {
        if (!em.begin(t)) {
            throw new AssertionError("recorder not accepting");
        }
        for (int i = 0; i < t.kinds.length; i++) {
            switch (t.kinds[i]) {
                case I32 -> em.i32(seed * 1000 + i);
                case I64 -> em.i64(-(seed * 1_000_000_000L + i));
                case BOOL -> em.bool((seed + i) % 2 == 0);
                case F64 -> em.f64(seed + i / 4.0);
                case STR -> em.str(i % 3 == 0 ? "" : "é\"" + t.fieldNames[i] + "\0" + seed);
                case LOCALITY -> em.locality(SparkEvents.LOCALITIES.get(seed % SparkEvents.LOCALITIES.size()));
                case I32_SEQ -> {
                    em.count(seed % 3);
                    for (int k = 0; k < seed % 3; k++) {
                        em.i32(k - 1);
                    }
                }
                case KV_SEQ -> {
                    em.count(2);
                    em.str("k" + seed).i64(seed).str("").i64(-1);
                }
            }
        }
        em.end();
    }

    @Test
    void everyEventTypeReadsBackIdenticallyInBothReaders() throws Exception {
        Recorder r = Recorder.acquire(config(out, 1 << 16), "driver", "driver");
        r.identify("app-20260101000000-0001", "round trip");
        List<EventType> types = SparkEvents.ALL;
        for (int seed = 0; seed < 5; seed++) {
            for (EventType t : types) {
                emitSample(r.emitter(), t, seed);
            }
        }
        // a second thread gets its own stream
        Thread other = new Thread(() -> emitSample(r.emitter(), SparkEvents.TASK_THREAD_START, 9), "other");
        other.start();
        other.join();
        // a string longer than the limit (64 chars in this configuration) is cut
        Emitter em = r.emitter();
        em.begin(SparkEvents.EXECUTOR_REMOVED);
        em.str("x".repeat(1000)).str("why").i64(1).end();
        r.release();

        Path dir = r.traceDirectory();
        assertNotNull(dir);
        assertEquals(out.toAbsolutePath().resolve("app-20260101000000-0001"), dir.getParent());
        List<EventRecord> events = TraceChecks.events(dir);
        // process_start (constructor) + samples + other thread + long string + process_end
        assertEquals(1 + 5 * types.size() + 1 + 1 + 1, events.size());
        TraceChecks.assertSameAsBabeltrace(dir);

        EventRecord gc = TraceChecks.named(events, "jvm:gc").get(2);
        assertEquals("", gc.getString("collector"));
        assertEquals("é\"action 2", gc.getString("action"));
        assertEquals(-(2 * 1_000_000_000L + 3), gc.getLong("gc_id"));
        EventRecord removed = TraceChecks.named(events, "spark:executor_removed").get(5);
        assertEquals("x".repeat(64) + "...[truncated]", removed.getString("executor_id"));
        EventRecord start = TraceChecks.named(events, "spark:task_start").get(3);
        assertEquals(SparkEvents.LOCALITIES.indexOf("RACK_LOCAL"), start.getLong("locality"));

        // clock: LTTng's monotonic clock, its offset = real time - monotonic time
        try (TraceSet ts = TraceSet.open(dir)) {
            ClockClass c = ts.traces().get(0).traceClass().clocks().get("monotonic");
            assertNotNull(c);
            assertEquals(1_000_000_000L, c.frequency());
            assertEquals(Os.bootId(), c.uuid());
            long offset = c.offsetSeconds() * 1_000_000_000L + c.offsetCycles();
            long expected = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            assertTrue(Math.abs(offset - expected) < 1_000_000_000L, "offset " + offset + " vs " + expected);
        }
        // the thread's tid is in every packet context of its stream
        assertTrue(events.stream().allMatch(e -> e.packet() != null));
    }

    @Test
    void fullRingDropsAndTheTraceCountsDiscardedEvents() throws Exception {
        // 4 KiB ring; the flusher cannot drain before the identity is known, so the ring fills up
        Recorder r = Recorder.acquire(config(out, 4096), "executor", "3");
        CountDownLatch done = new CountDownLatch(1);
        int emitted = 500;
        Thread t = new Thread(() -> {
            for (int i = 0; i < emitted; i++) {
                emitSample(r.emitter(), SparkEvents.TASK_THREAD_END, i);
            }
            done.countDown();
        });
        t.start();
        done.await();
        r.identify("app-x", "x");
        r.release();
        List<Long> discarded = new ArrayList<>();
        int[] count = new int[1];
        try (TraceSet ts = TraceSet.open(r.traceDirectory())) {
            ts.onEvent("spark:task_thread_end", e -> count[0]++).onDiscarded(d -> discarded.add(d.count())).run();
        }
        assertTrue(count[0] > 0 && count[0] < emitted, "kept " + count[0]);
        assertEquals(emitted - count[0], discarded.stream().mapToLong(Long::longValue).sum());
        assertTrue(r.traceDirectory().getFileName().toString().startsWith("executor-3-"));
    }
}

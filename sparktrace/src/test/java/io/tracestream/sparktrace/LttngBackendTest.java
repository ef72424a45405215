package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LTTng backend with a real session: the events the recorder writes to its own trace also arrive, through the
 * LTTng-UST JUL agent, in the LTTng session's trace; both traces merge (same monotonic clock, same boot id).
 */
class LttngBackendTest {
    @TempDir
    Path tmp;

    @Test
    void eventsLandInTheLttngSessionToo() {
        Assumptions.assumeTrue(Lttng.isInstalled(), "lttng-tools not installed");
        for (String jar : TraceConfig.DEFAULT_LTTNG_JARS.split(":")) {
            Assumptions.assumeTrue(Files.isRegularFile(Path.of(jar)), "LTTng Java agent not installed: " + jar);
        }
        Path lttngOut = tmp.resolve("lttng");
        Path own = tmp.resolve("own");
        Recorder r;
        try (Lttng.Session s = Lttng.createSession(lttngOut)) {
            Exec.of("lttng", "enable-event", "-j", "-s", s.name(), "spark:*").run().requireSuccess();
            s.start();
            r = Recorder.acquire(new TraceConfig(own, true, 1 << 16, 4096, 20, 4096, false, "true",
                    TraceConfig.DEFAULT_LTTNG_JARS), "driver", "driver");
            assertNotNull(r.lttng(), "backend did not start");
            r.identify("app-lttng-1", "lttng");
            for (int seed = 0; seed < 3; seed++) {
                RecorderRoundTripTest.emitSample(r.emitter(), SparkEvents.TASK_START, seed);
                RecorderRoundTripTest.emitSample(r.emitter(), SparkEvents.TASK_END, seed);
            }
            RecorderRoundTripTest.emitSample(r.emitter(), SparkEvents.STREAMING_QUERY_PROGRESS, 1);
            r.release();
            s.stop();
        }
        List<EventRecord> jul = TraceChecks.events(lttngOut);
        Map<String, Integer> byLogger = new TreeMap<>();
        for (EventRecord e : jul) {
            assertEquals("lttng_jul:event", e.name());
            byLogger.merge(e.getString("logger_name"), 1, Integer::sum);
        }
        assertEquals(Map.of("spark:task_start", 3, "spark:task_end", 3, "spark:streaming_query_progress", 1),
                byLogger);
        EventRecord first = jul.get(0);
        assertTrue(first.getString("msg").startsWith("task_id=0 stage_id="), first.getString("msg"));
        EventRecord progress = jul.stream().filter(e -> e.getString("logger_name").endsWith("progress")).findFirst()
                .orElseThrow();
        assertTrue(progress.getString("msg").contains("duration_ms=[key=\"k1\", value=1, key=\"\", value=-1]"),
                progress.getString("msg"));

        // Our trace and LTTng's merge: babeltrace2 correlates the clocks (same name, same boot id uuid).
        Path ownTrace = r.traceDirectory();
        List<EventRecord> merged = TraceChecks.events(ownTrace, lttngOut);
        assertEquals(jul.size() + TraceChecks.events(ownTrace).size(), merged.size());
        if (Babeltrace.isInstalled()) {
            String text = Babeltrace.command(ownTrace.toString(), lttngOut.toString()).run().requireSuccess()
                    .stdout();
            // each JUL event right after (or at) our own event of the same name
            int ours = text.indexOf("spark:task_start:");
            int theirs = text.indexOf("logger_name = \"spark:task_start\"");
            assertTrue(ours >= 0 && theirs > ours, "merged order");
        }
    }
}

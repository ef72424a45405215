package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import io.tracestream.spark.cluster.SparkCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin on a real standalone cluster (Master, Worker, driver and executor in separate JVMs; the plugin shipped
 * with {@code spark.jars}): one trace per process, the executor's tasks recorded by its own threads, and driver and
 * executor traces that read merged, identically in TraceStream and babeltrace2.
 */
class ClusterTraceTest {
    @TempDir
    Path out;

    @Test
    void driverAndExecutorEachRecordTheirTrace() throws Exception {
        SparkCluster cluster = SparkCluster.get();
        List<String> rows;
        try (SparkCluster.Driver d = cluster.startDriver("traced", Map.of(
                "spark.plugins", TracePlugin.class.getName(),
                "spark.tracestream.output", out.toAbsolutePath().toString(),
                "spark.tracestream.lttng", "false"), List.of())) {
            rows = d.sql("SELECT k, count(*) AS c FROM (SELECT id % 5 AS k FROM range(0, 200000, 1, 4)) "
                    + "GROUP BY k ORDER BY k");
        }
        assertEquals(5, rows.size());
        List<Path> traces = awaitTraces(2, Duration.ofSeconds(90));
        Path driver = traces.stream().filter(p -> p.getFileName().toString().startsWith("driver-")).findFirst()
                .orElseThrow();
        Path executor = traces.stream().filter(p -> p.getFileName().toString().startsWith("executor-"))
                .findFirst().orElseThrow();
        assertEquals(driver.getParent(), executor.getParent(), "one application directory");

        List<EventRecord> de = TraceChecks.events(driver);
        List<EventRecord> ee = TraceChecks.events(executor);
        // the driver saw the tasks end; the executor's threads ran exactly those tasks
        Set<Long> ended = TraceChecks.named(de, "spark:task_end").stream().map(e -> e.getLong("task_id"))
                .collect(Collectors.toSet());
        Set<Long> ran = TraceChecks.named(ee, "spark:task_thread_start").stream().map(e -> e.getLong("task_id"))
                .collect(Collectors.toSet());
        assertFalse(ended.isEmpty());
        assertEquals(ended, ran);
        String executorId = TraceChecks.named(de, "spark:task_end").get(0).getString("executor_id");
        assertTrue(executor.getFileName().toString().startsWith("executor-" + executorId + "-"));
        long driverPid = TraceChecks.named(de, "tracestream:process_start").get(0).getLong("pid");
        for (EventRecord e : TraceChecks.named(ee, "spark:task_thread_start")) {
            assertNotEquals(driverPid, e.getLong("pid"));
            assertTrue(executor.getFileName().toString().endsWith("-" + e.getLong("pid")));
            assertTrue(e.getLong("tid") > 0 && e.getLong("tid") != e.getLong("pid"));
        }
        assertTrue(TraceChecks.named(de, "spark:task_thread_start").isEmpty(), "the driver runs no task");
        assertEquals(1, TraceChecks.named(de, "spark:executor_added").size());
        assertEquals(1, TraceChecks.named(ee, "tracestream:process_end").size(), "executor trace closed cleanly");
        // both traces together, in time order, in both readers
        TraceChecks.assertSameAsBabeltrace(driver, executor);
    }

    /** Waits until {@code n} traces are closed (their last event written) or the timeout passes. */
    private List<Path> awaitTraces(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> traces = List.of();
        while (System.nanoTime() < deadline) {
            traces = TraceChecks.traceDirs(out);
            if (traces.size() >= n && traces.stream().allMatch(ClusterTraceTest::closed)) {
                return traces;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("traces not complete after " + timeout + ": " + traces);
    }

    /** A trace is complete once every stream file has its index (written when the stream is closed). */
    private static boolean closed(Path trace) {
        try (var files = java.nio.file.Files.list(trace)) {
            List<Path> streams = files.filter(f -> f.getFileName().toString().startsWith(SparkEvents.STREAM + "_"))
                    .toList();
            return !streams.isEmpty() && streams.stream().allMatch(f -> java.nio.file.Files.exists(
                    trace.resolve("index").resolve(f.getFileName() + ".idx")));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

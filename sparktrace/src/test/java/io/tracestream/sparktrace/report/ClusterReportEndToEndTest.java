package io.tracestream.sparktrace.report;

import io.tracestream.ftrace.KernelRecorder;
import io.tracestream.spark.cluster.SparkCluster;
import io.tracestream.sparktrace.TraceChecks;
import io.tracestream.sparktrace.report.SparkApp.Task;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the standalone cluster ({@link SparkCluster}: Master, Worker and executor JVMs on 127.0.0.1; this JVM
 * is the driver): {@code demo spark --master spark://...} recorded with the plugin (shipped to the executor with
 * {@code spark.jars}) and the ftrace kernel recorder, then the same report assertions as in local mode — straggler
 * named, skewed stage flagged, I/O stage blocked on I/O — with the executor's task threads found in the kernel trace,
 * and driver, executor and kernel traces read identically by {@code tracestream print} and babeltrace2.
 */
class ClusterReportEndToEndTest {
    @Test
    void demoOnTheStandaloneCluster() throws Exception {
        Path root = Files.createTempDirectory("sparkreport-cluster");
        try {
            SparkCluster cluster = SparkCluster.get();
            String kernelSkipReason = KernelRecorder.unavailableReason();
            SparkReportEndToEndTest.recordDemo(root, "--master", cluster.masterUrl(), "--plugin-jar",
                    cluster.connectorJar().toString());
            SparkReport report = SparkReport.of(root);
            SparkApp app = report.app();

            // a driver trace (this JVM) and an executor trace (the executor JVM), closed cleanly
            assertEquals(2, app.sparkTraces().size(), app.sparkTraces().toString());
            assertEquals(List.of(), app.warnings());
            assertEquals(8 + 8 + 8 + 4, app.tasks().size());
            long driverPid = ProcessHandle.current().pid();
            Set<Long> pids = app.tasks().stream().map(t -> t.pid).collect(Collectors.toSet());
            assertEquals(1, pids.size(), "one executor ran every task: " + pids);
            assertNotEquals(driverPid, pids.iterator().next());
            for (Task t : app.tasks()) {
                assertTrue(t.threadInterval && t.tid > 0 && t.tid != t.pid, "task " + t.id + ": thread and TID");
                assertNotEquals("driver", t.executorId);
            }
            SparkReportEndToEndTest.assertStragglerAndSkew(report);

            if (kernelSkipReason == null) {
                // the executor's task threads are in the kernel trace (same host, same PID namespace)
                for (Task t : app.tasks()) {
                    KernelBreakdown.Times k = report.kernel().of(t);
                    assertNotNull(k, "kernel data for task " + t.id + " (tid " + t.tid + ")");
                    assertTrue(k.unknown() < k.total() / 2, "task " + t.id + ": " + k);
                }
                SparkReportEndToEndTest.assertIoStageBlockedOnIo(report);
            } else {
                System.err.println("ClusterReportEndToEndTest: kernel part skipped: " + kernelSkipReason);
            }
            // driver, executor and kernel traces merged, identically in both readers
            TraceChecks.assertSameAsBabeltraceStreaming(root, SparkReportEndToEndTest.recordedTraces(root));
        } finally {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

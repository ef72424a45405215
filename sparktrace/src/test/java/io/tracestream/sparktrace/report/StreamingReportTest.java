package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.TracePlugin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A traced Structured Streaming query: the report shows each micro-batch as Spark reported it. */
class StreamingReportTest {
    @TempDir
    Path tmp;

    @Test
    void microBatchesWithTheirLatencyBreakdown() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("in"));
        for (int f = 0; f < 3; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 40 * (f + 1); i++) {
                sb.append("{\"k\":\"k").append(i % 5).append("\",\"v\":").append(i).append("}\n");
            }
            Files.writeString(input.resolve("part-" + f + ".json"), sb);
        }
        Path out = tmp.resolve("traces");
        StreamingQueryProgress[] progress;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("sparkreport-streaming")
                .config("spark.plugins", TracePlugin.class.getName())
                .config("spark.tracestream.output", out.toString()).config("spark.tracestream.lttng", "false")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            Dataset<Row> in = spark.readStream().schema(new StructType().add("k", "string").add("v", "long"))
                    .option("maxFilesPerTrigger", 1).json(input.toString());
            StreamingQuery q = in.groupBy("k").count().writeStream().format("memory").queryName("counts")
                    .outputMode("complete").option("checkpointLocation", tmp.resolve("cp").toString())
                    .trigger(Trigger.AvailableNow()).start();
            q.awaitTermination();
            progress = q.recentProgress();
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        assertTrue(progress.length >= 3, "batches: " + progress.length);

        SparkReport r = SparkReport.of(out);
        List<SparkApp.Batch> batches = r.app().batches().stream()
                .sorted(Comparator.comparingLong(SparkApp.Batch::batchId)).toList();
        assertEquals(progress.length, batches.size());
        for (int i = 0; i < progress.length; i++) {
            StreamingQueryProgress p = progress[i];
            SparkApp.Batch b = batches.get(i);
            assertEquals(p.batchId(), b.batchId());
            assertEquals("counts", b.name());
            assertEquals(p.numInputRows(), b.inputRows());
            assertEquals(p.batchDuration(), b.durationMs());
            assertEquals(p.inputRowsPerSecond(), b.inputRate());
            assertEquals(p.processedRowsPerSecond(), b.processedRate());
            assertEquals(new TreeMap<>(p.durationMs()), new TreeMap<>(b.durations()), "latency breakdown");
        }
        assertEquals(40 + 80 + 120, batches.stream().mapToLong(SparkApp.Batch::inputRows).sum());
        String text = r.text();
        assertTrue(text.contains("Streaming micro-batches") && text.contains("addBatch="), text);
        String json = LamiReport.json(r);
        assertTrue(json.contains("\"spark-micro-batches\""), json);
        String html = HtmlReport.render(r);
        assertTrue(html.contains("\"parts\":{") && html.contains("\"addBatch\":"), "batches in the page's data");
    }
}

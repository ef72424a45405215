package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Structured Streaming query with state and a watermark: every micro-batch's progress is in the trace. */
class StreamingTraceTest {
    @TempDir
    Path tmp;

    @Test
    void everyMicroBatchIsRecordedAsSparkReportsIt() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("in"));
        for (int f = 0; f < 3; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                sb.append("{\"ts\":\"2026-01-01T00:00:").append(String.format("%02d", f * 10 + i % 10))
                        .append("Z\",\"k\":\"k").append(i % 4).append("\",\"v\":").append(i).append("}\n");
            }
            Files.writeString(input.resolve("part-" + f + ".json"), sb);
        }
        Path out = tmp.resolve("traces");
        StreamingQueryProgress[] progress;
        StreamingQuery q;
        SparkSession spark = LocalModeTraceTest.session("sparktrace-streaming", out).getOrCreate();
        try {
            StructType schema = new StructType().add("ts", "timestamp").add("k", "string").add("v", "long");
            Dataset<Row> in = spark.readStream().schema(schema).option("maxFilesPerTrigger", 1)
                    .json(input.toString());
            q = in.withWatermark("ts", "5 seconds").groupBy(window(col("ts"), "5 seconds"), col("k")).count()
                    .writeStream().format("memory").queryName("counts").outputMode("update")
                    .option("checkpointLocation", tmp.resolve("checkpoint").toString())
                    .trigger(Trigger.AvailableNow()).start();
            q.awaitTermination();
            progress = q.recentProgress();
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        assertTrue(progress.length >= 3, "batches: " + progress.length);

        List<Path> traces = TraceChecks.traceDirs(out);
        assertEquals(1, traces.size());
        List<EventRecord> events = TraceChecks.events(traces.get(0));
        TraceChecks.assertSameAsBabeltrace(traces.get(0));

        Map<Long, EventRecord> traced = new TreeMap<>();
        for (EventRecord e : TraceChecks.named(events, "spark:streaming_query_progress")) {
            traced.put(e.getLong("batch_id"), e);
        }
        assertEquals(progress.length, traced.size());
        for (StreamingQueryProgress p : progress) {
            EventRecord e = traced.get(p.batchId());
            assertEquals(p.runId().toString(), e.getString("run_id"));
            assertEquals(p.numInputRows(), e.getLong("num_input_rows"));
            assertEquals(p.inputRowsPerSecond(), e.getDouble("input_rows_per_second"));
            assertEquals(p.processedRowsPerSecond(), e.getDouble("processed_rows_per_second"));
            assertEquals(p.eventTime().getOrDefault("watermark", ""), e.getString("watermark"));
            assertEquals(p.batchDuration(), e.getLong("batch_duration_ms"));
            assertEquals(new TreeMap<>(p.durationMs()), kv(e.get("duration_ms")));
            assertEquals(p.stateOperators().length, e.getLong("num_state_operators"));
            assertEquals(p.sources().length, e.getLong("num_sources"));
            // the state operator of this batch
            StateOperatorProgress op = p.stateOperators()[0];
            EventRecord s = TraceChecks.named(events, "spark:streaming_state_operator").stream()
                    .filter(x -> x.getLong("batch_id") == p.batchId()).findFirst().orElseThrow();
            assertEquals(op.operatorName(), s.getString("operator_name"));
            assertEquals(op.numRowsTotal(), s.getLong("num_rows_total"));
            assertEquals(op.numRowsUpdated(), s.getLong("num_rows_updated"));
            assertEquals(op.numRowsDroppedByWatermark(), s.getLong("num_rows_dropped_by_watermark"));
            assertEquals(new TreeMap<>(op.customMetrics()), kv(s.get("custom_metrics")));
            EventRecord src = TraceChecks.named(events, "spark:streaming_source_progress").stream()
                    .filter(x -> x.getLong("batch_id") == p.batchId()).findFirst().orElseThrow();
            assertEquals(p.sources()[0].endOffset(), src.getString("end_offset"));
        }
        // the batches that read a file read its 50 rows; the watermark moved
        assertEquals(150, traced.values().stream().mapToLong(e -> e.getLong("num_input_rows")).sum());
        assertTrue(traced.values().stream().anyMatch(e -> !e.getString("watermark").equals("1970-01-01T00:00:00.000Z")));
        assertEquals(1, TraceChecks.named(events, "spark:streaming_query_start").size());
        assertEquals(1, TraceChecks.named(events, "spark:streaming_query_terminated").size());
        assertFalse(TraceChecks.named(events, "spark:task_thread_start").isEmpty());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> kv(Object seq) {
        Map<String, Long> m = new TreeMap<>();
        for (Object o : (List<Object>) seq) {
            Map<String, Object> entry = (Map<String, Object>) o;
            m.put((String) entry.get("key"), ((Number) entry.get("value")).longValue());
        }
        return m;
    }
}

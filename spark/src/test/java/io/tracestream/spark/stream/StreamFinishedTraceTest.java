package io.tracestream.spark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SampleTraces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished trace (2 stream classes, 4 streams) streamed with {@code Trigger.AvailableNow} and a byte limit per
 * micro-batch: several batches, together exactly the rows of the batch read.
 */
class StreamFinishedTraceTest {
    private static final String COLUMNS = "name, ts, cycles, cpu, stream_id, stream_class_id, packet_seq, event_id, "
            + "stream_file, to_json(context) AS context, to_json(payload) AS payload";

    @TempDir
    Path tmp;

    @Test
    void availableNowWithAByteLimitReadsEverythingOnceInSeveralBatches() throws Exception {
        SparkSession spark = StreamTestSpark.get();
        String trace = SampleTraces.sampleUst().toString();
        StreamingQuery q = spark.readStream().format("ctf").option("maxBytesPerTrigger", "100k").load(trace)
                .selectExpr(COLUMNS.split(", (?![^(]*\\))")).writeStream().format("memory").queryName("sample_stream")
                .option("checkpointLocation", tmp.resolve("cp").toString()).trigger(Trigger.AvailableNow()).start();
        q.awaitTermination();
        assertTrue(q.exception().isEmpty(), () -> "the query failed: " + q.exception().get());
        int batches = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            if (p.numInputRows() > 0) {
                batches++;
            }
        }
        assertTrue(batches > 2, "several micro-batches: " + batches);
        List<String> streamed = rows(spark.sql("SELECT * FROM sample_stream").collectAsList());
        List<String> batch = rows(spark.read().format("ctf").load(trace).selectExpr(COLUMNS.split(", (?![^(]*\\))"))
                .collectAsList());
        assertEquals(3842, batch.size());
        assertEquals(batch.size(), streamed.size(), "rows: batch / streamed");
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(batch.get(i), streamed.get(i), "row " + i);
        }
    }

    private static List<String> rows(List<Row> rows) {
        List<String> l = new ArrayList<>();
        for (Row r : rows) {
            l.add(r.toString());
        }
        Collections.sort(l);
        return l;
    }
}

package io.tracestream.spark.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.spark.SortedRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark.readStream.format("lttng-live")} against a real lttng-sessiond and lttng-relayd on 127.0.0.1 (free
 * ports) while the UST probe records: a {@code maxPacketsPerTrigger=4} query writing parquet is stopped mid-session,
 * its last batch is made uncommitted (as after a crash between the offset log and the sink), and it is restarted from
 * its checkpoint (so that batch is fetched from the relay again); once the session is destroyed the sink holds exactly the rows that
 * {@code spark.read.format("ctf")} reads from the relay's on-disk copy, and per event name the counts babeltrace2
 * prints for that copy (nothing lost, nothing twice); every micro-batch stayed within the limit; and the rows'
 * {@code watermark_ts} held: no event of a stream in a later packet than a batch's is older than that batch's value.
 */
class LiveSourceRelayTest {
    /** All columns but the trace name and stream file (the live source names the relay's stream; the copy, a file). */
    private static final String[] COLUMNS = {"name", "ts", "time", "cycles", "cpu", "trace", "host", "stream_id",
        "stream_class_id", "packet_seq", "event_id", "to_json(context) AS context", "to_json(payload) AS payload"};
    private static final int MAX_PACKETS = 4;

    @TempDir
    Path tmp;

    private static SparkSession spark() {
        SparkSession s = SparkSession.builder().master("local[2]").appName("tracestream-spark-tests")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC").getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    private static StreamingQuery start(SparkSession spark, String url, Path sink, Path checkpoint) throws Exception {
        Dataset<Row> events = spark.readStream().format("lttng-live").option("url", url)
                .option("maxPacketsPerTrigger", MAX_PACKETS).load();
        String[] columns = Arrays.copyOf(COLUMNS, COLUMNS.length + 1);
        columns[COLUMNS.length] = "watermark_ts";
        return events.selectExpr(columns).writeStream().format("parquet")
                .option("path", sink.toString()).option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.ProcessingTime(100, TimeUnit.MILLISECONDS)).start();
    }

    @Test
    void streamsALiveSessionExactlyOnceAcrossARestart() throws Exception {
        Lttng.require();
        Babeltrace.require();
        SparkSession spark = spark();
        Path sink = tmp.resolve("sink");
        Path checkpoint = tmp.resolve("checkpoint");
        long emitted = 0;
        Path copy;
        try (TestRelay relay = new TestRelay(tmp.resolve("relay"))) {
            relay.createSession(100_000);
            emitted += relay.runProbe(300, 2); // the schema comes from the metadata: an application registered

            StreamingQuery q = start(spark, relay.url(), sink, checkpoint);
            emitted += relay.runProbe(600, 2);
            awaitBatches(q, 3);
            q.stop(); // maybe in the middle of a batch: the restart plans it again from the offset log
            assertTrue(q.exception().isEmpty(), () -> "the query failed: " + q.exception().get());
            forgetLastBatch(checkpoint, sink);

            emitted += relay.runProbe(600, 2);
            StreamingQuery q2 = start(spark, relay.url(), sink, checkpoint);
            emitted += relay.runProbe(600, 2);
            awaitBatches(q2, 1); // attached again (a session destroyed before the restart attaches is an error)
            relay.destroy(); // the live session ends once the relay delivered everything
            awaitSessionEnd(q2);
            q2.processAllAvailable();
            q2.stop();
            assertTrue(q2.exception().isEmpty(), () -> "the query failed: " + q2.exception().get());
            copy = relay.onDisk();
        }

        List<String> streamed = SortedRows.of(spark.read().parquet(sink.toString()).drop("watermark_ts"));
        List<String> batch = SortedRows.of(spark.read().format("ctf").load(copy.toString()).selectExpr(COLUMNS));
        // other processes of this user that load the probe while the session runs are recorded too (per-user buffers)
        assertTrue(batch.size() >= emitted, "the relay's copy has the " + emitted + " events of our probe runs");
        assertEquals(SortedRows.babeltraceCounts(copy), SortedRows.countsByName(batch),
                "per event name: babeltrace2 / batch read of the relay's copy");
        assertEquals(SortedRows.countsByName(batch), SortedRows.countsByName(streamed), "per event name: copy / live stream");
        SortedRows.assertSame("copy", batch, "live stream", streamed);
        assertBatchesWithinLimit(checkpoint);
        assertProgressHeld(spark, sink);
    }

    /**
     * {@code watermark_ts} is a lower bound of the later events: per batch (its value) and stream, every row of that
     * stream in a later packet than the batch's last is at or after it (checked for the streams the batch has rows of).
     */
    private static void assertProgressHeld(SparkSession spark, Path sink) {
        spark.read().parquet(sink.toString()).createOrReplaceTempView("live_rows");
        try {
            Row r = spark.sql("WITH m AS (SELECT watermark_ts AS w, trace, stream_id, max(packet_seq) AS seq "
                    + "FROM live_rows WHERE watermark_ts IS NOT NULL GROUP BY 1, 2, 3) "
                    + "SELECT count(*), count_if(r.ts < m.w), count(DISTINCT m.w), "
                    + "(SELECT count_if(watermark_ts IS NULL) FROM live_rows) "
                    + "FROM live_rows r JOIN m ON r.trace = m.trace AND r.stream_id = m.stream_id "
                    + "AND r.packet_seq > m.seq").first();
            assertTrue(r.getLong(0) > 0 && r.getLong(2) > 2, "rows after batches with a progress: " + r);
            assertEquals(0L, r.getLong(1), "rows older than the progress of an earlier batch: " + r);
            assertEquals(0L, r.getLong(3), "rows without a progress: " + r);
        } finally {
            spark.catalog().dropTempView("live_rows");
        }
    }

    /**
     * As if the query had died after writing its last batch's offsets but before the sink and the commit log took
     * it: the restarted query must plan that batch again, fetching its packets from the relay once more.
     */
    private static void forgetLastBatch(Path checkpoint, Path sink) throws IOException {
        long last = -1;
        try (Stream<Path> s = Files.list(checkpoint.resolve("commits"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().matches("\\d+")) {
                    last = Math.max(last, Long.parseLong(p.getFileName().toString()));
                }
            }
        }
        assertTrue(last >= 0, "the first query committed batches");
        Path meta = sink.resolve("_spark_metadata");
        if (Files.exists(checkpoint.resolve("offsets").resolve(Long.toString(last + 1)))
                || Files.exists(meta.resolve(last + ".compact"))) {
            // stopped in the middle of a batch (the restart plans that one again anyway), or a compacted sink log
            // that lists the earlier batches too (keep it)
            return;
        }
        for (Path p : List.of(checkpoint.resolve("commits").resolve(Long.toString(last)),
                checkpoint.resolve("commits").resolve("." + last + ".crc"), meta.resolve(Long.toString(last)),
                meta.resolve("." + last + ".crc"))) {
            Files.deleteIfExists(p);
        }
    }

    private static void awaitBatches(StreamingQuery q, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (dataBatches(q) < n && q.exception().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(dataBatches(q) >= n, "the query ran micro-batches while the session recorded");
    }

    private static int dataBatches(StreamingQuery q) {
        int n = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            if (p.numInputRows() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Waits until the source reports that the live session ended (it was destroyed and read to its end). */
    private static void awaitSessionEnd(StreamingQuery q) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && q.exception().isEmpty()) {
            StreamingQueryProgress p = q.lastProgress();
            if (p != null) {
                for (SourceProgress s : p.sources()) {
                    if ("true".equals(s.metrics().get("sessionEnded"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the live session did not end: " + q.lastProgress()
                + (q.exception().isDefined() ? " " + q.exception().get() : ""));
    }

    /** Each micro-batch of the offset log advanced by at most maxPacketsPerTrigger packets. */
    private static void assertBatchesWithinLimit(Path checkpoint) throws IOException {
        List<Path> logs;
        try (Stream<Path> s = Files.list(checkpoint.resolve("offsets"))) {
            logs = s.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
                            Long.parseLong(b.getFileName().toString()))).toList();
        }
        assertTrue(logs.size() > 3, "several micro-batches: " + logs.size());
        long previous = 0;
        for (Path p : logs) {
            List<String> lines = Files.readAllLines(p);
            long n = LiveOffset.parse(lines.get(lines.size() - 1)).totalPackets();
            assertTrue(n >= previous && n - previous <= MAX_PACKETS, "batch " + p.getFileName() + " read "
                    + (n - previous) + " packets");
            previous = n;
        }
    }
}

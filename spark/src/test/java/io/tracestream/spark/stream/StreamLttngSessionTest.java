package io.tracestream.spark.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.follow.TraceFollower;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.Lttng;
import io.tracestream.ctf.testing.UstProbe;
import io.tracestream.spark.SortedRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark.readStream.format("ctf")} over a real LTTng session while a UST program records into it (periodic
 * flushes, manual and periodic rotations), with a small {@code maxPacketsPerTrigger}, stopped and restarted from its
 * checkpoint in the middle: the parquet sink ends up with exactly the events babeltrace2 reads from the finished
 * trace (per-event-name counts) and exactly the rows a batch read of the finished trace gives (no loss, no
 * duplicates).
 */
class StreamLttngSessionTest {
    /** The columns compared: everything but the trace name and stream file (a streamed row names the file where
     * it was read, which LTTng may have moved to archives/ since). */
    private static final String[] COLUMNS = {"name", "ts", "cycles", "cpu", "host", "stream_id", "stream_class_id",
        "packet_seq", "event_id", "to_json(context) AS context", "to_json(payload) AS payload"};
    private static final int MAX_PACKETS = 4;

    @TempDir
    Path tmp;

    private static void lttng(String... args) {
        List<String> command = new ArrayList<>(List.of("lttng"));
        command.addAll(List.of(args));
        Exec.of(command).timeout(Duration.ofSeconds(60)).run().requireSuccess();
    }

    private static long runProbe(Lttng.Session s, int events) {
        return Long.parseLong(s.run(List.of(UstProbe.binary().toString(), "-n", Integer.toString(events), "-t", "2"),
                Map.of("LTTNG_UST_ALLOW_BLOCKING", "1")).requireSuccess().stdout().trim());
    }

    private StreamingQuery start(SparkSession spark, Path session, Path sink, Path checkpoint) throws Exception {
        Dataset<Row> events = spark.readStream().format("ctf").option("maxPacketsPerTrigger", MAX_PACKETS)
                .load(session.toString());
        return events.selectExpr(COLUMNS).writeStream().format("parquet")
                .option("path", sink.toString()).option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.ProcessingTime(100, TimeUnit.MILLISECONDS)).start();
    }

    @Test
    void streamsARecordingSessionExactlyOnceAcrossARestart() throws Exception {
        Lttng.require();
        Babeltrace.require();
        SparkSession spark = StreamTestSpark.get();
        Path out = tmp.resolve("session");
        Path sink = tmp.resolve("sink");
        Path checkpoint = tmp.resolve("checkpoint");
        long emitted = 0;
        try (Lttng.Session s = Lttng.createSession(out)) {
            Lttng.Channel chan = new Lttng.Channel("chan0", 16384, 4, true);
            lttng("enable-channel", "-u", "-s", s.name(), "--subbuf-size=16384", "--num-subbuf=4",
                    "--switch-timer=50000", "--blocking-timeout=inf", chan.name());
            s.enableEvents(chan, UstProbe.EVENTS.toArray(String[]::new));
            s.addContexts(chan, Lttng.DEFAULT_CONTEXTS);
            s.start();
            emitted += runProbe(s, 600);
            awaitTrace(out);

            StreamingQuery q = start(spark, out, sink, checkpoint);
            emitted += runProbe(s, 600);
            lttng("rotate", s.name());
            emitted += runProbe(s, 600);
            awaitBatches(q, 3);
            q.stop(); // maybe in the middle of a batch: the restart plans it again from the offset log

            emitted += runProbe(s, 600);
            q = start(spark, out, sink, checkpoint);
            lttng("enable-rotation", "-s", s.name(), "--timer=300ms");
            emitted += runProbe(s, 1000);
            s.stop();
            assertEquals(0, s.discardedEvents());
            s.close();
            q.processAllAvailable();
            q.stop();
            StreamingQuery done = q;
            assertTrue(done.exception().isEmpty(), () -> "the query failed: " + done.exception().get());
        }

        List<String> streamed = SortedRows.of(spark.read().parquet(sink.toString()));
        List<String> batch = SortedRows.of(spark.read().format("ctf").load(out.toString()).selectExpr(COLUMNS));
        assertEquals(emitted, batch.size(), "the batch read of the finished trace");
        assertEquals(SortedRows.babeltraceCounts(out), SortedRows.countsByName(batch), "per event name: babeltrace2 / batch");
        SortedRows.assertSame("batch read of the finished trace", batch, "streamed", streamed);
        assertBatchesWithinLimit(checkpoint);
    }

    /** Waits until the session has written a trace's metadata (the source takes its schema from it). */
    private static void awaitTrace(Path out) throws InterruptedException {
        TraceFollower f = new TraceFollower(out);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (f.traces().isEmpty() && System.nanoTime() < deadline) {
            f.poll();
            Thread.sleep(20);
        }
        assertTrue(!f.traces().isEmpty(), "the session wrote a trace");
    }

    private static void awaitBatches(StreamingQuery q, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (q.recentProgress().length < n && q.exception().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(q.recentProgress().length >= n, "the query ran micro-batches while the session recorded");
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
            StreamOffset o = StreamOffset.parse(lines.get(lines.size() - 1));
            long n = o.totalPackets();
            assertTrue(n > previous && n - previous <= MAX_PACKETS, "batch " + p.getFileName() + " read "
                    + (n - previous) + " packets");
            previous = n;
        }
    }
}

package io.tracestream.spark.stream;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Throughput of the streaming source (run by {@code bench/spark-stream.sh}): streams a finished trace with
 * {@code Trigger.AvailableNow} into the {@code noop} sink and prints one line,
 * {@code events=N batches=B seconds=S events_per_s=R}. Args: TRACE [maxPacketsPerTrigger | batch] [master];
 * {@code batch}: the batch read of the same trace into the {@code noop} sink, for comparison.
 */
public final class StreamBench {
    private StreamBench() {
    }

    public static void main(String[] args) throws Exception {
        String trace = args[0];
        String maxPackets = args.length > 1 ? args[1] : "0";
        String master = args.length > 2 ? args[2] : "local[*]";
        SparkSession spark = SparkSession.builder().master(master).appName("tracestream-stream-bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.streaming.numRecentProgressUpdates", "1000000")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        if (maxPackets.equals("batch")) {
            long t0 = System.nanoTime();
            spark.read().format("ctf").load(trace).write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long events = spark.read().format("ctf").load(trace).count(); // not timed
            System.out.printf("events=%d batches=0 seconds=%.2f events_per_s=%.0f%n", events, seconds,
                    events / seconds);
            spark.stop();
            return;
        }
        java.nio.file.Path checkpoint = java.nio.file.Files.createTempDirectory("tracestream-stream-bench-");
        var reader = spark.readStream().format("ctf");
        if (!maxPackets.equals("0")) {
            reader = reader.option("maxPacketsPerTrigger", maxPackets);
        }
        long t0 = System.nanoTime();
        StreamingQuery q = reader.load(trace).writeStream().format("noop")
                .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()).start();
        q.awaitTermination();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long events = 0;
        int batches = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            events += p.numInputRows();
            if (p.numInputRows() > 0) {
                batches++;
            }
        }
        System.out.printf("events=%d batches=%d seconds=%.2f events_per_s=%.0f%n", events, batches, seconds,
                events / seconds);
        spark.stop();
    }
}

package io.tracestream.spark.streaming;

import io.tracestream.ctf.MessageType;
import io.tracestream.live.LiveOptions;
import io.tracestream.live.LiveSession;
import io.tracestream.live.LiveUrl;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The live benchmarks' Java side (run by {@code bench/live-spark.sh}, which drives the relay, the session and the
 * traced program). Modes, each given the session URL:
 * <ul>
 *   <li>{@code throughput URL}: a {@code format("lttng-live")} query into the {@code noop} sink; prints
 *       {@code READY} once it attached, then, when the session was destroyed and read to its end,
 *       {@code events=N seconds=S} (from READY to the last batch with events);</li>
 *   <li>{@code latency URL WINDOW_MS LATENESS_MS SECONDS}: a 1-window event-time count over the live source
 *       ({@code groupBy(window(time))}, watermark, append), and the same windows through
 *       {@link StreamingAnalyses} (its per-window {@code events} row); per window result (windows ending after
 *       the query's first batch: before, it catches up with the relay's history), the delay from the
 *       window's end (event time, the tracer's clock) to the moment the row reached the sink; prints the p50, p99
 *       and max, and the micro-batches' count and durations (on a loaded machine the latency follows them: about
 *       two batches for the Spark count, one for the streaming analyses, which close a window within the batch
 *       whose {@code watermark_ts} passes it);</li>
 *   <li>{@code soak-client URL MINUTES} / {@code soak-spark URL MINUTES}: reads an endless session through the live
 *       client (in-process) or the Spark source (noop sink) and prints, every 10 s, the events so far, the heap used
 *       after a full GC and the process' RSS.</li>
 * </ul>
 */
public final class LiveBench {
    private LiveBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        switch (mode) {
            case "throughput" -> throughput(url);
            case "latency" -> latency(url, Long.parseLong(args[2]), Long.parseLong(args[3]),
                    Long.parseLong(args[4]));
            case "soak-client" -> soakClient(url, Double.parseDouble(args[2]));
            case "soak-spark" -> soakSpark(url, Double.parseDouble(args[2]));
            default -> throw new IllegalArgumentException("mode: throughput | latency | soak-client | soak-spark");
        }
        System.exit(0);
    }

    private static SparkSession spark() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("tracestream-live-bench")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.streaming.checkpointFileManagerClass", checkpointFileManager()).getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        if (System.getenv("LIVEBENCH_DETAIL") != null) {
            spark.sparkContext().setLogLevel("WARN"); // e.g. Spark's notes on large tasks
            listenStages(spark);
        }
        return spark;
    }

    /**
     * The checkpoint writer: Hadoop's FileSystem API rather than Spark's default FileContext one, which on a local
     * folder without Hadoop's native library runs about ten {@code readlink}/{@code chmod} processes per file written
     * (offsets, commits and state delta files: ~30 per micro-batch, tens of ms each on a loaded machine);
     * LIVEBENCH_CHECKPOINT_FM=filecontext keeps Spark's default.
     */
    private static String checkpointFileManager() {
        String pkg = "org.apache.spark.sql.execution.streaming.checkpointing.";
        return "filecontext".equals(System.getenv("LIVEBENCH_CHECKPOINT_FM"))
                ? pkg + "FileContextBasedCheckpointFileManager" : pkg + "FileSystemBasedCheckpointFileManager";
    }

    private static boolean ended(StreamingQuery q) {
        StreamingQueryProgress p = q.lastProgress();
        if (p == null) {
            return false;
        }
        for (SourceProgress s : p.sources()) {
            if ("true".equals(s.metrics().get("sessionEnded"))) {
                return true;
            }
        }
        return false;
    }

    private static void throughput(String url) throws Exception {
        SparkSession spark = spark();
        Path checkpoint = Files.createTempDirectory("tracestream-live-bench-");
        AtomicLong events = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        AtomicLong lastCpu = new AtomicLong();
        StreamingQuery q = spark.readStream().format("lttng-live").option("url", url)
                .option("maxReadMsPerTrigger", "500").load().selectExpr("ts").writeStream()
                .option("checkpointLocation", checkpoint.toString())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, id) -> {
                    long n = df.count();
                    if (n > 0) {
                        events.addAndGet(n);
                        lastArrival.set(System.nanoTime());
                        lastCpu.set(processCpuNanos());
                    }
                }).trigger(Trigger.ProcessingTime(0)).start();
        while (q.lastProgress() == null) {
            Thread.sleep(50);
        }
        long before = events.get();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        System.out.println("READY");
        System.out.flush();
        while (!ended(q) && q.exception().isEmpty()) {
            Thread.sleep(100);
        }
        q.processAllAvailable();
        q.stop();
        if (q.exception().isDefined()) {
            throw new IllegalStateException(q.exception().get());
        }
        System.out.printf("events=%d seconds=%.3f cpu=%.2f%n", events.get() - before, (lastArrival.get() - t0) / 1e9,
                (lastCpu.get() - cpu0) / 1e9);
        diagnose(q);
    }

    /** CPU time of this JVM (all threads: driver, executors, GC, JIT), ns. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void latency(String url, long windowMs, long latenessMs, long seconds) throws Exception {
        SparkSession spark = spark();
        Dataset<Row> events = liveReader(spark, url).load();
        List<Long> count = Collections.synchronizedList(new ArrayList<>());
        List<Long> analysed = Collections.synchronizedList(new ArrayList<>());
        String only = System.getenv().getOrDefault("LIVEBENCH_ONLY", "");
        if (!only.equals("analyses")) {
            latencyCount(events, windowMs, latenessMs, seconds, count);
        } else {
            System.out.println("READY");
            System.out.flush();
        }
        if (!only.equals("count")) {
            latencyAnalyses(spark, url, windowMs, latenessMs, seconds, analysed);
        }
    }

    private static void latencyCount(Dataset<Row> events, long windowMs, long latenessMs, long seconds,
                                     List<Long> count) throws Exception {
        StreamingQuery q1 = events.withWatermark("time", latenessMs + " milliseconds")
                .groupBy(org.apache.spark.sql.functions.window(org.apache.spark.sql.functions.col("time"),
                        windowMs + " milliseconds"))
                .count().selectExpr("cast(unix_micros(window.end) as bigint) * 1000 as end_ns")
                .writeStream().outputMode("append")
                .option("checkpointLocation", Files.createTempDirectory("tracestream-live-bench-").toString())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, id) -> record(df, "end_ns", count))
                .trigger(Trigger.ProcessingTime(0)).start();
        System.out.println("READY");
        System.out.flush();
        awaitFirstBatch(q1);
        Thread.sleep(seconds * 1000);
        diagnose(q1);
        q1.stop();
        System.out.println("window count (Spark window + watermark): " + summary(count));
    }

    private static void latencyAnalyses(SparkSession spark, String url, long windowMs, long latenessMs, long seconds,
                                        List<Long> analysed) throws Exception {
        // the same through the streaming analyses (their alert rows carry the window), on a new query
        Dataset<Row> e2 = liveReader(spark, url).load();
        Dataset<Row> results = StreamingAnalyses.windowed(e2, "cputop", windowMs + "ms", latenessMs + "ms",
                List.of()).where("analysis = 'window'");
        StreamingQuery q2 = results.writeStream().outputMode("append")
                .option("checkpointLocation", Files.createTempDirectory("tracestream-live-bench-").toString())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, id) -> record(df, "window_end", analysed))
                .trigger(Trigger.ProcessingTime(0)).start();
        measureFrom = Long.MAX_VALUE;
        awaitFirstBatch(q2);
        Thread.sleep(seconds * 1000);
        diagnose(q2);
        q2.stop();
        System.out.println("streaming analyses (window result rows): " + summary(analysed));
    }

    /**
     * The latency queries' source: the default trigger budget (maxReadMsPerTrigger), so that the first micro-batch
     * reads the session's history up to the present, as the measurement assumes (a smaller budget leaves part of it
     * to the next batches, which then catch up during the measured period); LIVEBENCH_MAXREADMS sets another.
     */
    private static org.apache.spark.sql.streaming.DataStreamReader liveReader(SparkSession spark, String url) {
        org.apache.spark.sql.streaming.DataStreamReader r = spark.readStream().format("lttng-live").option("url", url);
        String ms = System.getenv("LIVEBENCH_MAXREADMS");
        return ms == null || ms.isEmpty() ? r : r.option("maxReadMsPerTrigger", ms);
    }

    private static void awaitFirstBatch(StreamingQuery q) throws InterruptedException {
        while (q.lastProgress() == null && q.exception().isEmpty()) {
            Thread.sleep(50);
        }
    }

    /**
     * On standard output: rows read, the last event-time watermark, a failure; and the micro-batches with rows (of
     * Spark's recent progress, the last 100): how many, their mean and max duration, the mean time to get the offset
     * and to run the batch.
     */
    private static void diagnose(StreamingQuery q) {
        String detail = System.getenv("LIVEBENCH_DETAIL");
        if (detail != null) {
            StringBuilder b = new StringBuilder("# query " + q.id() + "\n");
            for (StreamingQueryProgress p : q.recentProgress()) {
                b.append(p.batchId()).append(' ').append(p.timestamp()).append(" rows=").append(p.numInputRows())
                        .append(' ').append(p.durationMs());
                for (org.apache.spark.sql.streaming.StateOperatorProgress so : p.stateOperators()) {
                    b.append(" state{rows=").append(so.numRowsTotal()).append(" commitMs=").append(so.commitTimeMs())
                            .append(" updMs=").append(so.allUpdatesTimeMs()).append(" mem=")
                            .append(so.memoryUsedBytes()).append('}');
                }
                String jobs = STAGES.remove(q.id() + "/" + p.batchId());
                if (jobs != null) {
                    b.append(" stages[").append(jobs).append(']');
                }
                b.append('\n');
            }
            synchronized (DETAIL) {
                b.append("# windows (end_ns delay_ms)\n");
                for (long[] w : DETAIL) {
                    b.append(w[0]).append(' ').append(w[1] / 1_000_000).append('\n');
                }
                DETAIL.clear();
            }
            try {
                Files.writeString(Path.of(detail), b.toString(), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        long rows = 0;
        int batches = 0;
        long total = 0;
        long max = 0;
        long offset = 0;
        long run = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            rows += p.numInputRows();
            if (p.numInputRows() > 0) {
                batches++;
                long d = p.durationMs().getOrDefault("triggerExecution", 0L);
                total += d;
                max = Math.max(max, d);
                offset += p.durationMs().getOrDefault("latestOffset", 0L);
                run += p.durationMs().getOrDefault("addBatch", 0L);
            }
        }
        StreamingQueryProgress last = q.lastProgress();
        System.out.println("query " + q.id() + ": " + rows + " rows read, event time "
                + (last == null ? "-" : last.eventTime()) + (q.exception().isDefined() ? ", failed: "
                + q.exception().get() : ""));
        if (batches > 0) {
            System.out.printf("  %d batches with rows: mean %d ms (latestOffset %d, addBatch %d), max %d ms%n",
                    batches, total / batches, offset / batches, run / batches, max);
        }
    }

    /**
     * Per query id/batch id, the batch's Spark stages (LIVEBENCH_DETAIL): per stage its wall time, its tasks' run,
     * deserialization and GC time and the delay from its submission to its first task's start (ms).
     */
    private static final java.util.Map<String, String> STAGES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Notes the stages of each streaming batch (LIVEBENCH_DETAIL). */
    private static void listenStages(SparkSession spark) {
        java.util.Map<Integer, String> stageBatch = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<Integer, long[]> stageTasks = new java.util.concurrent.ConcurrentHashMap<>();
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
                java.util.Properties pr = e.properties();
                String qid = pr == null ? null : pr.getProperty("sql.streaming.queryId");
                String bid = pr == null ? null : pr.getProperty("streaming.sql.batchId");
                if (qid != null && bid != null) {
                    scala.collection.Iterator<Object> it = e.stageIds().iterator();
                    while (it.hasNext()) {
                        stageBatch.put((Integer) it.next(), qid + "/" + bid);
                    }
                }
            }

            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                if (e.taskMetrics() == null) {
                    return;
                }
                long[] a = stageTasks.computeIfAbsent(e.stageId(), k -> new long[] {0, 0, 0, Long.MAX_VALUE, 0});
                synchronized (a) {
                    a[0] += e.taskMetrics().executorRunTime();
                    a[1] += e.taskMetrics().executorDeserializeTime();
                    a[2] += e.taskMetrics().jvmGCTime();
                    a[3] = Math.min(a[3], e.taskInfo().launchTime());
                    a[4]++;
                }
            }

            @Override
            public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted e) {
                org.apache.spark.scheduler.StageInfo si = e.stageInfo();
                String key = stageBatch.remove(si.stageId());
                long[] a = stageTasks.remove(si.stageId());
                if (key == null || si.submissionTime().isEmpty() || si.completionTime().isEmpty()) {
                    return;
                }
                long sub = (Long) si.submissionTime().get();
                String d = si.stageId() + ":" + ((Long) si.completionTime().get() - sub) + "ms"
                        + (a == null ? "" : "(tasks=" + a[4] + " run=" + a[0] + " deser=" + a[1] + " gc=" + a[2]
                            + " launch+" + (a[3] - sub) + ")");
                STAGES.merge(key, d, (x, y) -> x + " " + y);
            }
        });
    }

    /** Windows ending before this (ns since the epoch) were history the query caught up with: not measured. */
    private static volatile long measureFrom = Long.MAX_VALUE;
    /** Per measured window: its end and delay (ns), for the LIVEBENCH_DETAIL file. */
    private static final List<long[]> DETAIL = Collections.synchronizedList(new ArrayList<>());

    private static void record(Dataset<Row> df, String column, List<Long> into) {
        // the sink's own work: the column's values (distinct here, not with a shuffle: a stage less per batch)
        List<Row> rows = df.select(column).collectAsList();
        long now = System.currentTimeMillis() * 1_000_000L;
        if (measureFrom == Long.MAX_VALUE) {
            measureFrom = now; // the end of the first batch: from now on the query is caught up
            return;
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Row r : rows) {
            if (r.getLong(0) > measureFrom && seen.add(r.getLong(0))) {
                into.add(now - r.getLong(0));
                DETAIL.add(new long[] {r.getLong(0), now - r.getLong(0)});
            }
        }
    }

    private static String summary(List<Long> delays) {
        List<Long> d;
        synchronized (delays) {
            d = new ArrayList<>(delays);
        }
        if (d.isEmpty()) {
            return "no window result (none of the windows ending after the first micro-batch closed: the query did not"
                    + " catch up with the session)";
        }
        Collections.sort(d);
        return String.format("windows=%d p50=%.0fms p99=%.0fms max=%.0fms", d.size(), d.get(d.size() / 2) / 1e6,
                d.get(Math.min(d.size() - 1, (int) Math.ceil(d.size() * 0.99) - 1)) / 1e6, d.get(d.size() - 1) / 1e6);
    }

    private static void sample(long start, long events) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            // no /proc
        }
        System.out.printf("t=%4.0fs events=%d heap_after_gc_mb=%.1f rss_mb=%.1f%n", (System.nanoTime() - start) / 1e9,
                events, heap / 1e6, rss / 1e3);
        System.out.flush();
    }

    private static void soakClient(String url, double minutes) {
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        long next = start;
        long events = 0;
        try (LiveSession s = LiveSession.open(LiveUrl.parse(url), LiveOptions.defaults())) {
            System.out.println("READY");
            System.out.flush();
            while (System.nanoTime() < end) {
                LiveSession.Status st = s.next(java.time.Duration.ofMillis(200));
                if (st == LiveSession.Status.END) {
                    break;
                }
                if (st == LiveSession.Status.MESSAGE && s.type() == MessageType.EVENT) {
                    events++;
                }
                if (System.nanoTime() >= next) {
                    sample(start, events);
                    next += 10_000_000_000L;
                }
            }
        }
        sample(start, events);
    }

    private static void soakSpark(String url, double minutes) throws Exception {
        SparkSession spark = spark();
        AtomicLong events = new AtomicLong();
        StreamingQuery q = spark.readStream().format("lttng-live").option("url", url)
                .option("maxReadMsPerTrigger", "500").load().selectExpr("ts").writeStream()
                .option("checkpointLocation", Files.createTempDirectory("tracestream-live-bench-").toString())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, id) -> events.addAndGet(df.count()))
                .trigger(Trigger.ProcessingTime(0)).start();
        System.out.println("READY");
        System.out.flush();
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        while (System.nanoTime() < end && q.exception().isEmpty()) {
            sample(start, events.get());
            Thread.sleep(Math.max(0, Math.min(10_000, (end - System.nanoTime()) / 1_000_000)));
        }
        sample(start, events.get());
        q.stop();
        if (q.exception().isDefined()) {
            throw new IllegalStateException(q.exception().get());
        }
    }
}

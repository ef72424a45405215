package io.tracestream.sparktrace;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of {@code bench/spark-plugin-overhead.sh}: {@code OverheadJob cpu|shuffle ITERATIONS [ROWS [ARMS]]}.
 * Runs warm-up jobs (one, or the system property {@code tracestream.overhead.warmups}) and then ITERATIONS timed
 * runs of a CPU-bound job (400 short tasks hashing ROWS numbers, default 120 M) or a shuffle-heavy job (a
 * 40-partition group-by of ROWS rows over 20 map tasks, default 20 M: the time goes into moving the rows, not into
 * task start-up). For each timed run it prints one line
 * <pre>{@code iteration arm=plain|traced wall_ms=W cpu_ms=C gc_ms=G flusher_cpu_ms=F}</pre>
 * with the job's wall time, the CPU time the whole JVM used during the job (all threads: task threads, listener bus,
 * GC, JIT, the plugin's flusher; {@code OperatingSystemMXBean.getProcessCpuTime}, from {@code getrusage}), the
 * collectors' accumulated pause/cycle time and the CPU time of the plugin's {@code tracestream-flusher} thread (0
 * without the plugin: the part of the plugin's cost that runs off the task threads, measured directly); and after
 * each Spark context {@code spilled_bytes arm=A N} (memory + disk bytes spilled by its tasks: 0 when the job ran
 * without spilling, as the benchmark requires). A full GC runs before each job (outside the measured interval) so
 * every job starts from the same heap state.
 *
 * <p>Without ARMS the JVM runs one Spark context, traced when its system properties enable the plugin
 * ({@code -Dspark.plugins=...}; the job itself never mentions it). ARMS (letters {@code p} and {@code t}, for
 * instance {@code pttp}) runs one fresh Spark context per letter in this JVM, without ({@code p}: no plugin at all)
 * or with ({@code t}) the plugin, each with its own warm-up jobs: the in-JVM A/B of the benchmark (the other
 * {@code spark.tracestream.*} settings still come from the system properties).
 */
public final class OverheadJob {
    private static final String PLUGIN = TracePlugin.class.getName();

    private OverheadJob() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4 || !(args[0].equals("cpu") || args[0].equals("shuffle"))
                || args.length == 4 && !args[3].matches("[pt]+")) {
            System.err.println("usage: OverheadJob cpu|shuffle ITERATIONS [ROWS [ARMS]]   (ARMS: p and t letters,"
                    + " e.g. pttp)");
            System.exit(2);
        }
        boolean cpu = args[0].equals("cpu");
        int iterations = Integer.parseInt(args[1]);
        long rows = args.length >= 3 ? Long.parseLong(args[2]) : cpu ? 120_000_000L : 20_000_000L;
        run(cpu, iterations, rows, args.length == 4 ? args[3] : null, System.out);
    }

    /** Runs the benchmark; {@code arms} null: one context configured by the system properties. */
    static void run(boolean cpu, int iterations, long rows, String arms, PrintStream out) {
        if (arms == null) {
            String plugins = System.getProperty("spark.plugins", "");
            runContext(cpu, iterations, rows, null, plugins.contains(PLUGIN) ? "traced" : "plain", out);
        } else {
            for (char a : arms.toCharArray()) {
                runContext(cpu, iterations, rows, a == 't', a == 't' ? "traced" : "plain", out);
            }
        }
    }

    private static void runContext(boolean cpu, int iterations, long rows, Boolean traced, String arm,
                                   PrintStream out) {
        SparkSession.Builder b = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
                .appName("tracestream-overhead-" + (cpu ? "cpu" : "shuffle")).config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", cpu ? "200" : "40")
                .config("spark.sql.adaptive.enabled", "false");
        if (traced != null) {
            b.config("spark.plugins", traced ? PLUGIN : "");
        }
        SparkSession spark = b.getOrCreate();
        AtomicLong spilled = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                TaskMetrics m = e.taskMetrics();
                if (m != null) {
                    spilled.addAndGet(m.memoryBytesSpilled() + m.diskBytesSpilled());
                }
            }
        });
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // the plugin's flusher started with the context (its executor and driver sides share one per process)
        long[] flushers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tracestream-flusher")).mapToLong(Thread::getId).toArray();
        int warmups = Integer.getInteger("tracestream.overhead.warmups", 1);
        try {
            for (int i = 1 - warmups; i <= iterations; i++) {
                System.gc();
                long gc0 = gcMillis(gcs);
                long fl0 = threadsCpu(threads, flushers);
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                if (cpu) {
                    spark.range(0, rows, 1, 400).selectExpr("sum(hash(id, id * 3))").collect();
                } else {
                    spark.range(0, rows, 1, 20).selectExpr("id % 200000 AS k", "id AS v").groupBy("k")
                            .sum("v").selectExpr("count(*)").collect();
                }
                long wall = System.nanoTime() - t0;
                long cpuNs = os.getProcessCpuTime() - cpu0;
                long gc = gcMillis(gcs) - gc0;
                long fl = threadsCpu(threads, flushers) - fl0;
                if (i > 0) {
                    out.printf(Locale.ROOT, "iteration arm=%s wall_ms=%.1f cpu_ms=%.1f gc_ms=%d flusher_cpu_ms=%.2f%n",
                            arm, wall / 1e6, cpuNs / 1e6, gc, fl / 1e6);
                }
            }
        } finally {
            spark.stop(); // drains the listener bus: the spill count is complete
        }
        out.printf(Locale.ROOT, "spilled_bytes arm=%s %d%n", arm, spilled.get());
        out.flush();
    }

    /** Summed CPU time (ns) of the threads {@code ids}; a thread that has ended counts 0 from then on. */
    private static long threadsCpu(ThreadMXBean threads, long[] ids) {
        long t = 0;
        for (long id : ids) {
            t += Math.max(0, threads.getThreadCpuTime(id));
        }
        return t;
    }

    private static long gcMillis(List<GarbageCollectorMXBean> gcs) {
        long t = 0;
        for (GarbageCollectorMXBean g : gcs) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }
}

package io.tracestream.sparktrace;

import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of {@code bench/spark-plugin-overhead.sh}: {@code OverheadJob cpu|shuffle ITERATIONS [ROWS [ARMS]]}.
 * Runs warm-up jobs and then ITERATIONS timed runs of a CPU-bound job (400 short tasks hashing ROWS numbers, default
 * 120 M) or a shuffle-heavy job (a 40-partition group-by of ROWS rows over 20 map tasks, default 20 M: the time goes
 * into moving the rows, not into task start-up). Warm-up: the system property {@code tracestream.overhead.warmups}
 * jobs (default 1), then more, up to {@code tracestream.overhead.maxWarmups} in all, while the JIT compilers' CPU
 * time during the last job exceeds {@code tracestream.overhead.jitQuiet} (default 0.03) of the job's CPU time: Spark
 * plans and generates code for every job, so its cold paths keep the compilers busy for several jobs, and a job that
 * shares the two cores with C2 is not yet the steady state. For each timed run it prints one line
 * <pre>{@code
 * iteration arm=plain|traced wall_ms=W cpu_ms=C gc_ms=G flusher_cpu_ms=F jit_cpu_ms=J task_cpu_ms=T start_ms=S
 * }</pre>
 * with the job's wall time, the CPU time the whole JVM used during the job (all threads: task threads, listener bus,
 * GC, JIT, the plugin's flusher; {@code OperatingSystemMXBean.getProcessCpuTime}, from {@code getrusage}), the
 * collectors' accumulated pause/cycle time, the CPU time of the plugin's {@code tracestream-flusher} thread (0
 * without the plugin: the part of the plugin's cost that runs off the task threads, measured directly), the CPU time
 * of the JIT compiler threads during the job (Linux {@code /proc} schedstat; -1 elsewhere), the CPU time of the job's
 * tasks on their own threads (Spark's {@code executorCpuTime}, summed: the task threads, where the plugin's executor
 * side runs, without the driver, listener bus, JIT and GC threads) and the JVM's uptime at
 * the job's start (to place the job in a JIT or GC log); each warm-up job prints
 * {@code warmup arm=A wall_ms=W cpu_ms=C jit_cpu_ms=J start_ms=S}; and after each Spark context
 * {@code spilled_bytes arm=A N} (memory + disk bytes spilled by its tasks: 0 when the job ran
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
        AtomicLong taskCpu = new AtomicLong(); // the tasks' own CPU time (executorCpuTime), summed
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                TaskMetrics m = e.taskMetrics();
                if (m != null) {
                    spilled.addAndGet(m.memoryBytesSpilled() + m.diskBytesSpilled());
                    taskCpu.addAndGet(m.executorCpuTime());
                }
            }
        });
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        // the plugin's flusher started with the context (its executor and driver sides share one per process)
        long[] flushers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tracestream-flusher")).mapToLong(Thread::getId).toArray();
        int warmups = Integer.getInteger("tracestream.overhead.warmups", 1);
        int maxWarmups = Math.max(warmups, Integer.getInteger("tracestream.overhead.maxWarmups", warmups));
        double quiet = Double.parseDouble(System.getProperty("tracestream.overhead.jitQuiet", "0.03"));
        try {
            boolean compiling = true; // whether the JIT was busy during the last warm-up job
            for (int w = 1, timed = 0; timed < iterations; ) {
                // untimed: the first WARMUP jobs, then (up to maxWarmups) while the previous job still compiled
                boolean warm = w <= warmups || w <= maxWarmups && compiling;
                System.gc();
                long gc0 = gcMillis(gcs);
                long task0 = taskCpu.get();
                long fl0 = threadsCpu(threads, flushers);
                Map<Integer, Long> jit0 = jitThreadsCpu();
                long up0 = runtime.getUptime();
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
                Map<Integer, Long> jit1 = jit0 == null ? null : jitThreadsCpu();
                long jitNs = jit1 == null ? -1 : cpuSince(jit0, jit1);
                long gc = gcMillis(gcs) - gc0;
                long fl = threadsCpu(threads, flushers) - fl0;
                try {
                    spark.sparkContext().listenerBus().waitUntilEmpty(60_000); // the job's task-end events counted
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("the listener bus did not drain within 60 s", e);
                }
                double taskMs = (taskCpu.get() - task0) / 1e6;
                String jitMs = jitNs < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", jitNs / 1e6);
                if (warm) {
                    compiling = jitNs < 0 || jitNs > quiet * cpuNs;
                    out.printf(Locale.ROOT, "warmup arm=%s wall_ms=%.1f cpu_ms=%.1f jit_cpu_ms=%s start_ms=%d%n", arm,
                            wall / 1e6, cpuNs / 1e6, jitMs, up0);
                    w++;
                } else {
                    out.printf(Locale.ROOT, "iteration arm=%s wall_ms=%.1f cpu_ms=%.1f gc_ms=%d flusher_cpu_ms=%.2f"
                            + " jit_cpu_ms=%s task_cpu_ms=%.1f start_ms=%d%n", arm, wall / 1e6, cpuNs / 1e6, gc,
                            fl / 1e6, jitMs, taskMs, up0);
                    w = Integer.MAX_VALUE;
                    timed++;
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

    /**
     * CPU time (ns) of each JIT compiler thread of this JVM by Linux thread id ({@code /proc/self/task/TID}: the
     * threads named {@code C1 CompilerThread*} / {@code C2 CompilerThread*}, their {@code schedstat} run time); null
     * where none can be read (no {@code /proc}, no schedstat). The compiler threads are not visible to
     * {@code ThreadMXBean}.
     */
    static Map<Integer, Long> jitThreadsCpu() {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return null;
        }
        Map<Integer, Long> cpu = new HashMap<>();
        for (File t : tasks) {
            try {
                String comm = Files.readString(t.toPath().resolve("comm")).trim();
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    String stat = Files.readString(t.toPath().resolve("schedstat"));
                    cpu.put(Integer.parseInt(t.getName()), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile, or no schedstat: not counted
            }
        }
        return cpu.isEmpty() ? null : cpu; // none readable: no schedstat (or no HotSpot compiler threads)
    }

    /** CPU time used between two {@link #jitThreadsCpu()} snapshots (a thread started meanwhile counts in full). */
    static long cpuSince(Map<Integer, Long> before, Map<Integer, Long> after) {
        long t = 0;
        for (Map.Entry<Integer, Long> e : after.entrySet()) {
            t += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
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

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
 *     bus_cpu_ms=B notification_cpu_ms=N [plugin_cpu_ms=P plugin_listener_ms=... plugin_alloc_kb=K]
 * }</pre>
 * with the job's wall time, the CPU time the whole JVM used during the job (all threads: task threads, listener bus,
 * GC, JIT, the plugin's flusher; {@code OperatingSystemMXBean.getProcessCpuTime}, from {@code getrusage}), the
 * collectors' accumulated pause/cycle time, the CPU time of the plugin's {@code tracestream-flusher} thread (0
 * without the plugin: the part of the plugin's cost that runs off the task threads, measured directly), the CPU time
 * of the JIT compiler threads during the job (Linux {@code /proc} schedstat; -1 elsewhere), the CPU time of the job's
 * tasks on their own threads (Spark's {@code executorCpuTime}, summed: the task threads, where the plugin's executor
 * side runs, without the driver, listener bus, JIT and GC threads), the JVM's uptime at
 * the job's start (to place the job in a JIT or GC log), the CPU time of the shared listener-bus thread (where the
 * plugin's listener runs, with this job's own listener) and that of the JVM's notification thread (GC notifications,
 * built only when a listener such as the plugin's is registered; -1 without {@code /proc}). With
 * {@code -Dtracestream.plugin.accounting=true} ({@link PluginAccounting}) the line also carries the plugin's own
 * CPU time and allocation during the job, measured on every thread it runs on (see
 * {@link #accountingFields}), and each Spark context first prints
 * {@code accounting arm=A clock=thread_cpu|monotonic probe_ns=P alloc=true|false} (P: what an empty bracket
 * measures, the accounting's own share per call). Each warm-up job prints
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
        long[] flushers = threadIds("tracestream-flusher");
        // the listener-bus thread of the shared queue, where the plugin's listener (and this job's) runs
        long[] bus = threadIds("spark-listener-group-shared");
        boolean accounting = PluginAccounting.ON;
        if (accounting) {
            out.printf(Locale.ROOT, "accounting arm=%s clock=%s probe_ns=%d alloc=%b%n", arm,
                    PluginAccounting.threadCpuClock() ? "thread_cpu" : "monotonic", PluginAccounting.probeCpuNanos(),
                    PluginAccounting.countsAllocation());
        }
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
                long fla0 = threadsAllocated(threads, flushers);
                long bus0 = threadsCpu(threads, bus);
                Map<Integer, Long> jit0 = jitThreadsCpu();
                // read back to back: the GC handler (on the notification thread) lands in both windows or neither
                Map<Integer, Long> notif0 = notificationThreadCpu();
                long[] acc0 = PluginAccounting.snapshot();
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
                try {
                    spark.sparkContext().listenerBus().waitUntilEmpty(60_000); // the job's task-end events counted
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("the listener bus did not drain within 60 s", e);
                }
                // the plugin's own cost: read once the bus has drained (its callbacks for this job have run)
                long fl = threadsCpu(threads, flushers) - fl0;
                long fla = threadsAllocated(threads, flushers) - fla0;
                long busNs = threadsCpu(threads, bus) - bus0;
                Map<Integer, Long> notif1 = notif0 == null ? null : notificationThreadCpu();
                long[] acc1 = PluginAccounting.snapshot();
                long notifNs = notif1 == null ? -1 : cpuSince(notif0, notif1);
                double taskMs = (taskCpu.get() - task0) / 1e6;
                String jitMs = jitNs < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", jitNs / 1e6);
                if (warm) {
                    compiling = jitNs < 0 || jitNs > quiet * cpuNs;
                    out.printf(Locale.ROOT, "warmup arm=%s wall_ms=%.1f cpu_ms=%.1f jit_cpu_ms=%s start_ms=%d%n", arm,
                            wall / 1e6, cpuNs / 1e6, jitMs, up0);
                    w++;
                } else {
                    out.printf(Locale.ROOT, "iteration arm=%s wall_ms=%.1f cpu_ms=%.1f gc_ms=%d flusher_cpu_ms=%.2f"
                            + " jit_cpu_ms=%s task_cpu_ms=%.1f start_ms=%d bus_cpu_ms=%.2f notification_cpu_ms=%s"
                            + "%s%n", arm, wall / 1e6, cpuNs / 1e6, gc, fl / 1e6, jitMs, taskMs, up0, busNs / 1e6,
                            notifNs < 0 ? "-1" : String.format(Locale.ROOT, "%.2f", notifNs / 1e6),
                            accounting ? accountingFields(acc0, acc1, fl, fla, arm.equals("traced") ? notifNs : 0)
                                    : "");
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

    /**
     * The plugin's own cost during one job (with {@link PluginAccounting#ON}): {@code plugin_cpu_ms} = the CPU time
     * inside its listener callbacks, task hooks and init/shutdown (bracketed) + its flusher thread's CPU time + for
     * the GC events the larger of the handler's bracketed time and the JVM notification thread's CPU time (the JVM
     * builds the GC notifications only for listeners, and runs the handler on that thread); then each part
     * ({@code plugin_listener_ms}, {@code plugin_tasks_ms}, {@code plugin_gc_ms}, {@code plugin_lifecycle_ms},
     * {@code plugin_flusher_ms}), the number of bracketed calls and the heap bytes the plugin allocated (bracketed
     * + the flusher's), in KiB; then the calls and allocation of the listener and of the task hooks, and the
     * flusher's allocation.
     */
    private static String accountingFields(long[] a0, long[] a1, long flusherNs, long flusherAlloc, long notifNs) {
        long[] d = new long[a0.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a1[i] - a0[i];
        }
        int l = 3 * PluginAccounting.Site.LISTENER.ordinal();
        int t = 3 * PluginAccounting.Site.TASK_HOOKS.ordinal();
        int g = 3 * PluginAccounting.Site.GC_HANDLER.ordinal();
        int c = 3 * PluginAccounting.Site.LIFECYCLE.ordinal();
        long gcNs = Math.max(d[g + 1], notifNs);
        long total = d[l + 1] + d[t + 1] + gcNs + d[c + 1] + flusherNs;
        long calls = d[l] + d[t] + d[g] + d[c];
        long alloc = d[l + 2] + d[t + 2] + d[g + 2] + d[c + 2] + Math.max(0, flusherAlloc);
        return String.format(Locale.ROOT, " plugin_cpu_ms=%.2f plugin_listener_ms=%.2f plugin_tasks_ms=%.2f"
                        + " plugin_gc_ms=%.2f plugin_lifecycle_ms=%.2f plugin_flusher_ms=%.2f plugin_calls=%d"
                        + " plugin_alloc_kb=%.1f plugin_listener_calls=%d plugin_listener_alloc_kb=%.1f"
                        + " plugin_tasks_calls=%d plugin_tasks_alloc_kb=%.1f plugin_flusher_alloc_kb=%.1f",
                total / 1e6, d[l + 1] / 1e6, d[t + 1] / 1e6, gcNs / 1e6, d[c + 1] / 1e6, flusherNs / 1e6, calls,
                alloc / 1024.0, d[l], d[l + 2] / 1024.0, d[t], d[t + 2] / 1024.0, Math.max(0, flusherAlloc) / 1024.0);
    }

    /** Ids of the live threads named {@code name}. */
    private static long[] threadIds(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .mapToLong(Thread::getId).toArray();
    }

    /** Summed heap bytes allocated by the threads {@code ids} (0 where not supported). */
    private static long threadsAllocated(ThreadMXBean threads, long[] ids) {
        if (!(threads instanceof com.sun.management.ThreadMXBean t) || !t.isThreadAllocatedMemoryEnabled()) {
            return 0;
        }
        long b = 0;
        for (long id : ids) {
            b += Math.max(0, t.getThreadAllocatedBytes(id));
        }
        return b;
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
        return procThreadsCpu("C1 CompilerThre", "C2 CompilerThre");
    }

    /**
     * CPU time (ns) of the JVM's notification thread (which builds the GC notifications, only when a listener is
     * registered, and runs the listeners), as {@link #jitThreadsCpu()}; null where it cannot be read.
     */
    static Map<Integer, Long> notificationThreadCpu() {
        return procThreadsCpu("Notification Th");
    }

    /** CPU time (ns) by Linux thread id of this JVM's threads whose {@code comm} starts with one of the prefixes. */
    private static Map<Integer, Long> procThreadsCpu(String... prefixes) {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return null;
        }
        Map<Integer, Long> cpu = new HashMap<>();
        for (File t : tasks) {
            try {
                String comm = Files.readString(t.toPath().resolve("comm")).trim();
                if (java.util.Arrays.stream(prefixes).anyMatch(comm::startsWith)) {
                    String stat = Files.readString(t.toPath().resolve("schedstat"));
                    cpu.put(Integer.parseInt(t.getName()), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
                }
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile, or no schedstat: not counted
            }
        }
        return cpu.isEmpty() ? null : cpu; // none readable: no schedstat (or no such HotSpot threads)
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

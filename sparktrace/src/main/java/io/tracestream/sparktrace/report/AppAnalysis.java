package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.report.SparkApp.Stage;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyses of a {@link SparkApp}: per-stage statistics (duration, skew, stragglers, GC share, spill, shuffle fetch
 * wait), the critical path of each job through its stage DAG, the ideal job time with unlimited executors, executor
 * slot utilisation over time, and the micro-batches of streaming queries.
 *
 * <p>Definitions (also in the README):
 * <ul>
 *   <li><b>straggler</b>: a successful task of a stage with at least {@value #MIN_TASKS_FOR_OUTLIERS} tasks whose run
 *       time is more than {@value #STRAGGLER_FACTOR}x the stage's median run time <em>and</em> at least
 *       {@value #STRAGGLER_MIN_EXCESS_MS} ms above it (so that 3 ms vs 1 ms is not a straggler);</li>
 *   <li><b>skewed stage</b>: max/median of the tasks' input bytes (input plus shuffle read) at least
 *       {@value #SKEW_FACTOR} with the largest task reading at least {@value #SKEW_MIN_BYTES} bytes
 *       (data skew); a stage whose run-time max/median is at least {@value #SKEW_FACTOR} and that has a straggler is
 *       flagged as time skew;</li>
 *   <li><b>critical path</b> of a job: the longest chain of stages through the DAG (parents before children) where a
 *       stage weighs its wall duration (submission to completion);</li>
 *   <li><b>ideal time</b> of a job (Sparklens' "critical path with unlimited executors"): the same longest chain where
 *       each stage weighs its longest task, i.e. what the job would take if every task of a stage ran at once.</li>
 * </ul>
 */
public final class AppAnalysis {
    public static final double STRAGGLER_FACTOR = 1.5;
    public static final long STRAGGLER_MIN_EXCESS_MS = 100;
    public static final int MIN_TASKS_FOR_OUTLIERS = 3;
    public static final double SKEW_FACTOR = 2.0;
    public static final long SKEW_MIN_BYTES = 512L << 10;

    /** Per-stage results. */
    public record StageStats(Stage stage, int tasks, int failedTasks, long durationNs, long medianRunMs,
            long maxRunMs, double runSkew, long medianInputBytes, long maxInputBytes, double inputSkew,
            long totalRunMs, long gcMs, double gcShare, long spillMemory, long spillDisk, long fetchWaitMs,
            long inputBytes, long shuffleReadBytes, long shuffleWriteBytes, long outputBytes, long cpuNs,
            long longestTaskNs, List<Task> stragglers, boolean dataSkew, boolean timeSkew) {
        /** A short phrase naming what is wrong with the stage, or "" when nothing is. */
        public String flags() {
            return AppAnalysis.flags(dataSkew, inputSkew, timeSkew, runSkew, stragglers.size(), gcShare, spillDisk);
        }
    }

    /** The phrase of {@link StageStats#flags()} from the stage's values (shared with {@link SparkTables}). */
    static String flags(boolean dataSkew, double inputSkew, boolean timeSkew, double runSkew, int stragglers,
                        double gcShare, long spillDisk) {
        List<String> f = new ArrayList<>();
        if (dataSkew) {
            f.add(String.format("data skew %.1fx", inputSkew));
        }
        if (timeSkew) {
            f.add(String.format("time skew %.1fx", runSkew));
        }
        if (stragglers > 0) {
            f.add(stragglers + " straggler" + (stragglers > 1 ? "s" : ""));
        }
        if (gcShare >= 0.1) {
            f.add(String.format("GC %.0f%%", gcShare * 100));
        }
        if (spillDisk > 0) {
            f.add("spill");
        }
        return String.join(", ", f);
    }

    /** Per-job results: its critical path (stage ids), its length, and the ideal time. */
    public record JobStats(SparkApp.Job job, long wallNs, List<Integer> criticalPath, long criticalPathNs,
            long idealNs) {
    }

    /** Slot utilisation in one time bucket: busy slot-time / (slots x bucket length). */
    public record UtilBucket(long startNs, long endNs, double utilisation) {
    }

    private final SparkApp app;
    private final Map<Stage, StageStats> stageStats = new LinkedHashMap<>();
    private final List<JobStats> jobStats = new ArrayList<>();

    public AppAnalysis(SparkApp app) {
        this.app = app;
        for (Stage s : app.stages()) {
            stageStats.put(s, stats(s));
        }
        for (SparkApp.Job j : app.jobs()) {
            jobStats.add(job(j));
        }
    }

    public SparkApp app() {
        return app;
    }

    public List<StageStats> stages() {
        return List.copyOf(stageStats.values());
    }

    public StageStats stageOf(Task t) {
        return stageStats.get(app.stage(t.stageId, t.stageAttempt));
    }

    public List<JobStats> jobs() {
        return List.copyOf(jobStats);
    }

    /** All stragglers, longest first. */
    public List<Task> stragglers() {
        List<Task> out = new ArrayList<>();
        for (StageStats s : stageStats.values()) {
            out.addAll(s.stragglers());
        }
        out.sort(Comparator.comparingLong(Task::runTimeMs).reversed());
        return out;
    }

    /**
     * Application time if every job ran with unlimited executors: the time outside jobs (driver) plus each job's
     * ideal time.
     */
    public long idealAppNs() {
        long inJobs = 0;
        long ideal = 0;
        for (JobStats j : jobStats) {
            inJobs += j.wallNs();
            ideal += j.idealNs();
        }
        long app = Math.max(0, this.app.endNs() - this.app.startNs());
        return Math.max(0, app - inJobs) + ideal;
    }

    static long median(long[] v) {
        if (v.length == 0) {
            return 0;
        }
        long[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static StageStats stats(Stage s) {
        List<Task> ok = s.tasks.stream().filter(t -> t.status.isEmpty() || t.status.equals("SUCCESS")).toList();
        int failed = s.tasks.size() - ok.size();
        long[] run = ok.stream().mapToLong(Task::runTimeMs).toArray();
        long[] in = ok.stream().mapToLong(Task::inputBytes).toArray();
        long medRun = median(run);
        long maxRun = Arrays.stream(run).max().orElse(0);
        long medIn = median(in);
        long maxIn = Arrays.stream(in).max().orElse(0);
        double runSkew = ratio(maxRun, medRun);
        double inSkew = ratio(maxIn, medIn);
        long total = 0;
        long gc = 0;
        long spillM = 0;
        long spillD = 0;
        long fetch = 0;
        long input = 0;
        long shRead = 0;
        long shWrite = 0;
        long out = 0;
        long cpu = 0;
        long longest = 0;
        for (Task t : s.tasks) {
            total += t.runTimeMs();
            gc += t.metric("jvm_gc_time_ms");
            spillM += t.metric("memory_bytes_spilled");
            spillD += t.metric("disk_bytes_spilled");
            fetch += t.metric("shuffle_fetch_wait_time_ms");
            input += t.metric("input_bytes_read");
            shRead += t.metric("shuffle_remote_bytes_read") + t.metric("shuffle_local_bytes_read");
            shWrite += t.metric("shuffle_bytes_written");
            out += t.metric("output_bytes_written");
            cpu += t.metric("executor_cpu_time_ns");
            longest = Math.max(longest, t.durationNs() > 0 ? t.durationNs() : t.runTimeMs() * 1_000_000L);
        }
        List<Task> stragglers = new ArrayList<>();
        if (ok.size() >= MIN_TASKS_FOR_OUTLIERS) {
            for (Task t : ok) {
                if (isStraggler(t.runTimeMs(), medRun)) {
                    stragglers.add(t);
                }
            }
            stragglers.sort(Comparator.comparingLong(Task::runTimeMs).reversed());
        }
        boolean dataSkew = ok.size() >= 2 && inSkew >= SKEW_FACTOR && maxIn >= SKEW_MIN_BYTES;
        boolean timeSkew = runSkew >= SKEW_FACTOR && !stragglers.isEmpty();
        return new StageStats(s, s.tasks.size(), failed, s.durationNs(), medRun, maxRun, runSkew, medIn, maxIn, inSkew,
                total, gc, total == 0 ? 0 : (double) gc / total, spillM, spillD, fetch, input, shRead, shWrite, out, cpu,
                longest, List.copyOf(stragglers), dataSkew, timeSkew);
    }

    static boolean isStraggler(long runMs, long medianMs) {
        return runMs > STRAGGLER_FACTOR * medianMs && runMs - medianMs >= STRAGGLER_MIN_EXCESS_MS;
    }

    static double ratio(long max, long median) {
        if (max <= 0) {
            return 1;
        }
        return median <= 0 ? Double.POSITIVE_INFINITY : (double) max / median;
    }

    private JobStats job(SparkApp.Job j) {
        Map<Integer, Stage> ran = new HashMap<>();
        for (Stage s : app.stages()) {
            if (j.stageIds().contains(s.id) || s.jobId == j.id()) {
                Stage prev = ran.get(s.id);
                if (prev == null || s.attempt > prev.attempt) {
                    ran.put(s.id, s);
                }
            }
        }
        Map<Integer, Long> wall = new HashMap<>();
        Map<Integer, Long> ideal = new HashMap<>();
        Map<Integer, Integer> prev = new HashMap<>();
        List<Integer> order = new ArrayList<>(ran.keySet());
        order.sort(Integer::compare); // parents have smaller ids than their children
        for (int id : order) {
            Stage s = ran.get(id);
            StageStats st = stageStats.get(s);
            long bestWall = 0;
            long bestIdeal = 0;
            int bestParent = -1;
            for (int p : s.parents) {
                if (wall.containsKey(p)) {
                    if (wall.get(p) > bestWall) {
                        bestWall = wall.get(p);
                        bestParent = p;
                    }
                    bestIdeal = Math.max(bestIdeal, ideal.get(p));
                }
            }
            wall.put(id, bestWall + s.durationNs());
            ideal.put(id, bestIdeal + (st == null ? 0 : st.longestTaskNs()));
            prev.put(id, bestParent);
        }
        int end = -1;
        long cp = 0;
        long id = 0;
        for (int s : order) {
            if (wall.get(s) >= cp) {
                cp = wall.get(s);
                end = s;
            }
            id = Math.max(id, ideal.get(s));
        }
        List<Integer> path = new ArrayList<>();
        for (int s = end; s >= 0; s = prev.getOrDefault(s, -1)) {
            path.add(0, s);
        }
        long jw = j.endNs() > j.startNs() ? j.endNs() - j.startNs() : 0;
        return new JobStats(j, jw, path, cp, id);
    }

    /**
     * Lays the tasks of each executor out on slots (the lowest free slot when a task starts): task id to slot number.
     */
    public Map<Long, Integer> slots() {
        Map<Long, Integer> slot = new HashMap<>();
        Map<String, List<Task>> byExec = new LinkedHashMap<>();
        for (Task t : app.tasks()) {
            if (t.startNs >= 0 && t.endNs >= t.startNs) {
                byExec.computeIfAbsent(t.executorId, k -> new ArrayList<>()).add(t);
            }
        }
        for (List<Task> ts : byExec.values()) {
            ts.sort(Comparator.comparingLong((Task t) -> t.startNs).thenComparingLong(t -> t.id));
            List<Long> freeAt = new ArrayList<>();
            for (Task t : ts) {
                int s = 0;
                while (s < freeAt.size() && freeAt.get(s) > t.startNs) {
                    s++;
                }
                if (s == freeAt.size()) {
                    freeAt.add(t.endNs);
                } else {
                    freeAt.set(s, t.endNs);
                }
                slot.put(t.id, s);
            }
        }
        return slot;
    }

    /** Slot utilisation over the application's lifetime in {@code buckets} equal buckets. */
    public List<UtilBucket> utilisation(int buckets) {
        long b = app.startNs();
        long e = app.endNs();
        List<UtilBucket> out = new ArrayList<>();
        if (e <= b || buckets <= 0) {
            return out;
        }
        double width = (double) (e - b) / buckets;
        double[] busy = new double[buckets];
        for (Task t : app.tasks()) {
            if (t.startNs < 0 || t.endNs <= t.startNs) {
                continue;
            }
            int first = (int) Math.max(0, Math.min(buckets - 1, (t.startNs - b) / width));
            int last = (int) Math.max(0, Math.min(buckets - 1, (t.endNs - b) / width));
            for (int i = first; i <= last; i++) {
                double lo = Math.max(t.startNs, b + i * width);
                double hi = Math.min(t.endNs, b + (i + 1) * width);
                if (hi > lo) {
                    busy[i] += hi - lo;
                }
            }
        }
        int slots = app.totalSlots();
        for (int i = 0; i < buckets; i++) {
            out.add(new UtilBucket(Math.round(b + i * width), Math.round(b + (i + 1) * width),
                    Math.min(1.0, busy[i] / (slots * width))));
        }
        return out;
    }

    /** Average slot utilisation over the application's lifetime. */
    public double averageUtilisation() {
        long span = app.endNs() - app.startNs();
        if (span <= 0) {
            return 0;
        }
        double busy = 0;
        for (Task t : app.tasks()) {
            busy += t.durationNs();
        }
        return Math.min(1.0, busy / ((double) app.totalSlots() * span));
    }

    /** A micro-batch with its backlog indicator: input rate above processing rate means the query falls behind. */
    public record BatchStats(SparkApp.Batch batch, boolean fallingBehind) {
    }

    public List<BatchStats> batches() {
        List<BatchStats> out = new ArrayList<>();
        for (SparkApp.Batch b : app.batches()) {
            out.add(new BatchStats(b, b.inputRows() > 0 && b.inputRate() > b.processedRate() * 1.05));
        }
        return out;
    }
}

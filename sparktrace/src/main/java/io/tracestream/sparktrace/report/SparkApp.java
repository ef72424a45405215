package io.tracestream.sparktrace.report;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.TraceClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Spark application as its {@code sparktrace} traces describe it: jobs, stages with their parents (the DAG), tasks
 * with their metrics, thread ids and precise intervals, executors, GC pauses and Structured Streaming micro-batches.
 *
 * <p>Built by {@link #read(Path)} from every trace under a directory recorded by the plugin (kernel traces found in
 * the same tree are listed in {@link #kernelTraces()} for {@link KernelBreakdown}). Times are nanoseconds since the
 * Unix epoch: the event timestamps (monotonic clock with the recorded real-time offset) where there are any, else
 * Spark's millisecond wall-clock times.
 */
public final class SparkApp {
    /** A job. */
    public record Job(int id, String description, long startNs, long endNs, boolean succeeded, List<Integer> stageIds) {
    }

    /** A stage attempt that ran (stages skipped by Spark are not here). */
    public static final class Stage {
        public final int id;
        public final int attempt;
        public String name = "";
        public int numTasks;
        public List<Integer> parents = List.of();
        public int jobId = -1;
        public long submitNs = -1;
        public long completeNs = -1;
        public String status = "";
        public final List<Task> tasks = new ArrayList<>();

        Stage(int id, int attempt) {
            this.id = id;
            this.attempt = attempt;
        }

        /** Wall time from submission to completion (ns), or 0 when unknown. */
        public long durationNs() {
            return submitNs >= 0 && completeNs >= submitNs ? completeNs - submitNs : 0;
        }
    }

    /** A task attempt: identity, interval, thread and every metric the plugin recorded. */
    public static final class Task {
        public final long id;
        public int stageId;
        public int stageAttempt;
        public int index;
        public int partition;
        public int attempt;
        public String executorId = "";
        public String host = "";
        public String locality = "";
        public boolean speculative;
        public String status = "";
        public String endReason = "";
        public String failureReason = "";
        /** Task interval (ns since the epoch): the task thread's own start/end when recorded, else Spark's times. */
        public long startNs = -1;
        public long endNs = -1;
        /** True when {@link #startNs}/{@link #endNs} come from the task's thread (precise, joinable with kernel). */
        public boolean threadInterval;
        /** Linux thread id of the thread that ran the task, or -1. */
        public long tid = -1;
        public long pid = -1;
        public long threadCpuNs = -1;
        /** Every numeric metric of {@code spark:task_end} (field name to value). */
        public final Map<String, Long> metrics = new LinkedHashMap<>();

        Task(long id) {
            this.id = id;
        }

        /** A metric, or 0 when absent or unknown (-1). */
        public long metric(String name) {
            Long v = metrics.get(name);
            return v == null || v < 0 ? 0 : v;
        }

        /** Executor run time (ms), Spark's measure of the task's work. */
        public long runTimeMs() {
            return metric("executor_run_time_ms");
        }

        /** Bytes the task read: input (files, tables) plus shuffle (local and remote). */
        public long inputBytes() {
            return metric("input_bytes_read") + metric("shuffle_remote_bytes_read") + metric("shuffle_local_bytes_read");
        }

        /** Records the task read: input plus shuffle. */
        public long inputRecords() {
            return metric("input_records_read") + metric("shuffle_records_read");
        }

        public long durationNs() {
            return startNs >= 0 && endNs >= startNs ? endNs - startNs : 0;
        }
    }

    /** An executor ({@code driver} in local mode). */
    public record Executor(String id, String host, int cores, long addedNs, long removedNs) {
    }

    /** A garbage collection in one process. */
    public record Gc(long pid, String executorId, String collector, String cause, long startNs, long endNs,
            long heapBefore, long heapAfter) {
    }

    /** One Structured Streaming micro-batch. */
    public record Batch(String queryId, String runId, String name, long batchId, long timeNs, long durationMs,
            long inputRows, double inputRate, double processedRate, Map<String, Long> durations) {
    }

    final Map<Integer, Job> jobs = new TreeMap<>();
    final Map<Long, Stage> stages = new TreeMap<>(); // key: stageId << 16 | attempt
    final Map<Long, Task> tasks = new TreeMap<>();
    final Map<String, Executor> executors = new LinkedHashMap<>();
    final List<Gc> gcs = new ArrayList<>();
    final List<Batch> batches = new ArrayList<>();
    final List<Path> sparkTraces = new ArrayList<>();
    final List<Path> kernelTraces = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    String appId = "";
    String appName = "";
    String master = "";
    long startNs = Long.MAX_VALUE;
    long endNs = Long.MIN_VALUE;
    long discardedEvents;

    public String appId() {
        return appId;
    }

    public String appName() {
        return appName;
    }

    public String master() {
        return master;
    }

    /** First and last event of the application's traces (ns since the epoch). */
    public long startNs() {
        return startNs;
    }

    public long endNs() {
        return endNs;
    }

    public List<Job> jobs() {
        return List.copyOf(jobs.values());
    }

    /** Stage attempts that ran, by stage id then attempt. */
    public List<Stage> stages() {
        return List.copyOf(stages.values());
    }

    public Stage stage(int id, int attempt) {
        return stages.get(((long) id << 16) | attempt);
    }

    /** Tasks by task id. */
    public List<Task> tasks() {
        return List.copyOf(tasks.values());
    }

    public Task task(long id) {
        return tasks.get(id);
    }

    public List<Executor> executors() {
        return List.copyOf(executors.values());
    }

    public List<Gc> gcs() {
        return List.copyOf(gcs);
    }

    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    public List<Path> sparkTraces() {
        return List.copyOf(sparkTraces);
    }

    /** Kernel traces (LTTng or {@code record-kernel}) found in the same tree. */
    public List<Path> kernelTraces() {
        return List.copyOf(kernelTraces);
    }

    /** Problems met while reading (discarded events, missing task ends ...), one line each. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Total slots (task cores) of the executors; in local mode the N of {@code local[N]}. */
    public int totalSlots() {
        int cores = 0;
        for (Executor e : executors.values()) {
            cores += Math.max(0, e.cores());
        }
        if (cores == 0) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)").matcher(master);
            if (m.find()) {
                cores = Integer.parseInt(m.group(1));
            } else if (master.equals("local")) {
                cores = 1;
            } else {
                cores = Runtime.getRuntime().availableProcessors();
            }
        }
        return Math.max(1, cores);
    }

    /**
     * Reads every trace under {@code dir}: traces recorded by the plugin make the model; kernel traces are listed.
     *
     * @throws CtfException when a trace cannot be read (one line naming the file)
     * @throws IllegalArgumentException when there is no Spark trace under {@code dir}
     */
    public static SparkApp read(Path dir) {
        SparkApp app = new SparkApp();
        for (Path t : traceDirs(dir)) {
            Kind k = kind(t);
            if (k == Kind.SPARK) {
                app.sparkTraces.add(t);
            } else if (k == Kind.KERNEL) {
                app.kernelTraces.add(t);
            }
        }
        if (app.sparkTraces.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no Spark trace (recorded by the tracestream plugin) here");
        }
        new Reader(app).run();
        return app;
    }

    enum Kind { SPARK, KERNEL, OTHER }

    static Kind kind(Path trace) {
        try (TraceSet ts = TraceSet.open(trace)) {
            for (Trace t : ts.traces()) {
                TraceClass tc = t.traceClass();
                Map<String, Object> env = tc.environment();
                if (env.containsKey("spark_app_id")) {
                    return Kind.SPARK;
                }
                if ("kernel".equals(String.valueOf(env.get("domain")))) {
                    return Kind.KERNEL;
                }
            }
        }
        return Kind.OTHER;
    }

    static List<Path> traceDirs(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": not a directory");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("metadata") && Files.isRegularFile(p))
                    .map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": " + e.getMessage(), e);
        }
    }

    /** Fills the model from the Spark traces in one time-ordered pass. */
    private static final class Reader {
        private final SparkApp app;
        private final Map<Path, String> executorOfTrace = new LinkedHashMap<>();
        private final Map<Path, Long> pidOfTrace = new LinkedHashMap<>();
        private final Map<Long, int[]> pendingStageOfJob = new LinkedHashMap<>();
        private final Map<Long, List<Integer>> parentsOfStage = new LinkedHashMap<>();
        private final Map<Long, Integer> jobOfStage = new LinkedHashMap<>();
        private final Map<Integer, Long> jobStartNs = new LinkedHashMap<>();
        private final Map<Integer, String> jobDescription = new LinkedHashMap<>();
        private final Map<Integer, List<Integer>> jobStageIds = new LinkedHashMap<>();

        Reader(SparkApp app) {
            this.app = app;
        }

        void run() {
            TraceListener listener = new TraceListener() {
                @Override
                public void warning(String message) {
                    app.warnings.add(message);
                }

                @Override
                public void discarded(MessageType type, Discarded d) {
                    app.discardedEvents += Math.max(0, d.count());
                }
            };
            try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(listener), app.sparkTraces)) {
                for (Trace t : ts.traces()) {
                    Map<String, Object> env = t.traceClass().environment();
                    String roles = String.valueOf(env.getOrDefault("spark_roles", ""));
                    String exec = String.valueOf(env.getOrDefault("spark_executor_id", roles.contains("executor")
                            && roles.contains("driver") ? "driver" : ""));
                    executorOfTrace.put(t.path(), exec);
                    Object pid = env.get("vpid");
                    pidOfTrace.put(t.path(), pid instanceof Number n ? n.longValue() : -1L);
                    if (app.appId.isEmpty()) {
                        app.appId = String.valueOf(env.getOrDefault("spark_app_id", ""));
                        app.appName = String.valueOf(env.getOrDefault("spark_app_name", ""));
                    }
                    Object m = env.get("conf_spark_master");
                    if (m != null && app.master.isEmpty()) {
                        app.master = String.valueOf(m);
                    }
                }
                for (EventRecord e : ts.events()) {
                    event(e);
                }
            }
            if (app.discardedEvents > 0) {
                app.warnings.add("the recorder discarded " + app.discardedEvents
                        + " event(s): some tasks or stages may be missing (increase spark.tracestream.bufferSize)");
            }
            for (Map.Entry<Integer, Long> j : jobStartNs.entrySet()) {
                if (!app.jobs.containsKey(j.getKey())) {
                    app.jobs.put(j.getKey(), new Job(j.getKey(), jobDescription.get(j.getKey()), j.getValue(), -1, false,
                            jobStageIds.getOrDefault(j.getKey(), List.of())));
                }
            }
            for (Stage s : app.stages.values()) {
                List<Integer> p = parentsOfStage.get((long) s.id);
                if (p != null && s.parents.isEmpty()) {
                    s.parents = p;
                }
                Integer job = jobOfStage.get((long) s.id);
                if (job != null) {
                    s.jobId = job;
                }
            }
            for (Task t : app.tasks.values()) {
                Stage s = app.stage(t.stageId, t.stageAttempt);
                if (s != null) {
                    s.tasks.add(t);
                }
                if (t.startNs < 0 || t.endNs < 0) {
                    app.warnings.add("task " + t.id + ": no interval (its start or end was not recorded)");
                }
            }
        }

        private Stage stage(EventRecord e) {
            int id = (int) e.getLong("stage_id");
            int attempt = (int) e.getLong("stage_attempt");
            return app.stages.computeIfAbsent(((long) id << 16) | attempt, k -> new Stage(id, attempt));
        }

        private static long ms(long v) {
            return v <= 0 ? -1 : v * 1_000_000L;
        }

        private static List<Integer> ints(Object o) {
            List<Integer> out = new ArrayList<>();
            if (o instanceof List<?> l) {
                for (Object x : l) {
                    out.add(((Number) x).intValue());
                }
            }
            return out;
        }

        private void event(EventRecord e) {
            long ts = e.timestamp();
            app.startNs = Math.min(app.startNs, ts);
            app.endNs = Math.max(app.endNs, ts);
            switch (e.name()) {
                case "spark:application_start" -> {
                    app.appId = e.getString("app_id");
                    app.appName = e.getString("app_name");
                }
                case "spark:job_start" -> {
                    int id = (int) e.getLong("job_id");
                    long t0 = ms(e.getLong("time_ms")); // Spark's clock, as the stages' times
                    jobStartNs.put(id, t0 > 0 ? t0 : ts);
                    jobDescription.put(id, e.getString("description"));
                    jobStageIds.put(id, ints(e.get("stage_ids")));
                }
                case "spark:job_stage" -> {
                    long sid = e.getLong("stage_id");
                    parentsOfStage.put(sid, ints(e.get("parent_ids")));
                    jobOfStage.putIfAbsent(sid, (int) e.getLong("job_id"));
                }
                case "spark:job_end" -> {
                    int id = (int) e.getLong("job_id");
                    long t1 = ms(e.getLong("time_ms"));
                    app.jobs.put(id, new Job(id, jobDescription.getOrDefault(id, ""), jobStartNs.getOrDefault(id, ts),
                            t1 > 0 ? t1 : ts,
                            e.getLong("succeeded") != 0, jobStageIds.getOrDefault(id, List.of())));
                }
                case "spark:stage_submitted" -> {
                    Stage s = stage(e);
                    s.name = e.getString("name");
                    s.numTasks = (int) e.getLong("num_tasks");
                    s.parents = ints(e.get("parent_ids"));
                    s.submitNs = ms(e.getLong("submission_time_ms"));
                    if (s.submitNs < 0) {
                        s.submitNs = ts;
                    }
                }
                case "spark:stage_completed" -> {
                    Stage s = stage(e);
                    s.name = e.getString("name");
                    s.numTasks = (int) e.getLong("num_tasks");
                    s.status = e.getString("status");
                    long sub = ms(e.getLong("submission_time_ms"));
                    if (sub > 0) {
                        s.submitNs = sub;
                    }
                    s.completeNs = ms(e.getLong("completion_time_ms"));
                    if (s.completeNs < 0) {
                        s.completeNs = ts;
                    }
                }
                case "spark:task_end" -> {
                    Task t = app.tasks.computeIfAbsent(e.getLong("task_id"), Task::new);
                    t.stageId = (int) e.getLong("stage_id");
                    t.stageAttempt = (int) e.getLong("stage_attempt");
                    t.index = (int) e.getLong("index");
                    t.partition = (int) e.getLong("partition");
                    t.attempt = (int) e.getLong("attempt");
                    t.executorId = e.getString("executor_id");
                    t.host = e.getString("host");
                    Object loc = e.get("locality");
                    t.locality = loc instanceof Number n ? locality(n.intValue()) : loc == null ? "" : String.valueOf(loc);
                    t.speculative = e.getLong("speculative") != 0;
                    t.status = e.getString("status");
                    t.endReason = e.getString("end_reason");
                    t.failureReason = e.getString("failure_reason");
                    boolean from = false;
                    for (io.tracestream.ctf.meta.StructClass.Member m : payloadMembers(e)) {
                        String n = m.name();
                        if (n.equals("has_metrics")) {
                            from = true;
                        }
                        if (from && e.get(n) instanceof Long v) {
                            t.metrics.put(n, v);
                        }
                    }
                    if (!t.threadInterval) {
                        t.startNs = ms(e.getLong("launch_time_ms"));
                        t.endNs = ms(e.getLong("finish_time_ms"));
                    }
                }
                case "spark:task_thread_start" -> {
                    Task t = app.tasks.computeIfAbsent(e.getLong("task_id"), Task::new);
                    t.stageId = (int) e.getLong("stage_id");
                    t.stageAttempt = (int) e.getLong("stage_attempt");
                    t.tid = e.getLong("tid");
                    t.pid = e.getLong("pid");
                    t.startNs = ts;
                    t.threadInterval = true;
                    String exec = executorOfTrace.get(e.stream().trace().path());
                    if (t.executorId.isEmpty() && exec != null) {
                        t.executorId = exec;
                    }
                }
                case "spark:task_thread_end" -> {
                    Task t = app.tasks.computeIfAbsent(e.getLong("task_id"), Task::new);
                    t.endNs = ts;
                    t.threadCpuNs = e.getLong("thread_cpu_time_ns");
                    if (!t.threadInterval) {
                        t.startNs = -1;
                    }
                    t.threadInterval = true;
                }
                case "spark:executor_added" -> {
                    String id = e.getString("executor_id");
                    app.executors.put(id, new Executor(id, e.getString("host"), (int) e.getLong("total_cores"),
                            ms(e.getLong("time_ms")), -1));
                }
                case "spark:executor_removed" -> {
                    String id = e.getString("executor_id");
                    Executor x = app.executors.get(id);
                    if (x != null) {
                        app.executors.put(id, new Executor(id, x.host(), x.cores(), x.addedNs(), ms(e.getLong("time_ms"))));
                    }
                }
                case "jvm:gc" -> {
                    Path tr = e.stream().trace().path();
                    long start = e.getLong("start_ns");
                    long end = e.getLong("end_ns");
                    // start_ns/end_ns are monotonic; place them on the event's clock via the event timestamp
                    long shift = ts - start;
                    app.gcs.add(new Gc(pidOfTrace.getOrDefault(tr, -1L), executorOfTrace.getOrDefault(tr, ""),
                            e.getString("collector"), e.getString("cause"), start + shift, end + shift,
                            e.getLong("heap_used_before"), e.getLong("heap_used_after")));
                }
                case "spark:streaming_query_progress" -> {
                    Map<String, Long> d = new LinkedHashMap<>();
                    if (e.get("duration_ms") instanceof List<?> l) {
                        for (Object o : l) {
                            if (o instanceof Map<?, ?> kv) {
                                d.put(String.valueOf(kv.get("key")), ((Number) kv.get("value")).longValue());
                            }
                        }
                    }
                    app.batches.add(new Batch(e.getString("query_id"), e.getString("run_id"), e.getString("name"),
                            e.getLong("batch_id"), ts, e.getLong("batch_duration_ms"), e.getLong("num_input_rows"),
                            e.getDouble("input_rows_per_second"), e.getDouble("processed_rows_per_second"), d));
                }
                default -> {
                }
            }
        }

        /** The plugin's locality enumeration (Spark's TaskLocality order; 255 = unknown). */
        private static String locality(int v) {
            List<String> names = List.of("PROCESS_LOCAL", "NODE_LOCAL", "NO_PREF", "RACK_LOCAL", "ANY");
            return v >= 0 && v < names.size() ? names.get(v) : "UNKNOWN";
        }

        private static List<io.tracestream.ctf.meta.StructClass.Member> payloadMembers(EventRecord e) {
            return e.eventClass().payload().members();
        }
    }
}

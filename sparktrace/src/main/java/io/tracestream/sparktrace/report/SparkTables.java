package io.tracestream.sparktrace.report;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.ThreadStatesAnalysis;
import io.tracestream.analyses.Value;
import io.tracestream.spark.analyses.SparkEngine;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stage and task tables of the report ({@code spark-stages}, {@code spark-tasks}: per-stage counts, medians,
 * skew, GC share, spill, fetch wait, stragglers; per-task metrics, interval, thread and kernel breakdown) computed as
 * Spark jobs, for traces too large for the in-process model ({@code spark-report --engine spark}).
 *
 * <p>The plugin's traces are read with {@code spark.read.format("ctf")} (one typed table per event class), the tasks,
 * their thread intervals and the stage statistics are Spark SQL aggregations, and the kernel breakdown joins each
 * task's interval with the thread-state intervals of its TID computed by the analyses' {@link SparkEngine}
 * ({@code threadstates}) — the same definitions as {@link AppAnalysis} and {@link KernelBreakdown}, and the same
 * LAMI tables as {@link LamiReport}. Only the per-stage rows and the table rows come back to the driver. The tasks
 * are those the driver's {@code spark:task_end} events name.
 */
public final class SparkTables {
    private static final String OK = "(status = '' OR status = 'SUCCESS')";

    private SparkTables() {
    }

    /** The {@code spark-stages} and {@code spark-tasks} tables of the traces under {@code dir}, in id order. */
    public static List<ResultTable> compute(SparkSession spark, Path dir) {
        List<String> sparkTraces = new ArrayList<>();
        List<Path> kernelTraces = new ArrayList<>();
        for (Path t : SparkApp.traceDirs(dir)) {
            SparkApp.Kind k = SparkApp.kind(t);
            if (k == SparkApp.Kind.SPARK) {
                sparkTraces.add(t.toString());
            } else if (k == SparkApp.Kind.KERNEL) {
                kernelTraces.add(t);
            }
        }
        if (sparkTraces.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no Spark trace (recorded by the tracestream plugin) here");
        }
        List<Dataset<Row>> cached = new ArrayList<>();
        try {
            return compute(spark, sparkTraces.toArray(String[]::new), kernelTraces, cached);
        } finally {
            cached.forEach(Dataset::unpersist);
        }
    }

    private static List<ResultTable> compute(SparkSession spark, String[] paths, List<Path> kernelTraces,
                                             List<Dataset<Row>> cached) {
        // one typed table of the event classes used (their fields as columns; a payload "name" is payload_name)
        List<String> classes = new ArrayList<>(List.of("spark:task_end", "spark:stage_submitted",
                "spark:stage_completed", "spark:job_stage"));
        boolean threads = hasEventClass(spark, paths, "spark:task_thread_start");
        if (threads) { // absent when only the driver's trace is here
            classes.addAll(List.of("spark:task_thread_start", "spark:task_thread_end"));
        }
        Dataset<Row> ev = spark.read().format("ctf").option("events", String.join(",", classes)).load(paths);
        ev.createOrReplaceTempView("ts_spark_events");
        for (String c : classes) {
            spark.sql("SELECT * FROM ts_spark_events WHERE name = '" + c + "'")
                    .createOrReplaceTempView("ts_" + c.substring("spark:".length()).replace("task_thread", "thread"));
        }
        if (!threads) {
            spark.sql("SELECT CAST(NULL AS BIGINT) AS ts, CAST(NULL AS BIGINT) AS task_id, "
                    + "CAST(NULL AS BIGINT) AS tid, CAST(NULL AS BIGINT) AS pid WHERE false")
                    .createOrReplaceTempView("ts_thread_start");
            spark.sql("SELECT * FROM ts_thread_start").createOrReplaceTempView("ts_thread_end");
        }

        spark.sql("SELECT CAST(e.task_id AS BIGINT) AS task_id, CAST(e.stage_id AS INT) AS stage_id, "
                + "CAST(e.stage_attempt AS INT) AS stage_attempt, CAST(e.partition AS INT) AS partition, "
                + "e.executor_id, e.status, "
                + m("e.executor_run_time_ms") + " AS run_ms, " + m("e.executor_cpu_time_ns") + " AS cpu_ns, "
                + m("e.jvm_gc_time_ms") + " AS gc_ms, " + m("e.input_bytes_read") + " + "
                + m("e.shuffle_remote_bytes_read") + " + " + m("e.shuffle_local_bytes_read") + " AS input, "
                + m("e.shuffle_fetch_wait_time_ms") + " AS fetch_ms, " + m("e.memory_bytes_spilled") + " AS mem_spill, "
                + m("e.disk_bytes_spilled") + " AS disk_spill, CAST(coalesce(s.pid, -1) AS BIGINT) AS pid, "
                + "CAST(coalesce(s.tid, -1) AS BIGINT) AS tid, "
                + "(s.task_id IS NOT NULL OR x.task_id IS NOT NULL) AS thread_interval, "
                + "CAST(CASE WHEN s.task_id IS NOT NULL OR x.task_id IS NOT NULL THEN coalesce(s.ts, -1) "
                + "     WHEN e.launch_time_ms > 0 THEN e.launch_time_ms * 1000000 ELSE -1 END AS BIGINT) AS start_ns, "
                + "CAST(CASE WHEN s.task_id IS NOT NULL OR x.task_id IS NOT NULL THEN coalesce(x.ts, -1) "
                + "     WHEN e.finish_time_ms > 0 THEN e.finish_time_ms * 1000000 ELSE -1 END AS BIGINT) AS end_ns "
                + "FROM ts_task_end e LEFT JOIN ts_thread_start s ON s.task_id = e.task_id "
                + "LEFT JOIN ts_thread_end x ON x.task_id = e.task_id").createOrReplaceTempView("ts_tasks");
        cached.add(spark.table("ts_tasks").cache());

        // per stage: the successful tasks' sorted run times and inputs give exact medians (AppAnalysis.median)
        spark.sql("SELECT stage_id, stage_attempt, count(*) AS tasks, count_if(NOT " + OK + ") AS failed, "
                + "sort_array(collect_list(CASE WHEN " + OK + " THEN run_ms END)) AS runs, "
                + "sort_array(collect_list(CASE WHEN " + OK + " THEN input END)) AS inputs, "
                + "sum(run_ms) AS total_run, sum(gc_ms) AS gc, sum(mem_spill) AS mem_spill, "
                + "sum(disk_spill) AS disk_spill, sum(fetch_ms) AS fetch_ms "
                + "FROM ts_tasks GROUP BY stage_id, stage_attempt").createOrReplaceTempView("ts_stage_lists");
        spark.sql("SELECT *, size(runs) AS n_ok, " + median("runs") + " AS med_run, " + median("inputs")
                + " AS med_in, coalesce(array_max(runs), 0) AS max_run, coalesce(array_max(inputs), 0) AS max_in "
                + "FROM ts_stage_lists").createOrReplaceTempView("ts_stage_stats");
        cached.add(spark.table("ts_stage_stats").cache());
        spark.sql("SELECT t.*, (" + OK.replace("status", "t.status") + " AND g.n_ok >= "
                + AppAnalysis.MIN_TASKS_FOR_OUTLIERS + " AND t.run_ms > " + AppAnalysis.STRAGGLER_FACTOR
                + " * g.med_run AND t.run_ms - g.med_run >= " + AppAnalysis.STRAGGLER_MIN_EXCESS_MS + ") AS straggler "
                + "FROM ts_tasks t JOIN ts_stage_stats g "
                + "ON g.stage_id = t.stage_id AND g.stage_attempt = t.stage_attempt")
                .createOrReplaceTempView("ts_tasks_flagged");
        cached.add(spark.table("ts_tasks_flagged").cache());

        boolean kernel = !kernelTraces.isEmpty() && kernelJoin(spark, kernelTraces);
        String k = kernel ? "k.covered IS NOT NULL" : "false";
        List<Row> tasks = spark.sql("SELECT t.*, " + k + " AS has_kernel, "
                + (kernel ? "coalesce(k.running, 0L) AS running, coalesce(k.runnable, 0L) AS runnable, "
                        + "coalesce(k.blocked_io, 0L) AS blocked_io, coalesce(k.blocked, 0L) AS blocked, "
                        + "coalesce(k.other, 0L) AS other, "
                        + "coalesce(greatest(0L, (t.end_ns - t.start_ns) - k.covered), 0L) AS unknown "
                        : "0L AS running, 0L AS runnable, 0L AS blocked_io, 0L AS blocked, 0L AS other, 0L AS unknown ")
                + " FROM ts_tasks_flagged t " + (kernel ? "LEFT JOIN ts_task_kernel k ON k.task_id = t.task_id " : "")
                + "ORDER BY t.task_id").collectAsList();
        List<Row> stages = spark.sql("SELECT * FROM ts_stage_stats ORDER BY stage_id, stage_attempt").collectAsList();
        Map<Long, StageMeta> meta = stageMeta(spark);

        long begin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Row t : tasks) {
            if (t.<Long>getAs("start_ns") >= 0) {
                begin = Math.min(begin, t.getAs("start_ns"));
            }
            end = Math.max(end, t.<Long>getAs("end_ns"));
        }
        ResultTable taskTable = new ResultTable(LamiReport.TASKS, begin, end);
        Map<Long, long[]> stageKernel = new HashMap<>();
        Map<Long, Integer> stragglers = new HashMap<>();
        for (Row t : tasks) {
            long key = stageKey(t.getAs("stage_id"), t.getAs("stage_attempt"));
            boolean hasKernel = t.getAs("has_kernel");
            long[] kv = {t.getAs("running"), t.getAs("runnable"), t.getAs("blocked_io"), t.getAs("blocked"),
                    t.getAs("other"), t.getAs("unknown")};
            if (hasKernel) {
                long[] sum = stageKernel.computeIfAbsent(key, x -> new long[6]);
                for (int i = 0; i < 6; i++) {
                    sum[i] += kv[i];
                }
            }
            boolean straggler = t.getAs("straggler");
            if (straggler) {
                stragglers.merge(key, 1, Integer::sum);
            }
            long start = t.getAs("start_ns");
            long stop = t.getAs("end_ns");
            taskTable.add(Value.number(t.<Long>getAs("task_id")), Value.number(t.<Integer>getAs("stage_id")),
                    Value.number(t.<Integer>getAs("partition")), Value.string(t.getAs("executor_id")),
                    new Value.Process("", t.<Long>getAs("pid"), t.<Long>getAs("tid")),
                    start < 0 ? Value.EMPTY : Value.timestamp(start), stop < 0 ? Value.EMPTY : Value.timestamp(stop),
                    ms(t.getAs("run_ms")), Value.duration(t.<Long>getAs("cpu_ns")), ms(t.getAs("gc_ms")),
                    Value.size(t.<Long>getAs("input")), ms(t.getAs("fetch_ms")), kern(hasKernel, kv[0]),
                    kern(hasKernel, kv[1]), kern(hasKernel, kv[2]), kern(hasKernel, kv[3]), new Value.Bool(straggler),
                    Value.string(t.getAs("status")));
        }
        ResultTable stageTable = new ResultTable(LamiReport.STAGES, begin, end);
        for (Row s : stages) {
            int id = s.getAs("stage_id");
            int attempt = s.getAs("stage_attempt");
            long key = stageKey(id, attempt);
            StageMeta sm = meta.getOrDefault(key, new StageMeta());
            long medRun = s.getAs("med_run");
            long maxRun = s.getAs("max_run");
            long medIn = s.getAs("med_in");
            long maxIn = s.getAs("max_in");
            int nOk = s.getAs("n_ok");
            long totalRun = s.getAs("total_run");
            long gc = s.getAs("gc");
            long diskSpill = s.getAs("disk_spill");
            double runSkew = AppAnalysis.ratio(maxRun, medRun);
            double inSkew = AppAnalysis.ratio(maxIn, medIn);
            double gcShare = totalRun == 0 ? 0 : (double) gc / totalRun;
            int nStragglers = stragglers.getOrDefault(key, 0);
            boolean dataSkew = nOk >= 2 && inSkew >= AppAnalysis.SKEW_FACTOR && maxIn >= AppAnalysis.SKEW_MIN_BYTES;
            boolean timeSkew = runSkew >= AppAnalysis.SKEW_FACTOR && nStragglers > 0;
            long[] kv = stageKernel.get(key);
            KernelBreakdown.Times times = kv == null ? null
                    : new KernelBreakdown.Times(kv[0], kv[1], kv[2], kv[3], kv[4], kv[5]);
            String findings = SparkReport.findings(AppAnalysis.flags(dataSkew, inSkew, timeSkew, runSkew, nStragglers,
                    gcShare, diskSpill), times);
            stageTable.add(Value.number(id), Value.number(attempt), Value.number(sm.jobId), Value.string(sm.name),
                    Value.string(sm.parents.toString()), Value.number(s.<Long>getAs("tasks")),
                    Value.number(s.<Long>getAs("failed")), Value.duration(sm.durationNs()), ms(medRun), ms(maxRun),
                    ratio(runSkew), Value.size(medIn), Value.size(maxIn), ratio(inSkew), Value.ratio(gcShare),
                    Value.size(s.<Long>getAs("mem_spill")), Value.size(diskSpill), ms(s.getAs("fetch_ms")),
                    Value.number(nStragglers), new Value.Bool(dataSkew), kern(times != null, kv == null ? 0 : kv[0]),
                    kern(times != null, kv == null ? 0 : kv[1]), kern(times != null, kv == null ? 0 : kv[2]),
                    kern(times != null, kv == null ? 0 : kv[3]), Value.string(findings));
        }
        return List.of(stageTable, taskTable);
    }

    /** The tables as LAMI 1.0 results ({@code spark-report --engine spark --json}). */
    public static String json(List<ResultTable> tables) {
        long b = tables.get(0).begin();
        long e = tables.get(0).end();
        return io.tracestream.analyses.Lami.results(List.of(new io.tracestream.analyses.AnalysisResult(null,
                AnalysisConfig.defaults(), List.of(new io.tracestream.analyses.AnalysisResult.Period(b, e, tables)),
                List.of())));
    }

    /** A cell as text: durations in ms, sizes with a unit, ratios with two decimals, timestamps in ns. */
    private static String cell(Value v) {
        if (v instanceof Value.Num n) {
            return switch (n.lamiClass()) {
                case "duration" -> String.format(java.util.Locale.ROOT, "%.1f", n.asDouble() / 1e6);
                case "size" -> Units.bytes(n.longValue());
                case "ratio" -> String.format(java.util.Locale.ROOT, "%.2f", n.asDouble());
                default -> n.text();
            };
        }
        return v.text();
    }

    /**
     * The tables as aligned text: a title, a header of column keys (durations in ms), one line per row.
     */
    public static String text(List<ResultTable> tables) {
        StringBuilder sb = new StringBuilder();
        for (ResultTable t : tables) {
            List<io.tracestream.analyses.Column> cols = t.tableClass().columns();
            int[] width = new int[cols.size()];
            List<String[]> lines = new ArrayList<>();
            String[] head = new String[cols.size()];
            for (int i = 0; i < cols.size(); i++) {
                head[i] = cols.get(i).key();
            }
            lines.add(head);
            for (List<Value> row : t.rows()) {
                String[] l = new String[cols.size()];
                for (int i = 0; i < cols.size(); i++) {
                    l[i] = cell(row.get(i));
                }
                lines.add(l);
            }
            for (String[] l : lines) {
                for (int i = 0; i < l.length; i++) {
                    width[i] = Math.max(width[i], l[i].length());
                }
            }
            sb.append(t.tableClass().title()).append('\n');
            for (String[] l : lines) {
                StringBuilder line = new StringBuilder(" ");
                for (int i = 0; i < l.length; i++) {
                    line.append(' ').append(i == l.length - 1 ? l[i] : String.format("%-" + width[i] + "s", l[i]));
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Whether any of the traces has that event class (read from their metadata, no job). */
    private static boolean hasEventClass(SparkSession spark, String[] paths, String event) {
        try {
            spark.read().format("ctf").option("events", event).load(paths);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A metric column: 0 when absent or unknown (-1), as {@link SparkApp.Task#metric}. */
    private static String m(String col) {
        return "greatest(CAST(coalesce(" + col + ", 0) AS BIGINT), 0L)";
    }

    /** {@link AppAnalysis#median} of a sorted array column. */
    private static String median(String arr) {
        return "CASE WHEN size(" + arr + ") = 0 THEN 0L WHEN size(" + arr + ") % 2 = 1 THEN " + arr + "[size(" + arr
                + ") div 2] ELSE (" + arr + "[size(" + arr + ") div 2 - 1] + " + arr + "[size(" + arr
                + ") div 2]) div 2 END";
    }

    /**
     * {@code ts_task_kernel}: per task with a thread interval whose TID the kernel trace knows, the time of the task's
     * interval in each thread state (intervals clipped to the task), and the covered time. False when no task has a
     * TID.
     */
    private static boolean kernelJoin(SparkSession spark, List<Path> kernelTraces) {
        Set<Long> tids = new HashSet<>();
        for (Row r : spark.sql("SELECT DISTINCT tid FROM ts_tasks_flagged WHERE thread_interval AND tid > 0")
                .collectAsList()) {
            tids.add(r.getLong(0));
        }
        if (tids.isEmpty()) {
            return false;
        }
        AnalysisConfig cfg = AnalysisConfig.defaults().withTids(tids).withIntersection(false)
                .withFlags(Set.of(ThreadStatesAnalysis.FLAG_INTERVALS));
        Map<String, Dataset<Row>> tables = new SparkEngine(spark).tables(kernelTraces,
                List.of(Analyses.byName("threadstates")), cfg); // the registered instance: shipped by name
        Dataset<Row> intervals = tables.get("thread_state_intervals");
        if (intervals == null) {
            return false;
        }
        intervals.selectExpr("process.tid AS tid", "state", "`begin` AS b", "`end` AS e")
                .createOrReplaceTempView("ts_thread_states");
        spark.sql("SELECT t.task_id, t.tid, t.start_ns, t.end_ns FROM ts_tasks_flagged t "
                + "WHERE t.thread_interval AND t.end_ns > t.start_ns AND t.start_ns >= 0 "
                + "AND t.tid IN (SELECT tid FROM ts_thread_states)").createOrReplaceTempView("ts_kernel_tasks");
        spark.sql("SELECT t.task_id, "
                + sumState("running") + " AS running, " + sumState("runnable") + " AS runnable, "
                + sumState("blocked-io") + " AS blocked_io, " + sumState("blocked") + " AS blocked, "
                + "coalesce(sum(CASE WHEN s.state NOT IN ('running', 'runnable', 'blocked-io', 'blocked') "
                + "THEN least(s.e, t.end_ns) - greatest(s.b, t.start_ns) END), 0L) AS other, "
                + "coalesce(sum(least(s.e, t.end_ns) - greatest(s.b, t.start_ns)), 0L) AS covered "
                + "FROM ts_kernel_tasks t LEFT JOIN ts_thread_states s ON s.tid = t.tid AND s.b < t.end_ns "
                + "AND s.e > t.start_ns GROUP BY t.task_id").createOrReplaceTempView("ts_task_kernel");
        return true;
    }

    private static String sumState(String state) {
        return "coalesce(sum(CASE WHEN s.state = '" + state + "' THEN least(s.e, t.end_ns) - greatest(s.b, t.start_ns)"
                + " END), 0L)";
    }

    /** What the stage events say of a stage: job, name, parents, submission and completion. */
    private static final class StageMeta {
        int jobId = -1;
        String name = "";
        List<Integer> parents = List.of();
        long submitNs = -1;
        long completeNs = -1;

        long durationNs() {
            return submitNs >= 0 && completeNs >= submitNs ? completeNs - submitNs : 0;
        }
    }

    /** Stage metadata from the few stage and job events (collected: one row per stage). */
    private static Map<Long, StageMeta> stageMeta(SparkSession spark) {
        Map<Long, StageMeta> out = new TreeMap<>();
        Map<Long, List<Integer>> dagParents = new HashMap<>();
        Map<Long, Integer> jobOf = new HashMap<>();
        for (Row r : spark.sql("SELECT stage_id, job_id, parent_ids FROM ts_job_stage ORDER BY ts").collectAsList()) {
            long sid = ((Number) r.get(0)).longValue();
            dagParents.put(sid, ints(r.getList(2)));
            jobOf.putIfAbsent(sid, ((Number) r.get(1)).intValue());
        }
        for (Row r : spark.sql("SELECT stage_id, stage_attempt, payload_name, parent_ids, submission_time_ms, ts "
                + "FROM ts_stage_submitted ORDER BY ts").collectAsList()) {
            StageMeta s = out.computeIfAbsent(stageKey(r.get(0), r.get(1)), x -> new StageMeta());
            s.name = r.getString(2);
            s.parents = ints(r.getList(3));
            long sub = num(r, 4);
            s.submitNs = sub > 0 ? sub * 1_000_000L : num(r, 5);
        }
        for (Row r : spark.sql("SELECT stage_id, stage_attempt, payload_name, submission_time_ms, "
                + "completion_time_ms, ts "
                + "FROM ts_stage_completed ORDER BY ts").collectAsList()) {
            StageMeta s = out.computeIfAbsent(stageKey(r.get(0), r.get(1)), x -> new StageMeta());
            s.name = r.getString(2);
            long sub = num(r, 3);
            if (sub > 0) {
                s.submitNs = sub * 1_000_000L;
            }
            long done = num(r, 4);
            s.completeNs = done > 0 ? done * 1_000_000L : num(r, 5);
        }
        for (Map.Entry<Long, StageMeta> e : out.entrySet()) {
            long sid = e.getKey() >> 16;
            List<Integer> p = dagParents.get(sid);
            if (p != null && e.getValue().parents.isEmpty()) {
                e.getValue().parents = p;
            }
            Integer job = jobOf.get(sid);
            if (job != null) {
                e.getValue().jobId = job;
            }
        }
        return out;
    }

    private static List<Integer> ints(List<Object> l) {
        List<Integer> out = new ArrayList<>();
        if (l != null) {
            for (Object x : l) {
                out.add(((Number) x).intValue());
            }
        }
        return out;
    }

    private static long num(Row r, int i) {
        return r.isNullAt(i) ? -1 : ((Number) r.get(i)).longValue();
    }

    private static long stageKey(Object id, Object attempt) {
        return (((Number) id).longValue() << 16) | ((Number) attempt).longValue();
    }

    private static Value ms(Object ms) {
        return Value.duration(((Number) ms).longValue() * 1_000_000L);
    }

    private static Value ratio(double r) {
        return Double.isFinite(r) ? Value.ratio(r) : Value.EMPTY;
    }

    private static Value kern(boolean present, long ns) {
        return present ? Value.duration(ns) : Value.EMPTY;
    }
}

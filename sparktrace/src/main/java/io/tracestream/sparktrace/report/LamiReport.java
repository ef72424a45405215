package io.tracestream.sparktrace.report;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.TableClass;
import io.tracestream.analyses.Value;
import io.tracestream.sparktrace.report.AppAnalysis.JobStats;
import io.tracestream.sparktrace.report.AppAnalysis.StageStats;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report as LAMI 1.0 result tables ({@code tracestream spark-report --json}): jobs, stages, tasks (with the
 * kernel breakdown), stragglers, slot utilisation and streaming micro-batches. Trace Compass and any LAMI reader
 * import them.
 */
public final class LamiReport {
    static final TableClass JOBS = TableClass.of("spark-jobs", "Spark jobs",
            Column.of("job", "Job", "number"), Column.of("description", "Description", "string"),
            Column.of("begin", "Beginning", "timestamp"), Column.of("end", "End", "timestamp"),
            Column.of("duration", "Duration", "duration"), Column.of("critical_path", "Critical path (stages)", "string"),
            Column.of("critical_path_duration", "Critical path duration", "duration"),
            Column.of("ideal_duration", "Ideal duration with unlimited executors", "duration"),
            Column.of("succeeded", "Succeeded", "bool"));
    static final TableClass STAGES = TableClass.of("spark-stages", "Spark stages",
            Column.of("stage", "Stage", "number"), Column.of("attempt", "Attempt", "number"),
            Column.of("job", "Job", "number"), Column.of("name", "Name", "string"),
            Column.of("parents", "Parent stages", "string"), Column.of("tasks", "Tasks", "number"),
            Column.of("failed_tasks", "Failed tasks", "number"), Column.of("duration", "Duration", "duration"),
            Column.of("median_run", "Median task run time", "duration"),
            Column.of("max_run", "Max task run time", "duration"), Column.of("run_skew", "Run time max/median", "ratio"),
            Column.of("median_input", "Median task input", "size"), Column.of("max_input", "Max task input", "size"),
            Column.of("input_skew", "Input max/median", "ratio"), Column.of("gc_share", "GC share of run time", "ratio"),
            Column.of("memory_spill", "Memory spilled", "size"), Column.of("disk_spill", "Disk spilled", "size"),
            Column.of("fetch_wait", "Shuffle fetch wait", "duration"),
            Column.of("stragglers", "Stragglers", "number"), Column.of("data_skew", "Data skew", "bool"),
            Column.of("on_cpu", "Kernel: on CPU", "duration"), Column.of("runnable", "Kernel: runnable", "duration"),
            Column.of("blocked_io", "Kernel: blocked on I/O", "duration"),
            Column.of("blocked", "Kernel: blocked (other)", "duration"),
            Column.of("findings", "Findings", "string"));
    static final TableClass TASKS = TableClass.of("spark-tasks", "Spark tasks",
            Column.of("task", "Task", "number"), Column.of("stage", "Stage", "number"),
            Column.of("partition", "Partition", "number"), Column.of("executor", "Executor", "string"),
            Column.of("thread", "Thread", "process"), Column.of("begin", "Beginning", "timestamp"),
            Column.of("end", "End", "timestamp"), Column.of("run_time", "Run time", "duration"),
            Column.of("cpu_time", "CPU time", "duration"), Column.of("gc_time", "GC time", "duration"),
            Column.of("input", "Input (incl. shuffle read)", "size"),
            Column.of("fetch_wait", "Shuffle fetch wait", "duration"),
            Column.of("on_cpu", "Kernel: on CPU", "duration"), Column.of("runnable", "Kernel: runnable", "duration"),
            Column.of("blocked_io", "Kernel: blocked on I/O", "duration"),
            Column.of("blocked", "Kernel: blocked (other)", "duration"),
            Column.of("straggler", "Straggler", "bool"), Column.of("status", "Status", "string"));
    static final TableClass UTILISATION = TableClass.of("spark-slot-utilisation", "Executor slot utilisation",
            Column.of("begin", "Beginning", "timestamp"), Column.of("end", "End", "timestamp"),
            Column.of("utilisation", "Busy slots / slots", "ratio"));
    static final TableClass BATCHES = TableClass.of("spark-micro-batches", "Structured Streaming micro-batches",
            Column.of("query", "Query", "string"), Column.of("batch", "Batch", "number"),
            Column.of("time", "Time", "timestamp"), Column.of("duration", "Duration", "duration"),
            Column.of("input_rows", "Input rows", "number"),
            Column.of("input_rate", "Input rows/s", "number"),
            Column.of("processed_rate", "Processed rows/s", "number"),
            Column.of("breakdown", "Duration breakdown (ms)", "string"),
            Column.of("falling_behind", "Input faster than processing", "bool"));

    private LamiReport() {
    }

    private static Value ratio(double r) {
        return Double.isFinite(r) ? Value.ratio(r) : Value.EMPTY;
    }

    private static Value ms(long ms) {
        return Value.duration(ms * 1_000_000L);
    }

    private static Value kern(KernelBreakdown.Times k, int i) {
        if (k == null) {
            return Value.EMPTY;
        }
        long[] v = {k.running(), k.runnable(), k.blockedIo(), k.blocked()};
        return Value.duration(v[i]);
    }

    /** All tables. */
    public static List<ResultTable> tables(SparkReport r) {
        SparkApp app = r.app();
        AppAnalysis a = r.analysis();
        long b = app.startNs();
        long e = app.endNs();
        ResultTable jobs = new ResultTable(JOBS, b, e);
        for (JobStats j : a.jobs()) {
            jobs.add(Value.number(j.job().id()), Value.string(j.job().description()), Value.timestamp(j.job().startNs()),
                    j.job().endNs() < 0 ? Value.EMPTY : Value.timestamp(j.job().endNs()), Value.duration(j.wallNs()),
                    Value.string(j.criticalPath().toString()), Value.duration(j.criticalPathNs()),
                    Value.duration(j.idealNs()), new Value.Bool(j.job().succeeded()));
        }
        ResultTable stages = new ResultTable(STAGES, b, e);
        for (StageStats s : a.stages()) {
            KernelBreakdown.Times k = r.stageKernel(s.stage());
            stages.add(Value.number(s.stage().id), Value.number(s.stage().attempt), Value.number(s.stage().jobId),
                    Value.string(s.stage().name), Value.string(s.stage().parents.toString()), Value.number(s.tasks()),
                    Value.number(s.failedTasks()), Value.duration(s.durationNs()), ms(s.medianRunMs()), ms(s.maxRunMs()),
                    ratio(s.runSkew()), Value.size(s.medianInputBytes()), Value.size(s.maxInputBytes()),
                    ratio(s.inputSkew()), Value.ratio(s.gcShare()), Value.size(s.spillMemory()),
                    Value.size(s.spillDisk()), ms(s.fetchWaitMs()), Value.number(s.stragglers().size()),
                    new Value.Bool(s.dataSkew()), kern(k, 0), kern(k, 1), kern(k, 2), kern(k, 3),
                    Value.string(r.stageFindings(s)));
        }
        ResultTable tasks = new ResultTable(TASKS, b, e);
        List<Task> stragglers = a.stragglers();
        for (Task t : app.tasks()) {
            KernelBreakdown.Times k = r.kernel().of(t);
            tasks.add(Value.number(t.id), Value.number(t.stageId), Value.number(t.partition),
                    Value.string(t.executorId), new Value.Process("", t.pid, t.tid),
                    t.startNs < 0 ? Value.EMPTY : Value.timestamp(t.startNs),
                    t.endNs < 0 ? Value.EMPTY : Value.timestamp(t.endNs), ms(t.runTimeMs()),
                    Value.duration(t.metric("executor_cpu_time_ns")), ms(t.metric("jvm_gc_time_ms")),
                    Value.size(t.inputBytes()), ms(t.metric("shuffle_fetch_wait_time_ms")), kern(k, 0), kern(k, 1),
                    kern(k, 2), kern(k, 3), new Value.Bool(stragglers.contains(t)), Value.string(t.status));
        }
        ResultTable util = new ResultTable(UTILISATION, b, e);
        for (AppAnalysis.UtilBucket u : a.utilisation(50)) {
            util.add(Value.timestamp(u.startNs()), Value.timestamp(u.endNs()), Value.ratio(u.utilisation()));
        }
        ResultTable batches = new ResultTable(BATCHES, b, e);
        for (AppAnalysis.BatchStats bs : a.batches()) {
            SparkApp.Batch x = bs.batch();
            StringBuilder d = new StringBuilder();
            for (Map.Entry<String, Long> kv : x.durations().entrySet()) {
                d.append(d.length() == 0 ? "" : ", ").append(kv.getKey()).append('=').append(kv.getValue());
            }
            batches.add(Value.string(x.name().isEmpty() ? x.queryId() : x.name()), Value.number(x.batchId()),
                    Value.timestamp(x.timeNs()), ms(x.durationMs()), Value.number(x.inputRows()),
                    Double.isFinite(x.inputRate()) ? Value.Num.of("number", x.inputRate()) : Value.EMPTY,
                    Double.isFinite(x.processedRate()) ? Value.Num.of("number", x.processedRate()) : Value.EMPTY,
                    Value.string(d.toString()), new Value.Bool(bs.fallingBehind()));
        }
        return new ArrayList<>(List.of(jobs, stages, tasks, util, batches));
    }

    /** The LAMI results document. */
    public static String json(SparkReport r) {
        AnalysisResult res = new AnalysisResult(null, AnalysisConfig.defaults(),
                List.of(new AnalysisResult.Period(r.app().startNs(), r.app().endNs(), tables(r))), List.of());
        return Lami.results(List.of(res));
    }
}

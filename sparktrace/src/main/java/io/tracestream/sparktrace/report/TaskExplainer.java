package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.report.AppAnalysis.StageStats;
import io.tracestream.sparktrace.report.SparkApp.Gc;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "Why was this task slow": a task's metrics next to its stage's median, its kernel breakdown, the GC pauses of its
 * process during it, and a one-sentence verdict.
 */
public final class TaskExplainer {
    private final AppAnalysis analysis;
    private final KernelBreakdown kernel;

    public TaskExplainer(AppAnalysis analysis, KernelBreakdown kernel) {
        this.analysis = analysis;
        this.kernel = kernel;
    }

    /** GC pauses of the task's process that overlap the task, and their overlapping time (ns). */
    public List<Gc> gcDuring(Task t) {
        List<Gc> out = new ArrayList<>();
        for (Gc g : analysis.app().gcs()) {
            boolean sameProcess = (t.pid > 0 && g.pid() == t.pid) || (t.pid <= 0 && g.executorId().equals(t.executorId));
            if (sameProcess && g.endNs() > t.startNs && g.startNs() < t.endNs) {
                out.add(g);
            }
        }
        return out;
    }

    static long gcOverlapNs(List<Gc> gcs, Task t) {
        long s = 0;
        for (Gc g : gcs) {
            s += Math.max(0, Math.min(g.endNs(), t.endNs) - Math.max(g.startNs(), t.startNs));
        }
        return s;
    }

    private long stageMedian(Task t, java.util.function.ToLongFunction<Task> f) {
        SparkApp.Stage s = analysis.app().stage(t.stageId, t.stageAttempt);
        if (s == null) {
            return 0;
        }
        return AppAnalysis.median(s.tasks.stream().mapToLong(f).toArray());
    }

    /** The one-sentence verdict for a task. */
    public String verdict(Task t) {
        StageStats st = analysis.stageOf(t);
        long med = st == null ? 0 : st.medianRunMs();
        long run = t.runTimeMs();
        StringBuilder sb = new StringBuilder("Task " + t.id + " (stage " + t.stageId + ", partition " + t.partition + ")");
        boolean slow = st != null && st.tasks() >= AppAnalysis.MIN_TASKS_FOR_OUTLIERS
                && AppAnalysis.isStraggler(run, med);
        if (!t.status.isEmpty() && !t.status.equals("SUCCESS")) {
            return sb + " " + t.status.toLowerCase(Locale.ROOT) + ": " + (t.endReason.isEmpty() ? "" : t.endReason + " ")
                    + firstLine(t.failureReason) + ".";
        }
        sb.append(slow ? String.format(Locale.ROOT, " is a straggler: %d ms, %.1fx its stage's median of %d ms", run,
                med == 0 ? Double.POSITIVE_INFINITY : (double) run / med, med)
                : String.format(Locale.ROOT, " ran %d ms (stage median %d ms)", run, med));
        List<String> because = new ArrayList<>();
        long medIn = stageMedian(t, Task::inputBytes);
        if (t.inputBytes() >= Math.max(AppAnalysis.SKEW_MIN_BYTES, 2 * medIn) && t.inputBytes() > 0) {
            because.add(String.format(Locale.ROOT, "it read %s, %s the stage's median (%s): data skew",
                    Units.bytes(t.inputBytes()), medIn == 0 ? "far above" : String.format(Locale.ROOT, "%.1fx", (double) t.inputBytes() / medIn),
                    Units.bytes(medIn)));
        }
        KernelBreakdown.Times k = kernel.of(t);
        long cpuNs = t.metric("executor_cpu_time_ns");
        long medCpu = stageMedian(t, x -> x.metric("executor_cpu_time_ns"));
        if (medCpu > 0 && cpuNs >= 1.5 * medCpu && cpuNs - medCpu >= AppAnalysis.STRAGGLER_MIN_EXCESS_MS * 500_000L) {
            because.add(String.format(Locale.ROOT, "it used %.1fx the stage's median CPU time (%d vs %d ms: more work)",
                    (double) cpuNs / medCpu, cpuNs / 1_000_000, medCpu / 1_000_000));
        }
        if (k != null && k.total() > 0) {
            because.add("the kernel shows it " + String.join(", ", k.phrases(0.05, true)));
        } else {
            long cpu = t.metric("executor_cpu_time_ns");
            if (run > 0 && cpu > 0) {
                double cpuShare = cpu / (run * 1e6);
                if (cpuShare >= 0.7) {
                    because.add(String.format(Locale.ROOT, "%.0f%% of its run time was CPU time (compute-bound)", 100 * Math.min(1, cpuShare)));
                } else if (cpuShare < 0.5) {
                    because.add(String.format(Locale.ROOT, "only %.0f%% of its run time was CPU time (waiting: I/O, locks or CPU contention; record a kernel trace to tell which)",
                            100 * cpuShare));
                }
            }
        }
        long gc = t.metric("jvm_gc_time_ms");
        if (run > 0 && gc * 10 >= run) {
            because.add(String.format(Locale.ROOT, "GC took %d ms (%.0f%%)", gc, 100.0 * gc / run));
        }
        long fetch = t.metric("shuffle_fetch_wait_time_ms");
        if (run > 0 && fetch * 10 >= run) {
            because.add(String.format(Locale.ROOT, "it waited %d ms for shuffle fetches", fetch));
        }
        if (t.metric("disk_bytes_spilled") > 0) {
            because.add("it spilled " + Units.bytes(t.metric("disk_bytes_spilled")) + " to disk");
        }
        if (!because.isEmpty()) {
            sb.append(": ").append(String.join("; ", because));
        }
        return sb.append('.').toString();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The full explanation, as text lines. */
    public String explain(Task t) {
        StringBuilder sb = new StringBuilder();
        sb.append(verdict(t)).append("\n\n");
        sb.append(String.format(Locale.ROOT, "task %d  stage %d.%d  partition %d  attempt %d  executor %s  host %s  tid %s%n",
                t.id, t.stageId, t.stageAttempt, t.partition, t.attempt, t.executorId, t.host, t.tid > 0 ? t.tid : "?"));
        sb.append(String.format(Locale.ROOT, "status %s  locality %s%s%n%n", t.status, t.locality,
                t.speculative ? "  speculative" : ""));
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s %8s%n", "metric", "task", "stage median", "ratio"));
        String[] metrics = {"executor_run_time_ms", "executor_cpu_time_ns", "executor_deserialize_time_ms",
            "jvm_gc_time_ms", "result_serialization_time_ms", "input_bytes_read", "input_records_read",
            "shuffle_local_bytes_read", "shuffle_remote_bytes_read", "shuffle_records_read",
            "shuffle_fetch_wait_time_ms", "shuffle_bytes_written", "shuffle_write_time_ns", "output_bytes_written",
            "memory_bytes_spilled", "disk_bytes_spilled", "peak_execution_memory"};
        for (String m : metrics) {
            long v = t.metric(m);
            long med = stageMedian(t, x -> x.metric(m));
            if (v == 0 && med == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-32s %14d %14d %8s%n", m, v, med,
                    med == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", (double) v / med)));
        }
        sb.append('\n');
        KernelBreakdown.Times k = kernel.of(t);
        if (k != null) {
            sb.append(String.format(Locale.ROOT, "kernel (thread %d, %.3f ms):%n", t.tid, t.durationNs() / 1e6));
            long[] v = {k.running(), k.runnable(), k.blockedIo(), k.blocked(), k.other(), k.unknown()};
            String[] n = {"on CPU", "runnable (waiting for a CPU)", "blocked on I/O (D)", "blocked, other (S)",
                "stopped/other", "not covered by the kernel trace"};
            for (int i = 0; i < v.length; i++) {
                if (v[i] > 0 || i < 4) {
                    sb.append(String.format(Locale.ROOT, "  %-32s %10.3f ms %5.1f%%%n", n[i], v[i] / 1e6, 100 * k.share(v[i])));
                }
            }
        } else if (!kernel.available()) {
            sb.append("kernel: no kernel trace in the directory (record one with 'tracestream record' or 'record-kernel')\n");
        } else {
            sb.append("kernel: the kernel trace does not cover thread " + t.tid + " during the task\n");
        }
        List<Gc> gcs = gcDuring(t);
        sb.append(String.format(Locale.ROOT, "%nGC during the task: %d pause(s), %.3f ms overlapping%n", gcs.size(),
                gcOverlapNs(gcs, t) / 1e6));
        for (Gc g : gcs) {
            sb.append(String.format(Locale.ROOT, "  %s (%s) %.3f ms, heap %s -> %s%n", g.collector(), g.cause(),
                    (g.endNs() - g.startNs()) / 1e6, Units.bytes(g.heapBefore()), Units.bytes(g.heapAfter())));
        }
        return sb.toString();
    }
}

package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.report.AppAnalysis.JobStats;
import io.tracestream.sparktrace.report.AppAnalysis.StageStats;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything the views show, computed once: the application model, its analyses and the kernel breakdown of its
 * tasks. {@link #text()} is the terminal summary of {@code tracestream spark-report}.
 */
public final class SparkReport {
    private final SparkApp app;
    private final AppAnalysis analysis;
    private final KernelBreakdown kernel;

    public SparkReport(SparkApp app, AppAnalysis analysis, KernelBreakdown kernel) {
        this.app = app;
        this.analysis = analysis;
        this.kernel = kernel;
    }

    /** Reads the traces under {@code dir} (Spark traces and any kernel trace) and runs every analysis. */
    public static SparkReport of(Path dir) {
        SparkApp app = SparkApp.read(dir);
        return new SparkReport(app, new AppAnalysis(app), KernelBreakdown.compute(app));
    }

    public SparkApp app() {
        return app;
    }

    public AppAnalysis analysis() {
        return analysis;
    }

    public KernelBreakdown kernel() {
        return kernel;
    }

    public TaskExplainer explainer() {
        return new TaskExplainer(analysis, kernel);
    }

    /** Kernel time of all tasks of a stage, summed (null without kernel data). */
    public KernelBreakdown.Times stageKernel(SparkApp.Stage s) {
        long[] v = new long[6];
        boolean any = false;
        for (Task t : s.tasks) {
            KernelBreakdown.Times k = kernel.of(t);
            if (k != null) {
                any = true;
                v[0] += k.running();
                v[1] += k.runnable();
                v[2] += k.blockedIo();
                v[3] += k.blocked();
                v[4] += k.other();
                v[5] += k.unknown();
            }
        }
        return any ? new KernelBreakdown.Times(v[0], v[1], v[2], v[3], v[4], v[5]) : null;
    }

    /** The stage's findings as one line, kernel attribution included ("" when nothing stands out). */
    public String stageFindings(StageStats s) {
        return findings(s.flags(), stageKernel(s.stage()));
    }

    /** Stage flags followed by the kernel states that took >= 10% of its tasks' time (k: null without kernel). */
    static String findings(String flags, KernelBreakdown.Times k) {
        String f = flags;
        if (k != null && k.total() > 0) {
            List<String> waits = k.phrases(0.1, false);
            if (!waits.isEmpty()) {
                f = (f.isEmpty() ? "" : f + ", ") + "kernel: " + String.join(", ", waits);
            }
        }
        return f;
    }

    /** The terminal summary. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        long span = app.endNs() - app.startNs();
        sb.append(String.format(Locale.ROOT, "Application %s (%s), %s, %d slot(s), %.3f s%n", app.appId(), app.appName(),
                app.master().isEmpty() ? "master ?" : app.master(), app.totalSlots(), span / 1e9));
        sb.append(String.format(Locale.ROOT, "  %d job(s), %d stage(s), %d task(s), %d GC pause(s), %d micro-batch(es); "
                + "kernel trace: %s%n", app.jobs().size(), app.stages().size(), app.tasks().size(), app.gcs().size(),
                app.batches().size(), kernel.available() ? kernel.traces().get(0).toString() : "none"));
        sb.append(String.format(Locale.ROOT, "  slot utilisation %.0f%%; ideal time with unlimited executors %.3f s%n",
                100 * analysis.averageUtilisation(), analysis.idealAppNs() / 1e9));
        for (String w : app.warnings()) {
            sb.append("  warning: ").append(w).append('\n');
        }
        if (kernel.discardedEvents() > 0) {
            sb.append("  warning: the kernel trace lost ").append(kernel.discardedEvents())
                    .append(" event(s): the kernel breakdown of tasks running then may be wrong\n");
        }
        sb.append("\nJobs\n");
        sb.append(String.format(Locale.ROOT, "  %4s %10s %12s %10s  %s%n", "job", "wall ms", "crit.path ms", "ideal ms",
                "critical path (stages) / description"));
        for (JobStats j : analysis.jobs()) {
            sb.append(String.format(Locale.ROOT, "  %4d %10.1f %12.1f %10.1f  %s  %s%n", j.job().id(), j.wallNs() / 1e6,
                    j.criticalPathNs() / 1e6, j.idealNs() / 1e6, j.criticalPath(), j.job().description()));
        }
        sb.append("\nStages\n");
        sb.append(String.format(Locale.ROOT, "  %6s %5s %9s %8s %8s %6s %9s %6s %6s %8s  %s%n", "stage", "tasks",
                "dur ms", "med ms", "max ms", "skew", "max in", "inSkew", "GC%", "fetch ms", "findings"));
        for (StageStats s : analysis.stages()) {
            sb.append(String.format(Locale.ROOT, "  %6s %5d %9.1f %8d %8d %6.1f %9s %6.1f %6.1f %8d  %s%n",
                    s.stage().id + "." + s.stage().attempt, s.tasks(), s.durationNs() / 1e6, s.medianRunMs(),
                    s.maxRunMs(), s.runSkew(), Units.bytes(s.maxInputBytes()), s.inputSkew(), 100 * s.gcShare(),
                    s.fetchWaitMs(), stageFindings(s)));
        }
        if (!analysis.stragglers().isEmpty()) {
            sb.append("\nStragglers (run time > ").append(AppAnalysis.STRAGGLER_FACTOR).append("x stage median and >= ")
                    .append(AppAnalysis.STRAGGLER_MIN_EXCESS_MS).append(" ms above it)\n");
            TaskExplainer ex = explainer();
            for (Task t : analysis.stragglers()) {
                sb.append("  ").append(ex.verdict(t)).append('\n');
            }
        }
        if (!app.batches().isEmpty()) {
            sb.append("\nStreaming micro-batches\n");
            sb.append(String.format(Locale.ROOT, "  %-10s %6s %8s %9s %11s %11s  %s%n", "query", "batch", "dur ms", "rows",
                    "in rows/s", "proc rows/s", "breakdown (ms)"));
            for (AppAnalysis.BatchStats b : analysis.batches()) {
                SparkApp.Batch x = b.batch();
                sb.append(String.format(Locale.ROOT, "  %-10s %6d %8d %9d %11.1f %11.1f  %s%s%n",
                        x.name().isEmpty() ? x.queryId().substring(0, Math.min(8, x.queryId().length())) : x.name(),
                        x.batchId(), x.durationMs(), x.inputRows(), x.inputRate(), x.processedRate(), x.durations(),
                        b.fallingBehind() ? "  FALLING BEHIND" : ""));
            }
        }
        return sb.toString();
    }
}

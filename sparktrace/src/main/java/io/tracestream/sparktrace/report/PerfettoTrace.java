package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.report.SparkApp.Task;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application as a Chrome trace-event JSON file ({@code spark-report --perfetto FILE}), which Perfetto UI
 * (ui.perfetto.dev) and {@code chrome://tracing} open: one process per executor, one thread per task slot, a
 * complete event per task (named by stage and task, its metrics and kernel breakdown as arguments), GC pauses on a
 * {@code GC} thread of their executor, jobs and stages on a {@code driver: jobs and stages} process, and a counter
 * of busy slots. Times are microseconds from the application's first event.
 */
public final class PerfettoTrace {
    private PerfettoTrace() {
    }

    public static void write(SparkReport r, Writer w) throws IOException {
        SparkApp app = r.app();
        long origin = app.startNs();
        Map<String, Integer> pidOf = new LinkedHashMap<>();
        pidOf.put("(jobs)", 1);
        for (SparkApp.Executor e : app.executors()) {
            pidOf.putIfAbsent(e.id(), pidOf.size() + 1);
        }
        for (Task t : app.tasks()) {
            pidOf.putIfAbsent(t.executorId, pidOf.size() + 1);
        }
        for (SparkApp.Gc g : app.gcs()) {
            pidOf.putIfAbsent(g.executorId(), pidOf.size() + 1);
        }
        Map<Long, Integer> slots = r.analysis().slots();
        List<String> ev = new ArrayList<>();
        ev.add(meta("process_name", 1, 0, "driver: jobs and stages"));
        ev.add(meta("thread_name", 1, 1, "jobs"));
        ev.add(meta("thread_name", 1, 2, "stages"));
        for (Map.Entry<String, Integer> p : pidOf.entrySet()) {
            if (p.getValue() == 1) {
                continue;
            }
            ev.add(meta("process_name", p.getValue(), 0, "executor " + p.getKey()));
            ev.add(meta("thread_name", p.getValue(), 1000, "GC"));
        }
        java.util.Set<String> named = new java.util.HashSet<>();
        for (AppAnalysis.JobStats j : r.analysis().jobs()) {
            if (j.job().endNs() > 0) {
                ev.add(complete(1, 1, "job " + j.job().id(), "job", j.job().startNs() - origin, j.wallNs(),
                        "\"description\":" + Json.str(j.job().description()) + ",\"critical_path\":"
                                + Json.str(j.criticalPath().toString()) + ",\"ideal_ms\":" + Json.num(j.idealNs() / 1e6)));
            }
        }
        for (AppAnalysis.StageStats s : r.analysis().stages()) {
            if (s.stage().submitNs > 0 && s.durationNs() > 0) {
                ev.add(complete(1, 2, "stage " + s.stage().id, "stage", s.stage().submitNs - origin, s.durationNs(),
                        "\"name\":" + Json.str(s.stage().name) + ",\"tasks\":" + s.tasks() + ",\"findings\":"
                                + Json.str(r.stageFindings(s))));
            }
        }
        for (Task t : app.tasks()) {
            if (t.startNs < 0 || t.endNs < t.startNs) {
                continue;
            }
            int pid = pidOf.get(t.executorId);
            int slot = slots.getOrDefault(t.id, 0);
            if (named.add(pid + ":" + slot)) {
                ev.add(meta("thread_name", pid, 10 + slot, "slot " + slot));
            }
            StringBuilder args = new StringBuilder();
            args.append("\"task\":").append(t.id).append(",\"stage\":").append(t.stageId).append(",\"partition\":")
                    .append(t.partition).append(",\"tid\":").append(t.tid).append(",\"status\":").append(Json.str(t.status));
            for (Map.Entry<String, Long> m : t.metrics.entrySet()) {
                if (m.getValue() > 0) {
                    args.append(',').append(Json.str(m.getKey())).append(':').append(m.getValue());
                }
            }
            KernelBreakdown.Times k = r.kernel().of(t);
            if (k != null) {
                args.append(",\"kernel_on_cpu_ms\":").append(Json.num(k.running() / 1e6))
                        .append(",\"kernel_runnable_ms\":").append(Json.num(k.runnable() / 1e6))
                        .append(",\"kernel_blocked_io_ms\":").append(Json.num(k.blockedIo() / 1e6))
                        .append(",\"kernel_blocked_ms\":").append(Json.num(k.blocked() / 1e6));
            }
            ev.add(complete(pid, 10 + slot, "stage " + t.stageId + " task " + t.id, "stage " + t.stageId,
                    t.startNs - origin, t.endNs - t.startNs, args.toString()));
        }
        for (SparkApp.Gc g : app.gcs()) {
            ev.add(complete(pidOf.get(g.executorId()), 1000, "GC " + g.collector(), "gc", g.startNs() - origin,
                    Math.max(0, g.endNs() - g.startNs()), "\"cause\":" + Json.str(g.cause()) + ",\"heap_before\":"
                            + g.heapBefore() + ",\"heap_after\":" + g.heapAfter()));
        }
        for (AppAnalysis.UtilBucket u : r.analysis().utilisation(200)) {
            ev.add("{\"ph\":\"C\",\"pid\":1,\"tid\":0,\"name\":\"busy slots\",\"ts\":" + Json.num((u.startNs() - origin) / 1e3)
                    + ",\"args\":{\"busy\":" + Json.num(u.utilisation() * app.totalSlots()) + "}}");
        }
        w.write("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"app_id\":" + Json.str(app.appId()) + ",\"app_name\":"
                + Json.str(app.appName()) + "},\"traceEvents\":[\n");
        for (int i = 0; i < ev.size(); i++) {
            w.write(ev.get(i));
            w.write(i + 1 < ev.size() ? ",\n" : "\n");
        }
        w.write("]}\n");
    }

    private static String meta(String what, int pid, int tid, String name) {
        return "{\"ph\":\"M\",\"name\":\"" + what + "\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"args\":{\"name\":"
                + Json.str(name) + "}}";
    }

    private static String complete(int pid, int tid, String name, String cat, long tsNs, long durNs, String args) {
        return "{\"ph\":\"X\",\"pid\":" + pid + ",\"tid\":" + tid + ",\"name\":" + Json.str(name) + ",\"cat\":"
                + Json.str(cat) + ",\"ts\":" + Json.num(tsNs / 1e3) + ",\"dur\":" + Json.num(durNs / 1e3)
                + ",\"args\":{" + args + "}}";
    }
}

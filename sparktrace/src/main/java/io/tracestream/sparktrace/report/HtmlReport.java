package io.tracestream.sparktrace.report;

import io.tracestream.sparktrace.report.AppAnalysis.StageStats;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-file, offline HTML report ({@code spark-report --html FILE}): the page template (resource
 * {@code spark-report.html}: CSS and JavaScript, no external resource) with the report's data inlined as JSON.
 * Views: summary and findings, executor/slot timeline (tasks coloured by stage, GC marks, wheel to zoom, drag to pan;
 * tasks narrower than a pixel are aggregated per pixel so large traces stay responsive), job table with critical
 * paths, stage table, skew and straggler charts, blocked-time breakdown (kernel or, without a kernel trace, Spark's
 * CPU vs run time), slot utilisation, streaming micro-batch charts.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** The HTML page. */
    public static String render(SparkReport r) {
        String template;
        try (InputStream in = HtmlReport.class.getResourceAsStream("spark-report.html")) {
            if (in == null) {
                throw new IllegalStateException("spark-report.html is missing from the class path");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String title = "Spark report: " + r.app().appName() + " " + r.app().appId();
        return template.replace("/*@DATA@*/null", data(r)).replace("@TITLE@", escapeHtml(title));
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The data the page draws, as a JSON object (times in ms from the application's start). */
    static String data(SparkReport r) {
        SparkApp app = r.app();
        AppAnalysis a = r.analysis();
        long o = app.startNs();
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"app\":{\"id\":").append(Json.str(app.appId())).append(",\"name\":").append(Json.str(app.appName()))
                .append(",\"master\":").append(Json.str(app.master())).append(",\"slots\":").append(app.totalSlots())
                .append(",\"durationMs\":").append(Json.num((app.endNs() - o) / 1e6))
                .append(",\"idealMs\":").append(Json.num(a.idealAppNs() / 1e6))
                .append(",\"utilisation\":").append(Json.num(a.averageUtilisation()))
                .append(",\"kernel\":").append(r.kernel().available() ? Json.str(r.kernel().traces().get(0).toString()) : "null")
                .append(",\"warnings\":[");
        List<String> w = new java.util.ArrayList<>(app.warnings());
        if (r.kernel().discardedEvents() > 0) {
            w.add("the kernel trace lost " + r.kernel().discardedEvents()
                    + " event(s): the kernel breakdown of tasks running then may be wrong");
        }
        for (int i = 0; i < w.size(); i++) {
            sb.append(i > 0 ? "," : "").append(Json.str(w.get(i)));
        }
        sb.append("]},\n\"jobs\":[");
        boolean first = true;
        for (AppAnalysis.JobStats j : a.jobs()) {
            sb.append(first ? "" : ",").append("{\"id\":").append(j.job().id()).append(",\"desc\":")
                    .append(Json.str(j.job().description())).append(",\"start\":").append(Json.num((j.job().startNs() - o) / 1e6))
                    .append(",\"wall\":").append(Json.num(j.wallNs() / 1e6)).append(",\"cp\":")
                    .append(j.criticalPath()).append(",\"cpMs\":").append(Json.num(j.criticalPathNs() / 1e6))
                    .append(",\"ideal\":").append(Json.num(j.idealNs() / 1e6)).append(",\"ok\":")
                    .append(j.job().succeeded()).append('}');
            first = false;
        }
        sb.append("],\n\"stages\":[");
        first = true;
        for (StageStats s : a.stages()) {
            KernelBreakdown.Times k = r.stageKernel(s.stage());
            sb.append(first ? "" : ",\n").append("{\"id\":").append(s.stage().id).append(",\"attempt\":")
                    .append(s.stage().attempt).append(",\"job\":").append(s.stage().jobId).append(",\"name\":")
                    .append(Json.str(s.stage().name)).append(",\"parents\":").append(s.stage().parents)
                    .append(",\"tasks\":").append(s.tasks()).append(",\"failed\":").append(s.failedTasks())
                    .append(",\"start\":").append(s.stage().submitNs > 0 ? Json.num((s.stage().submitNs - o) / 1e6) : "null")
                    .append(",\"dur\":").append(Json.num(s.durationNs() / 1e6))
                    .append(",\"medRun\":").append(s.medianRunMs()).append(",\"maxRun\":").append(s.maxRunMs())
                    .append(",\"runSkew\":").append(Json.num(s.runSkew())).append(",\"medIn\":").append(s.medianInputBytes())
                    .append(",\"maxIn\":").append(s.maxInputBytes()).append(",\"inSkew\":").append(Json.num(s.inputSkew()))
                    .append(",\"gcShare\":").append(Json.num(s.gcShare())).append(",\"spillMem\":").append(s.spillMemory())
                    .append(",\"spillDisk\":").append(s.spillDisk()).append(",\"fetchWait\":").append(s.fetchWaitMs())
                    .append(",\"runMs\":").append(s.totalRunMs()).append(",\"cpuMs\":").append(Json.num(s.cpuNs() / 1e6))
                    .append(",\"dataSkew\":").append(s.dataSkew()).append(",\"timeSkew\":").append(s.timeSkew())
                    .append(",\"stragglers\":").append(s.stragglers().stream().map(t -> t.id).toList())
                    .append(",\"findings\":").append(Json.str(r.stageFindings(s)))
                    .append(",\"kernel\":").append(k == null ? "null" : times(k)).append('}');
            first = false;
        }
        sb.append("],\n\"tasks\":[");
        Map<Long, Integer> slots = a.slots();
        Map<String, Integer> lanes = new LinkedHashMap<>();
        first = true;
        TaskExplainer ex = r.explainer();
        List<Task> stragglers = a.stragglers();
        for (Task t : app.tasks()) {
            if (t.startNs < 0 || t.endNs < t.startNs) {
                continue;
            }
            String lane = t.executorId + "\u0000" + slots.getOrDefault(t.id, 0);
            lanes.putIfAbsent(lane, lanes.size());
            KernelBreakdown.Times k = r.kernel().of(t);
            sb.append(first ? "" : ",\n").append("[").append(t.id).append(',').append(t.stageId).append(',')
                    .append(lanes.get(lane)).append(',').append(Json.num((t.startNs - o) / 1e6)).append(',')
                    .append(Json.num((t.endNs - o) / 1e6)).append(',').append(t.runTimeMs()).append(',')
                    .append(Json.num(t.metric("executor_cpu_time_ns") / 1e6)).append(',').append(t.metric("jvm_gc_time_ms"))
                    .append(',').append(t.inputBytes()).append(',').append(t.partition).append(',')
                    .append(t.tid).append(',').append(Json.str(t.status)).append(',').append(k == null ? "null" : times(k))
                    .append(',').append(stragglers.contains(t) ? Json.str(ex.verdict(t)) : "null").append(']');
            first = false;
        }
        sb.append("],\n\"lanes\":[");
        first = true;
        for (String l : lanes.keySet()) {
            String[] p = l.split("\u0000");
            sb.append(first ? "" : ",").append("{\"executor\":").append(Json.str(p[0])).append(",\"slot\":").append(p[1])
                    .append('}');
            first = false;
        }
        sb.append("],\n\"gcs\":[");
        first = true;
        for (SparkApp.Gc g : app.gcs()) {
            sb.append(first ? "" : ",").append("[").append(Json.str(g.executorId())).append(',')
                    .append(Json.num((g.startNs() - o) / 1e6)).append(',').append(Json.num((g.endNs() - o) / 1e6)).append(',')
                    .append(Json.str(g.collector() + " (" + g.cause() + ")")).append(']');
            first = false;
        }
        sb.append("],\n\"util\":[");
        first = true;
        for (AppAnalysis.UtilBucket u : a.utilisation(200)) {
            sb.append(first ? "" : ",").append("[").append(Json.num((u.startNs() - o) / 1e6)).append(',')
                    .append(Json.num(u.utilisation())).append(']');
            first = false;
        }
        sb.append("],\n\"batches\":[");
        first = true;
        for (AppAnalysis.BatchStats bs : a.batches()) {
            SparkApp.Batch b = bs.batch();
            sb.append(first ? "" : ",\n").append("{\"query\":").append(Json.str(b.name().isEmpty() ? b.queryId() : b.name()))
                    .append(",\"batch\":").append(b.batchId()).append(",\"t\":").append(Json.num((b.timeNs() - o) / 1e6))
                    .append(",\"dur\":").append(b.durationMs()).append(",\"rows\":").append(b.inputRows())
                    .append(",\"inRate\":").append(Json.num(b.inputRate())).append(",\"procRate\":")
                    .append(Json.num(b.processedRate())).append(",\"behind\":").append(bs.fallingBehind())
                    .append(",\"parts\":{");
            boolean f2 = true;
            for (Map.Entry<String, Long> kv : b.durations().entrySet()) {
                sb.append(f2 ? "" : ",").append(Json.str(kv.getKey())).append(':').append(kv.getValue());
                f2 = false;
            }
            sb.append("}}");
            first = false;
        }
        sb.append("]}");
        return sb.toString();
    }

    private static String times(KernelBreakdown.Times k) {
        return "[" + Json.num(k.running() / 1e6) + "," + Json.num(k.runnable() / 1e6) + "," + Json.num(k.blockedIo() / 1e6)
                + "," + Json.num(k.blocked() / 1e6) + "," + Json.num((k.other() + k.unknown()) / 1e6) + "]";
    }
}

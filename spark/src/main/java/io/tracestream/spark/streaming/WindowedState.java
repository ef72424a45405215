package io.tracestream.spark.streaming;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.AnalysisTask;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.Value;
import io.tracestream.analyses.stream.AlertEvaluator;
import io.tracestream.analyses.stream.AlertEvent;
import io.tracestream.analyses.stream.WindowMetrics;
import io.tracestream.ctf.ClockValue;
import io.tracestream.spark.analyses.JavaSer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The state of one trace's windowed analyses between micro-batches (Java-serialized into Spark's state store): the
 * batch analyses' {@link AnalysisTask} (state model + passes + the window in progress), the events not yet behind
 * the watermark, and the alert rules' streaks. Windows are handed out, and forgotten, once the watermark passes
 * their end, so the state stays the model plus the open window plus at most the watermark delay of events.
 */
final class WindowedState implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> analysisNames;
    private final AnalysisConfig config;
    private final AnalysisTask task;
    private final AlertEvaluator alerts;
    private final ArrayList<RowEvent> buffer = new ArrayList<>();
    /** Events fed per window (by window begin), for the events rate. */
    private final TreeMap<Long, Long> eventsPerWindow = new TreeMap<>();
    private long windowIndex;
    private long fedUpTo = Long.MIN_VALUE;
    /** Events that came after their time was fed (dropped: they cannot be fed in time order). */
    long late;
    /** {@link #late} when the last window row was handed out. */
    private long lateReported;
    /** The source's event-time progress (ns; {@link Long#MIN_VALUE}: none known): see {@link #progress(long)}. */
    private long progress = Long.MIN_VALUE;
    private transient RowEventRecord view;

    WindowedState(List<String> analysisNames, long window, List<String> rules) {
        this.analysisNames = List.copyOf(analysisNames);
        this.config = AnalysisConfig.defaults().withWindow(window).withIntersection(false);
        List<Analysis> list = new ArrayList<>();
        for (String n : analysisNames) {
            list.add(Analyses.byName(n));
        }
        this.task = new AnalysisTask(list, config, false, ClockValue.NONE);
        this.alerts = rules.isEmpty() ? null : AlertEvaluator.of(rules.toArray(new String[0]));
    }

    static WindowedState read(byte[] bytes) {
        return (WindowedState) JavaSer.read(bytes);
    }

    byte[] bytes() {
        return JavaSer.write(this);
    }

    /** Notes the source's progress: no event still to come from a stream it knows is older than {@code nanos}. */
    void progress(long nanos) {
        progress = Math.max(progress, nanos);
    }

    /** The highest progress noted, or {@link Long#MIN_VALUE}. */
    long progress() {
        return progress;
    }

    void add(RowEvent e) {
        if (e.ts < fedUpTo) {
            late++;
            return;
        }
        buffer.add(e);
    }

    /**
     * Feeds the buffered events before {@code watermarkNanos} (the horizon: every event before it is there) in time
     * order and returns the rows of the windows that ended at or before it (and the alerts they fired).
     */
    List<Row> advance(String trace, long watermarkNanos) {
        if (view == null) {
            view = new RowEventRecord();
        }
        buffer.sort(Comparator.comparingLong(e -> e.ts)); // stable: equal times keep their order of arrival
        int n = 0;
        while (n < buffer.size() && buffer.get(n).ts < watermarkNanos) {
            RowEvent e = buffer.get(n++);
            task.event(view.set(e), e.ts);
            eventsPerWindow.merge(task.windowBegin(), 1L, Long::sum);
            fedUpTo = e.ts;
        }
        buffer.subList(0, n).clear();
        buffer.trimToSize();
        if (fedUpTo != Long.MIN_VALUE) {
            task.advanceTo(watermarkNanos);
            fedUpTo = Math.max(fedUpTo, watermarkNanos); // the windows up to here may be closed: earlier is late
        }
        return closedWindows(trace);
    }

    private List<Row> closedWindows(String trace) {
        List<AnalysisResult> all = new ArrayList<>();
        int count = Integer.MAX_VALUE;
        for (int i = 0; i < analysisNames.size(); i++) {
            AnalysisResult r = task.partials(i).drain().result(Analyses.byName(analysisNames.get(i)), config, List.of());
            all.add(r);
            count = Math.min(count, r.periods().size());
        }
        List<Row> out = new ArrayList<>();
        for (int w = 0; w < count && !all.isEmpty(); w++) {
            List<AnalysisResult> window = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                AnalysisResult r = all.get(i);
                AnalysisResult.Period rp = r.periods().get(w);
                window.add(new AnalysisResult(r.analysis(), config, List.of(rp), List.of()));
                for (ResultTable t : rp.tables()) {
                    String[] columns = t.tableClass().columns().stream().map(c -> c.key()).toArray(String[]::new);
                    for (List<Value> row : t.rows()) {
                        String[] cells = row.stream().map(Value::text).toArray(String[]::new);
                        out.add(RowFactory.create(trace, analysisNames.get(i), rp.begin(), rp.end(),
                                t.tableClass().name(), t.subtitle(), columns, cells));
                    }
                }
            }
            AnalysisResult.Period first = window.get(0).periods().get(0);
            Long events = eventsPerWindow.remove(first.begin());
            out.add(RowFactory.create(trace, "window", first.begin(), first.end(), "events", null,
                    new String[] {"events", "late"}, new String[] {Long.toString(events == null ? 0 : events),
                        Long.toString(late - lateReported)}));
            lateReported = late;
            if (alerts != null) {
                WindowMetrics m = WindowMetrics.of(windowIndex, first.begin(), first.end(), window,
                        events == null ? 0 : events);
                for (AlertEvent a : alerts.onWindow(m)) {
                    out.add(RowFactory.create(trace, "alert", a.windowBegin(), a.windowEnd(), a.rule().text(), null,
                            new String[] {"kind", "value", "windows", "message"},
                            new String[] {a.kind().name(), Double.toString(a.value()), Integer.toString(a.windows()),
                                a.describe()}));
                }
            }
            windowIndex++;
        }
        return out;
    }
}

package io.tracestream.analyses.stream;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.AnalysisTask;
import io.tracestream.analyses.Histogram;
import io.tracestream.analyses.Partials;
import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the batch analyses' definitions over an endless, time-ordered message stream, one tumbling window at a time:
 * the same {@link AnalysisTask} (state model, passes, per-window partials) as {@code tracestream analyze --window},
 * fed message by message; a window closes when event time passes its end — an event after it, or the source's
 * watermark ({@link #advanceTo}) — and its results go to the listener at once and are then forgotten, so memory holds
 * the state model and the open window only.
 *
 * <p>All analyses run in one time-ordered pass (per-CPU analyses too: their state is kept per CPU). Windows are aligned
 * on the first event, as in batch. Histograms are always recorded ({@link Histogram#FLAG}) for the latency percentiles
 * of {@link WindowMetrics}.
 *
 * <pre>{@code
 * WindowedRunner runner = new WindowedRunner(List.of(Analyses.byName("cputop")),
 *         AnalysisConfig.defaults().withWindow(1_000_000_000L).withTop(0), w -> show(w.metrics()));
 * runner.run(new TraceDirectorySource(dir), () -> stopped);
 * }</pre>
 */
public final class WindowedRunner {
    private final List<Analysis> analyses;
    private final AnalysisConfig config;
    private final Consumer<WindowResult> listener;
    private AnalysisTask task;
    private long eventsInOpenWindow;
    private long nextIndex;
    private boolean finished;

    /**
     * @param analyses the analyses (batch definitions, e.g. {@code Analyses.byName("syscallstats")})
     * @param config   their configuration; its {@link AnalysisConfig#window()} (&gt; 0) is the window length
     * @param listener receives each closed window, in order, on the thread that feeds the runner
     */
    public WindowedRunner(List<Analysis> analyses, AnalysisConfig config, Consumer<WindowResult> listener) {
        if (config.window() <= 0) {
            throw new IllegalArgumentException("a streaming analysis needs a window length > 0");
        }
        Set<String> flags = new HashSet<>(config.flags());
        flags.add(Histogram.FLAG);
        this.analyses = List.copyOf(analyses);
        this.config = config.withFlags(flags);
        this.listener = listener;
    }

    /** The configuration the analyses run with (the given one, with histograms on). */
    public AnalysisConfig config() {
        return config;
    }

    /** The next message of the stream (only events and losses matter; others are ignored). */
    public void message(MessageCursor c) {
        MessageType t = c.type();
        if (t == MessageType.EVENT) {
            long ts = c.timeNanos();
            if (task == null) {
                task = new AnalysisTask(analyses, config,
                        AnalysisTask.wakeupPrioOffset(List.of(c.stream().trace())), ClockValue.NONE);
            }
            task.event(c.event(), ts);
            emitClosed(false);
            if (task.windowBegin() != ClockValue.NONE) {
                eventsInOpenWindow++;
            }
        } else if (task != null && (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS)) {
            task.discarded(c.stream(), c.discarded(), t == MessageType.DISCARDED_PACKETS);
        }
    }

    /** Event time reached {@code watermark} (no message before it will come): closes the windows that end by then. */
    public void advanceTo(long watermark) {
        if (task != null && watermark != ClockValue.NONE && watermark != Long.MIN_VALUE) {
            task.advanceTo(watermark);
            emitClosed(false);
        }
    }

    /** The stream ended: closes the last window at the last event (a partial window, as in batch). */
    public void finish() {
        if (task != null && !finished) {
            finished = true;
            task.finish();
            emitClosed(true);
        }
    }

    /**
     * Reads {@code source} until it ends or {@code stop} says so, then {@link #finish()}es: messages are fed as they
     * come; while the source waits, its watermark closes windows (so quiet streams do not hold them back).
     *
     * @param poll how long to wait for a message before looking at the watermark and {@code stop} again
     * @return the number of windows emitted
     */
    public long run(StreamSource source, Duration poll, BooleanSupplier stop) {
        while (!stop.getAsBoolean()) {
            StreamSource.Status s = source.next(poll);
            if (s == StreamSource.Status.END) {
                break;
            }
            if (s == StreamSource.Status.MESSAGE) {
                message(source);
            } else {
                advanceTo(source.watermarkNanos());
            }
        }
        finish();
        return nextIndex;
    }

    /** The beginning of the window in progress (ns), or {@link ClockValue#NONE} before the first event. */
    public long openWindowBegin() {
        return task == null ? ClockValue.NONE : task.windowBegin();
    }

    /** The task holding the state (tests: its serialized size must not grow with the number of windows). */
    AnalysisTask task() {
        return task;
    }

    private void emitClosed(boolean last) {
        List<List<AnalysisResult.Period>> periods = new ArrayList<>();
        int n = -1;
        for (int i = 0; i < analyses.size(); i++) {
            Partials drained = task.partials(i).drain();
            List<AnalysisResult.Period> p = drained.result(analyses.get(i), config, List.of()).periods();
            periods.add(p);
            n = p.size();
        }
        if (n <= 0) {
            return;
        }
        List<AnalysisResult.Loss> losses = task.losses();
        for (int w = 0; w < n; w++) {
            AnalysisResult.Period first = periods.get(0).get(w);
            long b = first.begin();
            long e = first.end();
            List<AnalysisResult.Loss> in = new ArrayList<>();
            for (AnalysisResult.Loss l : losses) {
                boolean before = l.end() != ClockValue.NONE && l.end() < b;
                boolean after = l.begin() != ClockValue.NONE && l.begin() > e;
                if (!before && !after) {
                    in.add(l);
                }
            }
            List<AnalysisResult> results = new ArrayList<>();
            for (int i = 0; i < analyses.size(); i++) {
                results.add(new AnalysisResult(analyses.get(i), config, List.of(periods.get(i).get(w)), in));
            }
            long events = w == 0 ? eventsInOpenWindow : 0;
            long index = nextIndex++;
            boolean partial = last && w == n - 1;
            listener.accept(new WindowResult(index, b, e, partial, events, results,
                    WindowMetrics.of(index, b, e, results, events)));
        }
        eventsInOpenWindow = 0;
        long lastEnd = periods.get(0).get(n - 1).end();
        losses.removeIf(l -> l.end() != ClockValue.NONE && l.end() < lastEnd);
    }
}

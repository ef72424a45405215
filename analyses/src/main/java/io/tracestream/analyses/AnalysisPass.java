package io.tracestream.analyses;

import java.io.Serializable;

/**
 * The per-partition pass of an analysis: a state machine fed with events in time order, notified by the shared
 * {@link KernelState} model, emitting keyed {@link Mergeable} partials. One instance runs per partition (the whole
 * trace for {@link Analysis.Partitioning#TIME_ORDERED}, one stream for {@link Analysis.Partitioning#PER_STREAM}).
 *
 * <p>The pass is {@link Serializable}: an engine may snapshot it (together with the {@link KernelState}) at a split
 * boundary and resume on another task; it must therefore keep all its state in serializable fields. The engine calls:
 * <ol>
 *   <li>{@link #beginPeriod(long)} when a period (the whole range, or a {@code --window}) starts;</li>
 *   <li>for each event of the period: {@link #event(KernelEvent, KernelState)} (before the model is updated), then
 *       the {@link KernelListener} notifications the model sends while it processes the event;</li>
 *   <li>{@link #endPeriod(long, KernelState, Emitter)} at the end of the period: emit the partials, reset
 *       per-period data.</li>
 * </ol>
 */
public abstract class AnalysisPass implements KernelListener, Serializable {
    private static final long serialVersionUID = 1L;

    /** The configuration (filters, limits) this pass runs with. */
    protected final AnalysisConfig config;

    /** Whether the configuration asks for histograms ({@link Histogram#FLAG}): {@link #sample} records then. */
    private final boolean histograms;

    protected AnalysisPass(AnalysisConfig config) {
        this.config = config;
        this.histograms = config.flags().contains(Histogram.FLAG);
    }

    /**
     * True when {@link #sample} records (the configuration has {@link Histogram#FLAG}): test it before building a
     * series name, so that runs without histograms build no string per event.
     */
    protected final boolean histograms() {
        return histograms;
    }

    /**
     * Called once by the engine, before the first event, with the state models shared by all the passes of the
     * partition: a pass that needs a model other passes may also need (e.g. {@code kstate.KernelState}) takes it from
     * there instead of running its own copy. Default: nothing.
     */
    public void attach(SharedModels models) {
    }

    /**
     * Whether this pass reads the events themselves: their fields or {@link KernelEvent#record()} in
     * {@link #event}, {@link #eventBeforeStart} or the {@code KernelEvent} of the syscall notifications. A pass that
     * only uses the model's notifications, the event's kind, timestamp and CPU and the {@link KernelState} returns
     * false: an engine may then decode on another thread and hand it the events reduced to what the model reads
     * ({@code LocalEngine} does so on two cores or more). Default: true.
     */
    public boolean readsEventFields() {
        return true;
    }

    /** A period starts at {@code ts} (the first event's timestamp, or a window boundary). */
    public void beginPeriod(long ts) {
    }

    /** An event, before the state model processes it. */
    public void event(KernelEvent e, KernelState state) {
    }

    /**
     * An event before the analysed range starts (before {@code --begin}), before the state model processes it: a pass
     * that keeps its own state model (file descriptors, ...) updates it here; nothing is counted.
     */
    public void eventBeforeStart(KernelEvent e, KernelState state) {
    }

    /**
     * The period ends at {@code ts} (the last event's timestamp, or the window boundary): add what is still open up
     * to {@code ts} (a thread still running, ...), emit the partials, forget per-period data.
     */
    public void endPeriod(long ts, KernelState state, Emitter out) {
        endPeriod(ts, out);
    }

    /** {@link #endPeriod(long, KernelState, Emitter)} for passes that do not need the shared model. */
    public void endPeriod(long ts, Emitter out) {
    }

    /** Durations recorded by {@link #sample} in the current period (null: none, or histograms are off). */
    private java.util.Map<Histogram.Key, Histogram> samples;

    /**
     * Records a duration in the histogram {@code series} of {@code group} (e.g. "Scheduling latency", "all") when the
     * configuration has the flag {@link Histogram#FLAG}; no-op otherwise. Call it where the duration is added to the
     * analysis' statistics, after the same filters, so that the histogram counts equal the table counts.
     */
    protected final void sample(String group, String series, long ns) {
        if (!histograms) {
            return;
        }
        if (samples == null) {
            samples = new java.util.LinkedHashMap<>(); // serializable (the pass crosses split boundaries)
        }
        samples.computeIfAbsent(new Histogram.Key(group, series), k -> new Histogram()).add(ns);
    }

    /** Emits the period's histograms (engine use, after {@link #endPeriod}) and forgets them. */
    final void emitSamples(Emitter out) {
        if (samples != null) {
            for (java.util.Map.Entry<Histogram.Key, Histogram> e : samples.entrySet()) {
                out.emit(e.getKey(), e.getValue());
            }
            samples = null;
        }
    }

    /** lttng-analyses' process filter ({@code --procname}, {@code --tid}): true when the thread passes. */
    protected boolean acceptThread(ThreadInfo t) {
        if (t == null) {
            return true;
        }
        return acceptThread(t.tid(), t.comm());
    }

    /** The process filter on a tid and command name. */
    protected boolean acceptThread(long tid, String comm) {
        if (!config.procNames().isEmpty() && !config.procNames().contains(comm)) {
            return false;
        }
        return config.tids().isEmpty() || config.tids().contains(tid);
    }

    /** The CPU filter ({@code --cpu}). */
    protected boolean acceptCpu(long cpu) {
        return config.cpus().isEmpty() || config.cpus().contains(cpu);
    }
}

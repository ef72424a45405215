package io.tracestream.analyses;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The work of one partition, for any engine: the {@link KernelState} model, one {@link AnalysisPass} per analysis,
 * the period (window) bookkeeping and the emitted {@link Partials}. Feed it the partition's events in time order
 * ({@link #event}), its losses ({@link #discarded}), then {@link #finish()}; read {@link #partials(int)}.
 *
 * <p>Serializable: at a split boundary an engine serializes the task and the next split resumes from the copy
 * ({@link #resume()} does both in memory), as a task on another machine would. A partition is the whole trace in
 * time order for {@link Analysis.Partitioning#TIME_ORDERED} analyses, the streams of one CPU for
 * {@link Analysis.Partitioning#PER_STREAM} ones.
 */
public final class AnalysisTask implements Serializable {
    private static final long serialVersionUID = 1L;
    private final AnalysisConfig config;
    private final KernelState state;
    private final AnalysisPass[] passes;
    private final Partials[] partials;
    /** The state models the passes share (one automaton per model type, whatever the number of analyses). */
    private final SharedModels models = new SharedModels();
    private final List<AnalysisResult.Loss> losses = new ArrayList<>();
    private boolean started;
    private long firstAnalysed = ClockValue.NONE;
    private long lastEvent = ClockValue.NONE;
    private long periodIndex;
    private long periodBegin;
    /** Where periods start (all partitions of a per-stream run share it), or NONE: at the first analysed event. */
    private final long origin;
    private transient KernelEvent view = new KernelEvent();

    /**
     * @param analyses         the analyses this partition runs
     * @param config           their configuration
     * @param wakeupPrioOffset see {@link KernelState#needsWakeupPrioOffset} ({@link #wakeupPrioOffset} reads it)
     * @param periodOrigin     the time windows are aligned on when several partitions must agree on it (the first
     *                         analysed event of the whole run), or {@link ClockValue#NONE}: this partition's first
     *                         analysed event
     */
    public AnalysisTask(List<Analysis> analyses, AnalysisConfig config, boolean wakeupPrioOffset, long periodOrigin) {
        this.config = config;
        this.origin = periodOrigin;
        this.state = new KernelState(wakeupPrioOffset);
        this.passes = new AnalysisPass[analyses.size()];
        this.partials = new Partials[analyses.size()];
        for (int i = 0; i < passes.length; i++) {
            passes[i] = analyses.get(i).newPass(config);
            partials[i] = new Partials();
        }
        for (AnalysisPass p : passes) {
            p.attach(models);
        }
    }

    /** Whether the traces need lttng-modules' pre-2.7.1 wakeup priority correction (from their environment). */
    public static boolean wakeupPrioOffset(List<io.tracestream.ctf.Trace> traces) {
        for (io.tracestream.ctf.Trace t : traces) {
            java.util.Map<String, Object> env = t.traceClass().environment();
            if (!"kernel".equals(env.get("domain"))) {
                continue;
            }
            if (env.get("tracer_major") instanceof Number a && env.get("tracer_minor") instanceof Number b
                    && env.get("tracer_patchlevel") instanceof Number c) {
                return KernelState.needsWakeupPrioOffset(a.intValue(), b.intValue(), c.intValue());
            }
        }
        return false;
    }

    private Object readResolve() {
        view = new KernelEvent();
        if (started) {
            for (AnalysisPass p : passes) {
                state.addListener(p);
            }
        }
        return this;
    }

    /** The partials of the i-th analysis (after {@link #finish()}). */
    public Partials partials(int i) {
        return partials[i];
    }

    /** Timestamp of the first analysed event, or {@link ClockValue#NONE}. */
    public long firstAnalysed() {
        return firstAnalysed;
    }

    /** Timestamp of the last event seen, or {@link ClockValue#NONE}. */
    public long lastEvent() {
        return lastEvent;
    }

    /** The losses reported to {@link #discarded}. */
    public List<AnalysisResult.Loss> losses() {
        return losses;
    }

    /** The next event of the partition (time order), with its timestamp in ns. */
    public void event(EventRecord r, long ts) {
        view.set(r, ts);
        step(ts);
    }

    /** The next event, extracted into a batch by a decoding thread (see {@link #readsEventFields()}). */
    void event(ModelEvents batch, int i) {
        view.setDetached(batch, i);
        step(batch.ts[i]);
    }

    /** Whether a pass reads the events' fields (else they may come as {@link ModelEvents}). */
    boolean readsEventFields() {
        for (AnalysisPass p : passes) {
            if (p.readsEventFields()) {
                return true;
            }
        }
        return false;
    }

    private void step(long ts) {
        lastEvent = ts;
        if (!started && ts >= config.begin()) {
            started = true;
            firstAnalysed = ts;
            periodBegin = origin == ClockValue.NONE ? ts : origin;
            periodIndex = 0;
            for (AnalysisPass p : passes) {
                p.beginPeriod(periodBegin);
                state.addListener(p);
            }
        }
        closeWindowsBefore(ts);
        if (started) {
            for (AnalysisPass p : passes) {
                p.event(view, state);
            }
        } else {
            for (AnalysisPass p : passes) {
                p.eventBeforeStart(view, state);
            }
        }
        state.process(view);
    }

    /** Closes every window that ends at or before {@code ts}. */
    private void closeWindowsBefore(long ts) {
        if (started && config.window() > 0) {
            while (ts >= periodBegin + config.window()) {
                long boundary = periodBegin + config.window();
                endPeriod(boundary);
                periodIndex++;
                periodBegin = boundary;
                for (AnalysisPass p : passes) {
                    p.beginPeriod(boundary);
                }
            }
        }
    }

    /**
     * Event time has reached {@code watermark} (no event before it will come): closes the windows that end at or
     * before it, as an event at that time would, so that a streaming engine gets a window's partials even when no
     * event follows it yet. No effect without {@code --window} or before the first analysed event.
     */
    public void advanceTo(long watermark) {
        closeWindowsBefore(watermark);
    }

    /** The beginning of the window in progress (ns), or {@link ClockValue#NONE} before the first analysed event. */
    public long windowBegin() {
        return started ? periodBegin : ClockValue.NONE;
    }

    /** Discarded events ({@code packets} false) or packets reported in {@code stream}. */
    public void discarded(DataStream stream, Discarded d, boolean packets) {
        String name = stream.file() != null && stream.trace().path() != null
                ? stream.trace().path().relativize(stream.file()).toString() : stream.name();
        losses.add(new AnalysisResult.Loss(name, -1, packets, d.count(), d.beginNanos(), d.endNanos()));
    }

    private void endPeriod(long end) {
        for (int i = 0; i < passes.length; i++) {
            Partials.Period pp = new Partials.Period(periodBegin, end);
            Emitter emitter = new Emitter() {
                @Override
                public <T extends Mergeable<T>> void emit(Object key, T partial) {
                    pp.add(key, partial);
                }
            };
            passes[i].endPeriod(end, state, emitter);
            passes[i].emitSamples(emitter);
            partials[i].put(periodIndex, pp);
        }
    }

    /** The partition's events are over: closes the last period. */
    public void finish() {
        if (started) {
            endPeriod(lastEvent);
        }
    }

    /** Serializes and deserializes this task: what a split boundary does on a distributed engine. */
    public AnalysisTask resume() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(this);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (AnalysisTask) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("analysis state is not serializable: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

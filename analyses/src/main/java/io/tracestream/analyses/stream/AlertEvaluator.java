package io.tracestream.analyses.stream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates {@link AlertRule}s window after window, engine-agnostic: give it each window's metrics in window order
 * ({@link #onWindow}); a rule fires when its condition held in {@link AlertRule#windows()} consecutive windows, and
 * resolves at the first window where it no longer holds. Listeners (console, a Spark sink, ...) receive every event.
 * Serializable (a streaming engine may keep it in its state store); listeners are not serialized.
 */
public final class AlertEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<AlertRule> rules;
    /** Per rule: consecutive windows meeting the condition. */
    private final int[] streak;
    private final boolean[] firing;
    private transient List<AlertListener> listeners = new ArrayList<>();

    public AlertEvaluator(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        this.streak = new int[rules.size()];
        this.firing = new boolean[rules.size()];
    }

    /** Parses each rule ({@link AlertRule#parse}). */
    public static AlertEvaluator of(String... rules) {
        List<AlertRule> r = new ArrayList<>();
        for (String s : rules) {
            r.add(AlertRule.parse(s));
        }
        return new AlertEvaluator(r);
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Adds a listener; it receives the events of the following windows. */
    public AlertEvaluator addListener(AlertListener l) {
        if (listeners == null) {
            listeners = new ArrayList<>();
        }
        listeners.add(l);
        return this;
    }

    /** The rules firing now. */
    public List<AlertRule> firing() {
        List<AlertRule> f = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (firing[i]) {
                f.add(rules.get(i));
            }
        }
        return f;
    }

    /**
     * The next window's metrics (metric name to value in base units, as {@link WindowMetrics#values()}; a metric
     * missing from the map has no value in that window). Returns the alerts it fired or resolved (also sent to the
     * listeners).
     */
    public List<AlertEvent> onWindow(long windowBegin, long windowEnd, Map<String, Double> metrics) {
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            AlertRule r = rules.get(i);
            Double v = metrics.get(r.metric().key());
            double value = v == null ? Double.NaN : v;
            if (r.test(value)) {
                streak[i]++;
                if (!firing[i] && streak[i] >= r.windows()) {
                    firing[i] = true;
                    events.add(new AlertEvent(r, AlertEvent.Kind.FIRED, windowBegin, windowEnd, value, streak[i]));
                }
            } else {
                if (firing[i]) {
                    events.add(new AlertEvent(r, AlertEvent.Kind.RESOLVED, windowBegin, windowEnd, value,
                            streak[i] - r.windows() + 1));
                    firing[i] = false;
                }
                streak[i] = 0;
            }
        }
        if (listeners != null) {
            for (AlertEvent e : events) {
                for (AlertListener l : listeners) {
                    l.onAlert(e);
                }
            }
        }
        return events;
    }

    /** {@link #onWindow(long, long, Map)} with a window's {@link WindowMetrics}. */
    public List<AlertEvent> onWindow(WindowMetrics metrics) {
        return onWindow(metrics.begin(), metrics.end(), metrics.values());
    }
}
